//! A call a client may retry answers the same the second time: a counter whose answer was lost
//! (a crash, a dropped connection) asks again and carries on, and nobody else gains anything.

mod common;
use common::{ask, code_of, start};
use mz_core::codes::Scope;

#[tokio::test]
async fn a_code_redeemed_again_by_the_same_counter_gives_the_same_redemption_and_to_no_one_else() {
    let hub = start().await;
    let holder = hub.holder("zhang_wei").await;
    let (counter, _) = hub.terminal("fund_counter").await;
    let (other, _) = hub.terminal("ts_counter").await;
    let code = hub.code(&holder, Scope::Identity).await;
    let first = counter.redeem(&code).await.unwrap();
    let again = counter.redeem(&code).await.unwrap();
    assert_eq!(again.redemption_id, first.redemption_id);
    assert_eq!(again.expires_at, first.expires_at);
    assert_eq!(again.available, first.available);
    assert_eq!(hub.audited("redeem").await, 1, "one redemption recorded");
    // The code seen by someone else is still used up for them.
    assert_eq!(
        code_of(other.redeem(&code).await.unwrap_err()),
        "code_already_used"
    );
    // Once a request was made on it, a code scanned again is a replay: refused.
    let fresh = &other;
    let used = hub.code(&holder, Scope::Identity).await;
    let red = fresh.redeem(&used).await.unwrap();
    ask(
        fresh,
        &red.redemption_id,
        "general_counter_service",
        &["id_card"],
    )
    .await
    .unwrap();
    assert_eq!(
        code_of(fresh.redeem(&used).await.unwrap_err()),
        "code_already_used"
    );
    // Once the redemption has ended, the same counter is refused too.
    hub.clock.advance(mz_core::flow::REDEMPTION_SECS + 1);
    let late = counter.redeem(&code).await.unwrap_err();
    assert_eq!(code_of(late), "expired");
}

#[tokio::test]
async fn a_request_made_again_on_the_same_redemption_is_the_same_request_and_a_different_one_is_refused(
) {
    let hub = start().await;
    let holder = hub.holder("zhang_wei").await;
    let (counter, _) = hub.terminal("fund_counter").await;
    let code = hub.code(&holder, Scope::Identity).await;
    let red = counter.redeem(&code).await.unwrap();
    let types = ["id_card", "marriage_cert", "id_card"];
    let matter = "housing_fund_withdrawal";
    let first = ask(&counter, &red.redemption_id, matter, &types)
        .await
        .unwrap();
    let again = ask(&counter, &red.redemption_id, matter, &types)
        .await
        .unwrap();
    assert_eq!(again.request_id, first.request_id);
    assert_eq!(
        hub.audited("auth_request").await,
        1,
        "one request, one prompt"
    );
    // Asking for something else on the same code is still refused.
    let other = ask(&counter, &red.redemption_id, matter, &["id_card"])
        .await
        .unwrap_err();
    assert_eq!(code_of(other), "redemption_used");
    let archived = counter
        .request_authorization(&red.redemption_id, matter, &types, true)
        .await
        .unwrap_err();
    assert_eq!(code_of(archived), "redemption_used");
    // Another terminal (the service centre's, which takes every matter) cannot read it by
    // retrying on the redemption.
    let (stranger, _) = hub.terminal("ts_counter").await;
    let err = ask(&stranger, &red.redemption_id, matter, &types)
        .await
        .unwrap_err();
    assert_eq!(code_of(err), "not_found");
}
