//! A signed request captured before a restart cannot be replayed after it (security review
//! L-1, trust item 12): the nonces seen before are gone with the old process, so a request
//! signed before the process started is refused.

mod common;

use common::{demo_id, start};

use mz_hub::AppState;
use mz_softkey::SoftKey;
use std::sync::Arc;

#[tokio::test]
async fn a_request_captured_before_a_restart_is_refused_after_it() {
    let hub = start().await;
    let key = Arc::new(SoftKey::generate());
    let device = hub.client(key.clone());
    let id = demo_id("zhang_wei");
    let enrolled = device.enrol(id.as_str(), "张伟", "phone").await.unwrap();
    let desk = hub.identity_desk().await;
    desk.confirm_device(&enrolled.counter_code, id.as_str())
        .await
        .unwrap();
    // The attacker captures a signed GET on its way to the hub.
    let ts = hub.clock_now();
    let nonce = "00112233445566778899aabbccddeeff";
    let headers = mz_core::reqsig::sign(key.as_ref(), "GET", "/v1/me", b"", ts, nonce).unwrap();
    let send = |base: String| {
        let headers = headers.clone();
        async move {
            let mut req = reqwest::Client::new().get(format!("{base}/v1/me"));
            for (k, v) in headers {
                req = req.header(k, v);
            }
            req.send().await.unwrap()
        }
    };
    assert_eq!(send(hub.base.clone()).await.status(), 200);
    // The hub restarts two seconds later: a new process on the same database.
    hub.clock.advance(2);
    let hub_key = SoftKey::from_pkcs8(hub.state.hub_key.pkcs8()).unwrap();
    let restarted = AppState::load(hub.db.clone(), hub.clock.clone(), hub_key)
        .await
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(mz_hub::serve(listener, restarted));
    let replayed = send(base.clone()).await;
    assert_eq!(replayed.status(), 401);
    let body: serde_json::Value = replayed.json().await.unwrap();
    assert_eq!(body["code"], "stale_request");
    // A request signed now is served.
    let again = mz_client::Client::new(&base)
        .with_signer(key.clone())
        .with_clock(Arc::new({
            let c = hub.clock.clone();
            move || mz_hub::Clock::now(c.as_ref())
        }));
    assert_eq!(again.me().await.unwrap().name, "张伟");
}
