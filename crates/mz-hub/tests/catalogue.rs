//! The catalogue is data the operators import: a new version shows at once (within the
//! second after which the hub looks again), decides what terminals may ask and departments
//! issue, and a file with a mistake, or one that would reassign a number or drop a type with
//! certificates, is refused whole and changes nothing.

mod common;

use common::*;
use mz_core::catalogue::{CatalogueFile, Material, Matter, SubjectKind};

/// A matter the operators add: 居住证 renewal, replacing the ID card.
fn residence_permit_renewal(handled_by: &str) -> Matter {
    Matter {
        code: "residence_permit_renewal".into(),
        name: "居住证续签".into(),
        name_en: "Residence permit renewal".into(),
        subject: SubjectKind::Person,
        self_service: false,
        seed: "operators' addition".into(),
        materials: vec![Material {
            name: "身份证".into(),
            required: true,
            replaced_by: Some("id_card".into()),
        }],
        handled_by: vec![handled_by.into()],
        proxy: None,
        retention_years: 10,
        issues: None,
    }
}

fn matter<'a>(f: &'a mut CatalogueFile, code: &str) -> &'a mut Matter {
    f.matters.iter_mut().find(|m| m.code == code).unwrap()
}

#[tokio::test]
async fn a_new_version_is_served_and_used_at_once() {
    let hub = start().await;
    let before = hub.public().catalogue().await.unwrap();
    assert_eq!(before.version, 1);
    assert!(before
        .matters
        .iter()
        .all(|m| m.code != "residence_permit_renewal"));
    let centre = mz_hub::demo::dept_code("gov_ts").to_string();
    let audited = hub.audited("catalogue_imported").await;
    let done = hub
        .import_catalogue(|f| f.matters.push(residence_permit_renewal(&centre)))
        .await
        .unwrap();
    assert_eq!((done.version, done.new), (2, true));
    assert_eq!(hub.audited("catalogue_imported").await, audited + 1);
    let after = hub.public().catalogue().await.unwrap();
    assert_eq!(after.version, 2);
    assert!(after
        .matters
        .iter()
        .any(|m| m.code == "residence_permit_renewal"));
    // The service centre's counter asks for the new matter; the holder is prompted.
    let holder = hub.holder("zhang_wei").await;
    let (counter, _) = hub.terminal("ts_counter").await;
    let request = hub
        .identity_request(&holder, &counter, "residence_permit_renewal", &["id_card"])
        .await;
    let pending = holder.pending_requests().await.unwrap();
    assert!(pending
        .iter()
        .any(|r| r.request_id == request && r.matter_name == "居住证续签"));
}

#[tokio::test]
async fn a_department_taken_off_a_matter_is_refused_it_at_once() {
    let hub = start().await;
    let holder = hub.holder("zhang_wei").await;
    let (counter, _) = hub.terminal("ts_counter").await;
    hub.identity_request(&holder, &counter, "general_counter_service", &["id_card"])
        .await;
    let centre = mz_hub::demo::dept_code("gov_ts").to_string();
    hub.import_catalogue(|f| {
        matter(f, "general_counter_service")
            .handled_by
            .retain(|d| *d != centre)
    })
    .await
    .unwrap();
    let code = hub.code(&holder, mz_core::codes::Scope::Identity).await;
    let red = counter.redeem(&code).await.unwrap();
    let refused = ask(
        &counter,
        &red.redemption_id,
        "general_counter_service",
        &["id_card"],
    )
    .await;
    assert_eq!(code_of(refused.unwrap_err()), "matter_not_handled");
}

#[tokio::test]
async fn the_same_file_again_changes_nothing() {
    let hub = start().await;
    let before = hub.fingerprint().await;
    let done = hub.import_catalogue(|_| {}).await.unwrap();
    assert_eq!((done.version, done.new), (1, false));
    assert_eq!(hub.fingerprint().await, before);
}

/// A change to the demo catalogue.
type Edit = Box<dyn FnOnce(&mut CatalogueFile)>;

/// Each of these is refused whole: the version, the audit chain and the served catalogue stay.
#[tokio::test]
async fn a_catalogue_with_a_mistake_is_refused_and_changes_nothing() {
    let hub = start().await;
    let before = hub.fingerprint().await;
    let stranger = mz_core::ids::Uscc::from_parts(
        "11",
        &mz_core::ids::RegionCode::parse("421281").unwrap(),
        "99999999",
    )
    .unwrap()
    .to_string();
    let edits: Vec<(&str, Edit)> = vec![
        (
            "not registered here",
            Box::new(move |f| matter(f, "elderly_allowance").handled_by.push(stranger)),
        ),
        (
            "has certificates issued",
            Box::new(|f| {
                f.cert_types.retain(|t| t.code != "marriage_cert");
                for m in &mut f.matters {
                    m.materials
                        .retain(|x| x.replaced_by.as_deref() != Some("marriage_cert"));
                }
            }),
        ),
        (
            "cannot change it to 998",
            Box::new(|f| f.cert_types[0].no = 998),
        ),
        (
            "names unknown type",
            Box::new(|f| f.matters[0].materials[0].replaced_by = Some("passport".into())),
        ),
    ];
    for (why, edit) in edits {
        let e = hub.import_catalogue(edit).await.unwrap_err();
        assert_eq!(e.code().as_str(), "malformed", "{why}");
        assert!(e.to_string().contains(why), "{why}: {e}");
    }
    assert_eq!(hub.fingerprint().await, before);
    assert_eq!(hub.public().catalogue().await.unwrap().version, 1);
}

/// The operator's command, on the serving hub's database: checked, imported, then exported as
/// it stands; a broken file is refused with the problem named and a failing exit.
#[tokio::test]
async fn the_operators_command_imports_and_exports() {
    let hub = start().await;
    let bin = env!("CARGO_BIN_EXE_mz-hub");
    let run = |args: &[&str]| std::process::Command::new(bin).args(args).output().unwrap();
    let import = |path: &std::path::Path| {
        run(&[
            "catalogue",
            "import",
            "--db",
            &hub.db_url,
            path.to_str().unwrap(),
        ])
    };
    let dir = tempfile::tempdir().unwrap();
    let mut file = mz_core::catalogue::Catalogue::demo().file().clone();
    let centre = mz_hub::demo::dept_code("gov_ts").to_string();
    file.matters.push(residence_permit_renewal(&centre));
    let path = dir.path().join("next.json");
    std::fs::write(&path, serde_json::to_string_pretty(&file).unwrap()).unwrap();
    let out = import(&path);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("catalogue version 2 imported"), "{said}");
    let out = run(&["catalogue", "export", "--db", &hub.db_url]);
    let exported: CatalogueFile = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(exported, file);

    std::fs::write(
        &path,
        "{\"format\": \"mianzheng-catalogue/1\", \"name\": \"x\"}",
    )
    .unwrap();
    let out = import(&path);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing field `cert_types`"));
    hub.clock.advance(1);
    assert_eq!(hub.public().catalogue().await.unwrap().version, 2);
}
