//! What the public calls read: terminals and departments with their published keys, the
//! disclosable certificates, checkpoints of the audit chain, and release receipts.

use super::audit::{stored_hash, WriteTx, HEAD_SQL};
use super::{pk, Db};
use crate::error::{HubError, HubResult};
use mz_core::api::{DepartmentInfo, TerminalInfo};
use mz_core::cert::{CertStatus, Certificate};
use mz_core::flow::TerminalKind;
use sqlx::Row;

/// A terminal of this hub (or another hub's, as recorded here), with its department's name.
pub async fn terminal(db: &Db, id: &str) -> HubResult<Option<TerminalInfo>> {
    let r = sqlx::query(
        "SELECT t.id, t.kind, t.name, t.place, t.region, d.name, t.public_key, t.active \
         FROM terminals t JOIN departments d ON d.code = t.department WHERE t.id = $1",
    )
    .bind(id)
    .fetch_optional(&db.read)
    .await?;
    r.map(|r| {
        Ok(TerminalInfo {
            terminal_id: r.get(0),
            kind: TerminalKind::parse(r.get(1))?,
            name: r.get(2),
            place: r.get(3),
            region: r.get(4),
            department: r.get(5),
            public_key: r.get::<Option<Vec<u8>>, _>(6).map(pk).transpose()?,
            active: r.get::<i64, _>(7) == 1,
        })
    })
    .transpose()
}

/// This hub's own departments, by code, with their seal keys in the order registered.
pub async fn departments(db: &Db) -> HubResult<Vec<DepartmentInfo>> {
    let rows = sqlx::query(
        "SELECT code, name, region FROM departments WHERE origin IS NULL ORDER BY code",
    )
    .fetch_all(&db.read)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let code: String = r.get(0);
        let keys: Vec<Vec<u8>> = sqlx::query_scalar(
            "SELECT public_key FROM seal_keys WHERE department = $1 ORDER BY created_at",
        )
        .bind(&code)
        .fetch_all(&db.read)
        .await?;
        out.push(DepartmentInfo {
            code,
            name: r.get(1),
            region: r.get(2),
            seal_keys: keys.into_iter().map(pk).collect::<HubResult<_>>()?,
        });
    }
    Ok(out)
}

fn certificate_of(body: &str) -> HubResult<Certificate> {
    serde_json::from_str(body).map_err(|e| HubError::Internal(e.to_string()))
}

/// Disclosable certificates of a type whose holder's name matches `pattern` (SQL LIKE with
/// `\` as the escape character), at most 50, with their stored status.
pub async fn disclosable(
    db: &Db,
    type_code: &str,
    pattern: &str,
) -> HubResult<Vec<(Certificate, CertStatus)>> {
    let rows = sqlx::query(
        "SELECT body, status FROM certificates WHERE type_code = $1 AND disclosable = 1 \
         AND holder_name LIKE $2 ESCAPE '\\' ORDER BY holder_name LIMIT 50",
    )
    .bind(type_code)
    .bind(pattern)
    .fetch_all(&db.read)
    .await?;
    rows.iter()
        .map(|r| Ok((certificate_of(r.get(0))?, CertStatus::parse(r.get(1))?)))
        .collect()
}

/// A certificate with its stored status.
pub async fn certificate(db: &Db, license_id: &str) -> HubResult<(Certificate, CertStatus)> {
    let r = sqlx::query("SELECT body, status FROM certificates WHERE license_id = $1")
        .bind(license_id)
        .fetch_one(&db.read)
        .await?;
    Ok((certificate_of(r.get(0))?, CertStatus::parse(r.get(1))?))
}

/// A released request, for its receipt: (matter, terminal's name, released at, licence ids).
pub async fn released(
    db: &Db,
    request_id: &str,
) -> HubResult<Option<(String, String, i64, String)>> {
    let r = sqlx::query(
        "SELECT a.matter, t.name, a.released_at, a.released FROM auth_requests a \
         JOIN terminals t ON t.id = a.terminal WHERE a.id = $1 AND a.released_at IS NOT NULL",
    )
    .bind(request_id)
    .fetch_optional(&db.read)
    .await?;
    Ok(r.map(|r| {
        let released: Option<String> = r.get(3);
        (
            r.get(0),
            r.get(1),
            r.get(2),
            released.unwrap_or_else(|| "[]".into()),
        )
    }))
}

/// A signed checkpoint: (sequence, head hash, time, signed bytes).
pub type StoredCheckpoint = (u64, [u8; 32], i64, Vec<u8>);

/// The audit chain's head, read inside a write transaction.
pub async fn chain_head(tx: &mut WriteTx) -> HubResult<Option<(u64, [u8; 32])>> {
    let r = sqlx::query(HEAD_SQL).fetch_optional(&mut **tx).await?;
    r.map(|r| Ok((r.get::<i64, _>(0) as u64, stored_hash(r.get(1))?)))
        .transpose()
}

/// The checkpoint already signed at `seq`, if any.
pub async fn checkpoint_at(tx: &mut WriteTx, seq: u64) -> HubResult<Option<StoredCheckpoint>> {
    let r = sqlx::query("SELECT seq, head, at, signed FROM checkpoints WHERE seq = $1")
        .bind(seq as i64)
        .fetch_optional(&mut **tx)
        .await?;
    r.as_ref().map(checkpoint_of).transpose()
}

/// The latest signed checkpoint, read without the write gate.
pub async fn latest_checkpoint(db: &Db) -> HubResult<Option<StoredCheckpoint>> {
    let r = sqlx::query("SELECT seq, head, at, signed FROM checkpoints ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&db.read)
        .await?;
    r.as_ref().map(checkpoint_of).transpose()
}

/// A checkpoint row (seq, head, at, signed).
fn checkpoint_of(r: &sqlx::any::AnyRow) -> HubResult<StoredCheckpoint> {
    Ok((
        r.get::<i64, _>(0) as u64,
        stored_hash(r.get(1))?,
        r.get(2),
        r.get(3),
    ))
}

/// Keep a signed checkpoint.
pub async fn insert_checkpoint(tx: &mut WriteTx, cp: &StoredCheckpoint) -> HubResult<()> {
    sqlx::query("INSERT INTO checkpoints (seq, head, at, signed) VALUES ($1, $2, $3, $4)")
        .bind(cp.0 as i64)
        .bind(cp.1.to_vec())
        .bind(cp.2)
        .bind(&cp.3)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The most certificates a department's list shows (newest first).
pub const ISSUED_LIST_MAX: i64 = 200;

/// What a department issued, newest first, with stored statuses.
pub async fn issued_by(db: &Db, department: &str) -> HubResult<Vec<(Certificate, CertStatus)>> {
    let rows = sqlx::query(
        "SELECT body, status FROM certificates WHERE issuer_code = $1 ORDER BY issued_at DESC, license_id LIMIT $2",
    )
    .bind(department)
    .bind(ISSUED_LIST_MAX)
    .fetch_all(&db.read)
    .await?;
    rows.iter()
        .map(|r| Ok((certificate_of(r.get(0))?, CertStatus::parse(r.get(1))?)))
        .collect()
}
