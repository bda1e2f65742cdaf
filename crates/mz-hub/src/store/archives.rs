//! Archive records (预归档): the certificates a request released and the holder's consent,
//! kept for the department whose terminal asked.

use super::audit::WriteTx;
use super::Db;
use crate::error::HubResult;
use sqlx::Row;

/// A new archive record of a request being released (the signed decision is copied from it).
pub struct NewArchive<'a> {
    pub id: &'a str,
    pub request: &'a str,
    pub department: &'a str,
    pub consent: &'a str,
    /// The released certificates, as JSON.
    pub certificates: &'a str,
    pub now: i64,
    pub keep_until: i64,
}

pub async fn insert(tx: &mut WriteTx, a: NewArchive<'_>) -> HubResult<()> {
    sqlx::query(
        "INSERT INTO archives (id, request, department, terminal, matter, subject_code, subject_name, consent, decision, certificates, created_at, keep_until) \
         SELECT $1, a.id, $2, a.terminal, a.matter, a.subject_code, r.subject_name, $3, a.decision, $4, $5, $6 \
         FROM auth_requests a JOIN redemptions r ON r.id = a.redemption WHERE a.id = $7",
    )
    .bind(a.id)
    .bind(a.department)
    .bind(a.consent)
    .bind(a.certificates)
    .bind(a.now)
    .bind(a.keep_until)
    .bind(a.request)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// An archive record as stored.
pub struct StoredArchive {
    pub id: String,
    pub request: String,
    pub terminal_name: String,
    pub matter: String,
    pub subject_code: String,
    pub subject_name: String,
    pub consent: String,
    pub decision: Option<Vec<u8>>,
    pub certificates: String,
    pub created_at: i64,
    pub keep_until: i64,
}

const SELECT: &str = "SELECT x.id, x.request, t.name, x.matter, x.subject_code, x.subject_name, x.consent, \
    x.decision, x.certificates, x.created_at, x.keep_until FROM archives x JOIN terminals t ON t.id = x.terminal";

fn stored(r: &sqlx::any::AnyRow) -> StoredArchive {
    StoredArchive {
        id: r.get(0),
        request: r.get(1),
        terminal_name: r.get(2),
        matter: r.get(3),
        subject_code: r.get(4),
        subject_name: r.get(5),
        consent: r.get(6),
        decision: r.get(7),
        certificates: r.get(8),
        created_at: r.get(9),
        keep_until: r.get(10),
    }
}

/// A department's records still kept at `now`, newest first.
pub async fn of_department(db: &Db, department: &str, now: i64) -> HubResult<Vec<StoredArchive>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE x.department = $1 AND x.keep_until > $2 ORDER BY x.created_at DESC, x.id"
    ))
    .bind(department)
    .bind(now)
    .fetch_all(&db.read)
    .await?;
    Ok(rows.iter().map(stored).collect())
}

/// One of a department's records, if it is still kept at `now`.
pub async fn get(
    db: &Db,
    department: &str,
    id: &str,
    now: i64,
) -> HubResult<Option<StoredArchive>> {
    let row = sqlx::query(&format!(
        "{SELECT} WHERE x.id = $1 AND x.department = $2 AND x.keep_until > $3"
    ))
    .bind(id)
    .bind(department)
    .bind(now)
    .fetch_optional(&db.read)
    .await?;
    Ok(row.as_ref().map(stored))
}
