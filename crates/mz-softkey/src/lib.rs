//! Software keys that implement [`mz_core::crypto::Signer`]: P-256 (ring), and SM2 (RustCrypto
//! `sm2`, for departments that seal with the 国密 algorithm).
//!
//! Used by the hub (department seal keys in the demo, the hub's checkpoint key), by terminals in
//! tests, and by the desktop wallet, whose PKCS#8 document lives in the OS keyring.

use mz_core::crypto::{b64, unb64, PublicKey, SigAlg, SignError, Signature, Signer};
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};

pub struct SoftKey {
    pair: EcdsaKeyPair,
    pkcs8: Vec<u8>,
    rng: SystemRandom,
}

impl SoftKey {
    /// A new random key.
    pub fn generate() -> Self {
        let rng = SystemRandom::new();
        let doc = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            .expect("system randomness");
        Self::from_pkcs8(doc.as_ref()).expect("ring made it")
    }
    /// Load from a PKCS#8 v1 document (as stored in a keyring or database).
    pub fn from_pkcs8(pkcs8: &[u8]) -> Result<Self, String> {
        let rng = SystemRandom::new();
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8, &rng)
            .map_err(|e| format!("not a P-256 PKCS#8 key: {e}"))?;
        Ok(SoftKey {
            pair,
            pkcs8: pkcs8.to_vec(),
            rng,
        })
    }
    pub fn pkcs8(&self) -> &[u8] {
        &self.pkcs8
    }
}

impl Signer for SoftKey {
    fn public_key(&self) -> PublicKey {
        PublicKey::from_bytes(self.pair.public_key().as_ref())
            .expect("ring gives an uncompressed point")
    }
    fn sign(&self, payload: &[u8]) -> Result<Signature, SignError> {
        let sig = self
            .pair
            .sign(&self.rng, payload)
            .map_err(|e| SignError(e.to_string()))?;
        Signature::from_bytes(sig.as_ref()).map_err(|e| SignError(e.to_string()))
    }
}

/// A software SM2 key (signatures with SM3 and the default distinguishing identifier).
pub struct Sm2Key {
    key: sm2::dsa::SigningKey,
}

impl Sm2Key {
    /// A new random key.
    pub fn generate() -> Self {
        use ring::rand::SecureRandom;
        let rng = SystemRandom::new();
        loop {
            // A uniformly random scalar: retry the (vanishingly rare) out-of-range draw.
            let mut secret = [0u8; 32];
            rng.fill(&mut secret).expect("system randomness");
            if let Ok(k) = Self::from_secret(&secret) {
                return k;
            }
        }
    }
    /// Load from the 32-byte private scalar (big-endian).
    pub fn from_secret(secret: &[u8]) -> Result<Self, String> {
        let key = sm2::dsa::SigningKey::from_slice(mz_core::crypto::SM2_DISTID, secret)
            .map_err(|_| "not an SM2 private key (32 bytes, 0 < d < n-1)".to_string())?;
        Ok(Sm2Key { key })
    }
    pub fn secret(&self) -> Vec<u8> {
        self.key.to_bytes().to_vec()
    }
}

impl Signer for Sm2Key {
    fn public_key(&self) -> PublicKey {
        PublicKey::sm2(&self.key.verifying_key().to_sec1_bytes()).expect("a point of the curve")
    }
    fn sign(&self, payload: &[u8]) -> Result<Signature, SignError> {
        let sig: sm2::dsa::Signature = sm2::dsa::signature::Signer::try_sign(&self.key, payload)
            .map_err(|e| SignError(e.to_string()))?;
        Signature::from_bytes(&sig.to_bytes()).map_err(|e| SignError(e.to_string()))
    }
}

/// A department's seal key: P-256, or SM2.
pub enum SealKey {
    P256(SoftKey),
    Sm2(Sm2Key),
}

impl SealKey {
    /// A new random key of `alg`.
    pub fn generate(alg: SigAlg) -> Self {
        match alg {
            SigAlg::Es256 => SealKey::P256(SoftKey::generate()),
            SigAlg::Sm2Sm3 => SealKey::Sm2(Sm2Key::generate()),
        }
    }
    /// One line of text: `<alg> <base64url private key>` (PKCS#8 for P-256, the scalar for SM2).
    pub fn to_text(&self) -> String {
        match self {
            SealKey::P256(k) => format!("ES256 {}", b64(k.pkcs8())),
            SealKey::Sm2(k) => format!("SM2-SM3 {}", b64(&k.secret())),
        }
    }
    /// Read [`SealKey::to_text`]; a bare base64url PKCS#8 is an older P-256 file.
    pub fn from_text(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (alg, data) = text.split_once(' ').unwrap_or(("ES256", text));
        let bytes = unb64("key", data.trim()).map_err(|e| e.to_string())?;
        match alg {
            "ES256" => Ok(SealKey::P256(SoftKey::from_pkcs8(&bytes)?)),
            "SM2-SM3" => Ok(SealKey::Sm2(Sm2Key::from_secret(&bytes)?)),
            other => Err(format!("unknown seal algorithm {other} (ES256 or SM2-SM3)")),
        }
    }
}

impl Signer for SealKey {
    fn public_key(&self) -> PublicKey {
        match self {
            SealKey::P256(k) => k.public_key(),
            SealKey::Sm2(k) => k.public_key(),
        }
    }
    fn sign(&self, payload: &[u8]) -> Result<Signature, SignError> {
        match self {
            SealKey::P256(k) => k.sign(payload),
            SealKey::Sm2(k) => k.sign(payload),
        }
    }
}

impl std::fmt::Debug for SoftKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SoftKey({})", self.key_id())
    }
}

/// A department's private keys: the API key signs requests, the seal key seals certificates.
pub struct DepartmentKeys {
    pub api: SoftKey,
    /// P-256, or SM2 for a department that seals with the 国密 algorithm.
    pub seal: SealKey,
}

impl DepartmentKeys {
    /// Key file written by the CLI, one key per line: `api <base64url PKCS#8>` and
    /// `seal <algorithm> <base64url private key>` (an older file's `seal <PKCS#8>` is P-256).
    pub fn to_file_text(&self) -> String {
        format!(
            "api {}\nseal {}\n",
            b64(self.api.pkcs8()),
            self.seal.to_text()
        )
    }
    pub fn from_file_text(text: &str) -> Result<Self, String> {
        let get = |k: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(k)?.strip_prefix(' '))
                .ok_or(format!("no {k} key in file"))
        };
        let api =
            SoftKey::from_pkcs8(&unb64("key", get("api")?.trim()).map_err(|e| e.to_string())?)?;
        Ok(DepartmentKeys {
            api,
            seal: SealKey::from_text(get("seal")?)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_verify_and_reload() {
        let k = SoftKey::generate();
        let sig = k.sign(b"hello").unwrap();
        k.public_key().verify(b"hello", &sig).unwrap();
        assert!(k.public_key().verify(b"hellp", &sig).is_err());
        let k2 = SoftKey::from_pkcs8(k.pkcs8()).unwrap();
        assert_eq!(k2.public_key(), k.public_key());
        assert!(SoftKey::from_pkcs8(b"junk").is_err());
    }

    #[test]
    fn sm2_sign_verify_reload_and_text() {
        let k = Sm2Key::generate();
        assert_eq!(k.public_key().alg(), SigAlg::Sm2Sm3);
        let sig = k.sign(b"hello").unwrap();
        k.public_key().verify(b"hello", &sig).unwrap();
        assert!(k.public_key().verify(b"hellp", &sig).is_err());
        // The same signature under a P-256 key with the same point bytes does not verify.
        let p256 = PublicKey::from_bytes(&k.public_key().as_bytes()[1..]).unwrap();
        assert!(p256.verify(b"hello", &sig).is_err());
        assert_eq!(
            Sm2Key::from_secret(&k.secret()).unwrap().public_key(),
            k.public_key()
        );
        assert!(Sm2Key::from_secret(&[0u8; 32]).is_err());
        assert!(Sm2Key::from_secret(&[1u8; 31]).is_err());
        for alg in [SigAlg::Es256, SigAlg::Sm2Sm3] {
            let s = SealKey::generate(alg);
            let back = SealKey::from_text(&s.to_text()).unwrap();
            assert_eq!(back.public_key(), s.public_key());
            assert_eq!(back.public_key().alg(), alg);
        }
        assert!(SealKey::from_text("RSA AAAA").is_err());
    }
}
