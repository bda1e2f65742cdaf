//! Issuing departments: issue sealed certificates and revoke them.

use crate::auth::{json, DeptCaller};
use crate::error::{fail, HubError, HubResult};
use crate::store::certificates as stored;
use crate::store::{self, pk};
use crate::AppState;
use mz_core::api::*;
use mz_core::cert::{CertStatus, Certificate, HolderIdType};
use mz_core::ErrorCode;

/// Accept a certificate sealed by the calling department with one of its registered seal keys.
pub async fn issue_certificate(
    s: &AppState,
    d: &DeptCaller,
    cert: Certificate,
    supersedes: Option<&str>,
) -> HubResult<IssueResponse> {
    let type_code = check_issuable(s, d, &cert, supersedes).await?;
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    store_issued(&mut tx, d, &cert, &type_code, supersedes, now).await?;
    tx.commit().await?;
    Ok(IssueResponse {
        license_id: cert.body.license_id.to_string(),
    })
}

/// What makes a certificate the department may issue: its own name, a seal by its registered
/// key, a type it is authorised for, a holder in the register. Returns the type's code.
pub(crate) async fn check_issuable(
    s: &AppState,
    d: &DeptCaller,
    cert: &Certificate,
    supersedes: Option<&str>,
) -> HubResult<String> {
    let b = &cert.body;
    if b.issuer_code.as_str() != d.code {
        return Err(fail(
            ErrorCode::NotIssuer,
            "a department can only issue certificates in its own name",
        ));
    }
    let key = stored::seal_key(&s.db, &cert.seal.key_id.to_string(), &d.code).await?;
    let key = pk(key.ok_or_else(|| {
        fail(
            ErrorCode::UnknownSealKey,
            "the seal names a key this department has not registered",
        )
    })?)?;
    cert.verify(&key)?;
    let catalogue = s.catalogue().await?;
    let t = catalogue.cert_type(&b.type_code)?;
    if !catalogue.may_issue(&d.code, &t.code) {
        return Err(fail(
            ErrorCode::NotIssuer,
            format!("this department is not authorised to issue {}", t.name),
        ));
    }
    if b.license_id.type_code() != t.type_code() {
        return Err(fail(
            ErrorCode::TypeMismatch,
            "the licence id's type code does not match the certificate type",
        ));
    }
    let registered: Option<String> = match b.holder_code_type {
        HolderIdType::IdNumber => store::person_name(&s.db, &b.holder_code).await?,
        HolderIdType::Uscc => stored::enterprise_name(&s.db, &b.holder_code).await?,
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
        check_supersedable(s, d, &b.holder_code, old).await?;
    }
    Ok(t.code.clone())
}

/// Store a certificate [`check_issuable`] accepted, in the caller's transaction, audited.
pub(crate) async fn store_issued(
    tx: &mut store::WriteTx,
    d: &DeptCaller,
    cert: &Certificate,
    type_code: &str,
    supersedes: Option<&str>,
    now: i64,
) -> HubResult<()> {
    let b = &cert.body;
    if !stored::insert(tx, cert, type_code, now).await? {
        return Err(fail(
            ErrorCode::AlreadyIssued,
            "a certificate with this licence id exists",
        ));
    }
    // The old one must still be valid when it is replaced, not only when it was read.
    if let Some(old) = supersedes {
        if !stored::supersede(tx, old).await? {
            return Err(not_valid());
        }
    }
    let detail = serde_json::json!({ "license_id": b.license_id.as_str(), "type": type_code, "supersedes": supersedes });
    store::audit(tx, now, "issue", &d.actor(), Some(&b.holder_code), detail).await?;
    Ok(())
}
/// Only the issuer replaces a certificate, with one of the same holder.
async fn check_supersedable(
    s: &AppState,
    d: &DeptCaller,
    holder: &str,
    old: &str,
) -> HubResult<()> {
    match stored::issued(&s.db, old).await? {
        None => Err(HubError::NotFound("certificate to supersede")),
        Some(c) if c.issuer != d.code => Err(fail(
            ErrorCode::NotIssuer,
            "only the issuing department may supersede a certificate",
        )),
        Some(c) if c.holder != holder => Err(fail(
            ErrorCode::HolderMismatch,
            "a replacement must have the same holder",
        )),
        Some(c) if c.status != CertStatus::Valid => Err(not_valid()),
        Some(_) => Ok(()),
    }
}

fn not_valid() -> HubError {
    fail(
        ErrorCode::NotValid,
        "only a valid certificate can be superseded",
    )
}

/// The issuing department revokes a certificate, with a reason. The revocation is decided by
/// its own statement inside the audited transaction: of two at once, one is audited.
pub async fn revoke(s: &AppState, who: DeptCaller, body: &[u8]) -> HubResult<IssueResponse> {
    let req: RevokeCertRequest = json(body)?;
    let reason = req.reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        return Err(fail(
            ErrorCode::BadReason,
            "give a reason of 1–200 characters",
        ));
    }
    let Some(c) = stored::issued(&s.db, &req.license_id).await? else {
        return Err(HubError::NotFound("certificate"));
    };
    if c.issuer != who.code {
        return Err(fail(
            ErrorCode::NotIssuer,
            "only the issuing department may revoke",
        ));
    }
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    if !stored::revoke(&mut tx, &req.license_id, reason).await? {
        return Err(fail(
            ErrorCode::AlreadyRevoked,
            "the certificate is already revoked",
        ));
    }
    let holder = c.holder;
    store::audit(
        &mut tx,
        now,
        "revoke_certificate",
        &who.actor(),
        Some(&holder),
        serde_json::json!({ "license_id": req.license_id, "reason": reason }),
    )
    .await?;
    tx.commit().await?;
    Ok(IssueResponse {
        license_id: req.license_id,
    })
}

/// What this department issued (newest first, at most 200), with today's status.
pub async fn issued(s: &AppState, who: &DeptCaller) -> HubResult<Vec<PublicCertificate>> {
    let issued = crate::store::public::issued_by(&s.db, &who.code).await?;
    Ok(super::public::with_status_today(s, issued))
}

/// The applications this department received (e.g. 高龄津贴 filed by an agent), newest first.
pub async fn applications(s: &AppState, who: &DeptCaller) -> HubResult<Vec<ApplicationView>> {
    let mut out = Vec::new();
    for id in crate::store::face::applications_to(&s.db, &who.code).await? {
        out.push(crate::service::face::application_view(s, &id).await?);
    }
    Ok(out)
}
