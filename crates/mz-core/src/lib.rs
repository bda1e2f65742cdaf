//! Mianzheng domain and protocol. No I/O: clocks, randomness and signing are passed in.

pub mod api;
pub mod audit;
pub mod catalogue;
pub mod cert;
pub mod codes;
pub mod crypto;
pub mod error;
pub mod error_code;
pub mod flow;
pub mod ids;
pub mod reqsig;
#[cfg(feature = "ts")]
pub mod ts;
pub mod wire;

pub use error::{CoreError, Result};
pub use error_code::ErrorCode;
