//! Terminals' enrolment in storage: a one-time code (kept only as its hash) binds the key the
//! terminal made, inside the caller's write transaction.

use super::audit::WriteTx;
use crate::error::HubResult;
use sqlx::Row;

/// The terminal waiting for the enrolment code with this hash: (its id, when the code expires).
pub async fn awaiting_code(
    tx: &mut WriteTx,
    code_hash: &[u8],
) -> HubResult<Option<(String, Option<i64>)>> {
    let r = sqlx::query(
        "SELECT id, enrol_expires_at FROM terminals WHERE enrol_code_hash = $1 AND key_id IS NULL",
    )
    .bind(code_hash)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(r.map(|r| (r.get(0), r.get(1))))
}

/// Whether an enrolment code awaits a key, read without the write gate (an unknown code, sent
/// by anyone, must not queue behind the writers).
pub async fn code_awaits(db: &super::Db, code_hash: &[u8]) -> HubResult<bool> {
    Ok(
        sqlx::query("SELECT 1 FROM terminals WHERE enrol_code_hash = $1 AND key_id IS NULL")
            .bind(code_hash)
            .fetch_optional(&db.read)
            .await?
            .is_some(),
    )
}

/// Whether a terminal already uses this key.
pub async fn key_in_use(tx: &mut WriteTx, key_id: &str) -> HubResult<bool> {
    Ok(sqlx::query("SELECT 1 FROM terminals WHERE key_id = $1")
        .bind(key_id)
        .fetch_optional(&mut **tx)
        .await?
        .is_some())
}

/// Bind a key to a terminal and use up its enrolment code.
pub async fn bind_key(
    tx: &mut WriteTx,
    id: &str,
    key_id: &str,
    public_key: &[u8],
) -> HubResult<()> {
    sqlx::query(
        "UPDATE terminals SET key_id = $1, public_key = $2, enrol_code_hash = NULL, enrol_expires_at = NULL WHERE id = $3",
    )
    .bind(key_id)
    .bind(public_key)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
