//! The error codes each operation can answer, for the OpenAPI document: the codes every call
//! can meet, those of its way of authenticating, and its own (the codes of the services and
//! the protocol steps behind it). A superset where a service shares codes between calls.

use mz_core::ErrorCode::{self, *};

/// Every operation: a body or query it cannot read, the method, the server's state.
pub const EVERY_CALL: &[ErrorCode] = &[
    BadJson,
    UnknownField,
    BadQuery,
    BodyTooLarge,
    RequestTimeout,
    MethodNotAllowed,
    ServerBusy,
    Storage,
    Internal,
];

/// A signed request (RFC 9421) that the hub refuses.
pub const SIGNED: &[ErrorCode] = &[
    Unauthenticated,
    UnknownKey,
    BadRequestSignature,
    ClockSkew,
    ReplayedRequest,
    StaleRequest,
];

/// A signed request or a session, from a caller of the role the operation is for.
pub const SIGNED_OR_SESSION: &[ErrorCode] = &[SessionExpired, WrongRole, DevicePending];

/// Reading a code or a signed object (`MZ:` + base45, or base64url).
const SIGNED_OBJECT: &[ErrorCode] = &[
    Malformed,
    Oversize,
    Truncated,
    UnknownVersion,
    WrongKind,
    BadSignature,
    Expired,
    NotYetValid,
];

/// The codes of the operation `method path` itself.
pub fn specific(method: &str, path: &str) -> Vec<ErrorCode> {
    let own: &[ErrorCode] = match (method, path) {
        ("post", "/v1/session") => &[SessionFromSession],
        ("post", "/v1/enrol") => &[
            InvalidIdentifier,
            BadLabel,
            DeviceAlreadyEnrolled,
            IdentityMismatch,
            KeyInUse,
        ],
        ("post", "/v1/terminals/enrol") => &[BadEnrolmentCode, KeyInUse, Malformed],
        ("post", "/v1/me/handles") => &[BadCount, TooManyHandles],
        ("get" | "post", p) if p.starts_with("/v1/me/devices") => &[
            NotFound,
            DeviceNotPending,
            DeviceRemoved,
            PinRequired,
            PinLocked,
        ],
        ("post", "/v1/me/pin") | ("post", "/v1/me/pin/check") => {
            &[BadPinVerifier, PinRequired, PinLocked, NotFound]
        }
        ("post", "/v1/terminal/device-confirmations") => &[
            BadEnrolmentCode,
            InvalidIdentifier,
            IdentityMismatch,
            DeviceNotPending,
            NotFound,
        ],
        ("post", "/v1/terminal/device-removals") => &[InvalidIdentifier, NotFound],
        ("post", "/v1/terminal/redeem") => &[
            CodeAlreadyUsed,
            NotFound,
            NotAgent,
            GrantExpired,
            GrantRevoked,
            OutsideGrant,
            UnregisteredTerminal,
            NoRoute,
            PeerUnreachable,
        ],
        ("post", "/v1/terminal/auth-requests")
        | ("post", "/v1/terminal/login-sessions/{id}/auth-requests") => &[
            NotFound,
            Expired,
            RedemptionUsed,
            BadCount,
            NotNeededByMatter,
            NothingRequested,
            NotHeld,
            MatterNotHandled,
            OutsideCode,
            OutsideGrant,
            NotSelfService,
            NotLoggedIn,
            PeerUnreachable,
        ],
        ("post", "/v1/terminal/lookups") => &[
            InvalidIdentifier,
            IdentityMismatch,
            TooManyAttempts,
            NoWallet,
            WrongRole,
            Unknown,
            MatterNotHandled,
            NotNeededByMatter,
            NothingRequested,
            BadCount,
            WrongSubject,
            NotHeld,
            NotGuardian,
        ],
        ("get", "/v1/terminal/auth-requests/{id}") | ("get", "/v1/me/auth-requests/{id}") => {
            &[NotFound, BadId]
        }
        ("post", "/v1/terminal/auth-requests/{id}/release") => &[
            NotFound,
            BadId,
            NotDecided,
            Refused,
            Expired,
            AlreadyReleased,
            ApprovalWithdrawn,
            GrantRevoked,
            GrantExpired,
            PeerUnreachable,
        ],
        ("post", "/v1/terminal/auth-requests/{id}/consent") => &[
            NotFound,
            BadId,
            AlreadyDecided,
            Expired,
            CounterOnly,
            HolderDecides,
            NotRequested,
        ],
        ("post", "/v1/me/auth-requests/{id}/decision") => &[
            NotFound,
            BadId,
            AlreadyDecided,
            Expired,
            DecisionMismatch,
            NotRequested,
            ObjectClockSkew,
            BadSignature,
            Malformed,
            NotPrincipal,
            GrantRevoked,
            GrantExpired,
        ],
        ("get", "/v1/me/auth-requests") => &[],
        ("post", "/v1/terminal/login-sessions") => &[NotAKiosk],
        ("get", "/v1/terminal/login-sessions/{id}")
        | ("post", "/v1/terminal/login-sessions/{id}/end") => &[NotFound, BadId, TerminalMismatch],
        ("post", "/v1/terminal/login-sessions/{id}/identity-code") => &[
            NotFound,
            Oversize,
            BadId,
            TerminalMismatch,
            SessionUsed,
            Expired,
            CodeAlreadyUsed,
            WrongKind,
            Malformed,
            BadSignature,
        ],
        ("post", "/v1/me/login-approvals") => &[
            NotFound,
            SessionUsed,
            TerminalMismatch,
            UnregisteredTerminal,
        ],
        ("post", "/v1/me/grants") => &[
            NotFound,
            Malformed,
            BadSignature,
            InvalidIdentifier,
            GrantExists,
            GrantInPast,
            NotLegalRepresentative,
            WrongSubject,
            ObjectClockSkew,
            PinRequired,
            PinLocked,
        ],
        ("post", "/v1/me/grants/{id}/revoke") => &[
            NotFound,
            AlreadyRevoked,
            RevocationMismatch,
            NotPrincipal,
            BadSignature,
            ObjectClockSkew,
        ],
        ("post", "/v1/me/objections") => &[NotFound, BadText, ObjectionOpen],
        ("post", "/v1/dept/objections/{id}/resolve") => {
            &[NotFound, BadText, AlreadyResolved, NotIssuer]
        }
        ("post", "/v1/dept/certificates") => &[
            NotFound,
            Malformed,
            InvalidIdentifier,
            BadSignature,
            AlreadyIssued,
            HolderMismatch,
            HolderNameMismatch,
            NotIssuer,
            TypeMismatch,
            UnknownSealKey,
            NotValid,
        ],
        ("get", "/v1/dept/archives/{id}") => &[NotFound],
        ("post", "/v1/terminal/proofs") => &[
            NotFound,
            Unknown,
            NoProof,
            NotReleased,
            Expired,
            NoDepartment,
        ],
        ("get", "/v1/terminal/proofs/{id}") => &[NotFound],
        ("post", "/v1/dept/proof-orders/{id}/issue") => &[
            NotFound,
            ProofClosed,
            TypeMismatch,
            HolderMismatch,
            HolderNameMismatch,
            NotIssuer,
            UnknownSealKey,
            BadSignature,
            AlreadyIssued,
        ],
        ("post", "/v1/dept/proof-orders/{id}/refuse") => &[NotFound, ProofClosed, BadReason],
        ("post", "/v1/public/proof-checks") => &[NotFound, Malformed],
        ("post", "/v1/dept/certificates/revoke") => {
            &[NotFound, AlreadyRevoked, BadReason, NotIssuer]
        }
        ("post", "/v1/me/face-challenge") | ("post", "/v1/terminal/face-checks") => &[
            InvalidIdentifier,
            NotFound,
            NoReferencePhoto,
            FaceUnavailable,
            TooManyAttempts,
            NotProxyMatter,
            IdentityMismatch,
            NotLegalRepresentative,
        ],
        ("post", "/v1/face/challenges/{id}/frames")
        | ("post", "/v1/terminal/face-checks/{id}/frames") => &[
            NotFound,
            BadId,
            ChallengeUsed,
            ChallengeClosed,
            Expired,
            BadFrame,
            FrameCount,
            BadCaptureTimes,
            ImageUnreadable,
            ImageTooLarge,
            NoFace,
            SeveralFaces,
            FaceTooSmall,
            FaceBlurred,
            DifferentPeople,
            ChallengeNotPerformed,
            MotionDiscontinuous,
            FramesMirrored,
            FramesRepeated,
            FramesReplayed,
            FramesNotForChallenge,
            FaceMismatch,
            TooManyAttempts,
            FaceUnavailable,
        ],
        ("post", "/v1/me/proxy-applications") => &[
            NotFound,
            NotEligible,
            NotProxyMatter,
            ApplicationFiled,
            AlreadyRegistered,
            NoDepartment,
            InvalidIdentifier,
        ],
        ("post", "/v1/federation/relay") => &[
            BadHops,
            BadTerminal,
            NotYourRegion,
            NoRoute,
            PeerUnreachable,
            Malformed,
            BadSignature,
        ],
        ("get", "/v1/public/terminals/{id}") | ("get", "/v1/public/releases/{id}") => {
            &[NotFound, BadId]
        }
        ("get", "/v1/public/certificates") => &[QueryTooShort, NotDisclosable, Unknown],
        ("get", "/v1/public/regions/{region}/certificates") => &[
            QueryTooShort,
            NotDisclosable,
            Unknown,
            InvalidIdentifier,
            NoRoute,
            PeerUnreachable,
            UnexpectedResponse,
        ],
        ("get", "/v1/public/checkpoint") => &[NotFound],
        _ => &[],
    };
    let reads_a_code = path.ends_with("/redeem") || path.ends_with("/login-approvals");
    let code: &[ErrorCode] = if reads_a_code { SIGNED_OBJECT } else { &[] };
    [own, code].concat()
}

#[cfg(test)]
/// Codes no HTTP operation answers: the operator's commands (`mz-hub peer`, `department`,
/// `terminal`, `verify-audit`, reference photos) and the router's own (a route that does not
/// exist is not an operation).
pub const NOT_OVER_HTTP: &[ErrorCode] = &[
    BadKind,
    BadPeer,
    BadPhoto,
    BadRole,
    ChainBroken,
    DepartmentExists,
    NotChildRegion,
    NotParentRegion,
    PeerExists,
    NoSuchRoute,
];
