//! HTTP: the router, and handlers that extract a request, call one operation of
//! `crate::service` and map its answer (errors map in `crate::error`). No rules live here.

pub mod dept;
pub mod devices;
pub mod face;
pub mod federation;
pub mod holder;
pub mod objections;
pub mod openapi;
mod openapi_codes;
mod openapi_examples;
pub mod proofs;
pub mod public;
pub mod server;
pub mod terminal;

use crate::error::HubResult;
use crate::AppState;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::{get, post};
use axum::Router;
use futures_util::Stream;
use mz_core::api::PushEvent;
use mz_core::ErrorCode;
use std::convert::Infallible;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/openapi.json", get(openapi::serve))
        .route("/v1/hub", get(public::hub_info))
        .route("/v1/catalogue", get(public::catalogue))
        .route("/v1/public/terminals/{id}", get(public::terminal_info))
        .route("/v1/public/departments", get(public::departments))
        .route("/v1/public/certificates", get(public::lookup))
        .route(
            "/v1/public/regions/{region}/certificates",
            get(public::lookup_in_region),
        )
        .route("/v1/public/checkpoint", get(public::checkpoint))
        .route("/v1/session", post(public::open_session))
        .route("/v1/enrol", post(holder::enrol))
        .route("/v1/me", get(holder::me))
        .route("/v1/me/handles", post(holder::handles))
        .route("/v1/me/devices", get(devices::list))
        .route("/v1/me/pin", post(devices::set_pin))
        .route("/v1/me/pin/check", post(devices::check_pin))
        .route("/v1/me/devices/{key_id}/approve", post(devices::approve))
        .route("/v1/me/devices/{key_id}/remove", post(devices::remove))
        .route(
            "/v1/terminal/device-confirmations",
            post(devices::confirm_at_counter),
        )
        .route(
            "/v1/terminal/device-removals",
            post(devices::remove_at_counter),
        )
        .route("/v1/me/certificates", get(holder::certificates))
        .route("/v1/me/events", get(holder::events))
        .route("/v1/me/auth-requests", get(holder::pending_requests))
        .route("/v1/me/auth-requests/{id}", get(holder::get_request))
        .route("/v1/me/auth-requests/{id}/decision", post(holder::decide))
        .route("/v1/me/login-approvals", post(holder::approve_login))
        .route("/v1/me/grants", get(holder::grants).post(holder::grant))
        .route("/v1/me/grants/{id}/revoke", post(holder::revoke_grant))
        .route("/v1/me/audit", get(holder::audit))
        .route(
            "/v1/me/objections",
            get(objections::mine).post(objections::raise),
        )
        .route("/v1/dept/objections", get(objections::for_department))
        .route(
            "/v1/dept/objections/{id}/resolve",
            post(objections::resolve),
        )
        .route("/v1/me/audit/export", get(holder::audit_export))
        .route("/v1/me/face-challenge", post(face::my_challenge))
        .route(
            "/v1/me/proxy-applications",
            get(face::my_proxy_applications).post(face::open_proxy),
        )
        .route("/v1/face/challenges/{id}/frames", post(face::frames))
        .route("/v1/terminal/face-checks", post(face::counter_check))
        .route(
            "/v1/terminal/face-checks/{id}/frames",
            post(face::counter_frames),
        )
        .route(
            "/v1/terminal/auth-requests/{id}/consent",
            post(face::counter_consent),
        )
        .route("/v1/terminals/enrol", post(terminal::enrol))
        .route("/v1/terminal/events", get(terminal::events))
        .route("/v1/terminal/redeem", post(terminal::redeem))
        .route("/v1/terminal/auth-requests", post(terminal::create_request))
        .route("/v1/terminal/lookups", post(terminal::staff_lookup))
        .route(
            "/v1/terminal/auth-requests/{id}",
            get(terminal::get_request),
        )
        .route(
            "/v1/terminal/auth-requests/{id}/release",
            post(terminal::release),
        )
        .route("/v1/terminal/login-sessions", post(terminal::open_login))
        .route("/v1/terminal/login-sessions/{id}", get(terminal::get_login))
        .route(
            "/v1/terminal/login-sessions/{id}/identity-code",
            post(terminal::login_by_identity_code),
        )
        .route(
            "/v1/terminal/login-sessions/{id}/end",
            post(terminal::end_login),
        )
        .route(
            "/v1/terminal/login-sessions/{id}/auth-requests",
            post(terminal::session_request),
        )
        .route("/v1/public/releases/{id}", get(public::receipt))
        .route("/v1/federation/relay", post(federation::relay))
        .route("/v1/dept/certificates", get(dept::issued).post(dept::issue))
        .route("/v1/dept/applications", get(dept::applications))
        .route("/v1/dept/certificates/revoke", post(dept::revoke))
        .route("/v1/dept/archives", get(dept::archives))
        .route("/v1/dept/archives/{id}", get(dept::archive))
        .route("/v1/terminal/proofs", post(proofs::order_proof))
        .route("/v1/terminal/proofs/{id}", get(proofs::proof_order))
        .route("/v1/dept/proof-orders", get(proofs::proof_orders))
        .route(
            "/v1/dept/proof-orders/{id}/issue",
            post(proofs::issue_proof),
        )
        .route(
            "/v1/dept/proof-orders/{id}/refuse",
            post(proofs::refuse_proof),
        )
        .route("/v1/dept/events", get(proofs::department_events))
        .route("/v1/public/proof-checks", post(proofs::check_proof))
        .fallback(|headers: HeaderMap| async move {
            refused_unread(&headers, ErrorCode::NoSuchRoute, "no such route")
        })
        .method_not_allowed_fallback(|headers: HeaderMap| async move {
            refused_unread(
                &headers,
                ErrorCode::MethodNotAllowed,
                "this route does not take this method",
            )
        })
        .layer(axum::middleware::from_fn(log_slow))
        .with_state(state)
}

/// A refusal before the body was read. With a body, the connection cannot carry another
/// request (the unread body is in the way), so the answer says `Connection: close`.
fn refused_unread(
    headers: &HeaderMap,
    code: ErrorCode,
    why: &'static str,
) -> axum::response::Response {
    use axum::http::header::{CONNECTION, CONTENT_LENGTH, TRANSFER_ENCODING};
    use axum::response::IntoResponse;
    let mut resp = crate::error::fail(code, why).into_response();
    let has_body = headers.get(CONTENT_LENGTH).is_some_and(|v| v != "0")
        || headers.contains_key(TRANSFER_ENCODING);
    if has_body {
        resp.headers_mut()
            .insert(CONNECTION, axum::http::HeaderValue::from_static("close"));
    }
    resp
}

/// Requests slower than this are logged (method, path and status: no personal data).
const SLOW_MS: u128 = 2000;

/// Log a request that took longer than [`SLOW_MS`] to answer (an event stream answers at once).
async fn log_slow(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let (method, path) = (req.method().clone(), req.uri().path().to_string());
    let started = std::time::Instant::now();
    let resp = next.run(req).await;
    let ms = started.elapsed().as_millis();
    if ms > SLOW_MS {
        tracing::warn!(%method, %path, ms, status = resp.status().as_u16(), "slow request");
    }
    resp
}

/// Turn a subscription into an SSE stream: first `ready` (the stream is live; no id), then
/// what the client missed since its `Last-Event-ID` (or `resync`), then the live events, each
/// with its id.
pub fn sse(
    subscriber: String,
    rx: tokio::sync::mpsc::Receiver<crate::push::Numbered>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    use futures_util::StreamExt;
    let ready = crate::push::Numbered {
        id: None,
        event: PushEvent::Ready { subscriber },
    };
    let first = futures_util::stream::once(async move { ready });
    let events = first.chain(tokio_stream::wrappers::ReceiverStream::new(rx));
    Sse::new(events.map(|n| {
        let event = Event::default()
            .event(n.event.name())
            .json_data(&n.event)
            .expect("plain data");
        Ok(match n.id {
            Some(id) => event.id(id),
            None => event,
        })
    }))
    .keep_alive(KeepAlive::default())
}

/// The `Last-Event-ID` a reconnecting event-stream client sends.
pub fn last_event_id(headers: &HeaderMap) -> Option<&str> {
    headers.get("last-event-id").and_then(|v| v.to_str().ok())
}

/// A route's query string, read in the handler once the caller is known: a bad one answers
/// `bad_query` in the hub's JSON error shape, and a caller who is not allowed the route hears
/// only that, never which parameters it takes.
pub fn query<T: serde::de::DeserializeOwned>(uri: &axum::http::Uri) -> HubResult<T> {
    axum::extract::Query::<T>::try_from_uri(uri)
        .map(|q| q.0)
        .map_err(|e| crate::error::fail(ErrorCode::BadQuery, e.body_text()))
}
