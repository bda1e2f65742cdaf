//! The hub's operations: the rules of each area, between HTTP (`crate::http`) and storage
//! (`crate::store`). Nothing here knows HTTP.

pub mod archives;
pub mod authorization;
pub mod delegation;
pub mod dept;
pub mod devices;
pub mod enrolment;
pub mod face;
pub mod federation;
pub mod holder;
pub mod login;
pub mod lookup;
pub mod objections;
pub mod pin;
pub mod proofs;
pub mod public;
pub mod redemption;
pub mod terminal;

use crate::error::{fail, HubResult};
use mz_core::ErrorCode;

pub fn uuid16(what: &'static str, s: &str) -> HubResult<[u8; 16]> {
    uuid::Uuid::parse_str(s)
        .map(|u| u.into_bytes())
        .map_err(|_| fail(ErrorCode::BadId, format!("{what} must be a UUID")))
}

pub fn uuid_str(b: [u8; 16]) -> String {
    uuid::Uuid::from_bytes(b).to_string()
}

pub fn json_list(v: &[String]) -> String {
    serde_json::to_string(v).expect("strings")
}

pub fn parse_list(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}
