//! Entitled requesters (security review M-2): a terminal asks only for the matters its
//! department handles; a kiosk cannot act as a counter (it works through its login sessions,
//! for self-service matters).

mod common;

use common::{code_of, start};
use mz_core::codes::Scope;

#[tokio::test]
async fn a_counter_asks_only_for_matters_its_department_handles() {
    let hub = start().await;
    let holder = hub.holder("zhang_wei").await;
    // The housing fund centre's counter picks the general counter matter, to ask for a
    // marriage certificate and a property title: refused, nothing changes.
    let (fund, _) = hub.terminal("fund_counter").await;
    let h = holder.handles(2).await.unwrap();
    let code = holder
        .holder_code(hub.region(), h[0], Scope::Identity)
        .unwrap();
    let red = fund.redeem(&code).await.unwrap();
    let before = hub.fingerprint().await;
    let types = ["marriage_cert", "property_cert"];
    let e = fund
        .request_authorization(&red.redemption_id, "general_counter_service", &types, false)
        .await
        .unwrap_err();
    assert_eq!(
        (e.status(), e.code()),
        (Some(403), Some("matter_not_handled"))
    );
    assert_eq!(hub.fingerprint().await, before);
    // Its own matter is fine.
    fund.request_authorization(&red.redemption_id, "housing_fund_withdrawal", &types, false)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_kiosk_cannot_redeem_or_ask_as_a_counter() {
    let hub = start().await;
    let holder = hub.holder("zhang_wei").await;
    let (kiosk, _) = hub.terminal("ts_kiosk").await;
    let h = holder.handles(1).await.unwrap();
    let code = holder
        .holder_code(hub.region(), h[0], Scope::Identity)
        .unwrap();
    let before = hub.fingerprint().await;
    assert_eq!(
        code_of(kiosk.redeem(&code).await.unwrap_err()),
        "wrong_role"
    );
    let e = kiosk
        .request_authorization(
            "0b9f3c1e-5d2a-4e8f-9a7b-123456789abc",
            "general_counter_service",
            &["id_card"],
            false,
        )
        .await
        .unwrap_err();
    assert_eq!(code_of(e), "wrong_role");
    assert_eq!(hub.fingerprint().await, before);
}
