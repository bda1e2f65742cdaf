//! Authorization requests (授权): a terminal asks for the certificates one matter needs, the
//! holder (or a counter's tablet) decides, and the terminal receives exactly what was approved.

use super::holder::cert_views;
use super::redemption::active_grant;
use super::uuid16;
use crate::auth::{DeviceCaller, TerminalCaller};
use crate::error::{fail, HubError, HubResult};
use crate::push::{holder_key, terminal_key};
use crate::service::public::{department_infos, terminal_view};
use crate::store::{self, new_id};
use crate::store::{grants, requests};
use crate::AppState;
use mz_core::api::*;
use mz_core::catalogue::Catalogue;
use mz_core::cert::HolderIdType;
use mz_core::codes::{AuthDecision, SignedObject};
use mz_core::crypto::unb64;
use mz_core::flow::{RedemptionKind, RequestState, RELEASE_SECS, REQUEST_SECS};
use mz_core::ids::IdNumber;
use mz_core::CoreError;
use mz_core::ErrorCode;
use serde::Deserialize;

/// A counter asks for a matter its department handles: here, or through the hub of the
/// redemption's region (whose hub cannot know this region's departments, so it is checked here).
pub async fn request_at_counter(
    s: &AppState,
    t: &TerminalCaller,
    req: AuthRequestCreate,
) -> HubResult<AuthRequestView> {
    super::terminal::require_counter(t)?;
    s.catalogue().await?.matter(&req.matter)?;
    super::terminal::require_handles(s, t, &req.matter).await?;
    if let Some(owner) =
        super::federation::remote_owner(s, &req.redemption_id, "redemption", t).await?
    {
        return super::federation::request_authorization(s, t, &owner, req).await;
    }
    request_authorization(s, t, req).await
}

/// The most certificate types one request may name (the schema's `maxItems`).
const MAX_TYPES_ASKED: usize = 32;

/// Ask the holder (pushed to their device) to release certificates for one matter.
pub async fn request_authorization(
    s: &AppState,
    t: &TerminalCaller,
    req: AuthRequestCreate,
) -> HubResult<AuthRequestView> {
    let now = s.now();
    let r = requests::redemption(&s.db, &req.redemption_id)
        .await?
        .filter(|r| r.terminal == t.id)
        .ok_or(HubError::NotFound("redemption"))?;
    if let Some(first) = asked_before(s, t, &req).await? {
        return Ok(first);
    }
    if now > r.expires_at {
        return Err(CoreError::Expired { what: "redemption" }.into());
    }
    let catalogue = s.catalogue().await?;
    let matter = catalogue.matter(&req.matter)?;
    if req.cert_types.is_empty() {
        return Err(fail(
            ErrorCode::NothingRequested,
            "ask for at least one certificate",
        ));
    }
    if req.cert_types.len() > MAX_TYPES_ASKED {
        return Err(fail(
            ErrorCode::BadCount,
            format!("ask for at most {MAX_TYPES_ASKED} certificate types"),
        ));
    }
    let mut wanted: Vec<String> = Vec::new();
    for c in &req.cert_types {
        catalogue.cert_type(c)?;
        if !wanted.contains(c) {
            wanted.push(c.clone());
        }
    }
    matter.check_request(&wanted.iter().map(String::as_str).collect::<Vec<_>>())?;
    if r.kind == RedemptionKind::Show {
        if let Some(c) = wanted.iter().find(|c| Some(*c) != r.scope_type.as_ref()) {
            return Err(fail(
                ErrorCode::OutsideCode,
                format!("this show-code is for one certificate only, not {c}; ask for the identity code"),
            ));
        }
    }
    let (subject, approver, grant_id) = (r.subject_code, r.approver, r.grant_id);
    if let Some(g) = &grant_id {
        let (agent_id, _) = requests::holder_person(&s.db, &approver).await?;
        let g = active_grant(s, g, &agent_id, now).await?;
        if let Some(c) = wanted.iter().find(|c| !g.cert_types.contains(c)) {
            return Err(fail(
                ErrorCode::OutsideGrant,
                format!("the grant does not cover {c}"),
            ));
        }
        if !g.matters.is_empty() && !g.matters.contains(&matter.code) {
            return Err(fail(
                ErrorCode::OutsideGrant,
                "the grant does not cover this matter",
            ));
        }
    }
    let licences = valid_licences(s, &subject, &wanted, r.scope_ordinal).await?;
    let id = new_id();
    let mut tx = s.db.begin_write().await?;
    let new = requests::NewRequest {
        id: &id,
        redemption: &req.redemption_id,
        terminal: &t.id,
        subject_code: &subject,
        approver: &approver,
        matter: &matter.code,
        cert_types: &wanted,
        archive: req.archive,
        grant_id: grant_id.as_deref(),
        now,
        expires_at: now + REQUEST_SECS,
        licences: &licences,
    };
    if !requests::insert(&mut tx, new).await? {
        // Another call on the same redemption got in first: the same request, or a refusal.
        drop(tx);
        return asked_before(s, t, &req).await?.ok_or_else(redemption_used);
    }
    store::audit(&mut tx, now, "auth_request", &format!("terminal:{}", t.id), Some(&subject), serde_json::json!({ "request": id, "matter": matter.code, "cert_types": wanted, "archive": req.archive, "terminal": t.name, "grant": grant_id })).await?;
    let consent = consent_without_prompt(&catalogue, r.kind, &wanted);
    if let Some(by) = consent {
        approved_without_prompt(&mut tx, (&id, &subject, t), &wanted, by, now).await?;
    }
    tx.commit().await?;
    let (view, _, _) = request_view(s, &id).await?;
    if consent.is_some() {
        return Ok(view);
    }
    s.push.send(
        &holder_key(&approver),
        &PushEvent::AuthRequest {
            request: view.clone(),
        },
    );
    Ok(view)
}

/// The licences of `subject`'s valid certificates of the `wanted` types (of the one with this
/// ordinal, for a show-code), refusing a type they hold none of valid. The holder approves
/// these licences: one of that type issued later is not released (M-3).
pub(super) async fn valid_licences(
    s: &AppState,
    subject: &str,
    wanted: &[String],
    ordinal: Option<i64>,
) -> HubResult<Vec<String>> {
    let mut held = cert_views(s, &[subject.to_string()], Some(wanted)).await?;
    held.retain(|v| v.status == mz_core::cert::CertStatus::Valid);
    if let Some(o) = ordinal {
        // A show-code names one certificate: the request covers that one only.
        held.retain(|v| i64::from(v.ordinal) == o);
    }
    if let Some(c) = wanted
        .iter()
        .find(|c| !held.iter().any(|v| &v.certificate.body.type_code == *c))
    {
        return Err(fail(
            ErrorCode::NotHeld,
            format!("the holder has no valid {c}"),
        ));
    }
    Ok(held
        .iter()
        .map(|v| v.certificate.body.license_id.to_string())
        .collect())
}

/// Why a request needs no prompt, if it does not:
/// - `show_code`: a request under a show-code for one certificate whose type the catalogue
///   marks so; showing the code was the holder's consent (seed 001, the pharmacy);
/// - `disclosable`: staff looked the holder up and asked only for certificates the catalogue
///   marks disclosable (anyone may look them up anyway).
fn consent_without_prompt(
    catalogue: &Catalogue,
    kind: RedemptionKind,
    wanted: &[String],
) -> Option<&'static str> {
    let all = |f: fn(&mz_core::catalogue::CertType) -> bool| {
        wanted.iter().all(|c| catalogue.cert_type(c).is_ok_and(f))
    };
    match kind {
        RedemptionKind::Show if wanted.len() == 1 && all(|t| t.shown_is_consent) => {
            Some("show_code")
        }
        RedemptionKind::Lookup if all(|t| t.disclosable) => Some("disclosable"),
        _ => None,
    }
}

/// Approve the request at once, in its own transaction: the holder's consent was the code they
/// showed (verified at redemption with their device's key), or none is needed. Audited as an
/// approval, saying `by` what.
async fn approved_without_prompt(
    tx: &mut store::WriteTx,
    (id, subject, t): (&str, &str, &TerminalCaller),
    wanted: &[String],
    by: &str,
    now: i64,
) -> HubResult<()> {
    let state = RequestState::Approved;
    if !requests::decide(tx, id, state, wanted, None, now, None).await? {
        return Err(HubError::Internal("a new request was not pending".into()));
    }
    let detail =
        serde_json::json!({ "request": id, "terminal": t.name, "approved": wanted, "by": by });
    store::audit(
        tx,
        now,
        "approve",
        &format!("terminal:{}", t.id),
        Some(subject),
        detail,
    )
    .await?;
    Ok(())
}

fn redemption_used() -> HubError {
    fail(
        ErrorCode::RedemptionUsed,
        "this code already has an authorization request; scan a fresh code",
    )
}

/// A retry of a request already made on this redemption (the same matter, certificates and
/// archive flag): the request as it stands, since the answer to the first call may have been
/// lost. Another request on the same redemption is refused (`redemption_used`).
async fn asked_before(
    s: &AppState,
    t: &TerminalCaller,
    req: &AuthRequestCreate,
) -> HubResult<Option<AuthRequestView>> {
    let Some(id) = requests::request_on(&s.db, &req.redemption_id).await? else {
        return Ok(None);
    };
    let (view, _) = own_request(s, t, &id).await?;
    let mut wanted: Vec<&String> = Vec::new();
    for c in &req.cert_types {
        if !wanted.contains(&c) {
            wanted.push(c);
        }
    }
    let same = view.matter == req.matter
        && view.archive == req.archive
        && view.cert_types.iter().eq(wanted);
    if same {
        Ok(Some(view))
    } else {
        Err(redemption_used())
    }
}

/// A request this terminal made, as it stands.
pub async fn request_for(s: &AppState, t: &TerminalCaller, id: &str) -> HubResult<AuthRequestView> {
    Ok(own_request(s, t, id).await?.0)
}

/// A request and its approver, if this terminal made it (else not found).
async fn own_request(
    s: &AppState,
    t: &TerminalCaller,
    id: &str,
) -> HubResult<(AuthRequestView, String)> {
    let (view, terminal, approver) = request_view(s, id).await?;
    if terminal != t.id {
        return Err(HubError::NotFound("authorization request"));
    }
    Ok((view, approver))
}

/// Hand over exactly the approved certificates to the terminal that asked: marked released
/// the first time; fetched again by that terminal within the release window (an answer lost
/// to a crash or a dropped connection), the same licences again, audited as `release_repeated`.
pub async fn release_approved(s: &AppState, t: &TerminalCaller, id: &str) -> HubResult<Release> {
    let (view, approver) = own_request(s, t, id).await?;
    view.state.release(s.now(), view.expires_at)?;
    let stored = requests::get(&s.db, id)
        .await?
        .ok_or(HubError::NotFound("authorization request"))?;
    // An approval is released within its window, and only while what it rests on holds: the
    // grant it was made under must still be in force (M-3).
    let now = s.now();
    if stored.decided_at.is_none_or(|d| now > d + RELEASE_SECS) {
        return Err(CoreError::Expired { what: "approval" }.into());
    }
    if let Some(g) = &stored.grant_id {
        let (agent_id, _) = requests::holder_person(&s.db, &approver).await?;
        active_grant(s, g, &agent_id, now).await?;
    }
    let subject = stored.subject_code.clone();
    let approved = cert_views(s, std::slice::from_ref(&subject), Some(&view.approved)).await?;
    let repeated = stored.released_at.is_some();
    let certs: Vec<CertificateView> = if repeated {
        // Fetched again (the answer to the first fetch was lost): the same licences, within
        // the same window, to the same terminal, audited again.
        approved
            .into_iter()
            .filter(|v| {
                stored
                    .released
                    .iter()
                    .any(|l| l == v.certificate.body.license_id.as_str())
            })
            .collect()
    } else {
        approved
            .into_iter()
            .filter(|v| v.status == mz_core::cert::CertStatus::Valid)
            .filter(|v| {
                stored
                    .licences
                    .iter()
                    .any(|l| l == v.certificate.body.license_id.as_str())
            })
            .collect()
    };
    let licences: Vec<String> = certs
        .iter()
        .map(|c| c.certificate.body.license_id.to_string())
        .collect();
    let mut tx = s.db.begin_write().await?;
    if !repeated && !requests::mark_released(&mut tx, id, &licences, now).await? {
        return Err(fail(
            ErrorCode::AlreadyReleased,
            "these certificates were being released to you at the same time: fetch again",
        ));
    }
    let event = if repeated {
        "release_repeated"
    } else {
        "release"
    };
    store::audit(&mut tx, now, event, &format!("terminal:{}", t.id), Some(&subject), serde_json::json!({ "request": id, "matter": view.matter, "terminal": t.name, "certificates": licences, "archive": view.archive, "grant": view.grant_id })).await?;
    if view.archive && !repeated {
        let released: Vec<_> = certs.iter().map(|c| &c.certificate).collect();
        let request = (id, view.matter.as_str(), subject.as_str());
        super::archives::keep(s, &mut tx, t, request, &released, now).await?;
    }
    tx.commit().await?;
    released(s, view, stored, &approver, certs).await
}

/// The release as the terminal receives it: the subject, the agent if one acted, the
/// certificates, and their issuers' published keys.
async fn released(
    s: &AppState,
    view: AuthRequestView,
    stored: requests::StoredRequest,
    approver: &str,
    certs: Vec<CertificateView>,
) -> HubResult<Release> {
    let subject = stored.subject_code;
    let is_person = IdNumber::parse(&subject).is_ok();
    let agent = if view.grant_id.is_some() {
        let (code, name) = requests::holder_person(&s.db, approver).await?;
        Some(ReleasedHolder {
            code,
            name,
            code_type: HolderIdType::IdNumber,
        })
    } else {
        None
    };
    let mut issuer_codes: Vec<String> = certs
        .iter()
        .map(|c| c.certificate.body.issuer_code.to_string())
        .collect();
    issuer_codes.dedup();
    Ok(Release {
        request_id: view.request_id,
        matter: view.matter,
        subject: ReleasedHolder {
            name: stored.subject_name,
            code: subject,
            code_type: if is_person {
                HolderIdType::IdNumber
            } else {
                HolderIdType::Uscc
            },
        },
        certificates: certs,
        agent,
        held_by: s.name.clone(),
        issuers: department_infos(s, Some(&issuer_codes)).await?,
    })
}

/// How far a signed decision's own time may be from the hub's.
pub const DECISION_SKEW: i64 = 120;

pub async fn request_view(s: &AppState, id: &str) -> HubResult<(AuthRequestView, String, String)> {
    let r = requests::get(&s.db, id)
        .await?
        .ok_or(HubError::NotFound("authorization request"))?;
    let view = AuthRequestView {
        request_id: r.id,
        matter_name: s
            .catalogue()
            .await?
            .matter(&r.matter)
            .map(|m| m.name.clone())
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

/// Record a decision on a pending request, once: `approved` (a subset of `asked`) makes it
/// refused, partly approved or approved. `signed` is the holder's signed decision, when they
/// decided on their own device (`device`). Returns the new state.
pub async fn record_decision(
    tx: &mut store::WriteTx,
    view: &AuthRequestView,
    approved: &[String],
    signed: Option<Vec<u8>>,
    now: i64,
    device: Option<&str>,
) -> HubResult<RequestState> {
    let asked = view.cert_types.len();
    let state = view
        .state
        .decide(now, view.expires_at, asked, approved.len())?;
    let id = &view.request_id;
    if !requests::decide(tx, id, state, approved, signed, now, device).await? {
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
    let now = s.now();
    let decision = open_decision(d, id, decision_b64, now)?;
    let (view, terminal, approver) = request_view(s, id).await?;
    if approver != d.holder_id {
        return Err(HubError::NotFound("authorization request"));
    }
    view.state.decidable(now, view.expires_at)?;
    if let (Some(g), false) = (&view.grant_id, decision.approve.is_empty()) {
        // An agent cannot approve under a grant revoked since the request was made.
        active_grant(s, g, d.id_number.as_str(), now).await?;
    }
    let approved = approved_types(&*s.catalogue().await?, &view, &decision)?;
    let subject = requests::get(&s.db, id)
        .await?
        .ok_or(HubError::NotFound("authorization request"))?
        .subject_code;
    let mut tx = s.db.begin_write().await?;
    if !approved.is_empty() {
        // Refusing needs no PIN: it can only give less.
        super::pin::require_fresh(&mut tx, &d.key_id.to_string(), now).await?;
    }
    let signed = Some(unb64("decision", decision_b64)?);
    let device = d.key_id.to_string();
    let state = record_decision(&mut tx, &view, &approved, signed, now, Some(&device)).await?;
    store::devices::touch(&mut tx, &device, now).await?;
    audit_decision(&mut tx, d, (&view, &terminal, &subject), &approved, now).await?;
    // Another hub's terminal: its hub is told, from a message kept with the decision.
    let kept =
        crate::service::federation::keep_decided(&mut tx, &terminal, id, state, &approved, now)
            .await?;
    tx.commit().await?;
    if let Some(k) = kept {
        crate::service::federation::send_kept(s, k);
    }
    announce_decision(s, &view, &terminal, state, &approved).await?;
    Ok(AuthRequestView {
        state,
        approved,
        ..view
    })
}

/// The holder's signed decision on request `id`, checked: their device's signature, this
/// request, and a time close to the hub's.
fn open_decision(d: &DeviceCaller, id: &str, b64: &str, now: i64) -> HubResult<AuthDecision> {
    let decision = AuthDecision::open(&unb64("decision", b64)?)?.verify(&d.public_key)?;
    if decision.request != uuid16("request id", id)? {
        return Err(fail(
            ErrorCode::DecisionMismatch,
            "the signed decision is for another request",
        ));
    }
    if (decision.decided_at - now).abs() > DECISION_SKEW {
        return Err(fail(
            ErrorCode::ObjectClockSkew,
            "the decision's time is too far from the hub's clock",
        ));
    }
    Ok(decision)
}

/// The catalogue codes a decision approves: each must have been asked for.
fn approved_types(
    catalogue: &Catalogue,
    view: &AuthRequestView,
    decision: &AuthDecision,
) -> HubResult<Vec<String>> {
    let mut approved = Vec::new();
    for no in &decision.approve {
        let t = catalogue.cert_type_by_no(*no)?;
        if !view.cert_types.contains(&t.code) {
            return Err(fail(
                ErrorCode::NotRequested,
                format!("{} was not asked for", t.name),
            ));
        }
        approved.push(t.code.clone());
    }
    Ok(approved)
}

/// The decision in the holder's audit chain, and an agent's own record of acting for someone.
async fn audit_decision(
    tx: &mut store::WriteTx,
    d: &DeviceCaller,
    (view, terminal, subject): (&AuthRequestView, &str, &str),
    approved: &[String],
    now: i64,
) -> HubResult<()> {
    let event = if approved.is_empty() {
        "refuse"
    } else {
        "approve"
    };
    let actor = format!("device:{}", d.key_id);
    let detail = serde_json::json!({ "request": view.request_id, "matter": view.matter, "terminal": terminal, "asked": view.cert_types, "approved": approved, "grant": view.grant_id });
    store::audit(tx, now, event, &actor, Some(subject), detail.clone()).await?;
    if view.grant_id.is_some() && d.id_number.as_str() != subject {
        let agent = Some(d.id_number.as_str());
        store::audit(tx, now, "agent_act", &actor, agent, detail).await?;
    }
    Ok(())
}

/// Pushes once a decision is committed: to the terminal that asked, and to the principal whose
/// grant an agent used.
async fn announce_decision(
    s: &AppState,
    view: &AuthRequestView,
    terminal: &str,
    state: RequestState,
    approved: &[String],
) -> HubResult<()> {
    if let Some(g) = &view.grant_id {
        if let Some(principal) = grants::get(&s.db, g).await?.map(|g| g.principal_holder) {
            s.push.send(
                &holder_key(&principal),
                &PushEvent::GrantUsed {
                    grant_id: g.clone(),
                    matter: view.matter.clone(),
                    terminal: view.requester.name.clone(),
                    cert_types: approved.to_vec(),
                },
            );
        }
    }
    s.push.send(
        &terminal_key(terminal),
        &PushEvent::AuthDecided {
            request_id: view.request_id.clone(),
            state,
            approved: approved.to_vec(),
        },
    );
    Ok(())
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

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PendingQuery {
    /// Include decided and expired requests too.
    pub all: Option<bool>,
}
