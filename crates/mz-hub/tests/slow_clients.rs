//! Slow and idle connections are closed (security review M-6, trust item 12): a client that
//! connects and sends no request's headers within the limit is disconnected, so such sockets
//! cannot pile up until the hub runs out of file descriptors; ordinary clients are served.

mod common;

use common::{code_of, start};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn a_connection_that_sends_no_headers_in_time_is_closed() {
    let hub = start().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = mz_hub::router(hub.state.clone());
    let limit = Duration::from_millis(300);
    tokio::spawn(mz_hub::http::server::run_with(
        listener,
        app,
        std::future::pending(),
        limit,
    ));
    // Silent: connects, sends half a request line, then nothing.
    let started = Instant::now();
    let mut silent = tokio::net::TcpStream::connect(addr).await.unwrap();
    silent.write_all(b"GET /v1/hub HTTP/1.1\r\n").await.unwrap();
    let mut rest = Vec::new();
    // The hub closes it (this read ends when the socket does; it does not wait on a timer).
    let read = tokio::time::timeout(Duration::from_secs(30), silent.read_to_end(&mut rest)).await;
    assert!(
        read.is_ok(),
        "the hub kept a silent connection open for 30 s"
    );
    assert!(started.elapsed() >= limit);
    // An ordinary client is served meanwhile and after.
    let info: serde_json::Value = reqwest::get(format!("http://{addr}/v1/hub"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["region"], "421200");
}

/// Unauthenticated requests never queue behind the writers: an unknown terminal enrolment code
/// (anyone can send one) is refused while a writer holds the gate (it waited for it before).
#[tokio::test]
async fn an_unknown_enrolment_code_is_refused_without_the_write_gate() {
    let hub = start().await;
    let stranger = hub.client(std::sync::Arc::new(mz_softkey::SoftKey::generate()));
    let held = hub.db.write_gate.clone().lock_owned().await;
    let answer = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        stranger.enrol_terminal("ABCD-EFGH-JKLM-NPQR"),
    )
    .await
    .expect("answered while a writer held the gate");
    assert_eq!(code_of(answer.unwrap_err()), "bad_enrolment_code");
    drop(held);
}

/// Bodies that stall hold no more than the budget: once one address has 16 MiB of bodies
/// arriving, its next body is refused at once (`server_busy`) without being read; requests
/// without a body are served; the budget comes back when the stalled clients go.
#[tokio::test]
async fn stalled_bodies_hold_no_more_than_the_budget() {
    let hub = start().await;
    let addr = hub.base.trim_start_matches("http://").to_string();
    let body = 250 * 1024;
    let fits = mz_hub::bodies::PER_ADDRESS / body;
    let stall = |a: String| async move {
        let mut s = tokio::net::TcpStream::connect(&a).await.unwrap();
        let head = format!("POST /v1/enrol HTTP/1.1\r\nHost: {a}\r\nContent-Type: application/json\r\nContent-Length: {body}\r\n\r\n");
        s.write_all(head.as_bytes()).await.unwrap();
        s.write_all(&[b' '; 1024]).await.unwrap();
        s
    };
    let mut held = Vec::new();
    for _ in 0..fits {
        held.push(stall(addr.clone()).await);
    }
    while hub.state.bodies.in_flight() < fits * body {
        tokio::task::yield_now().await;
    }
    // One more from the same address: answered at once, its body never read.
    let mut extra = stall(addr.clone()).await;
    let mut answer = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(10), extra.read(&mut answer))
        .await
        .expect("answered at once")
        .unwrap();
    let text = String::from_utf8_lossy(&answer[..n]);
    assert!(text.starts_with("HTTP/1.1 503"), "{text}");
    assert!(text.contains("server_busy"), "{text}");
    // A request without a body is served meanwhile.
    let c = mz_client::Client::new(&hub.base);
    c.hub_info().await.unwrap();
    // The stalled clients go: the budget comes back.
    drop(held);
    while hub.state.bodies.in_flight() > 0 {
        tokio::task::yield_now().await;
    }
}
