//! The audit chain (用证记录): every release, refusal, grant and login is an entry whose hash
//! covers the previous entry's hash. The hub signs [`crate::codes::Checkpoint`]s of the head.

use crate::crypto::sha256;
use crate::error::{CoreError, Result};
use serde::{Deserialize, Serialize};

const AUDIT_TAG: &[u8] = b"MZ-AUDIT-1\n";
pub const GENESIS: [u8; 32] = [0; 32];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: u64,
    pub at: i64,
    pub prev: [u8; 32],
    /// What happened (`release`, `refuse`, `grant`, `login`…).
    pub event: String,
    /// Who did it (`terminal:<id>`, `device:<key id>`, `department:<code>`, `hub`).
    pub actor: String,
    /// Whose records this belongs to (holder code), if anyone's.
    pub subject: Option<String>,
    /// Event details as JSON text (matter, certificate types, request id…).
    pub detail: String,
}

impl AuditEntry {
    pub fn hash(&self) -> [u8; 32] {
        let mut data = AUDIT_TAG.to_vec();
        data.extend(postcard::to_allocvec(self).expect("plain data"));
        sha256(&data)
    }
}

/// Check a run of entries starting at `prev` (the hash before the first one): sequence numbers
/// consecutive, each `prev` the hash of the one before, each stored hash right. Returns the
/// head hash.
pub fn verify_chain<'a>(
    mut prev: [u8; 32],
    mut expected_seq: u64,
    entries: impl IntoIterator<Item = (&'a AuditEntry, [u8; 32])>,
) -> Result<[u8; 32]> {
    for (e, stored) in entries {
        if e.seq != expected_seq {
            return Err(CoreError::ChainBroken {
                seq: e.seq,
                why: format!("expected entry {expected_seq}"),
            });
        }
        if e.prev != prev {
            return Err(CoreError::ChainBroken {
                seq: e.seq,
                why: "does not link to the entry before it".into(),
            });
        }
        let h = e.hash();
        if h != stored {
            return Err(CoreError::ChainBroken {
                seq: e.seq,
                why: "content does not match its hash".into(),
            });
        }
        prev = h;
        expected_seq += 1;
    }
    Ok(prev)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: u64) -> Vec<(AuditEntry, [u8; 32])> {
        let mut prev = GENESIS;
        (1..=n)
            .map(|seq| {
                let e = AuditEntry {
                    seq,
                    at: 1_700_000_000 + seq as i64,
                    prev,
                    event: "release".into(),
                    actor: "terminal:x".into(),
                    subject: Some("s".into()),
                    detail: "{}".into(),
                };
                prev = e.hash();
                (e, prev)
            })
            .collect()
    }

    #[test]
    fn chain_verifies_and_detects_changes() {
        let c = chain(5);
        let head = verify_chain(GENESIS, 1, c.iter().map(|(e, h)| (e, *h))).unwrap();
        assert_eq!(head, c[4].1);
        // altered content
        let mut bad = c.clone();
        bad[2].0.detail = "{\"x\":1}".into();
        assert_eq!(
            verify_chain(GENESIS, 1, bad.iter().map(|(e, h)| (e, *h)))
                .unwrap_err()
                .code(),
            "chain_broken"
        );
        // altered content with a recomputed hash breaks the next link
        bad[2].1 = bad[2].0.hash();
        let e = verify_chain(GENESIS, 1, bad.iter().map(|(e, h)| (e, *h))).unwrap_err();
        assert!(matches!(e, CoreError::ChainBroken { seq: 4, .. }), "{e}");
        // a removed entry
        let mut gap = c.clone();
        gap.remove(1);
        assert!(verify_chain(GENESIS, 1, gap.iter().map(|(e, h)| (e, *h))).is_err());
    }
}
