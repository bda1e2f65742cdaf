//! The hub's one error type; the single place that maps errors to HTTP. Every code comes from
//! the registry ([`ErrorCode`]), which also gives its status.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use mz_core::api::ApiError;
use mz_core::{CoreError, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum HubError {
    #[error(transparent)]
    Core(#[from] CoreError),
    /// A refusal: the registry's code and a message for people.
    #[error("{1}")]
    Api(ErrorCode, String),
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A refusal from the hub that holds the data (federation), passed on unchanged.
    #[error("{message}")]
    Remote { code: ErrorCode, message: String },
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
    pub fn code(&self) -> ErrorCode {
        match self {
            HubError::Core(e) => e.code(),
            HubError::Api(code, _) | HubError::Remote { code, .. } => *code,
            HubError::NotFound(_) => ErrorCode::NotFound,
            HubError::Db(_) | HubError::Sqlite(_) => ErrorCode::Storage,
            HubError::Internal(_) => ErrorCode::Internal,
        }
    }
    pub fn status(&self) -> StatusCode {
        match self {
            // Another hub's own failure is a bad gateway here.
            HubError::Remote { code, .. } if code.status() >= 500 => StatusCode::BAD_GATEWAY,
            _ => StatusCode::from_u16(self.code().status()).expect("the registry's statuses"),
        }
    }
}

/// A refusal with the registry's `code` (which decides the HTTP status) and a message.
pub fn fail(code: ErrorCode, msg: impl Into<String>) -> HubError {
    HubError::Api(code, msg.into())
}

impl IntoResponse for HubError {
    fn into_response(self) -> Response {
        let status = self.status();
        let busy = matches!(self, HubError::Api(ErrorCode::ServerBusy, _));
        if status.is_server_error() && !busy {
            // Never log request content: only the error, which carries no personal data.
            // (A busy refusal is the hub protecting itself: one line each would flood the log.)
            tracing::error!(error = ?self, "request failed");
        }
        let body = ApiError {
            code: self.code(),
            message: self.to_string(),
        };
        (status, Json(body)).into_response()
    }
}
