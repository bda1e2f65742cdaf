//! An approval is released within its window and only while what it rests on holds (security
//! review M-3): a terminal that keeps an approval gets nothing later, and a grant revoked after
//! the agent's request releases nothing and cannot be approved under.

mod common;

use common::{code_of, start, Hub};
use mz_client::Client;
use mz_core::codes::{Principal, Scope};
use mz_core::flow::RELEASE_SECS;
use mz_hub::demo;

const DAY: i64 = 86_400;

/// 陈建国 lets 赵敏 use his crane operator certificate; 赵敏's delegated code is redeemed at the
/// housing counter, which asks for it. Returns (principal, agent, counter, grant id, request id).
async fn delegated_request(hub: &Hub) -> (Client, Client, Client, String, String) {
    let principal = hub.holder("chen_jianguo").await;
    let agent = hub.holder("zhao_min").await;
    let (counter, _) = hub.terminal("housing_counter").await;
    let zm = demo::person("zhao_min");
    let pid = demo::person("chen_jianguo").id;
    let t0 = hub.clock_now();
    let grant = principal
        .grant(
            Principal::Person(pid.to_string()),
            zm.id.as_str(),
            zm.name,
            &["special_equipment_operator"],
            &[],
            t0,
            t0 + 7 * DAY,
        )
        .await
        .unwrap();
    let grant16: [u8; 16] = *uuid::Uuid::parse_str(&grant.grant_id).unwrap().as_bytes();
    let h = agent.handles(1).await.unwrap();
    let scope = Scope::Delegated {
        grant: grant16,
        cert_type: 10,
    };
    let code = agent.holder_code(hub.region(), h[0], scope).unwrap();
    let red = counter.redeem(&code).await.unwrap();
    let types = ["special_equipment_operator"];
    let req = counter
        .request_authorization(&red.redemption_id, "crane_use_registration", &types, false)
        .await
        .unwrap();
    (principal, agent, counter, grant.grant_id, req.request_id)
}

/// The agent approves the crane operator certificate.
async fn approve(agent: &Client, req: &str) {
    agent
        .decide(req, &["special_equipment_operator"])
        .await
        .unwrap();
}

#[tokio::test]
async fn an_approval_kept_past_its_window_releases_nothing() {
    let hub = start().await;
    let (_, agent, counter, _, req) = delegated_request(&hub).await;
    approve(&agent, &req).await;
    hub.clock.advance(RELEASE_SECS + 1);
    let before = hub.fingerprint().await;
    assert_eq!(code_of(counter.release(&req).await.unwrap_err()), "expired");
    assert_eq!(hub.fingerprint().await, before);
    assert_eq!(hub.audited("release").await, 0);
}

#[tokio::test]
async fn a_grant_revoked_after_the_approval_releases_nothing() {
    let hub = start().await;
    let (principal, agent, counter, grant, req) = delegated_request(&hub).await;
    approve(&agent, &req).await;
    principal.revoke_grant(&grant).await.unwrap();
    assert_eq!(
        code_of(counter.release(&req).await.unwrap_err()),
        "grant_revoked"
    );
    assert_eq!(hub.audited("release").await, 0);
}

#[tokio::test]
async fn an_agent_cannot_approve_under_a_grant_revoked_since_the_request() {
    let hub = start().await;
    let (principal, agent, counter, grant, req) = delegated_request(&hub).await;
    principal.revoke_grant(&grant).await.unwrap();
    let before = hub.fingerprint().await;
    assert_eq!(
        code_of(
            agent
                .decide(&req, &["special_equipment_operator"])
                .await
                .unwrap_err()
        ),
        "grant_revoked"
    );
    assert_eq!(hub.fingerprint().await, before);
    // Refusing stays possible.
    agent.decide(&req, &[]).await.unwrap();
    assert_eq!(code_of(counter.release(&req).await.unwrap_err()), "refused");
}

#[tokio::test]
async fn within_its_window_the_approval_releases_what_was_approved() {
    let hub = start().await;
    let (_, agent, counter, _, req) = delegated_request(&hub).await;
    approve(&agent, &req).await;
    hub.clock.advance(RELEASE_SECS - 5);
    let got = counter.release(&req).await.unwrap();
    let types: Vec<&str> = got
        .certificates
        .iter()
        .map(|c| c.certificate.body.type_code.as_str())
        .collect();
    assert_eq!(types, ["special_equipment_operator"]);
}

/// The market bureau issues 陈建国 a second crane operator certificate (T0777).
async fn second_operator_certificate(hub: &Hub) -> mz_core::cert::Certificate {
    let cj = demo::person("chen_jianguo");
    let t = mz_core::catalogue::Catalogue::demo()
        .cert_type("special_equipment_operator")
        .unwrap();
    let issuer = demo::dept_code("market");
    let today = hub.state.today();
    let body = mz_core::cert::CertificateBody {
        license_id: mz_core::ids::LicenseId::new(&t.type_code(), &issuer, "T0777", 1).unwrap(),
        name: t.name.clone(),
        type_code: t.code.clone(),
        number: "特种设备-T0777".into(),
        issuer_name: "咸宁市市场监督管理局".into(),
        issuer_code: issuer.clone(),
        issue_date: today,
        holder_name: cj.name.into(),
        holder_code: cj.id.to_string(),
        holder_code_type: mz_core::cert::HolderIdType::IdNumber,
        valid_from: today,
        valid_to: Some(today + chrono::Duration::days(365)),
        face: [("作业项目".to_string(), "Q1 起重机司机".to_string())]
            .into_iter()
            .collect(),
        disclosable: false,
    };
    let later = body.seal(&hub.depts["market"].seal).unwrap();
    hub.department("market").issue(later.clone()).await.unwrap();
    later
}

#[tokio::test]
async fn a_certificate_issued_after_the_request_is_not_released_with_it() {
    let hub = start().await;
    let (_, agent, counter, _, req) = delegated_request(&hub).await;
    // The market bureau issues 陈建国 a second operator certificate after the request was made.
    let later = second_operator_certificate(&hub).await;
    approve(&agent, &req).await;
    let got = counter.release(&req).await.unwrap();
    let ids: Vec<&str> = got
        .certificates
        .iter()
        .map(|c| c.certificate.body.license_id.as_str())
        .collect();
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert_ne!(ids[0], later.body.license_id.as_str());
}

#[tokio::test]
async fn a_lost_phones_approval_not_yet_released_is_withdrawn_when_the_phone_is_removed() {
    let hub = start().await;
    let (_, agent, counter, _, req) = delegated_request(&hub).await;
    approve(&agent, &req).await;
    // The phone was lost (the approval came from whoever holds it): the person has every
    // device removed at a counter before the terminal fetched the certificates.
    let zm = demo::person("zhao_min");
    let desk = hub.identity_desk().await;
    desk.remove_devices_at_counter(zm.id.as_str())
        .await
        .unwrap();
    assert_eq!(
        code_of(counter.release(&req).await.unwrap_err()),
        "approval_withdrawn"
    );
    assert_eq!(hub.audited("release").await, 0);
}

#[tokio::test]
async fn a_show_code_for_one_of_two_certificates_of_a_type_reaches_that_one_only() {
    let hub = start().await;
    second_operator_certificate(&hub).await;
    let holder = hub.holder("chen_jianguo").await;
    let (counter, _) = hub.terminal("housing_counter").await;
    let mine: Vec<_> = holder
        .certificates()
        .await
        .unwrap()
        .into_iter()
        .filter(|v| v.certificate.body.type_code == "special_equipment_operator")
        .collect();
    assert_eq!(mine.len(), 2);
    let shown = &mine[1];
    let h = holder.handles(1).await.unwrap();
    let scope = Scope::Certificate {
        cert_type: shown.type_no,
        ordinal: shown.ordinal,
    };
    let code = holder.holder_code(hub.region(), h[0], scope).unwrap();
    let red = counter.redeem(&code).await.unwrap();
    assert_eq!(red.available.len(), 1);
    assert_eq!(red.available[0].count, 1);
    let req = counter
        .request_authorization(
            &red.redemption_id,
            "crane_use_registration",
            &["special_equipment_operator"],
            false,
        )
        .await
        .unwrap();
    holder
        .decide(&req.request_id, &["special_equipment_operator"])
        .await
        .unwrap();
    let got = counter.release(&req.request_id).await.unwrap();
    let ids: Vec<&str> = got
        .certificates
        .iter()
        .map(|c| c.certificate.body.license_id.as_str())
        .collect();
    assert_eq!(ids, [shown.certificate.body.license_id.as_str()]);
}
