//! Storage helpers shared by the operations: who a key belongs to, and the audit chain.

use crate::auth::{Caller, DeptCaller, DeviceCaller, PeerCaller, TerminalCaller};
use crate::error::{HubError, HubResult};
use crate::{Backend, Db};
use mz_core::audit::{AuditEntry, GENESIS};
use mz_core::crypto::{KeyId, PublicKey};
use mz_core::ids::IdNumber;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::AnyConnection;
use sqlx::{Any, Arguments, Encode, Row, Type};

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

pub fn pk(bytes: Vec<u8>) -> HubResult<PublicKey> {
    PublicKey::from_bytes(&bytes)
        .map_err(|e| HubError::Internal(format!("stored key unreadable: {e}")))
}

/// Find the device, terminal or department that owns `key_id`.
pub async fn caller_by_key(db: &Db, key_id: KeyId) -> HubResult<Option<Caller>> {
    let k = key_id.to_string();
    if let Some(r) = sqlx::query(
        "SELECT d.public_key, h.id, h.id_number, p.name FROM devices d JOIN holders h ON h.id = d.holder \
         JOIN people p ON p.id_number = h.id_number WHERE d.key_id = $1 AND d.revoked_at IS NULL",
    )
    .bind(&k)
    .fetch_optional(&db.read)
    .await?
    {
        return Ok(Some(Caller::Device(DeviceCaller {
            key_id,
            public_key: pk(r.get(0))?,
            holder_id: r.get(1),
            id_number: IdNumber::parse(r.get::<&str, _>(2))?,
            name: r.get(3),
        })));
    }
    if let Some(r) = sqlx::query("SELECT id, kind, name, place, region, department, public_key FROM terminals WHERE key_id = $1 AND active = 1")
        .bind(&k)
        .fetch_optional(&db.read)
        .await?
    {
        return Ok(Some(Caller::Terminal(TerminalCaller {
            id: r.get(0),
            kind: r.get(1),
            name: r.get(2),
            place: r.get(3),
            region: r.get(4),
            department: r.get(5),
            public_key: pk(r.get(6))?,
        })));
    }
    if let Some(r) = sqlx::query(
        "SELECT code, name, region FROM departments WHERE api_key_id = $1 AND origin IS NULL",
    )
    .bind(&k)
    .fetch_optional(&db.read)
    .await?
    {
        return Ok(Some(Caller::Department(DeptCaller {
            code: r.get(0),
            name: r.get(1),
            region: r.get(2),
        })));
    }
    if let Some(r) =
        sqlx::query("SELECT region, role, name, public_key FROM peers WHERE key_id = $1")
            .bind(&k)
            .fetch_optional(&db.read)
            .await?
    {
        return Ok(Some(Caller::Hub(PeerCaller {
            region: mz_core::ids::RegionCode::parse(r.get::<&str, _>(0))?,
            role: r.get(1),
            name: r.get(2),
            public_key: pk(r.get(3))?,
        })));
    }
    Ok(None)
}

pub async fn department_api_key(db: &Db, key_id: KeyId) -> HubResult<PublicKey> {
    let r = sqlx::query("SELECT api_public_key FROM departments WHERE api_key_id = $1")
        .bind(key_id.to_string())
        .fetch_one(&db.read)
        .await?;
    pk(r.get(0))
}

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
}

impl WriteTx {
    pub fn new(
        tx: sqlx::Transaction<'static, Any>,
        gate: tokio::sync::OwnedMutexGuard<()>,
        backend: Backend,
    ) -> Self {
        WriteTx {
            backend,
            tx: Some(tx),
            _gate: gate,
            head: None,
        }
    }
    pub async fn commit(mut self) -> HubResult<()> {
        self.tx.take().expect("open transaction").commit().await?;
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

/// Names of people, for display.
pub async fn person_name(db: &Db, id_number: &str) -> HubResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT name FROM people WHERE id_number = $1")
            .bind(id_number)
            .fetch_optional(&db.read)
            .await?,
    )
}

/// Display name of a grant's principal: a person's name or an enterprise's name.
pub async fn principal_name(db: &Db, kind: &str, code: &str) -> HubResult<String> {
    let name = if kind == "person" {
        person_name(db, code).await?
    } else {
        sqlx::query_scalar("SELECT name FROM enterprises WHERE uscc = $1")
            .bind(code)
            .fetch_optional(&db.read)
            .await?
    };
    Ok(name.unwrap_or_default())
}

/// SQL built piece by piece, with each engine's own placeholders: numbered (`$1`, `$2` and so
/// on) for PostgreSQL, since sqlx's `QueryBuilder` writes `?` under the `Any` driver and
/// PostgreSQL refuses that; plain `?` for SQLite, where sqlx would look each numbered one up by
/// name (with a batch's thousands of values, that lookup alone took 5 % of the hub's time).
pub struct Sql<'a> {
    backend: Backend,
    text: String,
    args: AnyArguments<'a>,
    n: usize,
}

impl<'a> Sql<'a> {
    pub fn new(backend: Backend, text: &str) -> Self {
        Sql {
            backend,
            text: text.to_string(),
            args: AnyArguments::default(),
            n: 0,
        }
    }
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }
    /// Write the next placeholder and bind `v` to it.
    pub fn bind<T: 'a + Encode<'a, Any> + Type<Any>>(&mut self, v: T) -> &mut Self {
        self.n += 1;
        match self.backend {
            Backend::Sqlite => self.text.push('?'),
            Backend::Postgres => {
                self.text.push('$');
                self.text.push_str(&self.n.to_string());
            }
        }
        self.args.add(v).expect("a value the Any driver encodes");
        self
    }
    /// A parenthesised, comma-separated list with one placeholder per item, for `IN`.
    pub fn list<T: 'a + Encode<'a, Any> + Type<Any>>(
        &mut self,
        items: impl IntoIterator<Item = T>,
    ) -> &mut Self {
        let mut items = items.into_iter().peekable();
        if items.peek().is_none() {
            // `IN (NULL)` is valid SQL that matches nothing.
            return self.push("(NULL)");
        }
        self.rows([items], |r, items| {
            for v in items {
                r.bind(v);
            }
        })
    }
    /// One parenthesised tuple per item, comma-separated, for multi-row `VALUES` (give at least
    /// one item); `f` binds a tuple's values in order.
    pub fn rows<I>(
        &mut self,
        items: impl IntoIterator<Item = I>,
        mut f: impl FnMut(&mut Tuple<'_, 'a>, I),
    ) -> &mut Self {
        for (i, item) in items.into_iter().enumerate() {
            self.text.push_str(if i == 0 { "(" } else { "), (" });
            f(
                &mut Tuple {
                    sql: self,
                    first: true,
                },
                item,
            );
        }
        self.text.push(')');
        self
    }
    pub async fn fetch_all<'e>(
        self,
        e: impl sqlx::Executor<'e, Database = Any>,
    ) -> sqlx::Result<Vec<AnyRow>> {
        sqlx::query_with(&self.text, self.args).fetch_all(e).await
    }
    pub async fn execute<'e>(
        self,
        e: impl sqlx::Executor<'e, Database = Any>,
    ) -> sqlx::Result<u64> {
        Ok(sqlx::query_with(&self.text, self.args)
            .execute(e)
            .await?
            .rows_affected())
    }
}

/// The values of one tuple in [`Sql::rows`], comma-separated.
pub struct Tuple<'s, 'a> {
    sql: &'s mut Sql<'a>,
    first: bool,
}

impl<'a> Tuple<'_, 'a> {
    pub fn bind<T: 'a + Encode<'a, Any> + Type<Any>>(&mut self, v: T) -> &mut Self {
        if !self.first {
            self.sql.text.push_str(", ");
        }
        self.first = false;
        self.sql.bind(v);
        self
    }
}
