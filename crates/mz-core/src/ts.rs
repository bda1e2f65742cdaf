//! TypeScript declarations of every type the hub's API speaks (requests, responses, pushes,
//! federation calls, and the states, ids and keys they carry), for the pages and the wallet:
//! `ui/src/shared/bindings.ts`, checked by `tests/bindings.rs` (stale → the test fails).

use ts_rs::{Config, TS};

/// The file's first line.
pub const HEADER: &str = "// Generated from Rust by `MZ_UPDATE_BINDINGS=1 cargo test -p mz-core --features ts --test bindings`. Do not edit.\n\n";

/// How ts-rs writes the API's integers: unix times and counts fit a JavaScript number.
pub fn config() -> Config {
    Config::new().with_large_int("number")
}

macro_rules! declare {
    ($out:ident, $cfg:ident: $($t:ty),* $(,)?) => {
        $( $out.push_str(&format!("export {}\n\n", <$t as TS>::decl(&$cfg))); )*
    };
}

/// The declarations, in a fixed order.
pub fn bindings() -> String {
    use crate::api::*;
    use crate::flow::*;
    let cfg = config();
    let mut out = String::from(HEADER);
    declare!(out, cfg: ApiError, crate::ErrorCode);
    declare!(out, cfg:
        Assurance, TerminalKind, RedemptionKind, RequestState, LoginState, LoginMethod,
        ObjectionState, ObjectionOutcome, FacePurpose, ChallengeState, ApplicationState,
        PrincipalKind, PeerRole, DeviceState, DeviceConfirmation, ProofState,
    );
    declare!(out, cfg:
        HubInfo, CatalogueView, EnrolRequest, EnrolResponse, HandlesResponse, Profile,
        EnterpriseRef, CertificateView, DeviceView, DeviceList, DeviceConfirmRequest,
        DeviceConfirmed, DeviceRemovalRequest, DevicesRemoved, PinSet, PinCheck, PinChecked,
        PinOutcome, DepartmentInfo, TerminalEnrolRequest, TerminalInfo, SessionToken,
    );
    declare!(out, cfg:
        RedeemRequest, AvailableCert, Redemption, AuthRequestCreate, AuthRequestView,
        DecisionRequest, ReleasedHolder, Release, ReleaseReceipt, ReceiptCert,
        LoginSessionCreated, LoginSessionView, SessionAuthRequest, LoginApprovalRequest,
        IdentityLoginRequest, GrantRequest, RevokeGrantRequest, GrantView, GrantsView,
    );
    declare!(out, cfg:
        AuditEntryView, CheckpointView, IssueRequest, IssueResponse, RevokeCertRequest,
        ObjectionRequest, ResolveObjectionRequest, ObjectionView, ArchiveSummary, ArchiveRecord, PublicCertificate,
        PublicLookup, FaceStep, FaceChallenge, FaceFrames, FaceOutcome,
        CounterFaceCheckRequest, CounterConsentRequest, StaffLookupRequest, ProxyApplicationRequest,
        ApplicationView, ProxyApplicationCreated, PushEvent, RemoteTerminal, FedRelay, FedCall,
        FedReply, ProofOrderCreate, ProofOrderView, DeptProofOrder, ProofIssue, ProofRefusal,
        ProofCheckRequest, ProofCheck,
    );
    declare!(out, cfg:
        crate::catalogue::CertType, crate::catalogue::Material, crate::catalogue::Matter,
        crate::catalogue::ProxyRule,
        crate::catalogue::SubjectKind, crate::cert::Certificate, crate::cert::CertificateBody,
        crate::cert::Seal, crate::cert::HolderIdType, crate::cert::CertStatus,
        crate::crypto::SigAlg, crate::crypto::PublicKey, crate::crypto::KeyId,
        crate::crypto::Signature, crate::ids::RegionCode, crate::ids::IdNumber,
        crate::ids::Uscc, crate::ids::LicenseId,
    );
    // serde_json::Value (records' details), as ts-rs names it.
    out.push_str("export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]?: JsonValue } | null;\n");
    out
}
