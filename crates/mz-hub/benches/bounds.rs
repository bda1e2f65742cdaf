//! `cargo bench -p mz-hub --bench bounds`: the trust issue's bounds (item 12), measured from
//! outside against `mz-hub serve` in a process of its own: a control client's latency and the
//! hub's resident memory while clients misbehave, and the replay-nonce store's cost per check as
//! it fills. The figures before the fixes are the security review's (at e7eda6a); these are
//! after. Options (environment): MZ_BOUNDS_SOCKETS (default 2000), MZ_BOUNDS_RECONNECTS
//! (default 20000).

use futures_util::StreamExt;
use mz_core::crypto::Signer;
use mz_hub::nonces::Nonces;
use mz_softkey::SoftKey;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

mod support;
use support::{confirmed_device, rss_mb, HubProcess};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A control client's latency: 20 public requests in a row; (median, worst) in ms.
async fn control(hub: &HubProcess) -> (f64, f64) {
    let c = mz_client::Client::new(&hub.base);
    let mut ms = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let ok = tokio::time::timeout(Duration::from_secs(10), c.hub_info()).await;
        ms.push(match ok {
            Ok(Ok(_)) => t.elapsed().as_secs_f64() * 1e3,
            _ => f64::INFINITY,
        });
    }
    ms.sort_by(f64::total_cmp);
    (ms[10], ms[19])
}

fn report(what: &str, hub: &HubProcess, (p50, max): (f64, f64)) {
    println!(
        "{what:<58} RSS {:>6.1} MB   control p50 {p50:>6.1} ms, worst {max:>7.1} ms",
        rss_mb(hub.pid())
    );
}

fn addr(hub: &HubProcess) -> String {
    hub.base.trim_start_matches("http://").to_string()
}

/// Whether the hub has closed this socket (reads to the end within `wait`).
async fn closed_within(mut s: TcpStream, wait: Duration) -> bool {
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + wait;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
            Err(_) => return false,
        }
    }
}

/// How many of `socks` the hub closes within `secs`.
async fn report_closed(socks: Vec<TcpStream>, secs: u64) {
    let n = socks.len();
    let waits: Vec<_> = socks
        .into_iter()
        .map(|s| tokio::spawn(closed_within(s, Duration::from_secs(secs))))
        .collect();
    let mut closed = 0;
    for w in waits {
        closed += w.await.unwrap() as usize;
    }
    println!("  closed by the hub within {secs} s: {closed} of {n}");
}

/// `n` unauthenticated event-stream requests at once: each is answered 401, and then?
async fn unauthenticated_streams(hub: &HubProcess, n: usize) {
    let a = addr(hub);
    let mut socks = Vec::new();
    for _ in 0..n {
        let mut s = TcpStream::connect(&a).await.unwrap();
        let req =
            format!("GET /v1/me/events HTTP/1.1\r\nHost: {a}\r\nAccept: text/event-stream\r\n\r\n");
        s.write_all(req.as_bytes()).await.unwrap();
        socks.push(s);
    }
    report(
        &format!("{n} unauthenticated event streams sent"),
        hub,
        control(hub).await,
    );
    report_closed(socks, 15).await;
    report("  afterwards", hub, control(hub).await);
}

/// `n` authenticated holder event streams opened and dropped, 8 at a time (the cap per key).
async fn reconnects(hub: &HubProcess, n: usize) {
    let desk = hub.terminal("ts_identity_desk").await;
    let dev = hub.client(Arc::new(SoftKey::generate()));
    confirmed_device(&dev, &desk, "zhang_wei", "bounds").await;
    let dev = dev.with_sessions();
    let t = Instant::now();
    let mut done = 0;
    while done < n {
        let batch: Vec<_> = (0..8.min(n - done))
            .map(|_| {
                let d = dev.clone();
                tokio::spawn(async move {
                    let mut s = Box::pin(d.holder_events().await.unwrap());
                    s.next().await.unwrap().unwrap();
                })
            })
            .collect();
        for b in batch {
            b.await.unwrap();
        }
        done += 8;
    }
    println!(
        "  {n} streams opened and dropped in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    report(
        &format!("{n} authenticated streams opened and dropped"),
        hub,
        control(hub).await,
    );
}

/// `n` unauthenticated requests announcing a 250 KiB body, sending half of it, then stalling.
async fn stalled_bodies(hub: &HubProcess, n: usize) {
    let a = addr(hub);
    let half = vec![b'x'; 128 * 1024];
    let mut socks = Vec::new();
    for _ in 0..n {
        let mut s = TcpStream::connect(&a).await.unwrap();
        let head = format!("POST /v1/enrol HTTP/1.1\r\nHost: {a}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n", 250 * 1024);
        s.write_all(head.as_bytes()).await.unwrap();
        let _ = s.write_all(&half).await;
        socks.push(s);
    }
    report(
        &format!("{n} stalled 250 KiB bodies held"),
        hub,
        control(hub).await,
    );
    report_closed(socks, 30).await;
    report("  afterwards", hub, control(hub).await);
}

/// The replay-nonce store: cost per check with few nonces kept, and with 200,000.
fn nonce_cost() {
    let key = SoftKey::generate().public_key().key_id();
    let per_check = |kept: usize| {
        let n = Nonces::default();
        let now = 1_000_000;
        for i in 0..kept {
            assert!(n.fresh(key, &format!("{i:032x}"), now, now));
        }
        let t = Instant::now();
        let rounds = 50_000;
        for i in 0..rounds {
            n.fresh(key, &format!("{:032x}", kept + i), now, now);
        }
        t.elapsed().as_secs_f64() / rounds as f64 * 1e9
    };
    let few = per_check(1_000);
    let many = per_check(200_000);
    println!(
        "replay nonces: {few:>6.0} ns per check with 1,000 kept, {many:>6.0} ns with 200,000 kept (ratio {:.2})",
        many / few
    );
}

#[tokio::main]
async fn main() {
    nonce_cost();
    let sockets = env("MZ_BOUNDS_SOCKETS", 2000);
    let hub = HubProcess::start().await;
    println!("\n== bounds, hub pid {} ==", hub.pid());
    report("idle", &hub, control(&hub).await);
    unauthenticated_streams(&hub, sockets).await;
    reconnects(&hub, env("MZ_BOUNDS_RECONNECTS", 20_000)).await;
    stalled_bodies(&hub, sockets).await;
}
