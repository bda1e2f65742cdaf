//! Staff-initiated lookups (统一受理; seeds 000, 001 公积金, 003 入学): a counter enters an ID
//! number or a 统一社会信用代码 with the registered name and asks for a matter's certificates.
//! The holder, or the enterprise's legal representative, is prompted on their phone; nothing is
//! released before they approve, except certificates the catalogue marks disclosable. Knowing
//! someone's ID number and name is not enough to be answered: the caller must be a registered
//! counter of a department that handles the matter, and wrong names are limited.

mod common;

use common::*;
use mz_hub::demo;

/// The service centre's counter looks 张伟 up for his ID card (general counter service).
async fn look_up_zhang_wei(
    counter: &mz_client::Client,
) -> Result<mz_core::api::AuthRequestView, mz_client::ClientError> {
    let p = demo::person("zhang_wei");
    counter
        .staff_lookup(
            p.id.as_str(),
            p.name,
            "general_counter_service",
            &["id_card"],
        )
        .await
}

fn enterprise(key: &str) -> (String, &'static str) {
    let name = match key {
        "bianmin" => "通山县吴芳便民超市",
        "xinda" => "咸宁市鑫达建筑工程有限公司",
        _ => unreachable!(),
    };
    (demo::enterprise_code(key).to_string(), name)
}

#[tokio::test]
async fn a_person_looked_up_approves_on_their_phone_before_anything_is_released() {
    let hub = start().await;
    let holder = hub.holder("zhang_wei").await;
    let (counter, _) = hub.terminal("ts_counter").await;
    let p = demo::person("zhang_wei");
    let asked = look_up_zhang_wei(&counter).await.unwrap();
    assert_eq!(asked.state.as_str(), "pending");
    let pending = holder.pending_requests().await.unwrap();
    assert!(pending.iter().any(|r| r.request_id == asked.request_id));
    assert_eq!(
        code_of(counter.release(&asked.request_id).await.unwrap_err()),
        "not_decided"
    );
    holder
        .decide(&asked.request_id, &["id_card"])
        .await
        .unwrap();
    let released = counter.release(&asked.request_id).await.unwrap();
    assert_eq!(released.certificates.len(), 1);
    assert_eq!(released.subject.code, p.id.as_str());
    assert_eq!(hub.audited("lookup").await, 1);
}

#[tokio::test]
async fn an_enterprise_is_asked_through_its_legal_representative() {
    let hub = start().await;
    let rep = hub.holder("wu_fang").await;
    let (counter, _) = hub.terminal("ts_counter").await;
    let (uscc, name) = enterprise("bianmin");
    let types = ["business_licence", "trade_operating_licence"];
    let asked = counter
        .staff_lookup(&uscc, name, "startup_guarantee_loan", &types)
        .await
        .unwrap();
    assert_eq!(asked.state.as_str(), "pending");
    rep.decide(&asked.request_id, &types).await.unwrap();
    let released = counter.release(&asked.request_id).await.unwrap();
    let mut got: Vec<_> = released
        .certificates
        .iter()
        .map(|c| c.certificate.body.type_code.clone())
        .collect();
    got.sort();
    assert_eq!(got, types);
    assert_eq!(released.subject.code, uscc);
}

#[tokio::test]
async fn disclosable_certificates_are_released_without_a_prompt() {
    let hub = start().await;
    let rep = hub.holder("sun_qiang").await;
    let (counter, _) = hub.terminal("ts_counter").await;
    let (uscc, name) = enterprise("xinda");
    let asked = counter
        .staff_lookup(&uscc, name, "bidder_registration", &["business_licence"])
        .await
        .unwrap();
    assert_eq!(asked.state.as_str(), "approved");
    assert!(rep.pending_requests().await.unwrap().is_empty());
    let released = counter.release(&asked.request_id).await.unwrap();
    assert_eq!(released.certificates.len(), 1);
    let by: Vec<String> = sqlx::query_scalar("SELECT detail FROM audit WHERE event = 'approve'")
        .fetch_all(&hub.db.read)
        .await
        .unwrap();
    assert!(
        by.iter().any(|d| d.contains("\"by\":\"disclosable\"")),
        "{by:?}"
    );
}

/// 鑫达's legal representative has no wallet: its licences disclosed by law are released all
/// the same (no consent is needed), but its 项目审批 is not, and nobody is prompted.
#[tokio::test]
async fn without_a_phone_only_what_the_law_discloses_is_released() {
    let hub = start().await;
    let (counter, _) = hub.terminal("ts_counter").await;
    let (uscc, name) = enterprise("xinda");
    let matter = "construction_permit_application";
    let open = ["business_licence", "land_use_planning_permit"];
    let asked = counter
        .staff_lookup(&uscc, name, matter, &open)
        .await
        .unwrap();
    assert_eq!(asked.state.as_str(), "approved");
    assert_eq!(
        counter
            .release(&asked.request_id)
            .await
            .unwrap()
            .certificates
            .len(),
        2
    );
    let closed = ["business_licence", "project_approval"];
    let asked = counter.staff_lookup(&uscc, name, matter, &closed);
    refused_unchanged(&hub, "no_wallet", asked).await;
}

/// Asking for a certificate the person does not hold is refused, and nothing is recorded.
#[tokio::test]
async fn a_certificate_not_held_is_refused_and_nothing_is_recorded() {
    let hub = start().await;
    hub.holder("li_na").await;
    let (counter, _) = hub.terminal("ts_counter").await;
    let p = demo::person("li_na");
    let matter = "general_counter_service";
    let asked = counter.staff_lookup(p.id.as_str(), p.name, matter, &["property_cert"]);
    refused_unchanged(&hub, "not_held", asked).await;
}

/// An unknown person, a wrong name and an unknown enterprise get the same answer; after five
/// failures the counter's key is refused even with the right name.
#[tokio::test]
async fn wrong_names_get_one_answer_and_are_limited() {
    let hub = start().await;
    hub.holder("zhang_wei").await;
    let (counter, _) = hub.terminal("ts_counter").await;
    let before = hub.fingerprint().await;
    let p = demo::person("zhang_wei");
    let stranger = mz_core::ids::IdNumber::from_parts(
        &mz_core::ids::RegionCode::parse("421224").unwrap(),
        chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap(),
        999,
    )
    .unwrap();
    let (uscc, _) = enterprise("bianmin");
    let attempts = [
        (p.id.to_string(), "张三"),
        (stranger.to_string(), p.name),
        (uscc.clone(), "通山县某某超市"),
        (p.id.to_string(), "张 伟"),
        (uscc, p.name),
    ];
    for (subject, name) in attempts {
        let e = counter
            .staff_lookup(&subject, name, "general_counter_service", &["id_card"])
            .await
            .unwrap_err();
        assert_eq!(code_of(e), "identity_mismatch", "{name}");
    }
    let e = look_up_zhang_wei(&counter).await.unwrap_err();
    assert_eq!(code_of(e), "too_many_attempts");
    assert_eq!(hub.fingerprint().await, before);
}

#[tokio::test]
async fn a_person_without_a_confirmed_wallet_is_not_prompted() {
    let hub = start().await;
    let (counter, _) = hub.terminal("ts_counter").await;
    hub.pending_holder("li_na").await;
    for key in ["li_na", "he_li"] {
        let p = demo::person(key);
        let e = counter
            .staff_lookup(
                p.id.as_str(),
                p.name,
                "general_counter_service",
                &["id_card"],
            )
            .await
            .unwrap_err();
        assert_eq!(code_of(e), "no_wallet", "{key}");
    }
}

/// The rules of any request hold: a counter only, a matter its department handles, the matter's
/// certificates of the kind looked up.
#[tokio::test]
async fn only_a_counter_asks_for_what_its_department_handles() {
    let hub = start().await;
    hub.holder("zhang_wei").await;
    let p = demo::person("zhang_wei");
    let (kiosk, _) = hub.terminal("ts_kiosk").await;
    let (fund, _) = hub.terminal("fund_counter").await;
    let (counter, _) = hub.terminal("ts_counter").await;
    let cases = [
        (&kiosk, "general_counter_service", "id_card", "wrong_role"),
        (
            &fund,
            "general_counter_service",
            "id_card",
            "matter_not_handled",
        ),
        (
            &counter,
            "general_counter_service",
            "driving_licence",
            "not_needed_by_matter",
        ),
        (
            &counter,
            "constructor_registration",
            "business_licence",
            "wrong_subject",
        ),
    ];
    let before = hub.fingerprint().await;
    for (terminal, matter, cert, expected) in cases {
        let e = terminal
            .staff_lookup(p.id.as_str(), p.name, matter, &[cert])
            .await
            .unwrap_err();
        assert_eq!(code_of(e), expected, "{matter} {cert}");
    }
    assert_eq!(hub.fingerprint().await, before);
}
