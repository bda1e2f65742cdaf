//! Issued certificates in storage: what a department registered to seal with, the registers a
//! holder's name is checked against, and the certificates' own changes of status. Each change
//! is decided by its statement inside the caller's write transaction (rows affected), never
//! by an earlier read.

use super::audit::WriteTx;
use super::Db;
use crate::error::{HubError, HubResult};
use mz_core::cert::{CertStatus, Certificate};
use sqlx::Row;

/// A department's registered seal key (its public key's bytes), if it has one by that id.
pub async fn seal_key(db: &Db, key_id: &str, department: &str) -> HubResult<Option<Vec<u8>>> {
    Ok(
        sqlx::query_scalar(
            "SELECT public_key FROM seal_keys WHERE key_id = $1 AND department = $2",
        )
        .bind(key_id)
        .bind(department)
        .fetch_optional(&db.read)
        .await?,
    )
}

/// An enterprise's name in the market register.
pub async fn enterprise_name(db: &Db, uscc: &str) -> HubResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT name FROM enterprises WHERE uscc = $1")
            .bind(uscc)
            .fetch_optional(&db.read)
            .await?,
    )
}

/// Who issued a certificate, whose it is, and its status.
pub struct Issued {
    pub issuer: String,
    pub holder: String,
    pub status: CertStatus,
}

pub async fn issued(db: &Db, license_id: &str) -> HubResult<Option<Issued>> {
    let row = sqlx::query(
        "SELECT issuer_code, holder_code, status FROM certificates WHERE license_id = $1",
    )
    .bind(license_id)
    .fetch_optional(&db.read)
    .await?;
    row.map(|r| {
        Ok(Issued {
            issuer: r.get(0),
            holder: r.get(1),
            status: CertStatus::parse(r.get(2))?,
        })
    })
    .transpose()
}

/// Store a new valid certificate; false when one with its licence id exists.
pub async fn insert(
    tx: &mut WriteTx,
    cert: &Certificate,
    type_code: &str,
    now: i64,
) -> HubResult<bool> {
    let b = &cert.body;
    let n = sqlx::query(
        "INSERT INTO certificates (license_id, type_code, holder_code, holder_name, issuer_code, body, status, disclosable, valid_to, issued_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT(license_id) DO NOTHING",
    )
    .bind(b.license_id.as_str())
    .bind(type_code)
    .bind(&b.holder_code)
    .bind(&b.holder_name)
    .bind(b.issuer_code.as_str())
    .bind(serde_json::to_string(cert).map_err(|e| HubError::Internal(e.to_string()))?)
    .bind(CertStatus::Valid.as_str())
    .bind(b.disclosable as i64)
    .bind(b.valid_to.map(|d| d.to_string()))
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Mark a valid certificate superseded; false when it was no longer valid.
pub async fn supersede(tx: &mut WriteTx, license_id: &str) -> HubResult<bool> {
    let n =
        sqlx::query("UPDATE certificates SET status = $1 WHERE license_id = $2 AND status = $3")
            .bind(CertStatus::Superseded.as_str())
            .bind(license_id)
            .bind(CertStatus::Valid.as_str())
            .execute(&mut **tx)
            .await?
            .rows_affected();
    Ok(n == 1)
}

/// Revoke a certificate with a reason; false when it was revoked already.
pub async fn revoke(tx: &mut WriteTx, license_id: &str, reason: &str) -> HubResult<bool> {
    let n = sqlx::query(
        "UPDATE certificates SET status = $1, revoked_reason = $2 WHERE license_id = $3 AND status <> $4",
    )
    .bind(CertStatus::Revoked.as_str())
    .bind(reason)
    .bind(license_id)
    .bind(CertStatus::Revoked.as_str())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(n == 1)
}
