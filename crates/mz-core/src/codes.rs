//! Signed protocol objects: holder codes (电子身份码 / 亮证码), kiosk login codes, login
//! approvals, authorization decisions, delegation grants and their revocation, audit
//! checkpoints. Each is a [`crate::wire`] envelope with a postcard body.
//!
//! Protocol steps are types: a scanned code is [`Unverified`] until [`ScannedHolderCode::verify`]
//! (signature and time) turns it into a [`VerifiedHolderCode`], the only thing a hub can redeem.

use crate::crypto::{PublicKey, SignError, Signer};
use crate::error::{CoreError, Result};
use crate::ids::{IdNumber, RegionCode, Uscc};
use crate::wire::{self, Kind, Unverified};
use serde::{de::DeserializeOwned, Deserialize, Serialize};

/// A holder code is shown for 30 s and accepted for at most 60 s after it was made.
pub const CODE_ROTATE_SECS: i64 = 30;
pub const CODE_TTL_SECS: i64 = 60;
/// Accepted clock difference between a phone and the hub.
pub const CLOCK_SKEW_SECS: i64 = 30;

/// Check `[issued_at - skew, issued_at + ttl]` against the caller's clock.
pub fn check_window(what: &'static str, issued_at: i64, ttl: i64, now: i64) -> Result<()> {
    if now + CLOCK_SKEW_SECS < issued_at {
        return Err(CoreError::NotYetValid { what });
    }
    if now > issued_at + ttl {
        return Err(CoreError::Expired { what });
    }
    Ok(())
}

/// A signed object with a fixed kind and its own validity rules.
pub trait SignedObject: Serialize + DeserializeOwned + Sized {
    const KIND: Kind;
    /// Rules on the body alone (ids valid, periods ordered…), checked when opening.
    fn check(&self) -> Result<()> {
        Ok(())
    }
    fn sign(&self, signer: &dyn Signer) -> std::result::Result<Vec<u8>, SignError> {
        wire::seal(Self::KIND, self, signer)
    }
    fn open(bytes: &[u8]) -> Result<Unverified<Self>> {
        let u = wire::open::<Self>(bytes, &[Self::KIND])?;
        u.claimed().check()?;
        Ok(u)
    }
}

/// What a holder code shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    /// 电子身份码: who I am (log in, identify at a counter).
    Identity,
    /// 亮证码 for one of my certificates, by catalogue type number and ordinal among mine.
    Certificate { cert_type: u16, ordinal: u8 },
    /// 亮证码 shown by an agent under a delegation grant.
    Delegated { grant: [u8; 16], cert_type: u16 },
}

/// Body of a holder code. Holds no personal data: the handle is an opaque one-time token the
/// hub issued to the device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolderCodeBody {
    pub region: u32,
    pub handle: [u8; 16],
    pub scope: Scope,
    pub issued_at: i64,
    pub nonce: [u8; 8],
}

impl HolderCodeBody {
    fn kind(&self) -> Kind {
        match self.scope {
            Scope::Identity => Kind::IdentityCode,
            _ => Kind::ShowCode,
        }
    }
    /// Sign with the device key and render as QR text (`MZ:` + base45).
    pub fn sign_text(&self, device: &dyn Signer) -> std::result::Result<String, SignError> {
        Ok(wire::to_text(&wire::seal(self.kind(), self, device)?))
    }
}

/// A holder code read from a scanner, parsed but not verified.
#[derive(Debug, Clone)]
pub struct ScannedHolderCode(Unverified<HolderCodeBody>);

impl ScannedHolderCode {
    /// Parse a holder code of any holder kind (identity or show).
    pub fn parse(text: &str) -> Result<Self> {
        Self::parse_kinds(text, &[Kind::ShowCode, Kind::IdentityCode])
    }
    /// Parse, accepting only `kinds`.
    pub fn parse_kinds(text: &str, kinds: &[Kind]) -> Result<Self> {
        let bytes = wire::from_text("holder code", text, Kind::ShowCode.max_len())?;
        let u = wire::open::<HolderCodeBody>(&bytes, kinds)?;
        if u.claimed().kind() != u.kind() {
            return Err(CoreError::malformed(
                "holder code",
                "scope does not match the kind byte",
            ));
        }
        RegionCode::from_u32(u.claimed().region)?;
        Ok(ScannedHolderCode(u))
    }
    /// The handle, to look up which device key must have signed it.
    pub fn handle(&self) -> [u8; 16] {
        self.0.claimed().handle
    }
    pub fn region(&self) -> RegionCode {
        RegionCode::from_u32(self.0.claimed().region).expect("checked at parse")
    }
    /// Check signature and validity window; `now` is the verifier's clock (unix seconds).
    pub fn verify(self, device_key: &PublicKey, now: i64) -> Result<VerifiedHolderCode> {
        let what = self.0.kind().name();
        let body = self.0.verify(device_key)?;
        check_window(what, body.issued_at, CODE_TTL_SECS, now)?;
        Ok(VerifiedHolderCode(body))
    }
}

/// A holder code whose signature and time were checked. Only [`ScannedHolderCode::verify`]
/// makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedHolderCode(HolderCodeBody);

impl VerifiedHolderCode {
    pub fn body(&self) -> &HolderCodeBody {
        &self.0
    }
    pub fn is_identity(&self) -> bool {
        self.0.scope == Scope::Identity
    }
}

/// Kiosk login code (扫码登录), made and signed by a registered terminal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginCodeBody {
    pub region: u32,
    pub terminal: [u8; 16],
    pub session: [u8; 16],
    pub issued_at: i64,
    pub nonce: [u8; 8],
}

impl LoginCodeBody {
    pub fn sign_text(&self, terminal: &dyn Signer) -> std::result::Result<String, SignError> {
        Ok(wire::to_text(&wire::seal(Kind::LoginCode, self, terminal)?))
    }
    /// Parse scanned text; verify with the terminal's registered key via [`Unverified::verify`]
    /// and then [`LoginCodeBody::check_time`].
    pub fn parse(text: &str) -> Result<Unverified<LoginCodeBody>> {
        let bytes = wire::from_text("login code", text, Kind::LoginCode.max_len())?;
        wire::open(&bytes, &[Kind::LoginCode])
    }
    pub fn check_time(&self, now: i64) -> Result<()> {
        check_window("login code", self.issued_at, CODE_TTL_SECS, now)
    }
}

/// The holder's signed "log me in to this kiosk session".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginApproval {
    pub session: [u8; 16],
    pub terminal: [u8; 16],
    pub code_nonce: [u8; 8],
    /// When the kiosk made the login code that was scanned (its `issued_at`).
    pub code_issued_at: i64,
    pub approved_at: i64,
}
impl SignedObject for LoginApproval {
    const KIND: Kind = Kind::LoginApproval;
}

/// The holder's signed answer to an authorization request: the certificate types approved
/// (empty = refuse all).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthDecision {
    pub request: [u8; 16],
    pub approve: Vec<u16>,
    pub decided_at: i64,
}
impl SignedObject for AuthDecision {
    const KIND: Kind = Kind::AuthDecision;
    fn check(&self) -> Result<()> {
        let mut seen = self.approve.clone();
        seen.sort_unstable();
        seen.dedup();
        if seen.len() != self.approve.len() {
            return Err(CoreError::malformed(
                "authorization decision",
                "a certificate type is listed twice",
            ));
        }
        Ok(())
    }
}

/// Who grants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Principal {
    Person(String),
    /// An enterprise; the signer must be its legal representative.
    Enterprise(String),
}

/// Longest delegation a principal may grant in one go.
pub const MAX_GRANT_SECS: i64 = 366 * 86_400;

/// 授权他人使用 / 委托代办 / 法人授权: signed by the principal's device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub grant: [u8; 16],
    pub principal: Principal,
    /// The agent's 居民身份证号码.
    pub agent: String,
    pub cert_types: Vec<u16>,
    pub matters: Vec<String>,
    pub valid_from: i64,
    pub valid_to: i64,
    pub created_at: i64,
}
impl SignedObject for Grant {
    const KIND: Kind = Kind::Grant;
    fn check(&self) -> Result<()> {
        match &self.principal {
            Principal::Person(id) => {
                IdNumber::parse(id)?;
            }
            Principal::Enterprise(u) => {
                Uscc::parse(u)?;
            }
        }
        let agent = IdNumber::parse(&self.agent)?;
        if let Principal::Person(p) = &self.principal {
            if p == agent.as_str() {
                return Err(CoreError::malformed(
                    "delegation grant",
                    "a person cannot delegate to themselves",
                ));
            }
        }
        if self.cert_types.is_empty() {
            return Err(CoreError::malformed(
                "delegation grant",
                "grants no certificate",
            ));
        }
        if self.valid_to <= self.valid_from {
            return Err(CoreError::malformed(
                "delegation grant",
                "ends before it starts",
            ));
        }
        if self.valid_to - self.valid_from > MAX_GRANT_SECS {
            return Err(CoreError::malformed(
                "delegation grant",
                "may last at most 366 days",
            ));
        }
        Ok(())
    }
}
impl Grant {
    pub fn check_time(&self, now: i64) -> Result<()> {
        if now < self.valid_from {
            return Err(CoreError::NotYetValid {
                what: "delegation grant",
            });
        }
        if now >= self.valid_to {
            return Err(CoreError::Expired {
                what: "delegation grant",
            });
        }
        Ok(())
    }
}

/// The principal's signed revocation of a grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantRevocation {
    pub grant: [u8; 16],
    pub revoked_at: i64,
}
impl SignedObject for GrantRevocation {
    const KIND: Kind = Kind::GrantRevocation;
}

/// A hub's signed statement of the audit chain's head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub region: u32,
    pub seq: u64,
    pub head: [u8; 32],
    pub at: i64,
}
impl SignedObject for Checkpoint {
    const KIND: Kind = Kind::Checkpoint;
}
