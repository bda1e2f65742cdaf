//! Proofs a kiosk's self-service matter gives (房查证明, 社保参保证明): the kiosk orders one
//! once the holder approved the matter's request and its certificates were released; the
//! issuing department's own service, which holds the records and the seal, composes and seals it
//! (the hub never holds a department's seal key); the kiosk prints it with a QR code whose token
//! lets whoever holds the paper check it here. Every step is in the holder's records.

use crate::auth::TerminalCaller;
use crate::error::{fail, HubError, HubResult};
use crate::push::{department_key, terminal_key};
use crate::store::proofs::{self, StoredOrder};
use crate::store::{self, public as stored_public, requests};
use crate::AppState;
use mz_core::api::*;
use mz_core::flow::{ProofState, PROOF_ORDER_SECS, RELEASE_SECS};
use mz_core::ErrorCode;

mod department;
pub use department::*;

/// The kiosk that was released a request's certificates orders the proof its matter gives.
/// Ordering again returns the same order, without the check token (given once).
pub async fn order(
    s: &AppState,
    t: &TerminalCaller,
    req: ProofOrderCreate,
) -> HubResult<ProofOrderView> {
    let r = requests::get(&s.db, &req.request_id)
        .await?
        .filter(|r| r.terminal == t.id)
        .ok_or(HubError::NotFound("request"))?;
    let catalogue = s.catalogue().await?;
    let proof = catalogue.matter(&r.matter)?.issues.clone().ok_or_else(|| {
        fail(
            ErrorCode::NoProof,
            "this matter gives no proof; the catalogue names none",
        )
    })?;
    if let Some(existing) = proofs::get(&s.db, &r.id).await? {
        return view(s, existing, None).await;
    }
    let now = s.now();
    let Some(released_at) = r.released_at else {
        return Err(fail(
            ErrorCode::NotReleased,
            "the holder's certificates for this matter were not released yet",
        ));
    };
    if now > released_at + RELEASE_SECS {
        return Err(fail(
            ErrorCode::Expired,
            "the release is too old to order a proof on",
        ));
    }
    let department = catalogue
        .cert_type(&proof)?
        .issued_by
        .first()
        .cloned()
        .ok_or_else(|| fail(ErrorCode::NoDepartment, "no department issues this proof"))?;
    let token = check_token();
    let id = store::new_id();
    let mut tx = s.db.begin_write().await?;
    let new = proofs::NewOrder {
        id: &id,
        request: &r.id,
        department: &department,
        cert_type: &proof,
        check_hash: &check_hash(&token),
        now,
        expires_at: now + PROOF_ORDER_SECS,
    };
    if !proofs::insert(&mut tx, new).await? {
        drop(tx);
        let existing = proofs::get(&s.db, &r.id).await?;
        return view(s, existing.ok_or(HubError::NotFound("proof order"))?, None).await;
    }
    let detail = serde_json::json!({ "order": id, "request": r.id, "matter": r.matter, "type": proof, "department": department });
    let actor = format!("terminal:{}", t.id);
    store::audit(
        &mut tx,
        now,
        "proof_ordered",
        &actor,
        Some(&r.subject_code),
        detail,
    )
    .await?;
    tx.commit().await?;
    s.push.send(
        &department_key(&department),
        &PushEvent::ProofOrdered {
            order_id: id.clone(),
        },
    );
    let stored = proofs::get(&s.db, &id).await?;
    view(
        s,
        stored.ok_or(HubError::NotFound("proof order"))?,
        Some(token),
    )
    .await
}

/// One of the terminal's orders, with the proof once issued.
pub async fn for_terminal(s: &AppState, t: &TerminalCaller, id: &str) -> HubResult<ProofOrderView> {
    let o = proofs::get(&s.db, id)
        .await?
        .filter(|o| o.terminal == t.id)
        .ok_or(HubError::NotFound("proof order"))?;
    view(s, o, None).await
}

/// Check a printed proof by the token in its QR code: the sealed proof and its status today.
/// The check is in the holder's records.
pub async fn check(s: &AppState, req: ProofCheckRequest) -> HubResult<ProofCheck> {
    let token = req.token.trim();
    if token.len() != 43 || mz_core::crypto::unb64("token", token).is_err() {
        return Err(fail(
            ErrorCode::Malformed,
            "a check token is 43 characters of base64url",
        ));
    }
    let (order, license_id) = proofs::issued_by_check(&s.db, &check_hash(token))
        .await?
        .ok_or(HubError::NotFound("proof"))?;
    let (certificate, stored) = stored_public::certificate(&s.db, &license_id).await?;
    let issuer = issuer_info(s, certificate.body.issuer_code.as_str()).await?;
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    let detail = serde_json::json!({ "order": order, "license_id": license_id });
    let holder = certificate.body.holder_code.clone();
    store::audit(
        &mut tx,
        now,
        "proof_checked",
        "public",
        Some(&holder),
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(ProofCheck {
        status: certificate.body.status_on(stored, s.today()),
        certificate,
        issuer,
        checked_at: now,
    })
}

async fn view(
    s: &AppState,
    o: StoredOrder,
    check_token: Option<String>,
) -> HubResult<ProofOrderView> {
    let catalogue = s.catalogue().await?;
    let cert_name = catalogue
        .cert_type(&o.cert_type)
        .map(|t| t.name.clone())
        .unwrap_or_default();
    let certificate = match &o.license_id {
        Some(l) => Some(stored_public::certificate(&s.db, l).await?.0),
        None => None,
    };
    let issuer = match certificate {
        Some(_) => Some(issuer_info(s, &o.department).await?),
        None => None,
    };
    let state = match o.state {
        ProofState::Pending if s.now() >= o.expires_at => ProofState::Expired,
        state => state,
    };
    Ok(ProofOrderView {
        order_id: o.id,
        request_id: o.request,
        cert_type: o.cert_type,
        cert_name,
        department_name: o.department_name,
        state,
        reason: o.reason,
        certificate,
        issuer,
        check_token,
        created_at: o.created_at,
        expires_at: o.expires_at,
    })
}

async fn issuer_info(s: &AppState, code: &str) -> HubResult<DepartmentInfo> {
    let codes = [code.to_string()];
    let infos = super::public::department_infos(s, Some(&codes)).await?;
    infos
        .into_iter()
        .next()
        .ok_or(HubError::NotFound("department"))
}

/// 32 random bytes, base64url: whoever holds the printed proof holds this.
fn check_token() -> String {
    let mut b = [0u8; 32];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut b)
        .expect("system randomness");
    mz_core::crypto::b64(&b)
}

fn check_hash(token: &str) -> String {
    hex::encode(mz_core::crypto::sha256(token.as_bytes()))
}

/// Tell the kiosk that ordered a proof how it was answered.
fn tell_terminal(s: &AppState, o: &StoredOrder, state: ProofState) {
    let event = PushEvent::ProofAnswered {
        order_id: o.id.clone(),
        state,
    };
    s.push.send(&terminal_key(&o.terminal), &event);
}
