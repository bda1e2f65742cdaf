//! Terminals (counters 窗口 and kiosks 自助终端): enrol with a one-time code, redeem holder
//! codes, ask for authorization for one matter, receive exactly what was approved, and run
//! kiosk login sessions.

use super::holder::{cert_views, request_view};
use super::{json_list, parse_list, sse, uuid_str};
use crate::auth::{check_signature, json, Authed, DeviceCaller, RawSigned, TerminalCaller};
use crate::error::{conflict, forbidden, invalid, HubError, HubResult};
use crate::federation;
use crate::push::{holder_key, terminal_key};
use crate::routes::public::{department_infos, terminal_view};
use crate::store::{self, new_id};
use crate::{AppState, Db};
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use axum::Json;
use mz_core::api::*;
use mz_core::catalogue;
use mz_core::codes::{ScannedHolderCode, Scope, VerifiedHolderCode};
use mz_core::crypto::{sha256, PublicKey};
use mz_core::ids::{IdNumber, RegionCode};
use mz_core::wire::Kind;
use mz_core::CoreError;
use sqlx::Row;
use std::collections::{HashMap, HashSet};

/// A redemption may be used to ask for authorization within this time.
pub const REDEMPTION_SECS: i64 = 600;
/// The holder has this long to answer an authorization request.
pub const REQUEST_SECS: i64 = 300;
/// A kiosk login session waits this long for a holder.
pub const LOGIN_SESSION_SECS: i64 = 300;

#[utoipa::path(post, path = "/v1/terminals/enrol", tag = "terminal", request_body = TerminalEnrolRequest,
    responses((status = 200, body = TerminalInfo), (status = 403, body = ApiError), (status = 409, body = ApiError)))]
pub async fn enrol(State(s): State<AppState>, req: RawSigned) -> HubResult<Json<TerminalInfo>> {
    let body: TerminalEnrolRequest = json(&req.body)?;
    check_signature(&s, &req.parts, &req.body, &body.public_key)?;
    let code_hash = sha256(body.enrolment_code.trim().as_bytes());
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    let row = sqlx::query(
        "SELECT id, enrol_expires_at FROM terminals WHERE enrol_code_hash = $1 AND key_id IS NULL",
    )
    .bind(&code_hash[..])
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Err(forbidden(
            "bad_enrolment_code",
            "this enrolment code is unknown or was already used",
        ));
    };
    if row.get::<Option<i64>, _>(1).is_some_and(|e| e < now) {
        return Err(CoreError::Expired {
            what: "enrolment code",
        }
        .into());
    }
    let id: String = row.get(0);
    let key_id = body.public_key.key_id().to_string();
    if sqlx::query("SELECT 1 FROM terminals WHERE key_id = $1")
        .bind(&key_id)
        .fetch_optional(&mut *tx)
        .await?
        .is_some()
    {
        return Err(conflict("key_in_use", "this key is already registered"));
    }
    sqlx::query("UPDATE terminals SET key_id = $1, public_key = $2, enrol_code_hash = NULL, enrol_expires_at = NULL WHERE id = $3")
        .bind(&key_id)
        .bind(body.public_key.as_bytes())
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    store::audit(
        &mut tx,
        now,
        "terminal_enrol",
        &format!("terminal:{id}"),
        None,
        serde_json::json!({ "terminal": id, "key": key_id }),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(terminal_view(&s, &id).await?))
}

/// Live pushes to this terminal: decisions and logins (server-sent events; first `ready`).
#[utoipa::path(get, path = "/v1/terminal/events", tag = "terminal", responses((status = 200, description = "text/event-stream of PushEvent", body = PushEvent)))]
pub async fn events(State(s): State<AppState>, a: Authed<TerminalCaller>) -> impl IntoResponse {
    let key = terminal_key(&a.who.id);
    sse(key.clone(), s.push.subscribe(&key))
}

/// Who a handle was issued to (a device not revoked), as read for a batch of codes.
#[derive(Clone)]
pub struct HandleOwner {
    public_key: Vec<u8>,
    holder_id: String,
    id_number: String,
    name: String,
    key_id: String,
    /// The holder's valid certificates today, by type: (type code, count).
    held: Vec<(String, i64)>,
}

/// A handle to look up, and the calendar date that decides which certificates are valid.
pub struct HandleQuery {
    pub handle: [u8; 16],
    pub today: String,
}

/// Who owns a handle (followed by `IN (…)` or `= $1`).
const OWNER_SQL: &str = "SELECT x.handle, d.public_key, h.id, h.id_number, p.name, d.key_id FROM handles x JOIN devices d ON d.key_id = x.device \
    JOIN holders h ON h.id = d.holder JOIN people p ON p.id_number = h.id_number WHERE d.revoked_at IS NULL AND x.handle ";
/// What a holder holds that is valid on a day, by type: `$1` holder, `$2` day.
const HELD_SQL: &str =
    "SELECT type_code, COUNT(*) FROM certificates WHERE holder_code = $1 AND status = 'valid' AND (valid_to IS NULL OR valid_to >= $2) GROUP BY type_code ORDER BY type_code";

/// One piece of a redemption for the batch (see [`crate::batch`]): find who a scanned code's
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

/// Queue a piece of redemption work where this hub runs it (the lane, or the batch).
async fn redeem_work(s: &AppState, w: RedeemWork) -> Option<RedeemDone> {
    match &s.db.lane {
        Some(lane) => lane.run(w).await,
        None => s.redeem_batch.run(w).await,
    }
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
                .query_map([o.id_number.as_str(), today], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?
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
    let mut q = store::Sql::new(db.backend, OWNER_SQL);
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
    let mut q = store::Sql::new(db.backend, "SELECT holder_code, type_code, COUNT(*) FROM certificates WHERE status = 'valid' AND (valid_to IS NULL OR valid_to >= ");
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

fn batch_gone() -> HubError {
    HubError::Internal("the batch worker stopped".into())
}

/// Verify a scanned code against the key of the device its handle was issued to.
/// Also returns what the device's holder holds today, by type.
async fn verify_code(
    s: &AppState,
    scanned: ScannedHolderCode,
) -> HubResult<(VerifiedHolderCode, DeviceCaller, Vec<(String, i64)>)> {
    if !s.region.contains(&scanned.region()) {
        return Err(HubError::NotFound("holder in this hub's region"));
    }
    let query = HandleQuery {
        handle: scanned.handle(),
        today: s.today().to_string(),
    };
    let owner = match redeem_work(s, RedeemWork::Lookup(query)).await {
        Some(RedeemDone::Owner(owner)) => {
            owner?.ok_or(HubError::NotFound("code (unknown handle)"))?
        }
        _ => return Err(batch_gone()),
    };
    let public_key = PublicKey::from_bytes(&owner.public_key)?;
    let code = scanned.verify(&public_key, s.now())?;
    let device = DeviceCaller {
        key_id: mz_core::crypto::KeyId::parse(&owner.key_id)?,
        holder_id: owner.holder_id,
        id_number: IdNumber::parse(&owner.id_number)?,
        name: owner.name,
        public_key,
    };
    Ok((code, device, owner.held))
}

/// Uses up one handle: `$1` now, `$2` handle (no row changed: already used).
const USE_HANDLE_SQL: &str =
    "UPDATE handles SET used_at = $1 WHERE handle = $2 AND used_at IS NULL";

/// Use up a handle inside the caller's transaction: a code is redeemable once.
async fn use_handle(conn: &mut sqlx::AnyConnection, handle: [u8; 16], now: i64) -> HubResult<()> {
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
    conflict(
        "code_already_used",
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
        let mut q = tx.prepare_cached(store::HEAD_SQL)?;
        let mut rows = q.query([])?;
        match rows.next()? {
            Some(r) => Some((r.get::<_, i64>(0)? as u64, store::stored_hash(r.get(1)?)?)),
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
    let linked = store::link(
        head,
        &done
            .iter()
            .map(|(r, id, now)| redemption_entry(r, id, *now))
            .collect::<Vec<_>>(),
    );
    {
        let mut red = tx.prepare_cached(&format!(
            "{REDEMPTION_INSERT}($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        ))?;
        for (r, id, now) in &done {
            red.execute(rusqlite::params![
                id,
                r.terminal_id,
                r.kind,
                r.subject_code,
                r.subject_name,
                r.approver,
                r.scope_type,
                r.grant_id,
                now,
                now + REDEMPTION_SECS
            ])?;
        }
        let mut audit = tx.prepare_cached(&format!(
            "{}($1, $2, $3, $4, $5, $6, $7, $8)",
            store::AUDIT_INSERT
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
    let mut q = store::Sql::new(tx.backend, "UPDATE handles SET used_at = ");
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

#[utoipa::path(post, path = "/v1/terminal/redeem", tag = "terminal", request_body = RedeemRequest,
    responses((status = 200, body = Redemption), (status = 400, body = ApiError), (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 410, body = ApiError)))]
pub async fn redeem(
    State(s): State<AppState>,
    a: Authed<TerminalCaller>,
) -> HubResult<Json<Redemption>> {
    let req: RedeemRequest = json(&a.body)?;
    if let Some(owner) = federation::remote_region(&s, &req.code)? {
        return Ok(Json(
            federation::redeem(&s, &a.who, &owner, &req.code).await?,
        ));
    }
    Ok(Json(redeem_code(&s, &a.who, &req.code).await?))
}

/// Redeem a holder code (identity, show or delegated) at a terminal.
pub async fn redeem_code(s: &AppState, t: &TerminalCaller, text: &str) -> HubResult<Redemption> {
    let (code, r, held) = verify_code(s, ScannedHolderCode::parse(text)?).await?;
    let now = s.now();
    let body = code.body().clone();
    // Whose certificates, who approves, and what is in reach.
    #[allow(clippy::type_complexity)]
    let (kind, subject_code, subject_name, scope_type, grant_id, limit): (
        &str,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<Vec<String>>,
    ) = match &body.scope {
        Scope::Identity => (
            "identity",
            r.id_number.to_string(),
            r.name.clone(),
            None,
            None,
            None,
        ),
        Scope::Certificate { cert_type, .. } => (
            "show",
            r.id_number.to_string(),
            r.name.clone(),
            Some(catalogue::cert_type_by_no(*cert_type)?.code.to_string()),
            None,
            None,
        ),
        Scope::Delegated { grant, cert_type } => {
            let gid = uuid_str(*grant);
            let g = active_grant(s, &gid, r.id_number.as_str(), now).await?;
            let t = catalogue::cert_type_by_no(*cert_type)?;
            if !g.cert_types.iter().any(|c| c == t.code) {
                return Err(forbidden(
                    "outside_grant",
                    format!("the grant does not cover {}", t.name),
                ));
            }
            (
                "delegated",
                g.principal_code,
                g.principal_name,
                Some(t.code.to_string()),
                Some(gid),
                Some(g.cert_types),
            )
        }
    };
    let red = OwnedRedemption {
        terminal_id: t.id.clone(),
        terminal_name: t.name.clone(),
        kind,
        subject_code: subject_code.clone(),
        subject_name: subject_name.clone(),
        approver: r.holder_id.clone(),
        scope_type,
        grant_id,
    };
    let id = match redeem_work(
        s,
        RedeemWork::Record(RedeemJob {
            handle: body.handle,
            red,
            now,
        }),
    )
    .await
    {
        Some(RedeemDone::Recorded(id)) => id?,
        _ => return Err(batch_gone()),
    };
    let available = match &limit {
        // Delegated: the principal's certificates, within the grant.
        Some(_) => available_certs(s, &subject_code, limit.as_deref()).await?,
        None => available_of(held, None),
    };
    Ok(Redemption {
        redemption_id: id,
        kind: kind.into(),
        subject_name_masked: if subject_code.len() == 18 && IdNumber::parse(&subject_code).is_ok() {
            mask_name(&subject_name)
        } else {
            subject_name
        },
        agent_name_masked: (kind == "delegated").then(|| mask_name(&r.name)),
        available,
        expires_at: now + REDEMPTION_SECS,
    })
}

/// A terminal now acting for a subject (after a code, a kiosk login or a face check).
pub struct OwnedRedemption {
    pub terminal_id: String,
    pub terminal_name: String,
    pub kind: &'static str,
    pub subject_code: String,
    pub subject_name: String,
    pub approver: String,
    pub scope_type: Option<String>,
    pub grant_id: Option<String>,
}

fn redemption_entry<'a>(r: &OwnedRedemption, id: &str, now: i64) -> store::NewEntry<'a> {
    store::NewEntry {
        at: now,
        event: "redeem",
        actor: format!("terminal:{}", r.terminal_id),
        subject: Some(r.subject_code.clone()),
        detail: serde_json::json!({ "redemption": id, "kind": r.kind, "terminal": r.terminal_name, "grant": r.grant_id }),
    }
}

/// Record that a terminal now acts for a subject, audited, inside the caller's transaction.
pub async fn insert_redemption(
    tx: &mut store::WriteTx,
    r: &OwnedRedemption,
    now: i64,
) -> HubResult<String> {
    let id = new_id();
    insert_redemptions(tx, &[(r, &id, now)]).await?;
    Ok(id)
}

/// Records redemptions (followed by one `(…)` of 10 values per redemption).
const REDEMPTION_INSERT: &str = "INSERT INTO redemptions (id, terminal, kind, subject_code, subject_name, approver, scope_type, grant_id, created_at, expires_at) VALUES ";

/// Insert redemptions (id and time given) with one statement, and append their audit entries.
async fn insert_redemptions(
    tx: &mut store::WriteTx,
    rows: &[(&OwnedRedemption, &str, i64)],
) -> HubResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut q = store::Sql::new(tx.backend, REDEMPTION_INSERT);
    q.rows(rows, |b, (r, id, now)| {
        b.bind(*id)
            .bind(r.terminal_id.as_str())
            .bind(r.kind)
            .bind(r.subject_code.as_str())
            .bind(r.subject_name.as_str())
            .bind(r.approver.as_str())
            .bind(r.scope_type.clone())
            .bind(r.grant_id.clone())
            .bind(*now)
            .bind(now + REDEMPTION_SECS);
    });
    q.execute(&mut **tx).await?;
    let entries: Vec<store::NewEntry> = rows
        .iter()
        .map(|(r, id, now)| redemption_entry(r, id, *now))
        .collect();
    store::audit_many(tx, &entries).await?;
    Ok(())
}

/// What the subject holds that is valid today, by type (one indexed query, no bodies parsed).
pub async fn available_certs(
    s: &AppState,
    holder_code: &str,
    limit: Option<&[String]>,
) -> HubResult<Vec<AvailableCert>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(HELD_SQL)
        .bind(holder_code)
        .bind(s.today().to_string())
        .fetch_all(&s.db.read)
        .await?;
    Ok(available_of(rows, limit))
}

fn available_of(rows: Vec<(String, i64)>, limit: Option<&[String]>) -> Vec<AvailableCert> {
    rows.into_iter()
        .filter(|(t, _)| limit.is_none_or(|l| l.contains(t)))
        .filter_map(|(t, n)| {
            catalogue::cert_type(&t).ok().map(|ct| AvailableCert {
                type_code: t,
                name: ct.name.into(),
                count: n as u32,
            })
        })
        .collect()
}

pub struct ActiveGrant {
    pub principal_code: String,
    pub principal_name: String,
    pub cert_types: Vec<String>,
    pub matters: Vec<String>,
}

/// A grant the agent `agent_id` may use now: not revoked, inside its period.
pub async fn active_grant(
    s: &AppState,
    id: &str,
    agent_id: &str,
    now: i64,
) -> HubResult<ActiveGrant> {
    let r = sqlx::query("SELECT principal_kind, principal_code, agent_id_number, cert_types, matters, valid_from, valid_to, revoked_at FROM grants WHERE id = $1")
        .bind(id)
        .fetch_optional(&s.db.read)
        .await?
        .ok_or(HubError::NotFound("grant"))?;
    if r.get::<String, _>(2) != agent_id {
        return Err(forbidden("not_agent", "this grant was not made to you"));
    }
    if r.get::<Option<i64>, _>(7).is_some() {
        return Err(forbidden(
            "grant_revoked",
            "the principal revoked this grant",
        ));
    }
    if now < r.get::<i64, _>(5) {
        return Err(CoreError::NotYetValid {
            what: "delegation grant",
        }
        .into());
    }
    if now >= r.get::<i64, _>(6) {
        return Err(forbidden("grant_expired", "this grant has expired"));
    }
    let kind: String = r.get(0);
    let code: String = r.get(1);
    let principal_name = store::principal_name(&s.db, &kind, &code).await?;
    Ok(ActiveGrant {
        principal_code: code,
        principal_name,
        cert_types: parse_list(r.get(3)),
        matters: parse_list(r.get(4)),
    })
}

#[utoipa::path(post, path = "/v1/terminal/auth-requests", tag = "terminal", request_body = AuthRequestCreate,
    responses((status = 200, body = AuthRequestView), (status = 400, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 410, body = ApiError)))]
pub async fn create_request(
    State(s): State<AppState>,
    a: Authed<TerminalCaller>,
) -> HubResult<Json<AuthRequestView>> {
    let req: AuthRequestCreate = json(&a.body)?;
    if let Some(owner) =
        federation::remote_owner(&s, &req.redemption_id, "redemption", &a.who).await?
    {
        return Ok(Json(
            federation::request_authorization(&s, &a.who, &owner, req).await?,
        ));
    }
    Ok(Json(request_authorization(&s, &a.who, req).await?))
}

/// Ask the holder (pushed to their device) to release certificates for one matter.
pub async fn request_authorization(
    s: &AppState,
    t: &TerminalCaller,
    req: AuthRequestCreate,
) -> HubResult<AuthRequestView> {
    let now = s.now();
    let r = sqlx::query("SELECT terminal, subject_code, approver, grant_id, expires_at, kind FROM redemptions WHERE id = $1")
        .bind(&req.redemption_id)
        .fetch_optional(&s.db.read)
        .await?
        .filter(|r| r.get::<String, _>(0) == t.id)
        .ok_or(HubError::NotFound("redemption"))?;
    if now > r.get::<i64, _>(4) {
        return Err(CoreError::Expired { what: "redemption" }.into());
    }
    let matter = catalogue::matter(&req.matter)?;
    if req.cert_types.is_empty() {
        return Err(invalid(
            "nothing_requested",
            "ask for at least one certificate",
        ));
    }
    let mut wanted: Vec<String> = Vec::new();
    for c in &req.cert_types {
        catalogue::cert_type(c)?;
        if !wanted.contains(c) {
            wanted.push(c.clone());
        }
    }
    matter.check_request(&wanted.iter().map(String::as_str).collect::<Vec<_>>())?;
    let subject: String = r.get(1);
    let approver: String = r.get(2);
    let grant_id: Option<String> = r.get(3);
    if let Some(g) = &grant_id {
        let agent_id: String = sqlx::query_scalar("SELECT id_number FROM holders WHERE id = $1")
            .bind(&approver)
            .fetch_one(&s.db.read)
            .await?;
        let g = active_grant(s, g, &agent_id, now).await?;
        if let Some(c) = wanted.iter().find(|c| !g.cert_types.contains(c)) {
            return Err(forbidden(
                "outside_grant",
                format!("the grant does not cover {c}"),
            ));
        }
        if !g.matters.is_empty() && !g.matters.iter().any(|m| m == matter.code) {
            return Err(forbidden(
                "outside_grant",
                "the grant does not cover this matter",
            ));
        }
    }
    let held = cert_views(s, std::slice::from_ref(&subject), Some(&wanted)).await?;
    if let Some(c) = wanted.iter().find(|c| {
        !held.iter().any(|v| {
            &v.certificate.body.type_code == *c && v.status == mz_core::cert::CertStatus::Valid
        })
    }) {
        return Err(conflict("not_held", format!("the holder has no valid {c}")));
    }
    let id = new_id();
    let mut tx = s.db.begin_write().await?;
    let ins = sqlx::query(
        "INSERT INTO auth_requests (id, redemption, terminal, subject_code, approver, matter, cert_types, archive, state, grant_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10, $11) ON CONFLICT(redemption) DO NOTHING",
    )
    .bind(&id)
    .bind(&req.redemption_id)
    .bind(&t.id)
    .bind(&subject)
    .bind(&approver)
    .bind(matter.code)
    .bind(json_list(&wanted))
    .bind(req.archive as i64)
    .bind(&grant_id)
    .bind(now)
    .bind(now + REQUEST_SECS)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if ins == 0 {
        return Err(conflict(
            "redemption_used",
            "this code already has an authorization request; scan a fresh code",
        ));
    }
    store::audit(&mut tx, now, "auth_request", &format!("terminal:{}", t.id), Some(&subject), serde_json::json!({ "request": id, "matter": matter.code, "cert_types": wanted, "archive": req.archive, "terminal": t.name, "grant": grant_id })).await?;
    tx.commit().await?;
    let (view, _, _) = request_view(s, &id).await?;
    s.push.send(
        &holder_key(&approver),
        &PushEvent::AuthRequest {
            request: view.clone(),
        },
    );
    Ok(view)
}

#[utoipa::path(get, path = "/v1/terminal/auth-requests/{id}", tag = "terminal", params(("id" = String, Path)), responses((status = 200, body = AuthRequestView), (status = 404, body = ApiError)))]
pub async fn get_request(
    State(s): State<AppState>,
    Path(id): Path<String>,
    a: Authed<TerminalCaller>,
) -> HubResult<Json<AuthRequestView>> {
    if let Some(owner) = federation::remote_owner(&s, &id, "request", &a.who).await? {
        return Ok(Json(
            federation::get_request(&s, &a.who, &owner, &id).await?,
        ));
    }
    Ok(Json(request_for(&s, &a.who, &id).await?))
}

/// A request this terminal made, as it stands.
pub async fn request_for(s: &AppState, t: &TerminalCaller, id: &str) -> HubResult<AuthRequestView> {
    Ok(own_request(s, t, id).await?.0)
}

/// A request and its approver, if this terminal made it (else not found).
async fn own_request(
    s: &AppState,
    t: &TerminalCaller,
    id: &str,
) -> HubResult<(AuthRequestView, String)> {
    let (view, terminal, approver) = request_view(s, id).await?;
    if terminal != t.id {
        return Err(HubError::NotFound("authorization request"));
    }
    Ok((view, approver))
}

#[utoipa::path(post, path = "/v1/terminal/auth-requests/{id}/release", tag = "terminal", params(("id" = String, Path)),
    responses((status = 200, body = Release), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn release(
    State(s): State<AppState>,
    Path(id): Path<String>,
    a: Authed<TerminalCaller>,
) -> HubResult<Json<Release>> {
    if let Some(owner) = federation::remote_owner(&s, &id, "request", &a.who).await? {
        return Ok(Json(federation::release(&s, &a.who, &owner, &id).await?));
    }
    Ok(Json(release_approved(&s, &a.who, &id).await?))
}

/// Hand over exactly the approved certificates, once, to the terminal that asked.
pub async fn release_approved(s: &AppState, t: &TerminalCaller, id: &str) -> HubResult<Release> {
    let (view, approver) = own_request(s, t, id).await?;
    match view.state.as_str() {
        "approved" | "partly_approved" => {}
        "refused" => return Err(forbidden("refused", "the holder refused this request")),
        "pending" => return Err(conflict("not_decided", "the holder has not decided yet")),
        _ => {
            return Err(CoreError::Expired {
                what: "authorization request",
            }
            .into())
        }
    }
    let row = sqlx::query("SELECT subject_code, released_at FROM auth_requests WHERE id = $1")
        .bind(id)
        .fetch_one(&s.db.read)
        .await?;
    if row.get::<Option<i64>, _>(1).is_some() {
        return Err(conflict(
            "already_released",
            "these certificates were already released to you",
        ));
    }
    let subject: String = row.get(0);
    let certs: Vec<CertificateView> =
        cert_views(s, std::slice::from_ref(&subject), Some(&view.approved))
            .await?
            .into_iter()
            .filter(|v| v.status == mz_core::cert::CertStatus::Valid)
            .collect();
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    let licences: Vec<String> = certs
        .iter()
        .map(|c| c.certificate.body.license_id.to_string())
        .collect();
    let n = sqlx::query("UPDATE auth_requests SET released_at = $1, released = $2 WHERE id = $3 AND released_at IS NULL").bind(now).bind(json_list(&licences)).bind(id).execute(&mut *tx).await?.rows_affected();
    if n == 0 {
        return Err(conflict(
            "already_released",
            "these certificates were already released to you",
        ));
    }
    store::audit(&mut tx, now, "release", &format!("terminal:{}", t.id), Some(&subject), serde_json::json!({ "request": id, "matter": view.matter, "terminal": t.name, "certificates": licences, "archive": view.archive, "grant": view.grant_id })).await?;
    tx.commit().await?;
    let holder_row = sqlx::query("SELECT subject_name FROM redemptions r JOIN auth_requests a ON a.redemption = r.id WHERE a.id = $1").bind(id).fetch_one(&s.db.read).await?;
    let is_person = IdNumber::parse(&subject).is_ok();
    let agent = if view.grant_id.is_some() {
        let r = sqlx::query("SELECT h.id_number, p.name FROM holders h JOIN people p ON p.id_number = h.id_number WHERE h.id = $1").bind(&approver).fetch_one(&s.db.read).await?;
        Some(ReleasedHolder {
            code: r.get(0),
            name: r.get(1),
            code_type: "111".into(),
        })
    } else {
        None
    };
    let mut issuer_codes: Vec<String> = certs
        .iter()
        .map(|c| c.certificate.body.issuer_code.to_string())
        .collect();
    issuer_codes.dedup();
    Ok(Release {
        request_id: id.to_string(),
        matter: view.matter,
        subject: ReleasedHolder {
            name: holder_row.get(0),
            code: subject,
            code_type: if is_person { "111" } else { "001" }.into(),
        },
        certificates: certs,
        agent,
        held_by: s.name.clone(),
        issuers: department_infos(s, Some(&issuer_codes)).await?,
    })
}

#[utoipa::path(post, path = "/v1/terminal/login-sessions", tag = "terminal", responses((status = 200, body = LoginSessionCreated), (status = 403, body = ApiError)))]
pub async fn open_login(
    State(s): State<AppState>,
    a: Authed<TerminalCaller>,
) -> HubResult<Json<LoginSessionCreated>> {
    if a.who.kind != "kiosk" {
        return Err(forbidden("not_a_kiosk", "only kiosks open login sessions"));
    }
    let now = s.now();
    let id = new_id();
    sqlx::query("INSERT INTO login_sessions (id, terminal, state, created_at, expires_at) VALUES ($1, $2, 'waiting', $3, $4)")
        .bind(&id)
        .bind(&a.who.id)
        .bind(now)
        .bind(now + LOGIN_SESSION_SECS)
        .execute(&s.db.write)
        .await?;
    Ok(Json(LoginSessionCreated {
        session_id: id,
        expires_at: now + LOGIN_SESSION_SECS,
    }))
}

async fn login_view(s: &AppState, id: &str) -> HubResult<(LoginSessionView, String)> {
    let r = sqlx::query("SELECT l.id, l.state, COALESCE(p.name, l.remote_name), l.method, l.expires_at, l.terminal FROM login_sessions l LEFT JOIN holders h ON h.id = l.holder LEFT JOIN people p ON p.id_number = h.id_number WHERE l.id = $1")
        .bind(id)
        .fetch_optional(&s.db.read)
        .await?
        .ok_or(HubError::NotFound("login session"))?;
    let mut state: String = r.get(1);
    if state == "waiting" && s.now() > r.get::<i64, _>(4) {
        state = "expired".into();
    }
    Ok((
        LoginSessionView {
            session_id: r.get(0),
            state,
            holder_name: r.get(2),
            method: r.get(3),
            expires_at: r.get(4),
        },
        r.get(5),
    ))
}

#[utoipa::path(get, path = "/v1/terminal/login-sessions/{id}", tag = "terminal", params(("id" = String, Path)), responses((status = 200, body = LoginSessionView), (status = 404, body = ApiError)))]
pub async fn get_login(
    State(s): State<AppState>,
    Path(id): Path<String>,
    a: Authed<TerminalCaller>,
) -> HubResult<Json<LoginSessionView>> {
    let (v, terminal) = login_view(&s, &id).await?;
    if terminal != a.who.id {
        return Err(HubError::NotFound("login session"));
    }
    Ok(Json(v))
}

/// Log a holder in to a waiting session (`expected_terminal` when the holder named it).
pub async fn log_in(
    s: &AppState,
    session: &str,
    expected_terminal: Option<&str>,
    d: &DeviceCaller,
    method: &str,
    actor: &str,
) -> HubResult<LoginSessionView> {
    let (view, terminal) = login_view(s, session).await?;
    if expected_terminal.is_some_and(|t| t != terminal) {
        return Err(invalid(
            "terminal_mismatch",
            "the login code names another terminal",
        ));
    }
    match view.state.as_str() {
        "waiting" => {}
        "expired" => {
            return Err(CoreError::Expired {
                what: "login session",
            }
            .into())
        }
        _ => {
            return Err(conflict(
                "session_used",
                "this login session is already used; the kiosk shows a new code",
            ))
        }
    }
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    let n = sqlx::query("UPDATE login_sessions SET state = 'logged_in', holder = $1, method = $2, logged_in_at = $3 WHERE id = $4 AND state = 'waiting'")
        .bind(&d.holder_id)
        .bind(method)
        .bind(now)
        .bind(session)
        .execute(&mut *tx)
        .await?;
    claimed(n)?;
    let tname: String = sqlx::query_scalar("SELECT name FROM terminals WHERE id = $1")
        .bind(&terminal)
        .fetch_one(&mut *tx)
        .await?;
    store::audit(
        &mut tx,
        now,
        "login",
        actor,
        Some(d.id_number.as_str()),
        serde_json::json!({ "session": session, "terminal": tname, "method": method }),
    )
    .await?;
    tx.commit().await?;
    s.push.send(
        &terminal_key(&terminal),
        &PushEvent::LoggedIn {
            session_id: session.to_string(),
            holder_name: d.name.clone(),
            method: method.into(),
        },
    );
    Ok(LoginSessionView {
        state: "logged_in".into(),
        holder_name: Some(d.name.clone()),
        method: Some(method.into()),
        ..view
    })
}

/// 亮码登录: the kiosk scanned the holder's identity code.
#[utoipa::path(post, path = "/v1/terminal/login-sessions/{id}/identity-code", tag = "terminal", params(("id" = String, Path)), request_body = IdentityLoginRequest,
    responses((status = 200, body = LoginSessionView), (status = 400, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 410, body = ApiError)))]
pub async fn login_by_identity_code(
    State(s): State<AppState>,
    Path(id): Path<String>,
    a: Authed<TerminalCaller>,
) -> HubResult<Json<LoginSessionView>> {
    let req: IdentityLoginRequest = json(&a.body)?;
    let (view, terminal) = login_view(&s, &id).await?;
    if terminal != a.who.id {
        return Err(HubError::NotFound("login session"));
    }
    match view.state.as_str() {
        "waiting" => {}
        "expired" => {
            return Err(CoreError::Expired {
                what: "login session",
            }
            .into())
        }
        _ => {
            return Err(conflict(
                "session_used",
                "this login session is already used; the kiosk shows a new code",
            ))
        }
    }
    let scanned = ScannedHolderCode::parse_kinds(&req.code, &[Kind::IdentityCode])?;
    // Another region's holder: their own hub checks the code and keeps the redemption.
    if let Some(owner) = federation::remote_region(&s, &req.code)? {
        let red = federation::redeem(&s, &a.who, &owner, &req.code).await?;
        return Ok(Json(log_in_remote(&s, &id, &a.who, &owner, red).await?));
    }
    let (code, d, _) = verify_code(&s, scanned).await?;
    let mut tx = s.db.begin_write().await?;
    use_handle(&mut tx, code.body().handle, s.now()).await?;
    tx.commit().await?;
    Ok(Json(
        log_in(
            &s,
            &id,
            None,
            &d,
            "identity_code",
            &format!("terminal:{}", a.who.id),
        )
        .await?,
    ))
}

/// A waiting login session was taken by the UPDATE that returned `done` (else another login got
/// it first).
fn claimed(done: sqlx::any::AnyQueryResult) -> HubResult<()> {
    if done.rows_affected() == 0 {
        return Err(conflict(
            "session_used",
            "this login session is already used",
        ));
    }
    Ok(())
}

/// Log another region's holder in to a waiting session, with what their hub said of them.
async fn log_in_remote(
    s: &AppState,
    session: &str,
    t: &TerminalCaller,
    owner: &RegionCode,
    red: Redemption,
) -> HubResult<LoginSessionView> {
    let now = s.now();
    let held: Vec<String> = red.available.iter().map(|a| a.type_code.clone()).collect();
    let mut tx = s.db.begin_write().await?;
    let n = sqlx::query(
        "UPDATE login_sessions SET state = 'logged_in', method = 'identity_code', logged_in_at = $1, remote_owner = $2, remote_redemption = $3, remote_name = $4, remote_available = $5 \
         WHERE id = $6 AND state = 'waiting'",
    )
    .bind(now)
    .bind(owner.as_str())
    .bind(&red.redemption_id)
    .bind(&red.subject_name_masked)
    .bind(json_list(&held))
    .bind(session)
    .execute(&mut *tx)
    .await?;
    claimed(n)?;
    // The holder's identity stays with their hub (which audits the redemption); here, where.
    store::audit(&mut tx, now, "login", &format!("terminal:{}", t.id), None, serde_json::json!({ "session": session, "terminal": t.name, "method": "identity_code", "region": owner.as_str(), "redemption": red.redemption_id })).await?;
    tx.commit().await?;
    s.push.send(
        &terminal_key(&t.id),
        &PushEvent::LoggedIn {
            session_id: session.to_string(),
            holder_name: red.subject_name_masked.clone(),
            method: "identity_code".into(),
        },
    );
    Ok(login_view(s, session).await?.0)
}

#[utoipa::path(post, path = "/v1/terminal/login-sessions/{id}/end", tag = "terminal", params(("id" = String, Path)), responses((status = 200, body = LoginSessionView), (status = 404, body = ApiError)))]
pub async fn end_login(
    State(s): State<AppState>,
    Path(id): Path<String>,
    a: Authed<TerminalCaller>,
) -> HubResult<Json<LoginSessionView>> {
    let (view, terminal) = login_view(&s, &id).await?;
    if terminal != a.who.id {
        return Err(HubError::NotFound("login session"));
    }
    sqlx::query("UPDATE login_sessions SET state = 'ended' WHERE id = $1")
        .bind(&id)
        .execute(&s.db.write)
        .await?;
    Ok(Json(LoginSessionView {
        state: "ended".into(),
        ..view
    }))
}

#[utoipa::path(post, path = "/v1/terminal/login-sessions/{id}/auth-requests", tag = "terminal", params(("id" = String, Path)), request_body = SessionAuthRequest,
    responses((status = 200, body = AuthRequestView), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn session_request(
    State(s): State<AppState>,
    Path(id): Path<String>,
    a: Authed<TerminalCaller>,
) -> HubResult<Json<AuthRequestView>> {
    let req: SessionAuthRequest = json(&a.body)?;
    Ok(Json(request_in_session(&s, &a.who, &id, req).await?))
}

/// A kiosk with a logged-in holder asks them to release what a self-service matter needs
/// (only the certificate types the holder actually holds; a required one missing is refused).
pub async fn request_in_session(
    s: &AppState,
    t: &TerminalCaller,
    session: &str,
    req: SessionAuthRequest,
) -> HubResult<AuthRequestView> {
    let (view, terminal) = login_view(s, session).await?;
    if terminal != t.id {
        return Err(HubError::NotFound("login session"));
    }
    if view.state != "logged_in" {
        return Err(conflict(
            "not_logged_in",
            "nobody is logged in to this session",
        ));
    }
    let matter = catalogue::matter(&req.matter)?;
    if !matter.self_service {
        return Err(forbidden(
            "not_self_service",
            "this matter is not offered at self-service kiosks",
        ));
    }
    let remote = sqlx::query("SELECT remote_owner, remote_redemption, remote_available FROM login_sessions WHERE id = $1 AND remote_owner IS NOT NULL").bind(session).fetch_optional(&s.db.read).await?;
    if let Some(r) = remote {
        // Another region's holder: ask through their hub, on the redemption their code made.
        let owner = RegionCode::parse(r.get::<&str, _>(0))?;
        let wanted = wanted_for(matter, &parse_list(r.get(2)))?;
        let create = AuthRequestCreate {
            redemption_id: r.get(1),
            matter: matter.code.into(),
            cert_types: wanted,
            archive: req.archive,
        };
        return federation::request_authorization(s, t, &owner, create).await;
    }
    let row = sqlx::query("SELECT h.id, h.id_number, p.name FROM login_sessions l JOIN holders h ON h.id = l.holder JOIN people p ON p.id_number = h.id_number WHERE l.id = $1")
        .bind(session)
        .fetch_one(&s.db.read)
        .await?;
    let (holder_id, id_number, name): (String, String, String) =
        (row.get(0), row.get(1), row.get(2));
    let held: Vec<String> = available_certs(s, &id_number, None)
        .await?
        .into_iter()
        .map(|a| a.type_code)
        .collect();
    let wanted = wanted_for(matter, &held)?;
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    let red = OwnedRedemption {
        terminal_id: t.id.clone(),
        terminal_name: t.name.clone(),
        kind: "login",
        subject_code: id_number.clone(),
        subject_name: name.clone(),
        approver: holder_id.clone(),
        scope_type: None,
        grant_id: None,
    };
    let redemption_id = insert_redemption(&mut tx, &red, now).await?;
    tx.commit().await?;
    request_authorization(
        s,
        t,
        AuthRequestCreate {
            redemption_id,
            matter: matter.code.into(),
            cert_types: wanted,
            archive: req.archive,
        },
    )
    .await
}

/// The certificate types a matter can take in place of its materials, of those `held`; a
/// required one not held is refused.
fn wanted_for(matter: &catalogue::Matter, held: &[String]) -> HubResult<Vec<String>> {
    let mut wanted: Vec<String> = Vec::new();
    for m in matter.materials {
        let Some(t) = m.replaced_by else { continue };
        if held.iter().any(|h| h == t) {
            if !wanted.iter().any(|w| w == t) {
                wanted.push(t.to_string());
            }
        } else if m.required {
            return Err(conflict(
                "not_held",
                format!("you have no valid {} for this matter", m.name),
            ));
        }
    }
    Ok(wanted)
}
