//! The versioned compact envelope shared by every signed protocol object.
//!
//! ```text
//! version (1 byte, = 1) | kind (1 byte) | body (postcard) | signature (64 bytes, P-256 r||s)
//! ```
//! The signature covers every byte before it, so the kind byte separates domains. Parsing is
//! strict: unknown version, wrong kind, oversize, truncated, trailing bytes and bad signatures
//! are each refused with their own error. Codes that go into QR codes are written as
//! `MZ:` + base45 (RFC 9285), which uses only QR alphanumeric-mode characters.

use crate::crypto::{PublicKey, SignError, Signature, Signer};
use crate::error::{CoreError, Result};
use serde::{de::DeserializeOwned, Serialize};

pub const VERSION: u8 = 1;
pub const SIG_LEN: usize = 64;
pub const TEXT_PREFIX: &str = "MZ:";

/// What a signed object is. The byte value is part of the format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    IdentityCode = 1,
    ShowCode = 2,
    LoginCode = 3,
    AuthDecision = 4,
    Grant = 5,
    LoginApproval = 6,
    Checkpoint = 7,
    GrantRevocation = 8,
}

impl Kind {
    pub fn from_u8(b: u8) -> Option<Kind> {
        Some(match b {
            1 => Kind::IdentityCode,
            2 => Kind::ShowCode,
            3 => Kind::LoginCode,
            4 => Kind::AuthDecision,
            5 => Kind::Grant,
            6 => Kind::LoginApproval,
            7 => Kind::Checkpoint,
            8 => Kind::GrantRevocation,
            _ => return None,
        })
    }
    pub fn name(self) -> &'static str {
        match self {
            Kind::IdentityCode => "identity code",
            Kind::ShowCode => "show-code",
            Kind::LoginCode => "login code",
            Kind::AuthDecision => "authorization decision",
            Kind::Grant => "delegation grant",
            Kind::LoginApproval => "login approval",
            Kind::Checkpoint => "audit checkpoint",
            Kind::GrantRevocation => "grant revocation",
        }
    }
    /// Largest accepted encoding, signature included.
    pub fn max_len(self) -> usize {
        match self {
            Kind::IdentityCode | Kind::ShowCode | Kind::LoginCode | Kind::LoginApproval => 160,
            Kind::Checkpoint | Kind::AuthDecision | Kind::GrantRevocation => 512,
            Kind::Grant => 2048,
        }
    }
}

/// A parsed envelope whose signature has not been checked yet.
#[derive(Debug, Clone)]
pub struct Unverified<B> {
    pub(crate) kind: Kind,
    pub(crate) body: B,
    signed: Vec<u8>,
    sig: Signature,
}

impl<B> Unverified<B> {
    /// The claimed body, to find out which key should have signed it. Do not act on it.
    pub fn claimed(&self) -> &B {
        &self.body
    }
    pub fn kind(&self) -> Kind {
        self.kind
    }
    /// Check the signature; only then is the body handed out.
    pub fn verify(self, key: &PublicKey) -> Result<B> {
        key.verify(&self.signed, &self.sig)?;
        Ok(self.body)
    }
}

/// Encode and sign `body` as `kind`.
pub fn seal<B: Serialize>(
    kind: Kind,
    body: &B,
    signer: &dyn Signer,
) -> std::result::Result<Vec<u8>, SignError> {
    let mut out = vec![VERSION, kind as u8];
    out.extend(postcard::to_allocvec(body).map_err(|e| SignError(e.to_string()))?);
    let sig = signer.sign(&out)?;
    out.extend_from_slice(&sig.0);
    Ok(out)
}

/// Strictly parse an envelope of one of the `expected` kinds.
pub fn open<B: DeserializeOwned>(bytes: &[u8], expected: &[Kind]) -> Result<Unverified<B>> {
    let what = expected.first().map(|k| k.name()).unwrap_or("object");
    if bytes.len() < 2 + SIG_LEN {
        return Err(CoreError::Truncated { what });
    }
    if bytes[0] != VERSION {
        return Err(CoreError::UnknownVersion {
            what,
            version: bytes[0],
        });
    }
    let kind = Kind::from_u8(bytes[1])
        .filter(|k| expected.contains(k))
        .ok_or_else(|| CoreError::WrongKind {
            expected: what,
            got: Kind::from_u8(bytes[1])
                .map(|k| k.name().to_string())
                .unwrap_or_else(|| format!("unknown kind {}", bytes[1])),
        })?;
    if bytes.len() > kind.max_len() {
        return Err(CoreError::Oversize {
            what,
            len: bytes.len(),
            max: kind.max_len(),
        });
    }
    let (signed, sig) = bytes.split_at(bytes.len() - SIG_LEN);
    let (body, rest) = postcard::take_from_bytes::<B>(&signed[2..]).map_err(|e| match e {
        postcard::Error::DeserializeUnexpectedEnd => CoreError::Truncated { what },
        e => CoreError::malformed(what, e.to_string()),
    })?;
    if !rest.is_empty() {
        return Err(CoreError::malformed(
            what,
            format!("{} unexpected bytes after the body", rest.len()),
        ));
    }
    Ok(Unverified {
        kind,
        body,
        signed: signed.to_vec(),
        sig: Signature::from_bytes(sig)?,
    })
}

/// `MZ:` + base45.
pub fn to_text(bytes: &[u8]) -> String {
    format!("{TEXT_PREFIX}{}", base45::encode(bytes))
}

/// Strip what scanners add around a code (CR, LF, tab). Spaces are left alone: base45 uses the
/// space character inside codes (never at either end, so a stray trailing space is an error).
pub fn strip_scanner_noise(text: &str) -> &str {
    text.trim_matches(|c| c == '\r' || c == '\n' || c == '\t')
}

/// Inverse of [`to_text`]; also refuses text too long to be any code before decoding it.
pub fn from_text(what: &'static str, text: &str, max_len: usize) -> Result<Vec<u8>> {
    let text = strip_scanner_noise(text);
    let b45 = text
        .strip_prefix(TEXT_PREFIX)
        .ok_or_else(|| CoreError::malformed(what, "not a Mianzheng code (no MZ: prefix)"))?;
    if b45.len() > max_len * 3 / 2 + 3 {
        return Err(CoreError::Oversize {
            what,
            len: b45.len() * 2 / 3,
            max: max_len,
        });
    }
    base45::decode(b45).map_err(|e| CoreError::malformed(what, format!("not base45: {e:?}")))
}
