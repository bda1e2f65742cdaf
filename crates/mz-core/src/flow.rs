//! The hub's lifecycles: the states, kinds and outcomes its objects go through, as enums (the
//! API, the UIs' generated types and the database all use these names), and how long each
//! object lives. A stored value that is not one of these is an error, never a default: an
//! unreadable state must not widen access.

use crate::{CoreError, ErrorCode, Result};
use serde::{Deserialize, Serialize};

/// A redemption may be used to ask for authorization within this time.
pub const REDEMPTION_SECS: i64 = 600;
/// The holder has this long to answer an authorization request.
pub const REQUEST_SECS: i64 = 300;
/// How long after the holder's decision the terminal may fetch what was approved: an approval
/// kept longer releases nothing (security review M-3).
pub const RELEASE_SECS: i64 = 600;
/// A kiosk login session waits this long for a holder.
pub const LOGIN_SESSION_SECS: i64 = 300;
/// A logged-in kiosk session ends on the hub after this long without a request in it (the
/// kiosk page logs out sooner, after 90 s by default).
pub const KIOSK_IDLE_SECS: i64 = 180;
/// A kiosk's login code (rotated every 30 s) can be approved this long after it was made: a
/// code photographed and relayed later logs no one in (M-4).
pub const LOGIN_CODE_FRESH_SECS: i64 = 60;

/// A department's service has this long to issue (or refuse) a proof a kiosk ordered.
pub const PROOF_ORDER_SECS: i64 = 600;

/// An enum that travels (JSON, database) as fixed snake_case names.
macro_rules! wire_enum {
    ($(#[doc = $doc:literal])* $name:ident { $($(#[doc = $vdoc:literal])* $v:ident = $w:literal,)* }) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        pub enum $name {
            $( $(#[doc = $vdoc])* #[serde(rename = $w)] $v, )*
        }

        #[cfg(feature = "openapi")]
        $crate::string_enum_openapi!($name, [$($w),*], [$($doc),*]);

        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[$($name::$v,)*];

            /// The name it travels and is stored as.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$v => $w,)* }
            }

            /// Read a stored or sent name; anything else is `malformed`.
            pub fn parse(s: &str) -> crate::Result<$name> {
                match s {
                    $($w => Ok($name::$v),)*
                    _ => Err(CoreError::Malformed { what: stringify!($name), why: format!("unknown value {s:?}") }),
                }
            }
        }

        /// Compare with a stored or sent name.
        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

wire_enum! {
    /// How well the hub knows who is behind a device.
    Assurance {
        /// Nothing proven by a device of theirs yet (a person first seen at a counter's face check).
        None = "none",
        /// 实名: the ID number and name match the population register.
        RealName = "real_name",
        /// 实名 + 实人: and a live face check matched the register's photo.
        RealNamePerson = "real_name_real_person",
    }
}

wire_enum! {
    /// A holder's device: it can do nothing but finish its enrolment until a face check bound
    /// to its key passes, an active device of the same holder approves it, or a counter's
    /// staff confirm it against the ID card; an active device can be removed by any active
    /// device of the holder (or a counter), and a removed key is refused from then on.
    DeviceState {
        /// Enrolled (实名) but not yet confirmed: it may only see its own state and finish.
        Pending = "pending",
        /// Confirmed: acts for the holder.
        Active = "active",
        /// Removed (lost, replaced, or refused as a new device): refused on its next request.
        Removed = "removed",
    }
}

wire_enum! {
    /// How a pending device became active.
    DeviceConfirmation {
        /// A live face check whose challenge was issued to the new key (实人).
        Face = "face",
        /// An active device of the same holder approved it.
        OtherDevice = "other_device",
        /// A counter's staff checked the ID card in person and scanned the device's code.
        Counter = "counter",
    }
}

wire_enum! {
    /// What kind of terminal a terminal is.
    TerminalKind {
        /// A staffed service counter (窗口).
        Counter = "counter",
        /// A 24-hour self-service kiosk (自助终端).
        Kiosk = "kiosk",
        /// A department's staff console (部门工作台) in a browser: it acts for its department
        /// on the department's pages (what it issued, objections, applications, archives),
        /// never as a counter or kiosk.
        Console = "console",
    }
}

wire_enum! {
    /// How a terminal came to act for a subject.
    RedemptionKind {
        /// The holder's identity code.
        Identity = "identity",
        /// A show-code for one certificate.
        Show = "show",
        /// An agent's code under a delegation.
        Delegated = "delegated",
        /// A kiosk login.
        Login = "login",
        /// A face check at a counter, for a holder without a phone.
        Face = "face",
        /// Staff entered the holder's ID number (or an enterprise's 统一社会信用代码) and name:
        /// the holder (the legal representative) approves on their phone.
        Lookup = "lookup",
    }
}

wire_enum! {
    /// An authorization request (用证授权) from pending to its decision.
    RequestState {
        Pending = "pending",
        Approved = "approved",
        PartlyApproved = "partly_approved",
        Refused = "refused",
        Expired = "expired",
        /// Approved from a device that was removed before the certificates were released:
        /// the approval is void (a lost phone's approvals end with it).
        Withdrawn = "withdrawn",
    }
}

wire_enum! {
    /// A proof a kiosk ordered for a self-service matter (房查证明, 参保证明), issued by the
    /// department's own service.
    ProofState {
        /// Waiting for the issuing department's service.
        Pending = "pending",
        /// The department issued the proof, sealed.
        Issued = "issued",
        /// The department could not issue it, and said why.
        Refused = "refused",
        /// No answer within the order's time.
        Expired = "expired",
    }
}

wire_enum! {
    /// A kiosk login session.
    LoginState {
        Waiting = "waiting",
        LoggedIn = "logged_in",
        Ended = "ended",
        Expired = "expired",
    }
}

wire_enum! {
    /// How a holder logged in to a kiosk.
    LoginMethod {
        /// The wallet scanned the kiosk's login code (扫码登录).
        Scan = "scan",
        /// The kiosk's scanner read the holder's identity code (亮码登录).
        IdentityCode = "identity_code",
    }
}

wire_enum! {
    /// Whose certificates a delegation grant lends.
    PrincipalKind {
        /// A person's own.
        Person = "person",
        /// An enterprise's, granted by its legal representative.
        Enterprise = "enterprise",
    }
}

wire_enum! {
    /// Where a federated hub stands to this one.
    PeerRole {
        /// The hub of the region that contains this one's.
        Parent = "parent",
        /// The hub of a region inside this one's.
        Child = "child",
    }
}

wire_enum! {
    /// How a department resolves an objection (异议).
    ObjectionOutcome {
        Corrected = "corrected",
        Rejected = "rejected",
    }
}

wire_enum! {
    /// An objection (异议) from open to resolved.
    ObjectionState {
        Open = "open",
        Corrected = "corrected",
        Rejected = "rejected",
    }
}

wire_enum! {
    /// What a live face check (实人) is for.
    FacePurpose {
        /// The holder's own 实人 step.
        Enrol = "enrol",
        /// An elderly person's check for an application filed for them.
        Proxy = "proxy",
        /// A holder without a phone, at a counter.
        Counter = "counter",
    }
}

wire_enum! {
    /// A live face check's challenge: open for attempts until it passes, or is refused after
    /// too many.
    ChallengeState {
        Open = "open",
        Passed = "passed",
        Refused = "refused",
    }
}

wire_enum! {
    /// An application filed by an agent for someone else (高龄津贴代办).
    ApplicationState {
        AwaitingFace = "awaiting_face",
        Filed = "filed",
        Expired = "expired",
    }
}

/// A request, a session or a check that has run out.
fn expired(what: &'static str) -> CoreError {
    CoreError::Expired { what }
}

impl RequestState {
    /// The state a holder's decision leaves a pending request in: nothing approved is a
    /// refusal, everything asked for an approval, anything between a partial approval.
    pub fn after_decision(asked: usize, approved: usize) -> RequestState {
        if approved == 0 {
            RequestState::Refused
        } else if approved >= asked {
            RequestState::Approved
        } else {
            RequestState::PartlyApproved
        }
    }

    /// The state as of `now`: a pending request past `expires_at` has expired.
    pub fn at(self, now: i64, expires_at: i64) -> RequestState {
        if self == RequestState::Pending && now > expires_at {
            RequestState::Expired
        } else {
            self
        }
    }

    /// A decision (approving `approved` of `asked` certificates) at `now`: only a pending
    /// request that has not expired can be decided, once.
    pub fn decide(self, now: i64, expires_at: i64, asked: usize, approved: usize) -> Result<Self> {
        match self.at(now, expires_at) {
            RequestState::Pending => Ok(RequestState::after_decision(asked, approved)),
            RequestState::Expired => Err(expired("authorization request")),
            RequestState::Approved
            | RequestState::PartlyApproved
            | RequestState::Refused
            | RequestState::Withdrawn => Err(CoreError::step(
                ErrorCode::AlreadyDecided,
                "this request was already decided",
            )),
        }
    }

    /// Whether a decision could be taken at `now` (before its approvals are known).
    pub fn decidable(self, now: i64, expires_at: i64) -> Result<()> {
        self.decide(now, expires_at, 1, 1).map(|_| ())
    }

    /// The terminal's release at `now`: only what was approved (all or part) is handed over.
    pub fn release(self, now: i64, expires_at: i64) -> Result<()> {
        let why = match self.at(now, expires_at) {
            RequestState::Approved | RequestState::PartlyApproved => return Ok(()),
            RequestState::Expired => return Err(expired("authorization request")),
            RequestState::Refused => (ErrorCode::Refused, "the holder refused this request"),
            RequestState::Withdrawn => (
                ErrorCode::ApprovalWithdrawn,
                "the device that approved this request was removed: ask again",
            ),
            RequestState::Pending => (ErrorCode::NotDecided, "the holder has not decided yet"),
        };
        Err(CoreError::step(why.0, why.1))
    }
}

impl LoginState {
    /// The state as of `now`: a session waiting past `expires_at`, or logged in and idle past
    /// it, has expired.
    pub fn at(self, now: i64, expires_at: i64) -> LoginState {
        let open = matches!(self, LoginState::Waiting | LoginState::LoggedIn);
        if open && now > expires_at {
            LoginState::Expired
        } else {
            self
        }
    }

    /// A holder logs in at `now` (by scanning the kiosk's code or showing an identity code):
    /// only a waiting session, once.
    pub fn log_in(self, now: i64, expires_at: i64) -> Result<LoginState> {
        match self.at(now, expires_at) {
            LoginState::Waiting => Ok(LoginState::LoggedIn),
            LoginState::Expired => Err(expired("login session")),
            LoginState::LoggedIn | LoginState::Ended => Err(CoreError::step(
                ErrorCode::SessionUsed,
                "this login session is already used; the kiosk shows a new code",
            )),
        }
    }

    /// The kiosk asks for certificates in this session at `now`: only while someone is in.
    pub fn ask(self, now: i64, expires_at: i64) -> Result<()> {
        match self.at(now, expires_at) {
            LoginState::LoggedIn => Ok(()),
            _ => Err(CoreError::step(
                ErrorCode::NotLoggedIn,
                "nobody is logged in to this session",
            )),
        }
    }
}

impl ChallengeState {
    /// Frames submitted for a face check at `now`: only an open check that has not expired.
    pub fn submit(self, now: i64, expires_at: i64) -> Result<()> {
        match self {
            ChallengeState::Passed => Err(CoreError::step(
                ErrorCode::ChallengeUsed,
                "this face check already passed",
            )),
            ChallengeState::Refused => Err(CoreError::step(
                ErrorCode::ChallengeClosed,
                "too many attempts on this face check: start a new one",
            )),
            ChallengeState::Open if now > expires_at => Err(expired("face challenge")),
            ChallengeState::Open => Ok(()),
        }
    }

    /// After an attempt: passed, still open for another try, or refused after the last one.
    pub fn after_attempt(passed: bool, attempts: i64, max_attempts: i64) -> ChallengeState {
        match (passed, attempts >= max_attempts) {
            (true, _) => ChallengeState::Passed,
            (false, false) => ChallengeState::Open,
            (false, true) => ChallengeState::Refused,
        }
    }
}

impl From<ObjectionOutcome> for ObjectionState {
    fn from(o: ObjectionOutcome) -> Self {
        match o {
            ObjectionOutcome::Corrected => ObjectionState::Corrected,
            ObjectionOutcome::Rejected => ObjectionState::Rejected,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_anything_else_is_refused() {
        for &s in RequestState::ALL {
            assert_eq!(RequestState::parse(s.as_str()), Ok(s));
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{s}\""));
        }
        assert_eq!(LoginState::parse("logged_in"), Ok(LoginState::LoggedIn));
        assert_eq!(RequestState::after_decision(2, 0), RequestState::Refused);
        assert_eq!(
            RequestState::after_decision(2, 1),
            RequestState::PartlyApproved
        );
        assert_eq!(RequestState::after_decision(2, 2), RequestState::Approved);
        assert_eq!(RequestState::Pending.at(11, 10), RequestState::Expired);
        assert_eq!(RequestState::Pending.at(10, 10), RequestState::Pending);
        assert_eq!(RequestState::Approved.at(11, 10), RequestState::Approved);
        for bad in ["", "Pending", "approved ", "any"] {
            assert!(RequestState::parse(bad).is_err(), "{bad:?}");
        }
    }

    fn code_of<T: std::fmt::Debug>(r: Result<T>) -> ErrorCode {
        r.expect_err("refused").code()
    }

    /// Every request state against a decision and a release, before and after expiry.
    #[test]
    fn request_steps() {
        use RequestState::*;
        assert_eq!(Pending.decide(10, 10, 2, 1), Ok(PartlyApproved));
        assert_eq!(Pending.decide(10, 10, 2, 0), Ok(Refused));
        assert_eq!(code_of(Pending.decide(11, 10, 2, 2)), ErrorCode::Expired);
        for decided in [Approved, PartlyApproved, Refused, Withdrawn, Expired] {
            assert!(decided.decide(0, 10, 1, 1).is_err(), "{decided}");
        }
        assert_eq!(
            code_of(Approved.decide(0, 10, 1, 1)),
            ErrorCode::AlreadyDecided
        );
        assert_eq!(
            code_of(Withdrawn.decidable(0, 10)),
            ErrorCode::AlreadyDecided
        );
        assert_eq!(Approved.release(99, 10), Ok(()));
        assert_eq!(PartlyApproved.release(0, 10), Ok(()));
        assert_eq!(code_of(Pending.release(0, 10)), ErrorCode::NotDecided);
        assert_eq!(code_of(Pending.release(11, 10)), ErrorCode::Expired);
        assert_eq!(code_of(Refused.release(0, 10)), ErrorCode::Refused);
        assert_eq!(
            code_of(Withdrawn.release(0, 10)),
            ErrorCode::ApprovalWithdrawn
        );
    }

    #[test]
    fn login_steps() {
        use LoginState::*;
        assert_eq!(Waiting.log_in(10, 10), Ok(LoggedIn));
        assert_eq!(code_of(Waiting.log_in(11, 10)), ErrorCode::Expired);
        assert_eq!(code_of(LoggedIn.log_in(0, 10)), ErrorCode::SessionUsed);
        assert_eq!(code_of(Ended.log_in(0, 10)), ErrorCode::SessionUsed);
        assert_eq!(LoggedIn.ask(10, 10), Ok(()));
        for no in [Waiting, Ended, Expired] {
            assert_eq!(code_of(no.ask(0, 10)), ErrorCode::NotLoggedIn, "{no}");
        }
        assert_eq!(code_of(LoggedIn.ask(11, 10)), ErrorCode::NotLoggedIn);
    }

    #[test]
    fn challenge_steps() {
        use ChallengeState::*;
        assert_eq!(Open.submit(10, 10), Ok(()));
        assert_eq!(code_of(Open.submit(11, 10)), ErrorCode::Expired);
        assert_eq!(code_of(Passed.submit(0, 10)), ErrorCode::ChallengeUsed);
        assert_eq!(code_of(Refused.submit(0, 10)), ErrorCode::ChallengeClosed);
        assert_eq!(ChallengeState::after_attempt(true, 3, 3), Passed);
        assert_eq!(ChallengeState::after_attempt(false, 2, 3), Open);
        assert_eq!(ChallengeState::after_attempt(false, 3, 3), Refused);
    }
}
