//! Authorization requests (用证授权) and the redemptions they are asked under, in storage. A
//! request is decided once (`WHERE state = 'pending'`) and released once
//! (`WHERE released_at IS NULL`), each by its UPDATE inside the caller's write transaction.

use super::audit::WriteTx;
use super::Db;
use crate::error::HubResult;
use crate::service::{json_list, parse_list};
use mz_core::flow::{RedemptionKind, RequestState};
use sqlx::Row;

/// A request as stored (its state as stored: `RequestState::at` decides expiry).
pub struct StoredRequest {
    pub id: String,
    pub matter: String,
    pub terminal: String,
    pub cert_types: Vec<String>,
    pub archive: bool,
    pub state: RequestState,
    pub approved: Vec<String>,
    pub created_at: i64,
    pub expires_at: i64,
    pub grant_id: Option<String>,
    pub subject_code: String,
    pub subject_name: String,
    pub approver: String,
    pub released_at: Option<i64>,
    pub decided_at: Option<i64>,
    /// The licences the request covers, fixed when it was made (none if unreadable).
    pub licences: Vec<String>,
    /// The licences released, once released.
    pub released: Vec<String>,
}

pub async fn get(db: &Db, id: &str) -> HubResult<Option<StoredRequest>> {
    let r = sqlx::query(
        "SELECT a.id, a.matter, a.terminal, a.cert_types, a.archive, a.state, a.approved, a.created_at, \
         a.expires_at, a.grant_id, a.subject_code, r.subject_name, a.approver, a.released_at, a.decided_at, a.licences, a.released \
         FROM auth_requests a JOIN redemptions r ON r.id = a.redemption WHERE a.id = $1",
    )
    .bind(id)
    .fetch_optional(&db.read)
    .await?;
    r.map(|r| {
        Ok(StoredRequest {
            id: r.get(0),
            matter: r.get(1),
            terminal: r.get(2),
            cert_types: parse_list(r.get(3)),
            archive: r.get::<i64, _>(4) == 1,
            state: RequestState::parse(r.get(5))?,
            approved: parse_list(r.get(6)),
            created_at: r.get(7),
            expires_at: r.get(8),
            grant_id: r.get(9),
            subject_code: r.get(10),
            subject_name: r.get(11),
            approver: r.get(12),
            released_at: r.get(13),
            decided_at: r.get(14),
            licences: r
                .get::<Option<String>, _>(15)
                .map(|l| parse_list(&l))
                .unwrap_or_default(),
            released: r
                .get::<Option<String>, _>(16)
                .map(|l| parse_list(&l))
                .unwrap_or_default(),
        })
    })
    .transpose()
}

/// The requests a holder approves: the pending ones still open at `now` in the order they
/// came, or (`all`) the last hundred of every state, newest first.
pub async fn for_approver(db: &Db, approver: &str, all: bool, now: i64) -> HubResult<Vec<String>> {
    let q = if all {
        sqlx::query_scalar::<_, String>(
            "SELECT id FROM auth_requests WHERE approver = $1 ORDER BY created_at DESC LIMIT 100",
        )
        .bind(approver)
    } else {
        sqlx::query_scalar::<_, String>(
            "SELECT id FROM auth_requests WHERE approver = $1 AND state = $2 AND expires_at >= $3 ORDER BY created_at",
        )
        .bind(approver)
        .bind(RequestState::Pending.as_str())
        .bind(now)
    };
    Ok(q.fetch_all(&db.read).await?)
}

/// Record a decision on a pending request; false when it was no longer pending.
pub async fn decide(
    tx: &mut WriteTx,
    id: &str,
    state: RequestState,
    approved: &[String],
    signed: Option<Vec<u8>>,
    now: i64,
    device: Option<&str>,
) -> HubResult<bool> {
    let n = sqlx::query(
        "UPDATE auth_requests SET state = $1, approved = $2, decision = $3, decided_at = $4, decided_by = $7 WHERE id = $5 AND state = $6",
    )
    .bind(state.as_str())
    .bind(json_list(approved))
    .bind(signed)
    .bind(now)
    .bind(id)
    .bind(RequestState::Pending.as_str())
    .bind(device)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Record that the approved certificates were handed over; false when they were already.
pub async fn mark_released(
    tx: &mut WriteTx,
    id: &str,
    licences: &[String],
    now: i64,
) -> HubResult<bool> {
    let n = sqlx::query(
        "UPDATE auth_requests SET released_at = $1, released = $2 WHERE id = $3 AND released_at IS NULL",
    )
    .bind(now)
    .bind(json_list(licences))
    .bind(id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// A redemption as stored: a terminal acting for a subject, approved by a holder.
pub struct StoredRedemption {
    pub terminal: String,
    pub subject_code: String,
    pub approver: String,
    pub grant_id: Option<String>,
    pub expires_at: i64,
    pub kind: RedemptionKind,
    /// A show-code's one certificate type, and its ordinal among the holder's of that type.
    pub scope_type: Option<String>,
    pub scope_ordinal: Option<i64>,
}

pub async fn redemption(db: &Db, id: &str) -> HubResult<Option<StoredRedemption>> {
    let r = sqlx::query(
        "SELECT terminal, subject_code, approver, grant_id, expires_at, kind, scope_type, scope_ordinal FROM redemptions WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.read)
    .await?;
    r.map(|r| {
        Ok(StoredRedemption {
            terminal: r.get(0),
            subject_code: r.get(1),
            approver: r.get(2),
            grant_id: r.get(3),
            expires_at: r.get(4),
            kind: RedemptionKind::parse(r.get(5))?,
            scope_type: r.get(6),
            scope_ordinal: r.get(7),
        })
    })
    .transpose()
}

/// The authorization request made on a redemption, if any (a redemption takes one).
pub async fn request_on(db: &Db, redemption: &str) -> HubResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM auth_requests WHERE redemption = $1")
            .bind(redemption)
            .fetch_optional(&db.read)
            .await?,
    )
}

/// How the terminal of a request came to act for its subject.
pub async fn redemption_kind(db: &Db, request_id: &str) -> HubResult<RedemptionKind> {
    let kind: String = sqlx::query_scalar(
        "SELECT r.kind FROM auth_requests a JOIN redemptions r ON r.id = a.redemption WHERE a.id = $1",
    )
    .bind(request_id)
    .fetch_one(&db.read)
    .await?;
    Ok(RedemptionKind::parse(&kind)?)
}

/// A holder's ID number and name.
pub async fn holder_person(db: &Db, holder_id: &str) -> HubResult<(String, String)> {
    Ok(sqlx::query_as(
        "SELECT h.id_number, p.name FROM holders h JOIN people p ON p.id_number = h.id_number WHERE h.id = $1",
    )
    .bind(holder_id)
    .fetch_one(&db.read)
    .await?)
}

/// A new pending request under a redemption.
pub struct NewRequest<'a> {
    pub id: &'a str,
    pub redemption: &'a str,
    pub terminal: &'a str,
    pub subject_code: &'a str,
    pub approver: &'a str,
    pub matter: &'a str,
    pub cert_types: &'a [String],
    pub archive: bool,
    pub grant_id: Option<&'a str>,
    pub now: i64,
    pub expires_at: i64,
    /// The licences of the asked types the subject holds now (what the holder approves).
    pub licences: &'a [String],
}

/// Keep a new pending request; false when its redemption already has one.
pub async fn insert(tx: &mut WriteTx, r: NewRequest<'_>) -> HubResult<bool> {
    let n = sqlx::query(
        "INSERT INTO auth_requests (id, redemption, terminal, subject_code, approver, matter, cert_types, \
         archive, state, grant_id, created_at, expires_at, licences) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT(redemption) DO NOTHING",
    )
    .bind(r.id)
    .bind(r.redemption)
    .bind(r.terminal)
    .bind(r.subject_code)
    .bind(r.approver)
    .bind(r.matter)
    .bind(json_list(r.cert_types))
    .bind(r.archive as i64)
    .bind(RequestState::Pending.as_str())
    .bind(r.grant_id)
    .bind(r.now)
    .bind(r.expires_at)
    .bind(json_list(r.licences))
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// The device that decided a request, when the holder decided on their own.
pub async fn decided_by(db: &Db, id: &str) -> HubResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT decided_by FROM auth_requests WHERE id = $1")
            .bind(id)
            .fetch_optional(&db.read)
            .await?
            .flatten(),
    )
}
