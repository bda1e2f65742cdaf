//! The issuing department's side of proof orders: read the pending ones, answer each with the
//! proof sealed by the department, or with a refusal and its reason.

use super::tell_terminal;
use crate::auth::DeptCaller;
use crate::error::{fail, HubError, HubResult};
use crate::service::dept::{check_issuable, store_issued};
use crate::store;
use crate::store::proofs::{self, Answer, StoredOrder};
use crate::AppState;
use mz_core::api::*;
use mz_core::cert::HolderIdType;
use mz_core::flow::ProofState;
use mz_core::ErrorCode;

/// The department's orders still waiting, oldest first (at most 100).
pub async fn pending(s: &AppState, d: &DeptCaller) -> HubResult<Vec<DeptProofOrder>> {
    let rows = proofs::pending_for(&s.db, &d.code, s.now()).await?;
    Ok(rows.into_iter().map(dept_view).collect())
}

/// Answer an order with the proof, sealed by the department: of the order's type, about the
/// order's subject, and everything a department's certificate must be.
pub async fn issue(
    s: &AppState,
    d: &DeptCaller,
    id: &str,
    req: ProofIssue,
) -> HubResult<IssueResponse> {
    let o = pending_order(s, d, id).await?;
    let cert = req.certificate;
    let b = &cert.body;
    if b.type_code != o.cert_type {
        return Err(fail(
            ErrorCode::TypeMismatch,
            "the proof is not of the type ordered",
        ));
    }
    if b.holder_code != o.subject_code || b.holder_code_type != subject_type(&o.subject_code) {
        return Err(fail(
            ErrorCode::HolderMismatch,
            "the proof is not about the order's subject",
        ));
    }
    let type_code = check_issuable(s, d, &cert, None).await?;
    let now = s.now();
    let license_id = b.license_id.to_string();
    let mut tx = s.db.begin_write().await?;
    store_issued(&mut tx, d, &cert, &type_code, None, now).await?;
    let answer = Answer {
        id,
        department: &d.code,
        state: ProofState::Issued,
        reason: None,
        license_id: Some(&license_id),
        now,
    };
    if !proofs::answer(&mut tx, answer).await? {
        return Err(closed());
    }
    let detail = serde_json::json!({ "order": id, "license_id": license_id });
    store::audit(
        &mut tx,
        now,
        "proof_issued",
        &d.actor(),
        Some(&o.subject_code),
        detail,
    )
    .await?;
    tx.commit().await?;
    tell_terminal(s, &o, ProofState::Issued);
    Ok(IssueResponse { license_id })
}

/// The department cannot issue the proof (no record of the person, say): the kiosk shows why.
pub async fn refuse(
    s: &AppState,
    d: &DeptCaller,
    id: &str,
    req: ProofRefusal,
) -> HubResult<DeptProofOrder> {
    let reason = req.reason.trim();
    if reason.is_empty() || reason.chars().count() > 200 {
        return Err(fail(
            ErrorCode::BadReason,
            "give a reason of 1–200 characters",
        ));
    }
    let o = pending_order(s, d, id).await?;
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    let answer = Answer {
        id,
        department: &d.code,
        state: ProofState::Refused,
        reason: Some(reason),
        license_id: None,
        now,
    };
    if !proofs::answer(&mut tx, answer).await? {
        return Err(closed());
    }
    let detail = serde_json::json!({ "order": id, "reason": reason });
    store::audit(
        &mut tx,
        now,
        "proof_refused",
        &d.actor(),
        Some(&o.subject_code),
        detail,
    )
    .await?;
    tx.commit().await?;
    tell_terminal(s, &o, ProofState::Refused);
    Ok(dept_view(o))
}

/// The department's order, still waiting.
async fn pending_order(s: &AppState, d: &DeptCaller, id: &str) -> HubResult<StoredOrder> {
    let o = proofs::get(&s.db, id)
        .await?
        .filter(|o| o.department == d.code && o.id == id)
        .ok_or(HubError::NotFound("proof order"))?;
    if o.state != ProofState::Pending || s.now() >= o.expires_at {
        return Err(closed());
    }
    Ok(o)
}

fn closed() -> HubError {
    fail(
        ErrorCode::ProofClosed,
        "this proof order was answered already or is past its time",
    )
}

fn dept_view(o: StoredOrder) -> DeptProofOrder {
    DeptProofOrder {
        order_id: o.id,
        cert_type: o.cert_type,
        matter: o.matter,
        subject: ReleasedHolder {
            code_type: subject_type(&o.subject_code),
            name: o.subject_name,
            code: o.subject_code,
        },
        department_code: o.department,
        department_name: o.department_name,
        terminal_name: o.terminal_name,
        created_at: o.created_at,
        expires_at: o.expires_at,
    }
}

/// A person's 身份证号 or an enterprise's 统一社会信用代码.
fn subject_type(code: &str) -> HolderIdType {
    match mz_core::ids::IdNumber::parse(code) {
        Ok(_) => HolderIdType::IdNumber,
        Err(_) => HolderIdType::Uscc,
    }
}
