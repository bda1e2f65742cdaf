//! Issuing departments: issue sealed certificates and revoke them.

use crate::auth::{json, DeptCaller};
use crate::error::{fail, HubError, HubResult};
use crate::store::{self, pk};
use crate::AppState;
use mz_core::api::*;
use mz_core::catalogue;
use mz_core::cert::{Certificate, HolderIdType};
use mz_core::ErrorCode;

/// Accept a certificate sealed by the calling department with one of its registered seal keys.
pub async fn issue_certificate(
    s: &AppState,
    d: &DeptCaller,
    cert: Certificate,
    supersedes: Option<&str>,
) -> HubResult<IssueResponse> {
    let b = &cert.body;
    if b.issuer_code.as_str() != d.code {
        return Err(fail(
            ErrorCode::NotIssuer,
            "a department can only issue certificates in its own name",
        ));
    }
    let key: Option<Vec<u8>> = sqlx::query_scalar(
        "SELECT public_key FROM seal_keys WHERE key_id = $1 AND department = $2",
    )
    .bind(cert.seal.key_id.to_string())
    .bind(&d.code)
    .fetch_optional(&s.db.read)
    .await?;
    let key = pk(key.ok_or_else(|| {
        fail(
            ErrorCode::UnknownSealKey,
            "the seal names a key this department has not registered",
        )
    })?)?;
    cert.verify(&key)?;
    let t = catalogue::cert_type(&b.type_code)?;
    if b.license_id.type_code() != t.type_code() {
        return Err(fail(
            ErrorCode::TypeMismatch,
            "the licence id's type code does not match the certificate type",
        ));
    }
    let registered: Option<String> = match b.holder_code_type {
        HolderIdType::IdNumber => store::person_name(&s.db, &b.holder_code).await?,
        HolderIdType::Uscc => {
            sqlx::query_scalar("SELECT name FROM enterprises WHERE uscc = $1")
                .bind(&b.holder_code)
                .fetch_optional(&s.db.read)
                .await?
        }
    };
    match registered {
        None => return Err(HubError::NotFound("holder in the register")),
        Some(n) if n != b.holder_name => {
            return Err(fail(
                ErrorCode::HolderNameMismatch,
                "the holder's name does not match the register",
            ))
        }
        Some(_) => {}
    }
    if let Some(old) = supersedes {
        let row: Option<(String, String, String)> = sqlx::query_as(
            "SELECT issuer_code, holder_code, status FROM certificates WHERE license_id = $1",
        )
        .bind(old)
        .fetch_optional(&s.db.read)
        .await?;
        match row {
            None => return Err(HubError::NotFound("certificate to supersede")),
            Some((issuer, _, _)) if issuer != d.code => {
                return Err(fail(
                    ErrorCode::NotIssuer,
                    "only the issuing department may supersede a certificate",
                ))
            }
            Some((_, holder, _)) if holder != b.holder_code => {
                return Err(fail(
                    ErrorCode::HolderMismatch,
                    "a replacement must have the same holder",
                ))
            }
            Some((_, _, status)) if status != "valid" => {
                return Err(fail(
                    ErrorCode::NotValid,
                    "only a valid certificate can be superseded",
                ))
            }
            Some(_) => {}
        }
    }
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    let n = sqlx::query(
        "INSERT INTO certificates (license_id, type_code, holder_code, holder_name, issuer_code, body, status, disclosable, valid_to, issued_at) VALUES ($1, $2, $3, $4, $5, $6, 'valid', $7, $8, $9) \
         ON CONFLICT(license_id) DO NOTHING",
    )
    .bind(b.license_id.as_str())
    .bind(t.code)
    .bind(&b.holder_code)
    .bind(&b.holder_name)
    .bind(&d.code)
    .bind(serde_json::to_string(&cert).map_err(|e| HubError::Internal(e.to_string()))?)
    .bind(b.disclosable as i64)
    .bind(b.valid_to.map(|d| d.to_string()))
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(fail(
            ErrorCode::AlreadyIssued,
            "a certificate with this licence id exists",
        ));
    }
    if let Some(old) = supersedes {
        sqlx::query("UPDATE certificates SET status = 'superseded' WHERE license_id = $1")
            .bind(old)
            .execute(&mut *tx)
            .await?;
    }
    store::audit(&mut tx, now, "issue", &format!("department:{}", d.code), Some(&b.holder_code), serde_json::json!({ "license_id": b.license_id.as_str(), "type": t.code, "supersedes": supersedes })).await?;
    tx.commit().await?;
    Ok(IssueResponse {
        license_id: b.license_id.to_string(),
    })
}
pub async fn revoke(s: &AppState, who: DeptCaller, body: &[u8]) -> HubResult<IssueResponse> {
    let req: RevokeCertRequest = json(body)?;
    let reason = req.reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        return Err(fail(
            ErrorCode::BadReason,
            "give a reason of 1–200 characters",
        ));
    }
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT issuer_code, status, holder_code FROM certificates WHERE license_id = $1",
    )
    .bind(&req.license_id)
    .fetch_optional(&s.db.read)
    .await?;
    let Some((issuer, status, holder)) = row else {
        return Err(HubError::NotFound("certificate"));
    };
    if issuer != who.code {
        return Err(fail(
            ErrorCode::NotIssuer,
            "only the issuing department may revoke",
        ));
    }
    if status == "revoked" {
        return Err(fail(
            ErrorCode::AlreadyRevoked,
            "the certificate is already revoked",
        ));
    }
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    sqlx::query(
        "UPDATE certificates SET status = 'revoked', revoked_reason = $1 WHERE license_id = $2",
    )
    .bind(reason)
    .bind(&req.license_id)
    .execute(&mut *tx)
    .await?;
    store::audit(
        &mut tx,
        now,
        "revoke_certificate",
        &format!("department:{}", who.code),
        Some(&holder),
        serde_json::json!({ "license_id": req.license_id, "reason": reason }),
    )
    .await?;
    tx.commit().await?;
    Ok(IssueResponse {
        license_id: req.license_id,
    })
}
