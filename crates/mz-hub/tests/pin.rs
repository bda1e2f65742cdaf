//! The PIN counted on the hub (trust issue, item 10): a device that set a PIN has its approvals
//! accepted only shortly after a correct PIN, and five wrong ones lock them by the hub's clock.

mod common;

use common::{code_of, start, Hub};
use mz_client::Client;
use mz_core::api::PinOutcome;
use mz_hub::service::pin::{PIN_LOCK_SECS, PIN_OK_SECS, PIN_TRIES};

/// 李娜's phone with PIN 135790 on the hub, and a request for her 居民身份证 waiting.
async fn with_request(hub: &Hub) -> (Client, Client, String) {
    let holder = hub.holder("li_na").await;
    holder.set_pin("135790", None).await.unwrap();
    let (counter, _) = hub.terminal("ts_counter").await;
    let req = hub
        .identity_request(&holder, &counter, "general_counter_service", &["id_card"])
        .await;
    (holder, counter, req)
}

#[tokio::test]
async fn an_approval_without_a_fresh_pin_is_refused_by_the_hub() {
    let hub = start().await;
    let (holder, _, req) = with_request(&hub).await;
    // A client that skips the PIN (a stolen unlocked key, a modified app) is refused.
    hub.clock.advance(PIN_OK_SECS + 1);
    let before = hub.fingerprint().await;
    assert_eq!(
        code_of(holder.decide(&req, &["id_card"]).await.unwrap_err()),
        "pin_required"
    );
    assert_eq!(hub.fingerprint().await, before);
    // Refusing needs no PIN; approving after a correct one is accepted.
    let ok = holder.check_pin("135790").await.unwrap();
    assert_eq!(ok.outcome, PinOutcome::Correct);
    holder.decide(&req, &["id_card"]).await.unwrap();
}

#[tokio::test]
async fn five_wrong_pins_lock_approvals_until_the_hubs_clock_says_so() {
    let hub = start().await;
    let (holder, _, req) = with_request(&hub).await;
    for left in (1..PIN_TRIES).rev() {
        let r = holder.check_pin("111111").await.unwrap();
        assert_eq!((r.outcome, r.tries_left as i64), (PinOutcome::Wrong, left));
    }
    let r = holder.check_pin("111111").await.unwrap();
    assert_eq!(
        (r.outcome, r.locked_for_secs),
        (PinOutcome::Locked, PIN_LOCK_SECS)
    );
    assert_eq!(hub.audited("pin_locked").await, 1);
    // The right PIN is refused while locked, and so is every approval.
    let r = holder.check_pin("135790").await.unwrap();
    assert_eq!(r.outcome, PinOutcome::Locked);
    assert_eq!(
        code_of(holder.decide(&req, &["id_card"]).await.unwrap_err()),
        "pin_locked"
    );
    // Refusing stays possible (it can only give less).
    holder.decide(&req, &[]).await.unwrap();
    hub.clock.advance(PIN_LOCK_SECS + 1);
    assert_eq!(
        holder.check_pin("135790").await.unwrap().outcome,
        PinOutcome::Correct
    );
}

#[tokio::test]
async fn changing_the_pin_needs_the_current_one_and_a_wrong_one_counts() {
    let hub = start().await;
    let (holder, _, _) = with_request(&hub).await;
    let r = holder.set_pin("000000", Some("999999")).await.unwrap();
    assert_eq!((r.outcome, r.tries_left), (PinOutcome::Wrong, 4));
    assert_eq!(
        holder.check_pin("000000").await.unwrap().outcome,
        PinOutcome::Wrong
    );
    holder.set_pin("000000", Some("135790")).await.unwrap();
    assert_eq!(
        holder.check_pin("000000").await.unwrap().outcome,
        PinOutcome::Correct
    );
    // A verifier that is not one is refused and changes nothing.
    let e = holder
        .post_raw_json("/v1/me/pin/check", &serde_json::json!({ "proof": "short" }))
        .await
        .unwrap_err();
    assert_eq!(code_of(e), "bad_pin_verifier");
}
