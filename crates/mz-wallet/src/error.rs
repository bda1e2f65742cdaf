//! What can go wrong in the wallet, with the code the window matches.

use super::*;

#[derive(Debug, thiserror::Error)]
pub enum WalletError {
    #[error("the hub cannot be reached; showing what was saved on this device")]
    Offline,
    #[error("this device is not enrolled yet")]
    NotEnrolled,
    #[error("wrong PIN ({left} tries left before approvals lock)")]
    WrongPin { left: u32 },
    #[error("too many wrong PINs: approvals are locked for {secs} more seconds")]
    PinLocked { secs: i64 },
    #[error("the PIN must be 6 digits")]
    BadPin,
    #[error("enter the PIN to show a code")]
    PinRequired,
    #[error("no codes left offline: connect to the hub once to get more")]
    NoHandles,
    #[error("keyring: {0}")]
    Keyring(String),
    #[error("the local store cannot be read: {0}")]
    Store(String),
    #[error("{message}")]
    Hub { code: String, message: String },
}

impl WalletError {
    /// Stable code the UI matches on.
    pub fn code(&self) -> &str {
        match self {
            WalletError::Offline => "offline",
            WalletError::NotEnrolled => "not_enrolled",
            WalletError::WrongPin { .. } => "wrong_pin",
            WalletError::PinLocked { .. } => "pin_locked",
            WalletError::BadPin => "bad_pin",
            WalletError::PinRequired => "pin_required",
            WalletError::NoHandles => "no_handles",
            WalletError::Keyring(_) => "keyring",
            WalletError::Store(_) => "store",
            WalletError::Hub { code, .. } => code,
        }
    }
}

impl From<ClientError> for WalletError {
    fn from(e: ClientError) -> Self {
        match e {
            ClientError::Http(_) => WalletError::Offline,
            ClientError::Api { code, message, .. } => WalletError::Hub {
                code: code.as_str().into(),
                message,
            },
            ClientError::Core(c) => WalletError::Hub {
                code: c.code().as_str().into(),
                message: c.to_string(),
            },
            other => WalletError::Hub {
                code: "client".into(),
                message: other.to_string(),
            },
        }
    }
}

impl From<keyring_core::Error> for WalletError {
    fn from(e: keyring_core::Error) -> Self {
        WalletError::Keyring(e.to_string())
    }
}

pub type Result<T, E = WalletError> = std::result::Result<T, E>;
