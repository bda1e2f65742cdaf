//! A software P-256 key (ring) that implements [`mz_core::crypto::Signer`].
//!
//! Used by the hub (department seal keys in the demo, the hub's checkpoint key), by terminals in
//! tests, and by the desktop wallet, whose PKCS#8 document lives in the OS keyring.

use mz_core::crypto::{PublicKey, SignError, Signature, Signer};
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
        let doc = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).expect("system randomness");
        Self::from_pkcs8(doc.as_ref()).expect("ring made it")
    }
    /// Load from a PKCS#8 v1 document (as stored in a keyring or database).
    pub fn from_pkcs8(pkcs8: &[u8]) -> Result<Self, String> {
        let rng = SystemRandom::new();
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8, &rng).map_err(|e| format!("not a P-256 PKCS#8 key: {e}"))?;
        Ok(SoftKey { pair, pkcs8: pkcs8.to_vec(), rng })
    }
    pub fn pkcs8(&self) -> &[u8] {
        &self.pkcs8
    }
}

impl Signer for SoftKey {
    fn public_key(&self) -> PublicKey {
        PublicKey::from_bytes(self.pair.public_key().as_ref()).expect("ring gives an uncompressed point")
    }
    fn sign(&self, payload: &[u8]) -> Result<Signature, SignError> {
        let sig = self.pair.sign(&self.rng, payload).map_err(|e| SignError(e.to_string()))?;
        Signature::from_bytes(sig.as_ref()).map_err(|e| SignError(e.to_string()))
    }
}

impl std::fmt::Debug for SoftKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SoftKey({})", self.key_id())
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
}
