//! Kiosk sessions (security review M-4): a login code relayed later logs no one in, and a
//! logged-in session ends on the hub after its idle limit, not only on the page.

mod common;

use common::{code_of, start, Hub};
use mz_client::Client;
use mz_core::codes::LoginCodeBody;
use mz_core::flow::{KIOSK_IDLE_SECS, LOGIN_CODE_FRESH_SECS};

/// 吴芳's wallet has read the login code of a new session of the 通山 kiosk: (her wallet, the
/// kiosk, the session id, what she would approve).
async fn scanned_login(hub: &Hub) -> (Client, Client, String, LoginCodeBody) {
    let holder = hub.holder("wu_fang").await;
    let (kiosk, kiosk_id) = hub.terminal("ts_kiosk").await;
    let s = kiosk.open_login().await.unwrap();
    let code = kiosk
        .login_code(hub.region(), &kiosk_id, &s.session_id)
        .unwrap();
    let (body, _) = holder.check_login_code(&code).await.unwrap();
    (holder, kiosk, s.session_id, body)
}

#[tokio::test]
async fn a_login_code_photographed_and_approved_later_logs_no_one_in() {
    let hub = start().await;
    let (holder, kiosk, session, body) = scanned_login(&hub).await;
    hub.clock.advance(LOGIN_CODE_FRESH_SECS + 1);
    let before = hub.fingerprint().await;
    assert_eq!(
        code_of(holder.approve_login(&body).await.unwrap_err()),
        "expired"
    );
    assert_eq!(hub.fingerprint().await, before);
    assert_eq!(
        kiosk.login_session(&session).await.unwrap().state,
        "waiting"
    );
}

#[tokio::test]
async fn an_idle_logged_in_session_ends_on_the_hub() {
    let hub = start().await;
    let (holder, kiosk, session, body) = scanned_login(&hub).await;
    holder.approve_login(&body).await.unwrap();
    // Used within the idle limit, it stays open.
    hub.clock.advance(KIOSK_IDLE_SECS - 10);
    kiosk
        .session_request(&session, "social_security_query", false)
        .await
        .unwrap();
    hub.clock.advance(KIOSK_IDLE_SECS - 10);
    assert_eq!(
        kiosk.login_session(&session).await.unwrap().state,
        "logged_in"
    );
    // Left idle past the limit, the hub ends it: nothing more can be asked in it.
    hub.clock.advance(20);
    assert_eq!(
        kiosk.login_session(&session).await.unwrap().state,
        "expired"
    );
    let before = hub.fingerprint().await;
    assert_nobody_logged_in(&kiosk, &session).await;
    assert_eq!(hub.fingerprint().await, before);
}

#[tokio::test]
async fn removing_the_device_that_logged_in_ends_the_kiosk_session() {
    let hub = start().await;
    let (holder, kiosk, session, body) = scanned_login(&hub).await;
    holder.approve_login(&body).await.unwrap();
    assert_eq!(
        kiosk.login_session(&session).await.unwrap().state,
        "logged_in"
    );
    let id = mz_hub::demo::person("wu_fang").id;
    hub.identity_desk()
        .await
        .remove_devices_at_counter(id.as_str())
        .await
        .unwrap();
    assert_eq!(kiosk.login_session(&session).await.unwrap().state, "ended");
    assert_nobody_logged_in(&kiosk, &session).await;
}

/// The kiosk cannot ask for certificates in `session`: nobody is logged in to it.
async fn assert_nobody_logged_in(kiosk: &Client, session: &str) {
    let refused = kiosk
        .session_request(session, "social_security_query", false)
        .await
        .unwrap_err();
    assert_eq!(code_of(refused), "not_logged_in");
}
