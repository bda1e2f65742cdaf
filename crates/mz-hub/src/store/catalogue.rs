//! The catalogue's versions as imported, and the type numbers every version gave.

use super::audit::WriteTx;
use super::Db;
use crate::error::HubResult;
use mz_core::catalogue::TypeNumber;

/// A stored version: its number, digest and file.
pub struct StoredCatalogue {
    pub version: i64,
    pub digest: String,
    pub body: String,
}

/// The number of the newest version, if any was imported.
pub async fn latest_version(db: &Db) -> HubResult<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT MAX(version) FROM catalogues")
        .fetch_one(&db.read)
        .await?)
}

/// The newest version, whole.
pub async fn latest(db: &Db) -> HubResult<Option<StoredCatalogue>> {
    let row: Option<(i64, String, String)> = sqlx::query_as(
        "SELECT version, digest, body FROM catalogues ORDER BY version DESC LIMIT 1",
    )
    .fetch_optional(&db.read)
    .await?;
    Ok(row.map(|(version, digest, body)| StoredCatalogue {
        version,
        digest,
        body,
    }))
}

pub async fn insert(tx: &mut WriteTx, c: &StoredCatalogue, now: i64) -> HubResult<()> {
    sqlx::query(
        "INSERT INTO catalogues (version, digest, body, imported_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(c.version)
    .bind(&c.digest)
    .bind(&c.body)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Every type number any version gave.
pub async fn type_numbers(db: &Db) -> HubResult<Vec<TypeNumber>> {
    let rows: Vec<(i32, String)> = sqlx::query_as("SELECT no, code FROM type_numbers")
        .fetch_all(&db.read)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(no, code)| TypeNumber {
            no: no as u16,
            code,
        })
        .collect())
}

/// Remember the numbers a version gives (those given before are kept as they are).
pub async fn give_numbers(tx: &mut WriteTx, numbers: &[TypeNumber]) -> HubResult<()> {
    for n in numbers {
        sqlx::query("INSERT INTO type_numbers (no, code) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(i32::from(n.no))
            .bind(&n.code)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The certificate types of which certificates were issued here.
pub async fn issued_types(db: &Db) -> HubResult<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT DISTINCT type_code FROM certificates")
            .fetch_all(&db.read)
            .await?,
    )
}
