//! Proofs a kiosk's self-service matter issues (房查证明, 社保参保证明): the kiosk orders one
//! once the holder approved the matter's request, the issuing department's own service composes
//! it from its records and seals it, and whoever holds the printed proof checks it at the hub.

use super::{DepartmentInfo, ReleasedHolder};
use crate::cert::{CertStatus, Certificate};
use crate::flow::ProofState;
use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

dto! {
    /// A kiosk orders the proof of a request whose certificates were released to it.
    pub struct ProofOrderCreate {
        pub request_id: String,
    }

    /// A proof order as the kiosk that made it sees it.
    pub struct ProofOrderView {
        pub order_id: String,
        pub request_id: String,
        pub cert_type: String,
        pub cert_name: String,
        pub department_name: String,
        pub state: ProofState,
        /// Why the department refused, when it did.
        pub reason: Option<String>,
        /// The sealed proof, once issued.
        pub certificate: Option<Certificate>,
        /// The issuing department and its seal keys, to check the seal in the page.
        pub issuer: Option<DepartmentInfo>,
        /// The secret printed on the proof (in its QR code) with which its holder checks it at
        /// the hub: in the answer that creates the order only (the hub keeps its hash).
        pub check_token: Option<String>,
        pub created_at: i64,
        pub expires_at: i64,
    }

    /// A pending proof order as the issuing department's service reads it.
    pub struct DeptProofOrder {
        pub order_id: String,
        pub cert_type: String,
        pub matter: String,
        /// Whom the proof is about (the department looks them up in its own records).
        pub subject: ReleasedHolder,
        /// The department the proof is to be issued in the name of.
        pub department_code: String,
        pub department_name: String,
        pub terminal_name: String,
        pub created_at: i64,
        pub expires_at: i64,
    }

    /// The department's answer: the proof, sealed by it.
    pub struct ProofIssue {
        pub certificate: Certificate,
    }

    /// The department cannot issue the proof (no record of the person, say), and why.
    pub struct ProofRefusal {
        pub reason: String,
    }

    /// Check a printed proof: the token from its QR code.
    pub struct ProofCheckRequest {
        pub token: String,
    }

    /// A printed proof as the hub holds it: the sealed certificate and its status today.
    pub struct ProofCheck {
        pub certificate: Certificate,
        pub status: CertStatus,
        pub issuer: DepartmentInfo,
        pub checked_at: i64,
    }
}
