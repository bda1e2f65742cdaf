//! Write transactions and the audit chain's appends.

use super::sql::Sql;
use super::Backend;
use crate::error::{HubError, HubResult};
use mz_core::audit::{AuditEntry, GENESIS};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use sqlx::{Any, Row};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// A write transaction, holding the hub's write gate until it commits or rolls back. Its first
/// audit append reads the chain's head from the table, inside the transaction: an operator's
/// command (`mz-hub terminal`, `department`, `peer add`…) may have appended from another
/// process since this hub's last write, and a head remembered in memory would then be stale.
pub struct WriteTx {
    /// The engine under the transaction (for SQL built with [`Sql`]).
    pub backend: Backend,
    tx: Option<sqlx::Transaction<'static, Any>>,
    /// The hub's write gate, held until commit or rollback.
    _gate: tokio::sync::OwnedMutexGuard<()>,
    /// The chain's head after this transaction's own appends.
    head: Option<ChainHead>,
    /// The hub's key epoch, moved on at commit when this transaction changed what a key may do.
    keys: Arc<AtomicU64>,
    keys_changed: bool,
}

impl WriteTx {
    pub fn new(
        tx: sqlx::Transaction<'static, Any>,
        gate: tokio::sync::OwnedMutexGuard<()>,
        backend: Backend,
        keys: Arc<AtomicU64>,
    ) -> Self {
        WriteTx {
            backend,
            tx: Some(tx),
            _gate: gate,
            head: None,
            keys,
            keys_changed: false,
        }
    }
    /// This transaction removes, confirms or deactivates a key: once it commits, callers
    /// remembered with their sessions are looked up again ([`super::Db::key_epoch`]).
    pub fn keys_changed(&mut self) {
        self.keys_changed = true;
    }
    pub async fn commit(mut self) -> HubResult<()> {
        self.tx.take().expect("open transaction").commit().await?;
        if self.keys_changed {
            self.keys.fetch_add(1, Ordering::Release);
        }
        Ok(())
    }
}

impl std::ops::Deref for WriteTx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        self.tx.as_ref().expect("open transaction")
    }
}
impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        self.tx.as_mut().expect("open transaction")
    }
}

/// An audit entry to append (its sequence number and hashes are filled in on append).
pub struct NewEntry<'a> {
    pub at: i64,
    pub event: &'a str,
    pub actor: String,
    pub subject: Option<String>,
    pub detail: serde_json::Value,
}

/// Append an entry to the audit chain inside a write transaction (which holds the write
/// gate, so appends are strictly ordered). Returns the new entry.
pub async fn audit(
    w: &mut WriteTx,
    at: i64,
    event: &str,
    actor: &str,
    subject: Option<&str>,
    detail: serde_json::Value,
) -> HubResult<AuditEntry> {
    let e = NewEntry {
        at,
        event,
        actor: actor.into(),
        subject: subject.map(str::to_string),
        detail,
    };
    Ok(audit_many(w, std::slice::from_ref(&e))
        .await?
        .pop()
        .expect("one entry"))
}

/// The audit chain's last entry: (sequence, hash).
pub type ChainHead = (u64, [u8; 32]);

/// Reads the chain's last entry (a writer's first append, inside its transaction).
pub const HEAD_SQL: &str = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1";
/// Appends entries (followed by one `(…)` of 8 values per entry).
pub const AUDIT_INSERT: &str =
    "INSERT INTO audit (seq, at, prev, event, actor, subject, detail, hash) VALUES ";

pub fn stored_hash(v: Vec<u8>) -> HubResult<[u8; 32]> {
    v.try_into()
        .map_err(|_| HubError::Internal("bad stored hash".into()))
}

/// Link `entries` onto the chain after `head` (None: the chain is empty): each with its
/// sequence number, previous hash and own hash.
pub fn link(head: Option<ChainHead>, entries: &[NewEntry<'_>]) -> Vec<(AuditEntry, [u8; 32])> {
    let (mut seq, mut prev) = head.map_or((1, GENESIS), |(s, h)| (s + 1, h));
    entries
        .iter()
        .map(|n| {
            let e = AuditEntry {
                seq,
                at: n.at,
                prev,
                event: n.event.into(),
                actor: n.actor.clone(),
                subject: n.subject.clone(),
                detail: n.detail.to_string(),
            };
            prev = e.hash();
            seq += 1;
            (e, prev)
        })
        .collect()
}

/// Append several entries, in order, with one statement.
pub async fn audit_many(w: &mut WriteTx, entries: &[NewEntry<'_>]) -> HubResult<Vec<AuditEntry>> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let head = match w.head {
        Some(h) => Some(h),
        None => match sqlx::query(HEAD_SQL).fetch_optional(&mut **w).await? {
            Some(r) => Some((r.get::<i64, _>(0) as u64, stored_hash(r.get(1))?)),
            None => None,
        },
    };
    let out = link(head, entries);
    let mut q = Sql::new(w.backend, AUDIT_INSERT);
    q.rows(&out, |b, (e, hash)| {
        b.bind(e.seq as i64)
            .bind(e.at)
            .bind(e.prev.to_vec())
            .bind(e.event.clone())
            .bind(e.actor.clone())
            .bind(e.subject.clone())
            .bind(e.detail.clone())
            .bind(hash.to_vec());
    });
    q.execute(&mut **w).await?;
    w.head = out.last().map(|(e, hash)| (e.seq, *hash));
    Ok(out.into_iter().map(|(e, _)| e).collect())
}

pub fn row_to_entry(r: &AnyRow) -> HubResult<(AuditEntry, [u8; 32])> {
    let h = stored_hash;
    Ok((
        AuditEntry {
            seq: r.get::<i64, _>("seq") as u64,
            at: r.get("at"),
            prev: h(r.get("prev"))?,
            event: r.get("event"),
            actor: r.get("actor"),
            subject: r.get("subject"),
            detail: r.get("detail"),
        },
        h(r.get("hash"))?,
    ))
}
