//! Proof orders: a kiosk's self-service matter asks the issuing department's service for a
//! proof (房查证明, 参保证明); the service answers with it or with a refusal.

use super::audit::WriteTx;
use super::Db;
use crate::error::HubResult;
use mz_core::flow::ProofState;
use sqlx::Row;

/// A new order, made for a released request.
pub struct NewOrder<'a> {
    pub id: &'a str,
    pub request: &'a str,
    pub department: &'a str,
    pub cert_type: &'a str,
    /// SHA-256 (hex) of the check token printed on the proof.
    pub check_hash: &'a str,
    pub now: i64,
    pub expires_at: i64,
}

/// Record the order (the request's terminal, matter and subject are copied from it); false when
/// the request has one already.
pub async fn insert(tx: &mut WriteTx, o: NewOrder<'_>) -> HubResult<bool> {
    let n = sqlx::query(
        "INSERT INTO proof_orders (id, request, terminal, department, matter, cert_type, subject_code, subject_name, state, check_hash, created_at, expires_at) \
         SELECT $1, a.id, a.terminal, $2, a.matter, $3, a.subject_code, r.subject_name, $4, $5, $6, $7 \
         FROM auth_requests a JOIN redemptions r ON r.id = a.redemption WHERE a.id = $8 \
         ON CONFLICT (request) DO NOTHING",
    )
    .bind(o.id)
    .bind(o.department)
    .bind(o.cert_type)
    .bind(ProofState::Pending.as_str())
    .bind(o.check_hash)
    .bind(o.now)
    .bind(o.expires_at)
    .bind(o.request)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// An order as stored, with the names of its terminal and department.
pub struct StoredOrder {
    pub id: String,
    pub request: String,
    pub terminal: String,
    pub terminal_name: String,
    pub department: String,
    pub department_name: String,
    pub matter: String,
    pub cert_type: String,
    pub subject_code: String,
    pub subject_name: String,
    pub state: ProofState,
    pub reason: Option<String>,
    pub license_id: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
}

const SELECT: &str = "SELECT o.id, o.request, o.terminal, t.name, o.department, d.name, o.matter, o.cert_type, \
    o.subject_code, o.subject_name, o.state, o.reason, o.license_id, o.created_at, o.expires_at \
    FROM proof_orders o JOIN terminals t ON t.id = o.terminal JOIN departments d ON d.code = o.department";

fn stored(r: &sqlx::any::AnyRow) -> HubResult<StoredOrder> {
    Ok(StoredOrder {
        id: r.get(0),
        request: r.get(1),
        terminal: r.get(2),
        terminal_name: r.get(3),
        department: r.get(4),
        department_name: r.get(5),
        matter: r.get(6),
        cert_type: r.get(7),
        subject_code: r.get(8),
        subject_name: r.get(9),
        state: ProofState::parse(r.get(10))?,
        reason: r.get(11),
        license_id: r.get(12),
        created_at: r.get(13),
        expires_at: r.get(14),
    })
}

/// One order by its id, or by the request it was made for.
pub async fn get(db: &Db, id: &str) -> HubResult<Option<StoredOrder>> {
    let sql = format!("{SELECT} WHERE o.id = $1 OR o.request = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(&db.read).await?;
    row.as_ref().map(stored).transpose()
}

/// The department's orders still waiting at `now`, oldest first.
pub async fn pending_for(db: &Db, department: &str, now: i64) -> HubResult<Vec<StoredOrder>> {
    let sql = format!(
        "{SELECT} WHERE o.department = $1 AND o.state = $2 AND o.expires_at > $3 ORDER BY o.created_at, o.id LIMIT 100"
    );
    let rows = sqlx::query(&sql)
        .bind(department)
        .bind(ProofState::Pending.as_str())
        .bind(now)
        .fetch_all(&db.read)
        .await?;
    rows.iter().map(stored).collect()
}

/// The department's answer to its order still waiting at `now`; false when it was answered
/// already, is past its time or is not the department's.
pub struct Answer<'a> {
    pub id: &'a str,
    pub department: &'a str,
    pub state: ProofState,
    pub reason: Option<&'a str>,
    pub license_id: Option<&'a str>,
    pub now: i64,
}

pub async fn answer(tx: &mut WriteTx, a: Answer<'_>) -> HubResult<bool> {
    let n = sqlx::query(
        "UPDATE proof_orders SET state = $1, reason = $2, license_id = $3, answered_at = $4 \
         WHERE id = $5 AND department = $6 AND state = $7 AND expires_at > $4",
    )
    .bind(a.state.as_str())
    .bind(a.reason)
    .bind(a.license_id)
    .bind(a.now)
    .bind(a.id)
    .bind(a.department)
    .bind(ProofState::Pending.as_str())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// The issued proof whose check token hashes to `check_hash`: (order, licence id).
pub async fn issued_by_check(db: &Db, check_hash: &str) -> HubResult<Option<(String, String)>> {
    let row = sqlx::query(
        "SELECT id, license_id FROM proof_orders WHERE check_hash = $1 AND state = $2 AND license_id IS NOT NULL",
    )
    .bind(check_hash)
    .bind(ProofState::Issued.as_str())
    .fetch_optional(&db.read)
    .await?;
    Ok(row.map(|r| (r.get(0), r.get(1))))
}
