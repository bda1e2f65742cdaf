//! Signed HTTP requests: devices, terminals and departments sign each request with their
//! registered key. The hub checks the key, the signature, the time and that the nonce is new.
//!
//! Headers: `x-mz-key` (key id), `x-mz-ts` (unix seconds), `x-mz-nonce` (32 hex digits),
//! `x-mz-sig` (base64url signature) over [`payload`].

use crate::crypto::sha256;

pub const H_KEY: &str = "x-mz-key";
pub const H_TS: &str = "x-mz-ts";
pub const H_NONCE: &str = "x-mz-nonce";
pub const H_SIG: &str = "x-mz-sig";
/// How far a request's time may be from the hub's.
pub const MAX_REQUEST_SKEW_SECS: i64 = 120;

/// The bytes a request signature covers.
pub fn payload(method: &str, path_and_query: &str, ts: i64, nonce: &str, body: &[u8]) -> Vec<u8> {
    format!(
        "MZ-REQ-1\n{}\n{}\n{}\n{}\n{}",
        method.to_ascii_uppercase(),
        path_and_query,
        ts,
        nonce,
        hex::encode(sha256(body))
    )
    .into_bytes()
}
