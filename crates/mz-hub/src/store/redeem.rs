//! Show-code redemption in storage: who owns a scanned code's handle (and what they hold
//! today), and recording verified redemptions with their audit entries. The hot path runs in
//! batches: on SQLite on the lane's own connection ([`redeem_on_lane`]), elsewhere through the
//! async batcher ([`redeem_batch`]). Every piece of work gets its own answer, in order.

use super::audit::{self as store_audit, NewEntry, WriteTx};
use super::sql::Sql;
use super::{new_id, Db};
use crate::error::{fail, HubError, HubResult};
use mz_core::cert::CertStatus;
use mz_core::flow::{RedemptionKind, REDEMPTION_SECS};
use mz_core::ErrorCode;
use sqlx::Row;
use std::collections::{HashMap, HashSet};

/// Who a handle was issued to (a device not revoked), as read for a batch of codes.
#[derive(Clone)]
pub struct HandleOwner {
    pub public_key: Vec<u8>,
    pub holder_id: String,
    pub id_number: String,
    pub name: String,
    pub key_id: String,
    /// The holder's valid certificates today, by type: (type code, count).
    pub held: Vec<(String, i64)>,
}

/// A handle to look up, and the calendar date that decides which certificates are valid.
pub struct HandleQuery {
    pub handle: [u8; 16],
    pub today: String,
}

/// Who owns a handle (followed by `IN (…)` or `= $1`).
const OWNER_SQL: &str = "SELECT x.handle, d.public_key, h.id, h.id_number, p.name, d.key_id FROM handles x JOIN devices d ON d.key_id = x.device \
    JOIN holders h ON h.id = d.holder JOIN people p ON p.id_number = h.id_number WHERE d.revoked_at IS NULL AND x.handle ";
/// What a holder holds that is valid on a day, by type: `$1` holder, `$2` the valid status's
/// name, `$3` day (numbered in order: the lane binds them by position).
const HELD_SQL: &str =
    "SELECT type_code, COUNT(*) FROM certificates WHERE holder_code = $1 AND status = $2 AND (valid_to IS NULL OR valid_to >= $3) GROUP BY type_code ORDER BY type_code";

/// One piece of a redemption for the batch (see [`super::batch`]): find who a scanned code's
/// handle belongs to (before its signature is checked), or record a verified redemption.
pub enum RedeemWork {
    Lookup(HandleQuery),
    Record(RedeemJob),
}

/// The answer to a [`RedeemWork`], in the same order.
pub enum RedeemDone {
    Owner(HubResult<Option<HandleOwner>>),
    Recorded(HubResult<String>),
}

/// A batch of redemption work, split: which pieces are lookups (in order), the lookups, the
/// records.
struct Split {
    is_lookup: Vec<bool>,
    lookups: Vec<HandleQuery>,
    records: Vec<RedeemJob>,
}

impl Split {
    fn new(work: Vec<RedeemWork>) -> Split {
        let mut s = Split {
            is_lookup: Vec::with_capacity(work.len()),
            lookups: Vec::new(),
            records: Vec::new(),
        };
        for w in work {
            s.is_lookup.push(matches!(w, RedeemWork::Lookup(_)));
            match w {
                RedeemWork::Lookup(q) => s.lookups.push(q),
                RedeemWork::Record(j) => s.records.push(j),
            }
        }
        s
    }
    /// The calendar day that decides validity (the latest asked for) and the handles.
    fn lookup_args(&self) -> (String, Vec<[u8; 16]>) {
        (
            self.lookups
                .iter()
                .map(|q| q.today.clone())
                .max()
                .unwrap_or_default(),
            self.lookups.iter().map(|q| q.handle).collect(),
        )
    }
    /// One answer per piece of work, in the order of the work.
    fn answers(
        self,
        found: HubResult<HashMap<Vec<u8>, HandleOwner>>,
        written: HubResult<Vec<HubResult<String>>>,
    ) -> Vec<RedeemDone> {
        let owners: Vec<HubResult<Option<HandleOwner>>> = match found {
            Ok(found) => self
                .lookups
                .iter()
                .map(|q| Ok(found.get(&q.handle[..]).cloned()))
                .collect(),
            Err(e) => self
                .lookups
                .iter()
                .map(|_| Err(HubError::Internal(format!("handle lookup failed: {e}"))))
                .collect(),
        };
        let recorded: Vec<HubResult<String>> = match written {
            Ok(results) => results,
            Err(e) => self
                .records
                .iter()
                .map(|_| Err(HubError::Internal(format!("redemption batch failed: {e}"))))
                .collect(),
        };
        let (mut owners, mut recorded) = (owners.into_iter(), recorded.into_iter());
        self.is_lookup
            .into_iter()
            .map(|l| {
                if l {
                    RedeemDone::Owner(owners.next().expect("one per lookup"))
                } else {
                    RedeemDone::Recorded(recorded.next().expect("one per record"))
                }
            })
            .collect()
    }
}

/// Run a batch of redemption work on the lane's connection (SQLite): the records' transaction,
/// holding the hub's write gate, then the lookups.
pub fn redeem_on_lane(
    c: &mut rusqlite::Connection,
    gate: &tokio::sync::Mutex<()>,
    work: Vec<RedeemWork>,
) -> Vec<RedeemDone> {
    let split = Split::new(work);
    let written = if split.records.is_empty() {
        Ok(Vec::new())
    } else {
        let _gate = gate.blocking_lock();
        write_on_lane(c, &split.records)
    };
    let (today, handles) = split.lookup_args();
    let found = if handles.is_empty() {
        Ok(HashMap::new())
    } else {
        lookup_on_lane(c, &handles, &today)
    };
    split.answers(found, written)
}

/// Run a batch of redemption work where there is no lane (PostgreSQL): the records'
/// transaction, then two queries for the lookups.
pub async fn redeem_batch(db: &Db, work: Vec<RedeemWork>) -> Vec<RedeemDone> {
    let split = Split::new(work);
    let written = if split.records.is_empty() {
        Ok(Vec::new())
    } else {
        try_write_redemptions(db, &split.records).await
    };
    let (today, handles) = split.lookup_args();
    let found = if handles.is_empty() {
        Ok(HashMap::new())
    } else {
        try_lookup_handles(db, &handles, &today).await
    };
    split.answers(found, written)
}

fn lookup_on_lane(
    c: &rusqlite::Connection,
    handles: &[[u8; 16]],
    today: &str,
) -> HubResult<HashMap<Vec<u8>, HandleOwner>> {
    let mut owner = c.prepare_cached(&format!("{OWNER_SQL}= $1"))?;
    let mut held = c.prepare_cached(HELD_SQL)?;
    let mut found = HashMap::new();
    let mut by_holder: HashMap<String, Vec<(String, i64)>> = HashMap::new();
    for h in handles {
        let mut rows = owner.query([&h[..]])?;
        let Some(r) = rows.next()? else { continue };
        let mut o = HandleOwner {
            public_key: r.get(1)?,
            holder_id: r.get(2)?,
            id_number: r.get(3)?,
            name: r.get(4)?,
            key_id: r.get(5)?,
            held: Vec::new(),
        };
        if !by_holder.contains_key(&o.id_number) {
            let types = held
                .query_map(
                    [o.id_number.as_str(), CertStatus::Valid.as_str(), today],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?
                .collect::<Result<_, _>>()?;
            by_holder.insert(o.id_number.clone(), types);
        }
        o.held = by_holder[&o.id_number].clone();
        found.insert(h.to_vec(), o);
    }
    Ok(found)
}

async fn try_lookup_handles(
    db: &Db,
    handles: &[[u8; 16]],
    today: &str,
) -> HubResult<HashMap<Vec<u8>, HandleOwner>> {
    let mut q = Sql::new(db.backend, OWNER_SQL);
    q.push("IN ");
    q.list(handles.iter().map(|h| h.to_vec()));
    let rows = q.fetch_all(&db.read).await?;
    let mut found: HashMap<Vec<u8>, HandleOwner> = rows
        .iter()
        .map(|r| {
            (
                r.get::<Vec<u8>, _>(0),
                HandleOwner {
                    public_key: r.get(1),
                    holder_id: r.get(2),
                    id_number: r.get(3),
                    name: r.get(4),
                    key_id: r.get(5),
                    held: Vec::new(),
                },
            )
        })
        .collect();
    if found.is_empty() {
        return Ok(found);
    }
    let mut q = Sql::new(
        db.backend,
        "SELECT holder_code, type_code, COUNT(*) FROM certificates WHERE status = ",
    );
    q.bind(CertStatus::Valid.as_str());
    q.push(" AND (valid_to IS NULL OR valid_to >= ");
    q.bind(today).push(") AND holder_code IN ");
    q.list(
        found
            .values()
            .map(|o| o.id_number.clone())
            .collect::<HashSet<_>>(),
    );
    q.push(" GROUP BY holder_code, type_code ORDER BY type_code");
    let mut held: HashMap<String, Vec<(String, i64)>> = HashMap::new();
    for r in q.fetch_all(&db.read).await? {
        held.entry(r.get(0)).or_default().push((r.get(1), r.get(2)));
    }
    for o in found.values_mut() {
        o.held = held.get(&o.id_number).cloned().unwrap_or_default();
    }
    Ok(found)
}

/// Uses up one handle: `$1` now, `$2` handle (no row changed: already used).
const USE_HANDLE_SQL: &str =
    "UPDATE handles SET used_at = $1 WHERE handle = $2 AND used_at IS NULL";

/// Use up a handle inside the caller's transaction: a code is redeemable once.
pub async fn use_handle(
    conn: &mut sqlx::AnyConnection,
    handle: [u8; 16],
    now: i64,
) -> HubResult<()> {
    let n = sqlx::query(USE_HANDLE_SQL)
        .bind(now)
        .bind(&handle[..])
        .execute(conn)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(code_used());
    }
    Ok(())
}

fn code_used() -> HubError {
    fail(
        ErrorCode::CodeAlreadyUsed,
        "this code was already used; ask for a fresh one",
    )
}

/// One redemption to record: the handle to use up, and the redemption with its audit entry.
pub struct RedeemJob {
    pub handle: [u8; 16],
    pub red: OwnedRedemption,
    pub now: i64,
}

/// [`try_write_redemptions`] on the lane: one transaction (`BEGIN IMMEDIATE`, so the audit
/// chain's head is read under the write lock) of prepared statements, a row at a time.
fn write_on_lane(
    c: &mut rusqlite::Connection,
    jobs: &[RedeemJob],
) -> HubResult<Vec<HubResult<String>>> {
    let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let head = {
        let mut q = tx.prepare_cached(store_audit::HEAD_SQL)?;
        let mut rows = q.query([])?;
        match rows.next()? {
            Some(r) => Some((
                r.get::<_, i64>(0)? as u64,
                store_audit::stored_hash(r.get(1)?)?,
            )),
            None => None,
        }
    };
    let mut results = Vec::with_capacity(jobs.len());
    {
        let mut used = tx.prepare_cached(USE_HANDLE_SQL)?;
        for j in jobs {
            results.push(
                if used.execute(rusqlite::params![j.now, &j.handle[..]])? == 1 {
                    Ok(new_id())
                } else {
                    Err(code_used())
                },
            );
        }
    }
    let done: Vec<(&OwnedRedemption, &str, i64)> = jobs
        .iter()
        .zip(&results)
        .filter_map(|(j, r)| r.as_ref().ok().map(|id| (&j.red, id.as_str(), j.now)))
        .collect();
    let linked = store_audit::link(
        head,
        &done
            .iter()
            .map(|(r, id, now)| redemption_entry(r, id, *now))
            .collect::<Vec<_>>(),
    );
    {
        let mut red = tx.prepare_cached(&format!(
            "{REDEMPTION_INSERT}($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        ))?;
        for (r, id, now) in &done {
            red.execute(rusqlite::params![
                id,
                r.terminal_id,
                r.kind.as_str(),
                r.subject_code,
                r.subject_name,
                r.approver,
                r.scope_type,
                r.grant_id,
                now,
                now + REDEMPTION_SECS,
                r.scope_ordinal,
                r.handle.map(|h| h.to_vec())
            ])?;
        }
        let mut audit = tx.prepare_cached(&format!(
            "{}($1, $2, $3, $4, $5, $6, $7, $8)",
            store_audit::AUDIT_INSERT
        ))?;
        for (e, hash) in &linked {
            audit.execute(rusqlite::params![
                e.seq as i64,
                e.at,
                &e.prev[..],
                e.event,
                e.actor,
                e.subject,
                e.detail,
                &hash[..]
            ])?;
        }
    }
    tx.commit()?;
    Ok(results)
}

/// Record a batch of redemptions in one transaction: each handle is used once (the first job
/// that names it wins; the others get `code_already_used`), then one insert of the
/// redemptions and one append of their audit entries. A storage failure fails the whole batch
/// and nothing of it is kept.
async fn try_write_redemptions(db: &Db, jobs: &[RedeemJob]) -> HubResult<Vec<HubResult<String>>> {
    let now = jobs.iter().map(|j| j.now).max().unwrap_or_default();
    let mut tx = db.begin_write().await?;
    let mut q = Sql::new(tx.backend, "UPDATE handles SET used_at = ");
    q.bind(now).push(" WHERE used_at IS NULL AND handle IN ");
    q.list(jobs.iter().map(|j| j.handle.to_vec()));
    q.push(" RETURNING handle");
    let mut unused: HashSet<Vec<u8>> = q
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let results: Vec<HubResult<String>> = jobs
        .iter()
        .map(|j| {
            if unused.remove(&j.handle[..]) {
                Ok(new_id())
            } else {
                Err(code_used())
            }
        })
        .collect();
    let done: Vec<(&OwnedRedemption, &str, i64)> = jobs
        .iter()
        .zip(&results)
        .filter_map(|(j, r)| r.as_ref().ok().map(|id| (&j.red, id.as_str(), j.now)))
        .collect();
    insert_redemptions(&mut tx, &done).await?;
    tx.commit().await?;
    Ok(results)
}

/// A terminal now acting for a subject (after a code, a kiosk login or a face check).
pub struct OwnedRedemption {
    pub terminal_id: String,
    pub terminal_name: String,
    pub kind: RedemptionKind,
    pub subject_code: String,
    pub subject_name: String,
    pub approver: String,
    pub scope_type: Option<String>,
    /// A show-code's one certificate: its ordinal among the holder's of that type.
    pub scope_ordinal: Option<i64>,
    pub grant_id: Option<String>,
    /// The handle of the code redeemed (none for a kiosk login or a face check).
    pub handle: Option<[u8; 16]>,
}

fn redemption_entry<'a>(r: &OwnedRedemption, id: &str, now: i64) -> NewEntry<'a> {
    NewEntry {
        at: now,
        event: "redeem",
        actor: format!("terminal:{}", r.terminal_id),
        subject: Some(r.subject_code.clone()),
        detail: serde_json::json!({ "redemption": id, "kind": r.kind.as_str(), "terminal": r.terminal_name, "grant": r.grant_id }),
    }
}

/// Record that a terminal now acts for a subject, audited, inside the caller's transaction.
pub async fn insert_redemption(
    tx: &mut WriteTx,
    r: &OwnedRedemption,
    now: i64,
) -> HubResult<String> {
    let id = new_id();
    insert_redemptions(tx, &[(r, &id, now)]).await?;
    Ok(id)
}

/// Records redemptions (followed by one `(…)` of 12 values per redemption).
const REDEMPTION_INSERT: &str = "INSERT INTO redemptions (id, terminal, kind, subject_code, subject_name, approver, scope_type, grant_id, created_at, expires_at, scope_ordinal, handle) VALUES ";

/// Insert redemptions (id and time given) with one statement, and append their audit entries.
async fn insert_redemptions(
    tx: &mut WriteTx,
    rows: &[(&OwnedRedemption, &str, i64)],
) -> HubResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut q = Sql::new(tx.backend, REDEMPTION_INSERT);
    q.rows(rows, |b, (r, id, now)| {
        b.bind(*id)
            .bind(r.terminal_id.as_str())
            .bind(r.kind.as_str())
            .bind(r.subject_code.as_str())
            .bind(r.subject_name.as_str())
            .bind(r.approver.as_str())
            .bind(r.scope_type.clone())
            .bind(r.grant_id.clone())
            .bind(*now)
            .bind(now + REDEMPTION_SECS)
            .bind(r.scope_ordinal)
            .bind(r.handle.map(|h| h.to_vec()));
    });
    q.execute(&mut **tx).await?;
    let entries: Vec<NewEntry> = rows
        .iter()
        .map(|(r, id, now)| redemption_entry(r, id, *now))
        .collect();
    store_audit::audit_many(tx, &entries).await?;
    Ok(())
}

/// What a holder holds that is valid on `today`, by type (one indexed query, no bodies parsed).
pub async fn held_by(db: &Db, holder_code: &str, today: &str) -> HubResult<Vec<(String, i64)>> {
    Ok(sqlx::query_as(HELD_SQL)
        .bind(holder_code)
        .bind(CertStatus::Valid.as_str())
        .bind(today)
        .fetch_all(&db.read)
        .await?)
}

/// The redemption `terminal` made with the code of `handle`, if it has not expired and no
/// request was made on it yet (a counter that moved on has no answer to retry): its id and end.
pub async fn redeemed_by(
    db: &Db,
    handle: [u8; 16],
    terminal: &str,
    now: i64,
) -> HubResult<Option<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT id, expires_at FROM redemptions r WHERE handle = $1 AND terminal = $2 AND expires_at >= $3 \
         AND NOT EXISTS (SELECT 1 FROM auth_requests a WHERE a.redemption = r.id)",
    )
    .bind(&handle[..])
    .bind(terminal)
    .bind(now)
    .fetch_optional(&db.read)
    .await?)
}
