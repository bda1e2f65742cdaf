//! One error type for the domain, with stable codes that clients match on.

use crate::error_code::ErrorCode;
use thiserror::Error;

/// Errors raised by domain validation and protocol verification.
///
/// `code()` is stable API: the hub maps it to HTTP, the UIs match it. Messages may change.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CoreError {
    #[error("invalid {what}: {why}")]
    InvalidIdentifier { what: &'static str, why: String },
    #[error("malformed {what}: {why}")]
    Malformed { what: &'static str, why: String },
    #[error("{what} is too large ({len} bytes, at most {max})")]
    Oversize {
        what: &'static str,
        len: usize,
        max: usize,
    },
    #[error("{what} was truncated")]
    Truncated { what: &'static str },
    #[error("unknown version {version} of {what}")]
    UnknownVersion { what: &'static str, version: u8 },
    #[error("wrong kind of code: expected {expected}, got {got}")]
    WrongKind { expected: &'static str, got: String },
    #[error("signature does not verify")]
    BadSignature,
    #[error("{what} has expired")]
    Expired { what: &'static str },
    #[error("{what} is not yet valid")]
    NotYetValid { what: &'static str },
    #[error("the matter {matter} does not need certificate type {cert_type}")]
    NotNeededByMatter { matter: String, cert_type: String },
    #[error("unknown {what}: {id}")]
    Unknown { what: &'static str, id: String },
    #[error("audit chain broken at entry {seq}: {why}")]
    ChainBroken { seq: u64, why: String },
    /// A lifecycle refuses this step from the state it is in (`mz_core::flow`).
    #[error("{why}")]
    Step { code: ErrorCode, why: &'static str },
}

impl CoreError {
    /// Stable, machine-readable error code (its HTTP status is the registry's).
    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::InvalidIdentifier { .. } => ErrorCode::InvalidIdentifier,
            CoreError::Malformed { .. } => ErrorCode::Malformed,
            CoreError::Oversize { .. } => ErrorCode::Oversize,
            CoreError::Truncated { .. } => ErrorCode::Truncated,
            CoreError::UnknownVersion { .. } => ErrorCode::UnknownVersion,
            CoreError::WrongKind { .. } => ErrorCode::WrongKind,
            CoreError::BadSignature => ErrorCode::BadSignature,
            CoreError::Expired { .. } => ErrorCode::Expired,
            CoreError::NotYetValid { .. } => ErrorCode::NotYetValid,
            CoreError::NotNeededByMatter { .. } => ErrorCode::NotNeededByMatter,
            CoreError::Unknown { .. } => ErrorCode::Unknown,
            CoreError::ChainBroken { .. } => ErrorCode::ChainBroken,
            CoreError::Step { code, .. } => *code,
        }
    }

    pub(crate) fn id(what: &'static str, why: impl Into<String>) -> Self {
        CoreError::InvalidIdentifier {
            what,
            why: why.into(),
        }
    }

    /// A step a lifecycle refuses: the code clients match, and why in words.
    pub(crate) fn step(code: ErrorCode, why: &'static str) -> Self {
        CoreError::Step { code, why }
    }

    pub(crate) fn malformed(what: &'static str, why: impl Into<String>) -> Self {
        CoreError::Malformed {
            what,
            why: why.into(),
        }
    }
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;
