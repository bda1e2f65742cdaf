//! The hub's one error type; the single place that maps errors to HTTP.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use mz_core::api::ApiError;
use mz_core::CoreError;

#[derive(Debug, thiserror::Error)]
pub enum HubError {
    #[error(transparent)]
    Core(#[from] CoreError),
    #[error("{1}")]
    Unauthorized(&'static str, String),
    #[error("{1}")]
    Forbidden(&'static str, String),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{1}")]
    Conflict(&'static str, String),
    #[error("{1}")]
    Invalid(&'static str, String),
    #[error("{1}")]
    TooMany(&'static str, String),
    /// Well-formed input the hub decided against (a face check that did not pass).
    #[error("{1}")]
    Refused(&'static str, String),
    /// A part of the hub that is not available here (face models not installed).
    #[error("{1}")]
    Unavailable(&'static str, String),
    /// A refusal from the hub that holds the data (federation), passed on unchanged.
    #[error("{message}")]
    Remote {
        status: u16,
        code: String,
        message: String,
    },
    #[error("storage failure")]
    Db(#[from] sqlx::Error),
    /// The SQLite hot path's own connection (see `lane`).
    #[error("storage failure")]
    Sqlite(#[from] rusqlite::Error),
    #[error("internal error: {0}")]
    Internal(String),
}

pub type HubResult<T> = Result<T, HubError>;

impl HubError {
    pub fn code(&self) -> &str {
        match self {
            HubError::Core(e) => e.code(),
            HubError::Unauthorized(c, _)
            | HubError::Forbidden(c, _)
            | HubError::Conflict(c, _)
            | HubError::Invalid(c, _)
            | HubError::TooMany(c, _)
            | HubError::Refused(c, _)
            | HubError::Unavailable(c, _) => c,
            HubError::Remote { code, .. } => code,
            HubError::NotFound(_) => "not_found",
            HubError::Db(_) | HubError::Sqlite(_) => "storage",
            HubError::Internal(_) => "internal",
        }
    }
    pub fn status(&self) -> StatusCode {
        match self {
            HubError::Core(CoreError::BadSignature) => StatusCode::UNAUTHORIZED,
            HubError::Core(CoreError::Expired { .. }) => StatusCode::GONE,
            HubError::Core(CoreError::NotNeededByMatter { .. }) => StatusCode::FORBIDDEN,
            HubError::Core(CoreError::Unknown { .. }) => StatusCode::NOT_FOUND,
            HubError::Core(CoreError::Oversize { .. }) => StatusCode::PAYLOAD_TOO_LARGE,
            HubError::Core(_) => StatusCode::BAD_REQUEST,
            HubError::Unauthorized(..) => StatusCode::UNAUTHORIZED,
            HubError::Forbidden(..) => StatusCode::FORBIDDEN,
            HubError::NotFound(_) => StatusCode::NOT_FOUND,
            HubError::Conflict(..) => StatusCode::CONFLICT,
            HubError::Invalid("no_such_route", _) => StatusCode::NOT_FOUND,
            HubError::Invalid(..) => StatusCode::BAD_REQUEST,
            HubError::TooMany(..) => StatusCode::TOO_MANY_REQUESTS,
            HubError::Refused(..) => StatusCode::UNPROCESSABLE_ENTITY,
            HubError::Unavailable(..) => StatusCode::SERVICE_UNAVAILABLE,
            HubError::Remote { status, .. } => StatusCode::from_u16(*status)
                .ok()
                .filter(|s| s.is_client_error())
                .unwrap_or(StatusCode::BAD_GATEWAY),
            HubError::Db(_) | HubError::Sqlite(_) | HubError::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }
}

pub fn unauthorized(code: &'static str, msg: impl Into<String>) -> HubError {
    HubError::Unauthorized(code, msg.into())
}
pub fn forbidden(code: &'static str, msg: impl Into<String>) -> HubError {
    HubError::Forbidden(code, msg.into())
}
pub fn conflict(code: &'static str, msg: impl Into<String>) -> HubError {
    HubError::Conflict(code, msg.into())
}
pub fn invalid(code: &'static str, msg: impl Into<String>) -> HubError {
    HubError::Invalid(code, msg.into())
}

impl IntoResponse for HubError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            // Never log request content: only the error, which carries no personal data.
            tracing::error!(error = ?self, "request failed");
        }
        (
            status,
            Json(ApiError {
                code: self.code().to_string(),
                message: self.to_string(),
            }),
        )
            .into_response()
    }
}
