//! The OpenAPI 3.1 document at /openapi.json: generated from the handlers' annotations, then
//! completed with what a vendor needs to build a client from it alone — how to sign, the
//! security of every operation, every error code an operation can answer, a description for
//! every response, an example for every request body and the event streams' event types.

use super::openapi_codes::{specific, EVERY_CALL, SIGNED, SIGNED_OR_SESSION};
use crate::http::{dept, devices, face, federation, holder, objections, proofs, public, terminal};
use axum::Json;
use mz_core::ErrorCode;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Mianzheng hub"),
    paths(
        public::hub_info, public::catalogue, public::terminal_info, public::departments, public::lookup, public::lookup_in_region, public::checkpoint, public::open_session,
        holder::enrol, holder::me, holder::handles, holder::certificates, holder::events, holder::pending_requests, holder::get_request, holder::decide,
        holder::approve_login, holder::grants, holder::grant, holder::revoke_grant, holder::audit, holder::audit_export,
        terminal::enrol, terminal::events, terminal::redeem, terminal::create_request, terminal::staff_lookup, terminal::get_request, terminal::release,
        terminal::open_login, terminal::get_login, terminal::login_by_identity_code, terminal::end_login, terminal::session_request, public::receipt,
        dept::issue, dept::issued, dept::applications, dept::revoke, dept::archives, dept::archive,
        devices::list, devices::set_pin, devices::check_pin, devices::approve, devices::remove, devices::confirm_at_counter, devices::remove_at_counter,
        objections::raise, objections::mine, objections::for_department, objections::resolve,
        face::my_challenge, face::open_proxy, face::my_proxy_applications, face::frames, face::counter_check, face::counter_frames, face::counter_consent,
        federation::relay,
        proofs::order_proof, proofs::proof_order, proofs::proof_orders, proofs::issue_proof, proofs::refuse_proof,
        proofs::department_events, proofs::check_proof,
    ),
    tags((name = "public"), (name = "auth"), (name = "holder"), (name = "terminal"), (name = "department"), (name = "face"), (name = "federation"))
)]
pub struct ApiDoc;

const DESCRIPTION: &str = include_str!("openapi.md");

pub async fn serve() -> Json<Value> {
    Json(document())
}

/// How an operation's caller shows who it is.
#[derive(Clone, Copy, PartialEq)]
enum Access {
    Public,
    /// A signed request only (enrolments are signed with the key being enrolled; sessions are
    /// opened with one).
    SignedOnly,
    SignedOrSession,
}

impl Access {
    fn of(path: &str) -> Access {
        if path == "/v1/hub" || path == "/v1/catalogue" || path.starts_with("/v1/public/") {
            Access::Public
        } else if matches!(
            path,
            "/v1/session" | "/v1/enrol" | "/v1/terminals/enrol" | "/v1/federation/relay"
        ) {
            Access::SignedOnly
        } else {
            Access::SignedOrSession
        }
    }
    fn security(self) -> Value {
        match self {
            Access::Public => json!([]),
            Access::SignedOnly => json!([{ "httpSignature": [] }]),
            Access::SignedOrSession => json!([{ "httpSignature": [] }, { "session": [] }]),
        }
    }
    fn codes(self) -> Vec<ErrorCode> {
        match self {
            Access::Public => vec![],
            Access::SignedOnly => SIGNED.to_vec(),
            Access::SignedOrSession => [SIGNED, SIGNED_OR_SESSION].concat(),
        }
    }
}

/// The complete document.
pub fn document() -> Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).expect("the document serializes");
    doc["info"]["description"] = json!(DESCRIPTION);
    doc["components"]["securitySchemes"] = security_schemes();
    let examples = super::openapi_examples::request_examples();
    let paths = doc["paths"].as_object_mut().expect("paths");
    for (path, item) in paths.iter_mut() {
        for (method, op) in item.as_object_mut().expect("path item").iter_mut() {
            complete_operation(path, method, op, &examples);
        }
    }
    doc
}

fn complete_operation(path: &str, method: &str, op: &mut Value, examples: &BTreeMap<&str, Value>) {
    let access = Access::of(path);
    let tag = op["tags"][0].as_str().unwrap_or("hub").to_string();
    let id = op["operationId"].as_str().unwrap_or_default().to_string();
    op["operationId"] = json!(format!("{tag}_{id}"));
    op["security"] = access.security();
    if path.ends_with("/events") {
        event_stream(op);
    }
    describe_responses(op);
    let mut codes: Vec<ErrorCode> = EVERY_CALL.to_vec();
    codes.extend(access.codes());
    codes.extend(specific(method, path));
    error_responses(op, &codes);
    if let Some(body) = op.get_mut("requestBody") {
        attach_example(body, examples);
    }
}

fn security_schemes() -> Value {
    json!({
        "httpSignature": {
            "type": "apiKey",
            "in": "header",
            "name": "Signature",
            "description": "HTTP Message Signatures (RFC 9421) with Signature-Input and Content-Digest (RFC 9530): see the document's description and docs/integrators.md."
        },
        "session": {
            "type": "http",
            "scheme": "bearer",
            "description": "A 15-minute session token from POST /v1/session (opened with a signed request)."
        }
    })
}

/// Server-sent events: `text/event-stream`, one event type per push, `data` its JSON.
fn event_stream(op: &mut Value) {
    let events = json!({
        "ready": "the stream is live (first event)",
        "auth_request": "to a holder: a terminal asks to use certificates",
        "auth_decided": "to a terminal: the holder decided",
        "logged_in": "to a kiosk: a holder logged in",
        "grant_used": "to a principal: an agent used a grant",
        "device_added": "to a holder's devices: a new device waits for approval",
        "proof_ordered": "to a department: a kiosk ordered a proof of it (read the pending orders)",
        "proof_answered": "to the kiosk that ordered a proof: the department issued or refused it",
        "resync": "after a reconnection the hub cannot resume from (Last-Event-ID): read the state again",
    });
    op["responses"]["200"] = json!({
        "description": "A text/event-stream. Each event's `event` field is its type and its `data` is a PushEvent in JSON.",
        "content": { "text/event-stream": {
            "schema": { "type": "string", "description": "Server-sent events (HTML Living Standard § 9.2)" },
            "x-event-types": events,
            "x-event-data": { "$ref": "#/components/schemas/PushEvent" }
        }}
    });
}

/// Every response gets a description (what utoipa left empty says what the schema is).
fn describe_responses(op: &mut Value) {
    let Some(responses) = op["responses"].as_object_mut() else {
        return;
    };
    for (status, resp) in responses.iter_mut() {
        if resp["description"].as_str().is_none_or(str::is_empty) {
            resp["description"] = json!(default_description(status, resp));
        }
    }
}

fn default_description(status: &str, resp: &Value) -> String {
    let schema = &resp["content"]["application/json"]["schema"];
    let named = schema["$ref"].as_str().or(schema["items"]["$ref"].as_str());
    match (status, named.and_then(|r| r.rsplit('/').next())) {
        ("200" | "201", Some(name)) => format!("OK: {name}"),
        ("200" | "201", None) => "OK".into(),
        _ => "Refused: see the error codes".into(),
    }
}

/// Every error code the operation can answer, grouped by status, with an example of each.
fn error_responses(op: &mut Value, codes: &[ErrorCode]) {
    let mut by_status: BTreeMap<u16, Vec<ErrorCode>> = BTreeMap::new();
    for c in codes {
        let list = by_status.entry(c.status()).or_default();
        if !list.contains(c) {
            list.push(*c);
        }
    }
    let responses = op["responses"].as_object_mut().expect("responses");
    for (status, codes) in by_status {
        let names: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
        let examples: Map<String, Value> = codes
            .iter()
            .map(|c| {
                (
                    c.as_str().to_string(),
                    json!({ "value": { "code": c.as_str(), "message": "…" } }),
                )
            })
            .collect();
        responses.insert(
            status.to_string(),
            json!({
                "description": format!("Refused with one of: {}", names.join(", ")),
                "content": { "application/json": {
                    "schema": { "$ref": "#/components/schemas/ApiError" },
                    "examples": examples,
                }},
                "x-error-codes": names,
            }),
        );
    }
}

/// The request body's example: built from the Rust type, so it has the schema's shape.
fn attach_example(body: &mut Value, examples: &BTreeMap<&str, Value>) {
    let Some(content) = body["content"].as_object_mut() else {
        return;
    };
    for media in content.values_mut() {
        let schema = media["schema"]["$ref"].as_str().unwrap_or_default();
        let name = schema.rsplit('/').next().unwrap_or_default();
        if let Some(example) = examples.get(name) {
            media["example"] = example.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code of the registry is listed on some operation, or is one no operation answers:
    /// a new code fails here until the document says where it comes from.
    #[test]
    fn every_error_code_is_listed_on_an_operation_or_is_not_over_http() {
        let doc = document();
        let mut listed = std::collections::HashSet::new();
        for item in doc["paths"].as_object().unwrap().values() {
            for op in item.as_object().unwrap().values() {
                for resp in op["responses"].as_object().unwrap().values() {
                    for c in resp["x-error-codes"].as_array().into_iter().flatten() {
                        listed.insert(c.as_str().unwrap().to_string());
                    }
                }
            }
        }
        for code in ErrorCode::ALL {
            let over_http = !super::super::openapi_codes::NOT_OVER_HTTP.contains(code);
            assert_eq!(
                listed.contains(code.as_str()),
                over_http,
                "{}",
                code.as_str()
            );
        }
    }

    /// Operation ids are unique (a client generator names its methods by them).
    #[test]
    fn every_operation_id_is_unique() {
        let doc = document();
        let mut seen = std::collections::HashSet::new();
        for item in doc["paths"].as_object().unwrap().values() {
            for op in item.as_object().unwrap().values() {
                let id = op["operationId"].as_str().unwrap_or_default();
                assert!(seen.insert(id.to_string()), "operation id {id} twice");
            }
        }
    }
}
