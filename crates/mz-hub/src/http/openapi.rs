//! The OpenAPI document at /openapi.json, generated from the handlers' annotations.

use crate::http::{dept, devices, face, federation, holder, objections, public, terminal};
use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Mianzheng hub", description = "Certificate hub of one region: issuance, show-codes, authorization, kiosk login, delegation, audit. Devices, terminals and departments sign requests with HTTP Message Signatures (RFC 9421) over @method, @path, @query and content-digest (RFC 9530, sha-256), parameters created, keyid, nonce (and alg: ecdsa-p256-sha256, or mz-sm2-sm3), or use a session token from /v1/session. See docs/integrators.md."),
    paths(
        public::hub_info, public::catalogue, public::terminal_info, public::departments, public::lookup, public::lookup_in_region, public::checkpoint, public::open_session,
        holder::enrol, holder::me, holder::handles, holder::certificates, holder::events, holder::pending_requests, holder::get_request, holder::decide,
        holder::approve_login, holder::grants, holder::grant, holder::revoke_grant, holder::audit, holder::audit_export,
        terminal::enrol, terminal::events, terminal::redeem, terminal::create_request, terminal::get_request, terminal::release,
        terminal::open_login, terminal::get_login, terminal::login_by_identity_code, terminal::end_login, terminal::session_request, public::receipt,
        dept::issue, dept::revoke,
        devices::list, devices::set_pin, devices::check_pin, devices::approve, devices::remove, devices::confirm_at_counter, devices::remove_at_counter,
        objections::raise, objections::mine, objections::for_department, objections::resolve,
        face::my_challenge, face::open_proxy, face::my_proxy_applications, face::frames, face::counter_check, face::counter_frames, face::counter_consent,
        federation::relay,
    ),
    tags((name = "public"), (name = "auth"), (name = "holder"), (name = "terminal"), (name = "department"), (name = "face"), (name = "federation"))
)]
pub struct ApiDoc;

pub async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
