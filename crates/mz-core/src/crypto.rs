//! Keys, signatures and hashes. Verification only: signing is behind [`Signer`], which hands
//! out a payload and takes back a signature, so a key can live in a keyring or secure hardware.

use crate::error::{CoreError, Result};
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::fmt;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

pub fn b64(bytes: &[u8]) -> String {
    B64.encode(bytes)
}

/// Strict base64url without padding (non-canonical trailing bits are refused).
pub fn unb64(what: &'static str, s: &str) -> Result<Vec<u8>> {
    B64.decode(s)
        .map_err(|e| CoreError::malformed(what, format!("not base64url: {e}")))
}

pub fn sha256(data: &[u8]) -> [u8; 32] {
    let d = ring::digest::digest(&ring::digest::SHA256, data);
    d.as_ref().try_into().expect("32 bytes")
}

/// Signature algorithms: P-256 with SHA-256 (ES256), and SM2 with SM3 (the 国密 pair of
/// GB/T 38540 electronic seals, GB/T 32918 / GM/T 0003), for departments that must seal with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum SigAlg {
    #[serde(rename = "ES256")]
    Es256,
    #[serde(rename = "SM2-SM3")]
    Sm2Sm3,
}

/// The signer's distinguishing identifier that SM2 hashes into every signature: the default
/// one of GM/T 0009, as electronic seals use it.
pub const SM2_DISTID: &str = "1234567812345678";

/// The first byte of an SM2 key's binary form (never the first byte of a SEC1 point).
const SM2_TAG: u8 = 0x53;

/// A public key: an uncompressed SEC1 P-256 point (65 bytes, 0x04 || X || Y), or an SM2 point
/// in the same form behind a one-byte tag (66 bytes, 0x53 || 0x04 || X || Y). The binary form
/// is what is stored, sent (base64url) and hashed into the key id, so the algorithm travels
/// with the key.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "BHm0...base64url of 65 bytes"))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct PublicKey(Vec<u8>);

impl PublicKey {
    pub fn from_bytes(b: &[u8]) -> Result<Self> {
        match b {
            [4, ..] if b.len() == 65 => Ok(PublicKey(b.to_vec())), // ring exposes no point parser; an off-curve point fails every verification
            [SM2_TAG, point @ ..] => Self::sm2(point),
            _ => Err(CoreError::malformed(
                "public key",
                "must be an uncompressed P-256 point (65 bytes) or a tagged SM2 point (66 bytes)",
            )),
        }
    }
    /// An SM2 key from its uncompressed SEC1 point (checked to be on the curve).
    pub fn sm2(sec1: &[u8]) -> Result<Self> {
        if sec1.len() != 65
            || sec1[0] != 4
            || sm2::dsa::VerifyingKey::from_sec1_bytes(SM2_DISTID, sec1).is_err()
        {
            return Err(CoreError::malformed(
                "public key",
                "not an uncompressed SM2 point",
            ));
        }
        let mut b = vec![SM2_TAG];
        b.extend_from_slice(sec1);
        Ok(PublicKey(b))
    }
    pub fn alg(&self) -> SigAlg {
        if self.0[0] == SM2_TAG {
            SigAlg::Sm2Sm3
        } else {
            SigAlg::Es256
        }
    }
    /// The binary form (see the type).
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
    pub fn key_id(&self) -> KeyId {
        let h = sha256(&self.0);
        KeyId(h[..16].try_into().expect("16"))
    }
    pub fn verify(&self, msg: &[u8], sig: &Signature) -> Result<()> {
        let ok = match self.alg() {
            SigAlg::Es256 => ring::signature::UnparsedPublicKey::new(
                &ring::signature::ECDSA_P256_SHA256_FIXED,
                &self.0,
            )
            .verify(msg, &sig.0)
            .is_ok(),
            SigAlg::Sm2Sm3 => {
                use sm2::dsa::signature::Verifier;
                let key = sm2::dsa::VerifyingKey::from_sec1_bytes(SM2_DISTID, &self.0[1..])
                    .map_err(|_| CoreError::BadSignature)?;
                sm2::dsa::Signature::from_bytes(&sig.0.into())
                    .is_ok_and(|s| key.verify(msg, &s).is_ok())
            }
        };
        if ok {
            Ok(())
        } else {
            Err(CoreError::BadSignature)
        }
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({})", self.key_id())
    }
}
impl TryFrom<String> for PublicKey {
    type Error = CoreError;
    fn try_from(s: String) -> Result<Self> {
        PublicKey::from_bytes(&unb64("public key", &s)?)
    }
}
impl From<PublicKey> for String {
    fn from(k: PublicKey) -> String {
        b64(&k.0)
    }
}

/// Key id: the first 16 bytes of SHA-256 over the public key, shown as 32 lower-case hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct KeyId(pub [u8; 16]);

impl KeyId {
    pub fn parse(s: &str) -> Result<Self> {
        if s.len() != 32
            || !s
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(CoreError::malformed(
                "key id",
                "must be 32 lower-case hex digits",
            ));
        }
        Ok(KeyId(
            hex::decode(s).expect("checked").try_into().expect("16"),
        ))
    }
}
impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}
impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({self})")
    }
}
impl TryFrom<String> for KeyId {
    type Error = CoreError;
    fn try_from(s: String) -> Result<Self> {
        KeyId::parse(&s)
    }
}
impl From<KeyId> for String {
    fn from(k: KeyId) -> String {
        k.to_string()
    }
}

/// A fixed-size signature, r || s (64 bytes), for either algorithm.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct Signature(pub [u8; 64]);

impl Signature {
    pub fn from_bytes(b: &[u8]) -> Result<Self> {
        Ok(Signature(b.try_into().map_err(|_| {
            CoreError::malformed("signature", "must be 64 bytes")
        })?))
    }
}
impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature({}…)", hex::encode(&self.0[..4]))
    }
}
impl TryFrom<String> for Signature {
    type Error = CoreError;
    fn try_from(s: String) -> Result<Self> {
        Signature::from_bytes(&unb64("signature", &s)?)
    }
}
impl From<Signature> for String {
    fn from(s: Signature) -> String {
        b64(&s.0)
    }
}

/// Failure of an external signer (keyring locked, hardware gone…).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("signer failed: {0}")]
pub struct SignError(pub String);

/// Something that holds a private key (P-256, or SM2 for seals) and signs payloads with it;
/// its public key says which algorithm.
pub trait Signer: Send + Sync {
    fn public_key(&self) -> PublicKey;
    fn sign(&self, payload: &[u8]) -> std::result::Result<Signature, SignError>;
    fn key_id(&self) -> KeyId {
        self.public_key().key_id()
    }
}

impl<T: Signer + ?Sized> Signer for std::sync::Arc<T> {
    fn public_key(&self) -> PublicKey {
        (**self).public_key()
    }
    fn sign(&self, payload: &[u8]) -> std::result::Result<Signature, SignError> {
        (**self).sign(payload)
    }
}
