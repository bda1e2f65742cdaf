//! A child at the counter (seed 003 义务教育阶段子女入学): staff look the child up by ID number
//! and name, naming the parent at the counter; the parent approves on their phone, and the
//! child's own certificates (出生医学证明, 户口簿) are released. Only a registered parent of a child
//! under 18 approves for them; naming anyone else, or a guardian for an adult, is refused and
//! records nothing.

mod common;

use common::*;
use mz_core::api::StaffLookupRequest;
use mz_hub::demo;

/// The school-enrolment lookup of 张小明 (9), naming `guardian` (a demo person's key) if any.
fn child_lookup(guardian: Option<&str>) -> StaffLookupRequest {
    let child = demo::person("zhang_xiaoming");
    StaffLookupRequest {
        subject: child.id.to_string(),
        name: child.name.into(),
        matter: "school_enrolment".into(),
        cert_types: vec!["birth_medical_cert".into(), "household_register".into()],
        archive: false,
        guardian: guardian.map(|k| demo::person(k).id.to_string()),
    }
}

#[tokio::test]
async fn the_parent_at_the_counter_approves_for_the_child_on_their_phone() {
    let hub = start().await;
    let father = hub.holder("zhang_wei").await;
    let mother = hub.holder("li_na").await;
    let (counter, _) = hub.terminal("ts_counter").await;
    let asked = counter
        .staff_lookup_as(&child_lookup(Some("zhang_wei")))
        .await
        .unwrap();
    // The father named is prompted, not the mother.
    let theirs =
        |r: Vec<mz_core::api::AuthRequestView>| r.iter().any(|x| x.request_id == asked.request_id);
    assert!(theirs(father.pending_requests().await.unwrap()));
    assert!(!theirs(mother.pending_requests().await.unwrap()));
    let refused = mother
        .decide(&asked.request_id, &["birth_medical_cert"])
        .await
        .unwrap_err();
    assert_eq!(code_of(refused), "not_found");
    father
        .decide(
            &asked.request_id,
            &["birth_medical_cert", "household_register"],
        )
        .await
        .unwrap();
    let released = counter.release(&asked.request_id).await.unwrap();
    let child = demo::person("zhang_xiaoming");
    assert_eq!(released.subject.code, child.id.as_str());
    let mut types: Vec<_> = released
        .certificates
        .iter()
        .map(|c| c.certificate.body.type_code.as_str())
        .collect();
    types.sort();
    assert_eq!(types, ["birth_medical_cert", "household_register"]);
    assert!(released
        .certificates
        .iter()
        .all(|c| c.certificate.body.holder_code == child.id.as_str()));
}

#[tokio::test]
async fn without_a_guardian_named_a_parent_with_a_wallet_approves() {
    let hub = start().await;
    let mother = hub.holder("li_na").await;
    let (counter, _) = hub.terminal("ts_counter").await;
    let asked = counter.staff_lookup_as(&child_lookup(None)).await.unwrap();
    let pending = mother.pending_requests().await.unwrap();
    assert!(pending.iter().any(|r| r.request_id == asked.request_id));
}

#[tokio::test]
async fn only_a_registered_parent_of_a_child_approves_for_them() {
    let hub = start().await;
    hub.holder("wu_fang").await;
    let (counter, _) = hub.terminal("ts_counter").await;
    // 吴芳 knows the child's ID number and name, and has a wallet: she is not his parent.
    let stranger = child_lookup(Some("wu_fang"));
    refused_unchanged(&hub, "not_guardian", counter.staff_lookup_as(&stranger)).await;
    // An adult has no guardian: 张伟's mother cannot be asked for through him.
    let mut adult = child_lookup(Some("zhang_wei"));
    let mother = demo::person("wang_xiuying");
    (adult.subject, adult.name) = (mother.id.to_string(), mother.name.into());
    adult.matter = "general_counter_service".into();
    adult.cert_types = vec!["id_card".into()];
    refused_unchanged(&hub, "not_guardian", counter.staff_lookup_as(&adult)).await;
    // Neither parent has a wallet: nobody to prompt.
    let nobody = child_lookup(None);
    refused_unchanged(&hub, "no_wallet", counter.staff_lookup_as(&nobody)).await;
}
