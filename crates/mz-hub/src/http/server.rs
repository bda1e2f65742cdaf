//! The hub's accept loop: HTTP/1.1 over Tokio, like `axum::serve`, plus what it lacks
//! (security review M-6, trust item 12): a client must send a request's headers within
//! [`HEADER_SECS`] of connecting or of its previous response, so slow or idle connections do
//! not pile up until the process runs out of file descriptors. Bodies have their own limit
//! ([`crate::auth::BODY_SECS`]); event streams stay open while the hub writes to them.

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;
use tower::ServiceExt;

/// Seconds a connection may take to send a request's headers (also: idle between requests).
pub const HEADER_SECS: u64 = 10;

/// How long the loop waits after a failed accept (out of file descriptors) before the next.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// Serve `app` on `listener` until `shutdown` completes (then stop accepting; requests in
/// flight on open connections finish on their own tasks).
pub async fn run(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    run_with(listener, app, shutdown, Duration::from_secs(HEADER_SECS)).await
}

/// [`run`] with another header-read timeout (tests).
pub async fn run_with(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()>,
    header_timeout: Duration,
) -> std::io::Result<()> {
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            () = &mut shutdown => return Ok(()),
        };
        let (stream, peer) = match accepted {
            Ok(a) => a,
            Err(e) => {
                // Out of descriptors and the like: back off a little while connections close
                // (the header timeout closes silent ones), rather than spin on accept.
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let svc = app
            .clone()
            .map_request(move |req: hyper::Request<hyper::body::Incoming>| {
                let mut req = req.map(axum::body::Body::new);
                req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
                req
            });
        tokio::spawn(async move {
            let conn = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .serve_connection(TokioIo::new(stream), TowerToHyperService::new(svc));
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, "connection ended");
            }
        });
    }
}
