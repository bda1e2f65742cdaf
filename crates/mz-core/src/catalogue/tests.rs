use super::*;

fn demo_file() -> CatalogueFile {
    Catalogue::demo().file().clone()
}

fn problems(f: CatalogueFile) -> String {
    match Catalogue::new(f) {
        Err(CoreError::Malformed { why, .. }) => why,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn the_demo_catalogue_is_valid_and_covers_the_seeds() {
    let c = Catalogue::demo();
    assert!(c.matters().len() >= 20 && c.cert_types().len() >= 20);
    for t in c.cert_types() {
        assert_eq!(t.type_code().len(), 21);
        assert_eq!(c.cert_type_by_no(t.no).unwrap().code, t.code);
    }
    let elderly = c.matter("elderly_allowance").unwrap();
    assert_eq!(elderly.proxy.as_ref().unwrap().min_age, 80);
    assert!(c.matter("housing_fund_withdrawal").unwrap().proxy.is_none());
    assert!(c.cert_type("medical_insurance").unwrap().shown_is_consent);
}

#[test]
fn matters_refuse_unneeded_certificates() {
    let m = Catalogue::demo().matter("elderly_allowance").unwrap();
    m.check_request(&["id_card", "household_register"]).unwrap();
    let e = m.check_request(&["id_card", "marriage_cert"]).unwrap_err();
    assert_eq!(e.code(), "not_needed_by_matter");
    assert!(Catalogue::demo().matter("no_such").is_err());
}

#[test]
fn a_file_with_mistakes_is_refused_naming_each() {
    let mut f = demo_file();
    f.cert_types[1].no = f.cert_types[0].no;
    f.matters[0].materials[0].replaced_by = Some("no_such_type".into());
    f.matters[1].handled_by.push("not a USCC".into());
    f.matters[2].proxy = None;
    let enterprise = f
        .matters
        .iter()
        .position(|m| m.subject == SubjectKind::Enterprise)
        .unwrap();
    f.matters[enterprise].proxy = Some(ProxyRule {
        min_age: 80,
        received_by: "民政局".into(),
    });
    let why = problems(f);
    for expected in [
        "used twice",
        "names unknown type no_such_type",
        "\"not a USCC\"",
        "on their behalf",
    ] {
        assert!(why.contains(expected), "{expected} not in: {why}");
    }
}

#[test]
fn a_file_of_another_format_or_with_unknown_fields_is_refused() {
    let mut f = demo_file();
    f.format = "mianzheng-catalogue/0".into();
    assert!(problems(f).contains("format"));
    let typo = DEMO_JSON.replacen("\"self_service\"", "\"selfservice\"", 1);
    let e = Catalogue::parse(&typo).unwrap_err();
    assert!(e.to_string().contains("selfservice"), "{e}");
}

#[test]
fn problems_are_named_up_to_a_limit() {
    let mut f = demo_file();
    for m in &mut f.matters {
        m.name.clear();
    }
    let why = problems(f);
    assert!(why.contains("more"), "{why}");
}

#[test]
fn a_new_version_keeps_numbers_and_issued_types() {
    let old = Catalogue::demo();
    let mut f = demo_file();
    f.cert_types.push(CertType {
        no: 900,
        code: "new_type".into(),
        ..f.cert_types[0].clone()
    });
    let next = Catalogue::new(f.clone()).unwrap();
    check_succession(&next, &old.type_numbers_given(), &["id_card".into()]).unwrap();

    let mut renumbered = f.clone();
    renumbered.cert_types[0].no = 901;
    let e = check_succession(
        &Catalogue::new(renumbered).unwrap(),
        &old.type_numbers_given(),
        &[],
    )
    .unwrap_err();
    assert!(e.to_string().contains("cannot change it to 901"), "{e}");

    let mut reused = f.clone();
    let gone = reused.cert_types.remove(2);
    reused.cert_types.last_mut().unwrap().no = gone.no;
    for m in &mut reused.matters {
        m.materials
            .retain(|x| x.replaced_by.as_deref() != Some(&gone.code));
    }
    reused
        .matters
        .retain(|m| m.replaceable_types().next().is_some());
    let e = check_succession(
        &Catalogue::new(reused.clone()).unwrap(),
        &old.type_numbers_given(),
        std::slice::from_ref(&gone.code),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("cannot name new_type"), "{e}");
    assert!(e.contains("has certificates issued"), "{e}");
}

#[test]
fn a_matter_gives_only_a_proof_someone_issues_about_its_own_kind_of_subject() {
    let mut f = demo_file();
    let of = |f: &CatalogueFile, code: &str| f.matters.iter().position(|m| m.code == code).unwrap();
    let (house, insurance, locker) = (
        of(&f, "property_record_query"),
        of(&f, "social_security_query"),
        of(&f, "locker_pickup"),
    );
    f.matters[house].issues = Some("no_such_proof".into());
    f.matters[insurance].issues = Some("business_licence".into());
    f.matters[locker].issues = Some("residence_permit".into());
    let why = problems(f);
    for expected in [
        "matter property_record_query: issues an unknown type",
        "issues business_licence, which is about another kind of subject",
        "issues residence_permit, which no department issues",
    ] {
        assert!(why.contains(expected), "{expected} not in: {why}");
    }
}
