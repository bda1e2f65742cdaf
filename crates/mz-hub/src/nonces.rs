//! Replay protection for signed requests: every (key, nonce) seen within the time a signature
//! is accepted, kept in one set per minute of signing time. Checking and recording is O(1);
//! whole minutes are dropped as they leave the window, so no request pays for a scan of the
//! store however many nonces it holds (security review item 12: past 100,000 nonces the old
//! store rescanned itself under its lock on every request).

use mz_core::crypto::KeyId;
use mz_core::reqsig::MAX_REQUEST_SKEW_SECS;
use std::collections::{BTreeMap, HashSet};
use std::sync::Mutex;

/// Seconds of signing time per set.
const BUCKET_SECS: i64 = 60;

/// The nonces signed within one minute.
type Minute = HashSet<(KeyId, [u8; 16])>;

#[derive(Default)]
pub struct Nonces {
    buckets: Mutex<BTreeMap<i64, Minute>>,
}

impl Nonces {
    /// Record `nonce` of `key` signed at `ts` (within the accepted skew of `now`); false if it
    /// was seen before. A nonce is 16–64 characters (checked by `mz_core::reqsig`); the set
    /// keeps 16 bytes of its SHA-256.
    pub fn fresh(&self, key: KeyId, nonce: &str, ts: i64, now: i64) -> bool {
        let raw = nonce_digest(nonce);
        let mut b = self.buckets.lock().expect("nonce lock");
        // Signatures older than the skew are refused before this; their sets can go.
        let oldest = (now - MAX_REQUEST_SKEW_SECS).div_euclid(BUCKET_SECS);
        while let Some((&first, _)) = b.first_key_value() {
            if first >= oldest {
                break;
            }
            b.pop_first();
        }
        b.entry(ts.div_euclid(BUCKET_SECS))
            .or_default()
            .insert((key, raw))
    }

    /// How many nonces are kept.
    pub fn len(&self) -> usize {
        self.buckets
            .lock()
            .expect("nonce lock")
            .values()
            .map(Minute::len)
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn nonce_digest(nonce: &str) -> [u8; 16] {
    let d = mz_core::crypto::sha256(nonce.as_bytes());
    d[..16].try_into().expect("16 bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> KeyId {
        use mz_core::crypto::Signer;
        mz_softkey::SoftKey::generate().key_id()
    }

    #[test]
    fn a_nonce_is_accepted_once_within_the_window_and_old_minutes_are_dropped() {
        let n = Nonces::default();
        let k = key();
        let a = "00112233445566778899aabbccddeeff";
        assert!(n.fresh(k, a, 1000, 1000));
        assert!(!n.fresh(k, a, 1000, 1001));
        assert!(n.fresh(key(), a, 1000, 1001), "another key's nonce");
        // Far later, the minute of ts 1000 has left the window and is dropped.
        assert!(n.fresh(k, "ffeeddccbbaa99887766554433221100", 5000, 5000));
        assert_eq!(n.len(), 1);
    }
}
