//! Event streams carry ids: a counter that reconnects with `Last-Event-ID` gets the events it
//! missed, and one the hub cannot resume is told to `resync` (read the state again).

mod common;
use common::start;
use mz_core::api::PushEvent;
use mz_softkey::SoftKey;
use std::sync::Arc;

/// A signed GET of the terminal's event stream, from `last` if given.
async fn stream(hub: &common::Hub, key: &SoftKey, nonce: &str, last: Option<&str>) -> Events {
    let path = "/v1/terminal/events";
    let headers = mz_core::reqsig::sign(key, "GET", path, b"", hub.clock_now(), nonce).unwrap();
    let mut req = reqwest::Client::new().get(format!("{}{path}", hub.base));
    for (k, v) in headers {
        req = req.header(k, v);
    }
    if let Some(id) = last {
        req = req.header("last-event-id", id);
    }
    let resp = req.send().await.unwrap();
    assert_eq!(resp.status(), 200);
    Events {
        resp,
        text: String::new(),
    }
}

/// An event stream read one event at a time, as `(event, id)` (keep-alive comments skipped).
struct Events {
    resp: reqwest::Response,
    text: String,
}

impl Events {
    async fn next(&mut self) -> (String, Option<String>) {
        // A bound, not a wait: an event that never comes (keep-alives only) fails the test.
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            if let Some(end) = self.text.find("\n\n") {
                let block: String = self.text.drain(..end + 2).collect();
                let field = |name: &str| {
                    block
                        .lines()
                        .find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_string()))
                };
                if let Some(event) = field("event:") {
                    return (event, field("id:"));
                }
                continue;
            }
            let chunk = tokio::time::timeout_at(deadline, self.resp.chunk())
                .await
                .expect("an event within 30 s")
                .unwrap()
                .expect("the stream goes on");
            self.text.push_str(std::str::from_utf8(&chunk).unwrap());
        }
    }
}

/// The holder decides a new request of the counter: an `auth_decided` pushed to it.
async fn decided(hub: &common::Hub, counter: &mz_client::Client, holder: &mz_client::Client) {
    let id = hub
        .identity_request(holder, counter, "housing_fund_withdrawal", &["id_card"])
        .await;
    holder.decide(&id, &["id_card"]).await.unwrap();
}

#[tokio::test]
async fn a_counter_reconnecting_with_its_last_event_id_gets_what_it_missed_or_a_resync() {
    let hub = start().await;
    let key = Arc::new(SoftKey::generate());
    let counter = hub.client(key.clone());
    let (_, code) = hub.terminals["fund_counter"].clone();
    counter.enrol_terminal(&code).await.unwrap();
    let holder = hub.holder("zhang_wei").await;
    let mut first = stream(&hub, &key, "resume-nonce-0001", None).await;
    assert_eq!(first.next().await, ("ready".into(), None));
    decided(&hub, &counter, &holder).await;
    let (kind, last) = first.next().await;
    assert_eq!(kind, "auth_decided");
    drop(first);
    // While the counter is away, another decision.
    decided(&hub, &counter, &holder).await;
    let mut back = stream(&hub, &key, "resume-nonce-0002", last.as_deref()).await;
    assert_eq!(back.next().await.0, "ready");
    let (kind, id) = back.next().await;
    assert_eq!(kind, "auth_decided", "the missed event comes first");
    assert!(id.is_some() && id != last, "with its own id");
    // An id the hub cannot resume from: resync, with the current id.
    let mut lost = stream(&hub, &key, "resume-nonce-0003", Some("elsewhere.7")).await;
    assert_eq!(lost.next().await.0, "ready");
    let (kind, id) = lost.next().await;
    assert_eq!(kind, "resync");
    assert!(id.is_some(), "resync carries the current id");
}

#[tokio::test]
async fn the_rust_client_resumes_its_stream_where_it_left_off() {
    let hub = start().await;
    let holder = hub.holder("zhang_wei").await;
    let (counter, _) = hub.terminal("fund_counter").await;
    let mut events = Box::pin(holder.holder_events().await.unwrap());
    common::ready(&mut events).await;
    let first = hub
        .identity_request(&holder, &counter, "housing_fund_withdrawal", &["id_card"])
        .await;
    let PushEvent::AuthRequest { request } = common::next_event(&mut events).await else {
        panic!("the prompt")
    };
    assert_eq!(request.request_id, first);
    drop(events);
    // Pushed while the phone was away (a tunnel, a lift).
    let missed = hub
        .identity_request(&holder, &counter, "housing_fund_withdrawal", &["id_card"])
        .await;
    let mut again = Box::pin(holder.holder_events().await.unwrap());
    common::ready(&mut again).await;
    let PushEvent::AuthRequest { request } = common::next_event(&mut again).await else {
        panic!("the missed prompt")
    };
    assert_eq!(request.request_id, missed);
}
