//! The holder's side: enrolment (实名), handles for codes, certificates, pushes, decisions,
//! kiosk login approval, delegation grants, and their own audit records.

use super::{uuid16, uuid_str};
use crate::auth::{json, DeviceCaller};
use crate::error::{fail, HubError, HubResult};
use crate::push::{holder_key, terminal_key};
use crate::service::public::terminal_view;
use crate::store;
use crate::store::{grants, holders, requests};
use crate::AppState;
use mz_core::api::*;
use mz_core::catalogue;
use mz_core::cert::{CertStatus, Certificate};
use mz_core::codes::{
    check_window, AuthDecision, Grant, GrantRevocation, LoginApproval, Principal, SignedObject,
};
use mz_core::crypto::unb64;
use mz_core::flow::{Assurance, PrincipalKind, RequestState};
use mz_core::ids::IdNumber;
use mz_core::ErrorCode;
use serde::Deserialize;

/// Most unused handles a device may hold.
pub const MAX_UNUSED_HANDLES: i64 = 200;

/// How far a signed decision's own time may be from the hub's.
const DECISION_SKEW: i64 = 120;

pub async fn enrol_holder(s: &AppState, body: EnrolRequest) -> HubResult<EnrolResponse> {
    let id = IdNumber::parse(&body.id_number)?;
    let label = body.device_label.trim();
    if label.is_empty() || label.chars().count() > 60 {
        return Err(fail(
            ErrorCode::BadLabel,
            "device label must be 1–60 characters",
        ));
    }
    check_register_identity(s, &id, &body.name).await?;
    let now = s.now();
    let key_id = body.device_public_key.key_id();
    let mut tx = s.db.begin_write().await?;
    if holders::device_enrolled(&mut tx, &key_id.to_string()).await? {
        return Err(fail(
            ErrorCode::DeviceAlreadyEnrolled,
            "this device key is already enrolled",
        ));
    }
    let holder_id = holders::find_or_create(&mut tx, id.as_str(), Assurance::RealName, now).await?;
    // A person first served at a counter after a face check has a holder record without any
    // device (assurance none); their first device makes it real-name.
    let from = Some(Assurance::None);
    holders::set_assurance(&mut tx, &holder_id, Assurance::RealName, from).await?;
    let assurance = holders::assurance_in(&mut tx, &holder_id).await?;
    let device = holders::NewDevice {
        key_id: &key_id.to_string(),
        holder_id: &holder_id,
        public_key: body.device_public_key.as_bytes(),
        label,
        now,
    };
    holders::add_device(&mut tx, device).await?;
    store::audit(
        &mut tx,
        now,
        "enrol",
        &format!("device:{key_id}"),
        Some(id.as_str()),
        serde_json::json!({ "assurance": assurance.as_str(), "device": key_id.to_string() }),
    )
    .await?;
    tx.commit().await?;
    Ok(EnrolResponse {
        holder_id,
        device_key_id: key_id,
        assurance_note: if assurance == Assurance::RealName {
            "实名 only: ID number and name checked against the population register; the face check (实人) is not done yet".into()
        } else {
            "实名 + 实人".into()
        },
        assurance,
    })
}

/// 实名: the ID number and name must match the population register. Failures count towards
/// a per-ID-number limit (5 an hour), so names cannot be guessed; the error does not say which
/// half was wrong.
pub async fn check_register_identity(s: &AppState, id: &IdNumber, name: &str) -> HubResult<()> {
    s.auth.check_enrol_allowed(id.as_str(), s.now())?;
    if store::person_name(&s.db, id.as_str()).await?.as_deref() != Some(name.trim()) {
        s.auth.enrol_failed(id.as_str(), s.now());
        return Err(fail(
            ErrorCode::IdentityMismatch,
            "the ID number and name do not match the population register",
        ));
    }
    s.auth.enrol_succeeded(id.as_str());
    Ok(())
}

pub async fn enterprises_of(s: &AppState, id_number: &str) -> HubResult<Vec<EnterpriseRef>> {
    Ok(holders::represented(&s.db, id_number)
        .await?
        .into_iter()
        .map(|(uscc, name)| EnterpriseRef { uscc, name })
        .collect())
}

/// Certificates of `holder_codes` as views with status and ordinal.
pub async fn cert_views(
    s: &AppState,
    holder_codes: &[String],
    types: Option<&[String]>,
) -> HubResult<Vec<CertificateView>> {
    let today = s.today();
    let mut out = Vec::new();
    for code in holder_codes {
        let mut last_type = String::new();
        let mut ordinal = 0u8;
        for (body, stored_status, t) in holders::certificates(&s.db, code).await? {
            if t == last_type {
                ordinal = ordinal.saturating_add(1);
            } else {
                ordinal = 0;
                last_type = t.clone();
            }
            if types.is_some_and(|ts| !ts.contains(&t)) {
                continue;
            }
            let certificate: Certificate =
                serde_json::from_str(&body).map_err(|e| HubError::Internal(e.to_string()))?;
            let status = certificate
                .body
                .status_on(CertStatus::parse(&stored_status)?, today);
            let type_no = catalogue::cert_type(&t)?.no;
            out.push(CertificateView {
                certificate,
                status,
                type_no,
                ordinal,
            });
        }
    }
    Ok(out)
}

pub async fn my_codes(s: &AppState, d: &DeviceCaller) -> HubResult<Vec<String>> {
    let mut codes = vec![d.id_number.to_string()];
    codes.extend(
        enterprises_of(s, d.id_number.as_str())
            .await?
            .into_iter()
            .map(|e| e.uscc),
    );
    Ok(codes)
}

pub async fn request_view(s: &AppState, id: &str) -> HubResult<(AuthRequestView, String, String)> {
    let r = requests::get(&s.db, id)
        .await?
        .ok_or(HubError::NotFound("authorization request"))?;
    let view = AuthRequestView {
        request_id: r.id,
        matter_name: catalogue::matter(&r.matter)
            .map(|m| m.name.to_string())
            .unwrap_or_default(),
        matter: r.matter,
        requester: terminal_view(s, &r.terminal).await?,
        cert_types: r.cert_types,
        archive: r.archive,
        state: r.state.at(s.now(), r.expires_at),
        approved: r.approved,
        created_at: r.created_at,
        expires_at: r.expires_at,
        grant_id: r.grant_id,
        subject_name_masked: mask_name(&r.subject_name),
    };
    Ok((view, r.terminal, r.approver))
}

/// Only a pending request can be decided (on the holder's device or a counter's tablet).
pub fn require_pending(state: RequestState) -> HubResult<()> {
    match state {
        RequestState::Pending => Ok(()),
        RequestState::Expired => Err(mz_core::CoreError::Expired {
            what: "authorization request",
        }
        .into()),
        RequestState::Approved | RequestState::PartlyApproved | RequestState::Refused => Err(fail(
            ErrorCode::AlreadyDecided,
            "this request was already decided",
        )),
    }
}

/// Record a decision on a pending request, once: `approved` (a subset of `asked`) makes it
/// refused, partly approved or approved. `signed` is the holder's signed decision, when they
/// decided on their own device. Returns the new state.
pub async fn record_decision(
    tx: &mut store::WriteTx,
    id: &str,
    asked: &[String],
    approved: &[String],
    signed: Option<Vec<u8>>,
    now: i64,
) -> HubResult<RequestState> {
    let state = RequestState::after_decision(asked.len(), approved.len());
    if !requests::decide(tx, id, state, approved, signed, now).await? {
        return Err(fail(
            ErrorCode::AlreadyDecided,
            "this request was already decided",
        ));
    }
    Ok(state)
}

pub async fn decide_request(
    s: &AppState,
    d: &DeviceCaller,
    id: &str,
    decision_b64: &str,
) -> HubResult<AuthRequestView> {
    let id16 = uuid16("request id", id)?;
    let decision = AuthDecision::open(&unb64("decision", decision_b64)?)?.verify(&d.public_key)?;
    if decision.request != id16 {
        return Err(fail(
            ErrorCode::DecisionMismatch,
            "the signed decision is for another request",
        ));
    }
    let now = s.now();
    if (decision.decided_at - now).abs() > DECISION_SKEW {
        return Err(fail(
            ErrorCode::ObjectClockSkew,
            "the decision's time is too far from the hub's clock",
        ));
    }
    let (view, terminal, approver) = request_view(s, id).await?;
    if approver != d.holder_id {
        return Err(HubError::NotFound("authorization request"));
    }
    require_pending(view.state)?;
    let mut approved = Vec::new();
    for no in &decision.approve {
        let t = catalogue::cert_type_by_no(*no)?;
        if !view.cert_types.iter().any(|c| c == t.code) {
            return Err(fail(
                ErrorCode::NotRequested,
                format!("{} was not asked for", t.name),
            ));
        }
        approved.push(t.code.to_string());
    }
    let subject = requests::get(&s.db, id)
        .await?
        .ok_or(HubError::NotFound("authorization request"))?
        .subject_code;
    let mut tx = s.db.begin_write().await?;
    let state = record_decision(
        &mut tx,
        id,
        &view.cert_types,
        &approved,
        Some(unb64("decision", decision_b64)?),
        now,
    )
    .await?;
    let event = if approved.is_empty() {
        "refuse"
    } else {
        "approve"
    };
    let detail = serde_json::json!({ "request": id, "matter": view.matter, "terminal": terminal, "asked": view.cert_types, "approved": approved, "grant": view.grant_id });
    store::audit(
        &mut tx,
        now,
        event,
        &format!("device:{}", d.key_id),
        Some(&subject),
        detail.clone(),
    )
    .await?;
    if view.grant_id.is_some() && d.id_number.as_str() != subject {
        // The agent's own record of acting for someone.
        store::audit(
            &mut tx,
            now,
            "agent_act",
            &format!("device:{}", d.key_id),
            Some(d.id_number.as_str()),
            detail,
        )
        .await?;
    }
    // Another hub's terminal: its hub is told, from a message kept with the decision.
    let kept =
        crate::service::federation::keep_decided(&mut tx, &terminal, id, state, &approved, now)
            .await?;
    tx.commit().await?;
    if let Some(k) = kept {
        crate::service::federation::send_kept(s, k);
    }
    if let Some(g) = &view.grant_id {
        if let Some(principal) = grants::get(&s.db, g).await?.map(|g| g.principal_holder) {
            s.push.send(
                &holder_key(&principal),
                &PushEvent::GrantUsed {
                    grant_id: g.clone(),
                    matter: view.matter.clone(),
                    terminal: view.requester.name.clone(),
                    cert_types: approved.clone(),
                },
            );
        }
    }
    s.push.send(
        &terminal_key(&terminal),
        &PushEvent::AuthDecided {
            request_id: id.to_string(),
            state,
            approved: approved.clone(),
        },
    );
    Ok(AuthRequestView {
        state,
        approved,
        ..view
    })
}

pub async fn grant_view(s: &AppState, id: &str) -> HubResult<GrantView> {
    let g = grants::get(&s.db, id)
        .await?
        .ok_or(HubError::NotFound("grant"))?;
    let principal_name = store::principal_name(&s.db, g.principal_kind, &g.principal_code).await?;
    let agent = store::person_name(&s.db, &g.agent_id_number).await?;
    Ok(GrantView {
        principal_name_masked: if g.principal_kind == PrincipalKind::Person {
            mask_name(&principal_name)
        } else {
            principal_name
        },
        agent_name_masked: mask_name(&agent.unwrap_or_default()),
        uses: grants::uses(&s.db, id).await? as u32,
        grant_id: g.id,
        principal_kind: g.principal_kind,
        cert_types: g.cert_types,
        matters: g.matters,
        valid_from: g.valid_from,
        valid_to: g.valid_to,
        revoked_at: g.revoked_at,
    })
}

pub async fn my_audit(s: &AppState, d: &DeviceCaller) -> HubResult<Vec<AuditEntryView>> {
    let codes = my_codes(s, d).await?;
    let mut out = Vec::new();
    for code in codes {
        for (e, hash) in holders::records(&s.db, &code).await? {
            out.push(AuditEntryView {
                seq: e.seq,
                at: e.at,
                event: e.event,
                actor: e.actor,
                detail: serde_json::from_str(&e.detail).unwrap_or(serde_json::Value::Null),
                prev: hex::encode(e.prev),
                hash: hex::encode(hash),
            });
        }
    }
    out.sort_by_key(|e| e.seq);
    Ok(out)
}
pub async fn me(s: &AppState, who: DeviceCaller) -> HubResult<Profile> {
    let d = who;
    let assurance = holders::assurance(&s.db, &d.holder_id).await?;
    Ok(Profile {
        holder_id: d.holder_id.clone(),
        name: d.name.clone(),
        id_number_masked: d.id_number.masked(),
        assurance,
        region: d.id_number.area().to_string(),
        enterprises: enterprises_of(s, d.id_number.as_str()).await?,
    })
}

/// One-time opaque handles the device puts in its codes (no personal data in a code).
pub async fn handles(
    s: &AppState,
    q: HandlesQuery,
    who: DeviceCaller,
) -> HubResult<HandlesResponse> {
    let n = q.n.unwrap_or(20);
    if !(1..=50).contains(&n) {
        return Err(fail(ErrorCode::BadCount, "ask for 1–50 handles"));
    }
    let key = who.key_id.to_string();
    let mut tx = s.db.begin_write().await?;
    let unused = holders::unused_handles(&mut tx, &key).await?;
    if unused + i64::from(n) > MAX_UNUSED_HANDLES {
        return Err(fail(
            ErrorCode::TooManyHandles,
            format!("the device already holds {unused} unused handles"),
        ));
    }
    let rng = ring::rand::SystemRandom::new();
    let mut handles = vec![[0u8; 16]; n as usize];
    for h in &mut handles {
        ring::rand::SecureRandom::fill(&rng, h)
            .map_err(|_| HubError::Internal("randomness".into()))?;
    }
    holders::add_handles(&mut tx, &key, &handles, s.now()).await?;
    tx.commit().await?;
    Ok(HandlesResponse {
        handles: handles.iter().map(hex::encode).collect(),
    })
}

/// Authorization requests waiting for me (e.g. after the app was closed).
pub async fn pending_requests(
    s: &AppState,
    q: PendingQuery,
    who: DeviceCaller,
) -> HubResult<Vec<AuthRequestView>> {
    let all = q.all.unwrap_or(false);
    let ids = requests::for_approver(&s.db, &who.holder_id, all, s.now()).await?;
    let mut out = Vec::new();
    for id in ids {
        out.push(request_view(s, &id).await?.0);
    }
    Ok(out)
}

/// Log in to a kiosk whose login code the wallet scanned and verified.
pub async fn approve_login(
    s: &AppState,
    who: DeviceCaller,
    body: &[u8],
) -> HubResult<LoginSessionView> {
    let req: LoginApprovalRequest = json(body)?;
    let d = who;
    let approval =
        LoginApproval::open(&unb64("approval", &req.approval)?)?.verify(&d.public_key)?;
    let now = s.now();
    check_window("login approval", approval.approved_at, DECISION_SKEW, now)?;
    let session = uuid_str(approval.session);
    let terminal = uuid_str(approval.terminal);
    super::terminal::log_in(
        s,
        &session,
        Some(&terminal),
        &d,
        mz_core::flow::LoginMethod::Scan,
        &format!("device:{}", d.key_id),
    )
    .await
}

/// Grant an agent certain certificates for a period (person → person, or an enterprise's legal
/// representative → staff).
pub async fn grant(s: &AppState, who: DeviceCaller, body: &[u8]) -> HubResult<GrantView> {
    let req: GrantRequest = json(body)?;
    let d = who;
    let signed = unb64("grant", &req.grant)?;
    let g = Grant::open(&signed)?.verify(&d.public_key)?;
    let now = s.now();
    if (g.created_at - now).abs() > DECISION_SKEW {
        return Err(fail(
            ErrorCode::ObjectClockSkew,
            "the grant's creation time is too far from the hub's clock",
        ));
    }
    if g.valid_to <= now {
        return Err(fail(
            ErrorCode::GrantInPast,
            "the grant would already be over",
        ));
    }
    let (kind, code, subject_kind) = match &g.principal {
        Principal::Person(id) => {
            if id != d.id_number.as_str() {
                return Err(fail(
                    ErrorCode::NotPrincipal,
                    "you can only grant your own certificates",
                ));
            }
            (
                PrincipalKind::Person,
                id.clone(),
                catalogue::SubjectKind::Person,
            )
        }
        Principal::Enterprise(uscc) => {
            match grants::legal_representative(&s.db, uscc).await? {
                None => return Err(HubError::NotFound("enterprise")),
                Some(r) if r != d.id_number.as_str() => {
                    return Err(fail(
                        ErrorCode::NotLegalRepresentative,
                        "only the enterprise's legal representative may grant its certificates",
                    ))
                }
                Some(_) => {}
            }
            (
                PrincipalKind::Enterprise,
                uscc.clone(),
                catalogue::SubjectKind::Enterprise,
            )
        }
    };
    match store::person_name(&s.db, &g.agent).await? {
        None => return Err(HubError::NotFound("agent in the population register")),
        Some(n) if n != req.agent_name.trim() => {
            return Err(fail(
                ErrorCode::IdentityMismatch,
                "the agent's ID number and name do not match the population register",
            ))
        }
        Some(_) => {}
    }
    let mut types = Vec::new();
    for no in &g.cert_types {
        let t = catalogue::cert_type_by_no(*no)?;
        if t.subject != subject_kind && kind == PrincipalKind::Enterprise {
            return Err(fail(
                ErrorCode::WrongSubject,
                format!("{} is not an enterprise certificate", t.name),
            ));
        }
        types.push(t.code.to_string());
    }
    for m in &g.matters {
        catalogue::matter(m)?;
    }
    let id = uuid_str(g.grant);
    let mut tx = s.db.begin_write().await?;
    let new = grants::NewGrant {
        id: &id,
        principal_kind: kind,
        principal_code: &code,
        principal_holder: &d.holder_id,
        agent_id_number: &g.agent,
        cert_types: &types,
        matters: &g.matters,
        valid_from: g.valid_from,
        valid_to: g.valid_to,
        signed: &signed,
        now,
    };
    if !grants::insert(&mut tx, new).await? {
        return Err(fail(ErrorCode::GrantExists, "a grant with this id exists"));
    }
    let detail = serde_json::json!({ "grant": id, "agent": IdNumber::parse(&g.agent)?.masked(), "cert_types": types, "matters": g.matters, "valid_from": g.valid_from, "valid_to": g.valid_to });
    store::audit(
        &mut tx,
        now,
        "grant",
        &format!("device:{}", d.key_id),
        Some(&code),
        detail.clone(),
    )
    .await?;
    store::audit(
        &mut tx,
        now,
        "grant_received",
        &format!("device:{}", d.key_id),
        Some(&g.agent),
        detail,
    )
    .await?;
    tx.commit().await?;
    grant_view(s, &id).await
}

/// What I granted and what I was granted.
pub async fn grants(s: &AppState, who: DeviceCaller) -> HubResult<GrantsView> {
    let granted = grants::made_by(&s.db, &who.holder_id).await?;
    let received = grants::made_to(&s.db, who.id_number.as_str()).await?;
    let mut out = GrantsView {
        granted: vec![],
        received: vec![],
    };
    for id in granted {
        out.granted.push(grant_view(s, &id).await?);
    }
    for id in received {
        out.received.push(grant_view(s, &id).await?);
    }
    Ok(out)
}

/// Revoke a grant at once; the next use is refused.
pub async fn revoke_grant(
    s: &AppState,
    id: String,
    who: DeviceCaller,
    body: &[u8],
) -> HubResult<GrantView> {
    let req: RevokeGrantRequest = json(body)?;
    let d = who;
    let signed = unb64("revocation", &req.revocation)?;
    let r = GrantRevocation::open(&signed)?.verify(&d.public_key)?;
    if r.grant != uuid16("grant id", &id)? {
        return Err(fail(
            ErrorCode::RevocationMismatch,
            "the signed revocation is for another grant",
        ));
    }
    let now = s.now();
    let grant = grants::get(&s.db, &id).await?;
    let Some(grant) = grant.filter(|g| g.principal_holder == d.holder_id) else {
        return Err(HubError::NotFound("grant"));
    };
    // Decided by the UPDATE inside the transaction that audits it, not by the read above.
    let mut tx = s.db.begin_write().await?;
    if !grants::revoke(&mut tx, &id, &signed, now).await? {
        return Err(fail(
            ErrorCode::AlreadyRevoked,
            "this grant was already revoked",
        ));
    }
    let detail = serde_json::json!({ "grant": id });
    store::audit(
        &mut tx,
        now,
        "grant_revoke",
        &format!("device:{}", d.key_id),
        Some(&grant.principal_code),
        detail.clone(),
    )
    .await?;
    store::audit(
        &mut tx,
        now,
        "grant_revoked",
        &format!("device:{}", d.key_id),
        Some(&grant.agent_id_number),
        detail,
    )
    .await?;
    tx.commit().await?;
    grant_view(s, &id).await
}

/// My records as NDJSON (one audit entry per line), for export.
pub async fn audit_export(s: &AppState, who: DeviceCaller) -> HubResult<String> {
    let mut out = String::new();
    for e in my_audit(s, &who).await? {
        out.push_str(&serde_json::to_string(&e).map_err(|e| HubError::Internal(e.to_string()))?);
        out.push('\n');
    }
    Ok(out)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct HandlesQuery {
    /// How many (1–50, default 20).
    pub n: Option<u32>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PendingQuery {
    /// Include decided and expired requests too.
    pub all: Option<bool>,
}
