//! The registry of error codes: every code the hub can answer (and the few the client makes
//! itself), each with its HTTP status. Nothing else invents a code; the UIs have a message for
//! every one (the code is the message key), and the TypeScript bindings list them as a union.

use serde::{Deserialize, Serialize};

macro_rules! error_codes {
    ($( $(#[doc = $doc:literal])* $name:ident = $wire:literal, $status:literal; )*) => {
        /// A stable, machine-readable error code (the `code` of every error body).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        pub enum ErrorCode {
            $( $(#[doc = $doc])* #[serde(rename = $wire)] $name, )*
        }

        #[cfg(feature = "openapi")]
        $crate::string_enum_openapi!(ErrorCode, [$($wire),*], ["A stable, machine-readable error code (the `code` of every error body). Its HTTP status is in the registry; each operation lists the codes it can answer under `x-error-codes`."]);

        impl ErrorCode {
            /// Every code, in the registry's order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$name,)*];

            /// The code as it travels (snake_case).
            pub const fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$name => $wire,)* }
            }

            /// The HTTP status the hub answers with this code.
            pub const fn status(self) -> u16 {
                match self { $(ErrorCode::$name => $status,)* }
            }

            /// The code with this wire name, if it is in the registry.
            pub fn parse(wire: &str) -> Option<ErrorCode> {
                match wire { $($wire => Some(ErrorCode::$name),)* _ => None }
            }
        }
    };
}

error_codes! {
    // ---- 400: the request itself is wrong ----
    /// An identifier (ID number, credit code, region, certificate id) fails its standard's rules.
    InvalidIdentifier = "invalid_identifier", 400;
    /// A code, signed object or field cannot be read.
    Malformed = "malformed", 400;
    /// A code or signed object ends early.
    Truncated = "truncated", 400;
    /// A code or signed object of a version this hub does not know.
    UnknownVersion = "unknown_version", 400;
    /// A code of another kind than the one needed here.
    WrongKind = "wrong_kind", 400;
    /// A code or object whose validity has not begun.
    NotYetValid = "not_yet_valid", 400;
    /// An audit chain whose links do not hold.
    ChainBroken = "chain_broken", 400;
    /// A count out of its range (handles, results).
    BadCount = "bad_count", 400;
    /// A face frame that cannot be read.
    BadFrame = "bad_frame", 400;
    /// A federated call with an impossible hop count.
    BadHops = "bad_hops", 400;
    /// An id that is not a UUID.
    BadId = "bad_id", 400;
    /// A body that is not the JSON this route takes.
    BadJson = "bad_json", 400;
    /// A request body with a field its schema does not have (misspelt, or from a newer client).
    UnknownField = "unknown_field", 400;
    /// An unknown kind (of grant, subject, terminal…).
    BadKind = "bad_kind", 400;
    /// A device label that is empty or too long.
    BadLabel = "bad_label", 400;
    /// A peer hub's details that do not fit.
    BadPeer = "bad_peer", 400;
    /// A photo that cannot be used.
    BadPhoto = "bad_photo", 400;
    /// A revocation or objection reason that is empty or too long.
    BadReason = "bad_reason", 400;
    /// An unknown role.
    BadRole = "bad_role", 400;
    /// A terminal's details that do not fit.
    BadTerminal = "bad_terminal", 400;
    /// A text field that is empty or too long.
    BadText = "bad_text", 400;
    /// A query string this route cannot read (a parameter missing, unknown or out of range).
    BadQuery = "bad_query", 400;
    /// A signed decision for another request.
    DecisionMismatch = "decision_mismatch", 400;
    /// Too few or too many face frames.
    FrameCount = "frame_count", 400;
    /// Frame capture times that are not increasing offsets, one per frame, 50–1000 ms apart.
    BadCaptureTimes = "bad_capture_times", 400;
    /// A grant that would end before it begins, or has ended already.
    GrantInPast = "grant_in_past", 400;
    /// A signed object from another holder than the caller.
    HolderMismatch = "holder_mismatch", 400;
    /// The name given does not match the holder's.
    HolderNameMismatch = "holder_name_mismatch", 400;
    /// A region that is not a child of this hub's.
    NotChildRegion = "not_child_region", 400;
    /// A region that is not this hub's parent.
    NotParentRegion = "not_parent_region", 400;
    /// A matter that is not applied for by a proxy.
    NotProxyMatter = "not_proxy_matter", 400;
    /// A certificate that the request did not ask for.
    NotRequested = "not_requested", 400;
    /// A request that asks for nothing.
    NothingRequested = "nothing_requested", 400;
    /// A signed object whose time is too far from the hub's clock.
    ObjectClockSkew = "object_clock_skew", 400;
    /// A public lookup too short to answer.
    QueryTooShort = "query_too_short", 400;
    /// A signed revocation for another grant.
    RevocationMismatch = "revocation_mismatch", 400;
    /// A signed object from another terminal than the caller.
    TerminalMismatch = "terminal_mismatch", 400;
    /// A certificate of another type than the one named.
    TypeMismatch = "type_mismatch", 400;
    /// A certificate or request about another subject.
    WrongSubject = "wrong_subject", 400;

    // ---- 401: who is asking is not established ----
    /// A signature that does not verify.
    BadSignature = "bad_signature", 401;
    /// A request signature that does not verify.
    BadRequestSignature = "bad_request_signature", 401;
    /// A request signed too far from the hub's clock.
    ClockSkew = "clock_skew", 401;
    /// A signed request seen before.
    ReplayedRequest = "replayed_request", 401;
    /// A bearer session that has ended.
    SessionExpired = "session_expired", 401;
    /// A request signed before the hub started.
    StaleRequest = "stale_request", 401;
    /// No signature and no session.
    Unauthenticated = "unauthenticated", 401;
    /// A key the hub does not know (or no longer accepts).
    UnknownKey = "unknown_key", 401;

    // ---- 403: known, but not allowed ----
    /// A terminal asks only for the matters its department handles.
    MatterNotHandled = "matter_not_handled", 403;
    /// A show-code for one certificate reaches that certificate only.
    OutsideCode = "outside_code", 403;
    /// A device that is enrolled but not yet confirmed (face check, another device, a counter)
    /// may only see its own state and finish its enrolment.
    DevicePending = "device_pending", 403;
    /// A session token cannot open another session: sign the request with the key.
    SessionFromSession = "session_from_session", 403;
    /// A certificate the matter does not need.
    NotNeededByMatter = "not_needed_by_matter", 403;
    /// An enrolment code that is unknown or used.
    BadEnrolmentCode = "bad_enrolment_code", 403;
    /// Only a counter may do this.
    CounterOnly = "counter_only", 403;
    /// A delegation past its end.
    GrantExpired = "grant_expired", 403;
    /// A delegation its principal revoked.
    GrantRevoked = "grant_revoked", 403;
    /// Only the holder may decide this.
    HolderDecides = "holder_decides", 403;
    /// The ID number and name do not match the register.
    IdentityMismatch = "identity_mismatch", 403;
    /// Only a kiosk may do this.
    NotAKiosk = "not_a_kiosk", 403;
    /// The person presenting is not the delegation's agent.
    NotAgent = "not_agent", 403;
    /// A certificate that may not be disclosed publicly.
    NotDisclosable = "not_disclosable", 403;
    /// A department issuing or revoking what it did not issue.
    NotIssuer = "not_issuer", 403;
    /// Not the enterprise's legal representative.
    NotLegalRepresentative = "not_legal_representative", 403;
    /// Not the delegation's principal.
    NotPrincipal = "not_principal", 403;
    /// A matter not offered at kiosks.
    NotSelfService = "not_self_service", 403;
    /// A peer hub speaking for a region that is not its own.
    NotYourRegion = "not_your_region", 403;
    /// The guardian named is not a parent of the child in the population register, or the one
    /// looked up is not a child.
    NotGuardian = "not_guardian", 403;
    /// Beyond what the delegation covers.
    OutsideGrant = "outside_grant", 403;
    /// The holder refused.
    Refused = "refused", 403;
    /// This device has a PIN on the hub and has not entered it in the last two minutes.
    PinRequired = "pin_required", 403;
    /// Too many wrong PINs on this device: approvals are locked for a while.
    PinLocked = "pin_locked", 403;
    /// A PIN verifier that is not 32 bytes of base64url.
    BadPinVerifier = "bad_pin_verifier", 400;
    /// The approval came from a device removed since: nothing is released.
    ApprovalWithdrawn = "approval_withdrawn", 403;
    /// A seal by a key the hub does not know for that department.
    UnknownSealKey = "unknown_seal_key", 403;
    /// A caller of the wrong role for this route.
    WrongRole = "wrong_role", 403;
    /// (client) A kiosk login code from a terminal that is not registered.
    UnregisteredTerminal = "unregistered_terminal", 403;

    // ---- 404 ----
    /// Something named in the request does not exist (or is not the caller's).
    NotFound = "not_found", 404;
    /// An identifier the domain does not know (a certificate type, a matter).
    Unknown = "unknown", 404;
    /// No route at this path.
    NoSuchRoute = "no_such_route", 404;
    /// The person (an enterprise's legal representative) has no confirmed wallet to approve on:
    /// ask for the paper certificates, or check their face at the counter.
    NoWallet = "no_wallet", 404;
    /// No hub is known for that region (a code or a lookup of a region outside the federation:
    /// asking again will not help, so not a 503).
    NoRoute = "no_route", 404;
    // ---- 405 ----
    /// A route at this path, but not for this method (the `Allow` header lists those it takes).
    MethodNotAllowed = "method_not_allowed", 405;

    // ---- 409: the state does not allow it ----
    /// The device is not waiting for confirmation (already active, or removed).
    DeviceNotPending = "device_not_pending", 409;
    /// The device was already removed.
    DeviceRemoved = "device_removed", 409;
    /// The request was already decided.
    AlreadyDecided = "already_decided", 409;
    /// The certificate was already issued.
    AlreadyIssued = "already_issued", 409;
    /// Already registered (an allowance, a holder).
    AlreadyRegistered = "already_registered", 409;
    /// The certificates were already released.
    AlreadyReleased = "already_released", 409;
    /// The objection was already resolved.
    AlreadyResolved = "already_resolved", 409;
    /// Already revoked.
    AlreadyRevoked = "already_revoked", 409;
    /// The application was already filed.
    ApplicationFiled = "application_filed", 409;
    /// A face challenge closed after too many failures.
    ChallengeClosed = "challenge_closed", 409;
    /// A face challenge already used.
    ChallengeUsed = "challenge_used", 409;
    /// A holder code already redeemed.
    CodeAlreadyUsed = "code_already_used", 409;
    /// A department with that code exists.
    DepartmentExists = "department_exists", 409;
    /// The device key is already enrolled.
    DeviceAlreadyEnrolled = "device_already_enrolled", 409;
    /// A delegation like this exists.
    GrantExists = "grant_exists", 409;
    /// The key is already registered.
    KeyInUse = "key_in_use", 409;
    /// No department handles this here.
    NoDepartment = "no_department", 409;
    /// The register holds no photo of this person.
    NoReferencePhoto = "no_reference_photo", 409;
    /// The request is not decided yet.
    NotDecided = "not_decided", 409;
    /// The holder holds no valid certificate of that type.
    NotHeld = "not_held", 409;
    /// The matter issues no proof (the catalogue names none).
    NoProof = "no_proof", 409;
    /// The request's certificates were not released yet: nothing to build on.
    NotReleased = "not_released", 409;
    /// The proof order was already answered (issued, refused) or is past its time.
    ProofClosed = "proof_closed", 409;
    /// The login session has no holder logged in.
    NotLoggedIn = "not_logged_in", 409;
    /// The certificate is not valid.
    NotValid = "not_valid", 409;
    /// An objection about this is open.
    ObjectionOpen = "objection_open", 409;
    /// A peer hub for that region exists.
    PeerExists = "peer_exists", 409;
    /// The redemption already has a request.
    RedemptionUsed = "redemption_used", 409;
    /// The login session was already used.
    SessionUsed = "session_used", 409;
    /// The device holds as many unused handles as it may.
    TooManyHandles = "too_many_handles", 409;

    // ---- 410 ----
    /// A code, request, session or challenge past its time.
    Expired = "expired", 410;

    // ---- 408 ----
    /// The request's body did not arrive in time.
    RequestTimeout = "request_timeout", 408;
    // ---- 413 ----
    /// A code or object larger than the protocol allows.
    Oversize = "oversize", 413;
    /// A body larger than this route takes.
    BodyTooLarge = "body_too_large", 413;

    // ---- 422: well-formed, decided against ----
    /// Not eligible for the matter (age, registration).
    NotEligible = "not_eligible", 422;
    /// A face frame that is not an image.
    ImageUnreadable = "image_unreadable", 422;
    /// A face frame too large.
    ImageTooLarge = "image_too_large", 422;
    /// No face in a frame.
    NoFace = "no_face", 422;
    /// More than one face in a frame.
    SeveralFaces = "several_faces", 422;
    /// The face too small in a frame.
    FaceTooSmall = "face_too_small", 422;
    /// A blurred frame.
    FaceBlurred = "face_blurred", 422;
    /// The frames show different people.
    DifferentPeople = "different_people", 422;
    /// The moves asked for were not done in order.
    ChallengeNotPerformed = "challenge_not_performed", 422;
    /// The head jumped between frames: stills, not a filmed movement.
    MotionDiscontinuous = "motion_discontinuous", 422;
    /// A frame shows the scene mirrored.
    FramesMirrored = "frames_mirrored", 422;
    /// The same frame twice in one submission: a camera never gives that.
    FramesRepeated = "frames_repeated", 422;
    /// A frame sent before, for an earlier check.
    FramesReplayed = "frames_replayed", 422;
    /// The frames do not carry this challenge's nonce, or span more time than the challenge
    /// has existed: they were not filmed for it.
    FramesNotForChallenge = "frames_not_for_challenge", 422;
    /// The face does not match the register's photo.
    FaceMismatch = "face_mismatch", 422;

    // ---- 429 ----
    /// Too many failed attempts; try later.
    TooManyAttempts = "too_many_attempts", 429;

    // ---- 500 ----
    /// The hub's storage failed.
    Storage = "storage", 500;
    /// The hub failed otherwise.
    Internal = "internal", 500;

    // ---- 502, 503: another part is missing ----
    /// (client) The hub answered something that is not an error body of this version.
    UnexpectedResponse = "unexpected_response", 502;
    /// Face verification is not available on this hub.
    FaceUnavailable = "face_unavailable", 503;
    /// Too many request bodies are arriving at once (from this address, or in all): retry.
    ServerBusy = "server_busy", 503;
    /// The hub that holds it cannot be reached.
    PeerUnreachable = "peer_unreachable", 503;
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Compare with a wire name (tests and logs read codes as text).
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn wire_names_are_unique_snake_case_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for &c in ErrorCode::ALL {
            let w = c.as_str();
            assert!(seen.insert(w), "{w} twice");
            assert!(
                w.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{w}"
            );
            assert_eq!(ErrorCode::parse(w), Some(c));
            assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{w}\""));
            assert_eq!(
                serde_json::from_str::<ErrorCode>(&format!("\"{w}\"")).unwrap(),
                c
            );
            assert!((400..600).contains(&c.status()), "{w}");
        }
        assert_eq!(ErrorCode::parse("no_such_code"), None);
    }
}
