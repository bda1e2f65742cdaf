//! Terminals (counters 窗口 and kiosks 自助终端): enrol with a one-time code, redeem holder
//! codes, ask for authorization for one matter, receive exactly what was approved, and run
//! kiosk login sessions.

use super::holder::{cert_views, request_view};
use super::{json_list, parse_list, uuid_str};
use crate::auth::{json, DeviceCaller, TerminalCaller};
use crate::error::{fail, HubError, HubResult};
use crate::push::{holder_key, terminal_key};
use crate::service::federation;
use crate::service::public::{department_infos, terminal_view};
pub use crate::store::redeem::{insert_redemption, OwnedRedemption};
use crate::store::redeem::{use_handle, HandleQuery, RedeemDone, RedeemJob, RedeemWork};
use crate::store::{self, new_id};
use crate::store::{login, requests, terminals};
use crate::AppState;
use mz_core::api::*;
use mz_core::catalogue;
use mz_core::cert::HolderIdType;
use mz_core::codes::{ScannedHolderCode, Scope, VerifiedHolderCode};
use mz_core::crypto::{sha256, PublicKey};
use mz_core::flow::{LoginMethod, LoginState, RedemptionKind, RequestState, TerminalKind};
pub use mz_core::flow::{LOGIN_SESSION_SECS, REDEMPTION_SECS, REQUEST_SECS};
use mz_core::ids::{IdNumber, RegionCode};
use mz_core::wire::Kind;
use mz_core::CoreError;
use mz_core::ErrorCode;

/// Queue a piece of redemption work where this hub runs it (the lane, or the batch).
async fn redeem_work(s: &AppState, w: RedeemWork) -> Option<RedeemDone> {
    match &s.db.lane {
        Some(lane) => lane.run(w).await,
        None => s.redeem_batch.run(w).await,
    }
}

fn batch_gone() -> HubError {
    HubError::Internal("the batch worker stopped".into())
}

/// Verify a scanned code against the key of the device its handle was issued to.
/// Also returns what the device's holder holds today, by type.
async fn verify_code(
    s: &AppState,
    scanned: ScannedHolderCode,
) -> HubResult<(VerifiedHolderCode, DeviceCaller, Vec<(String, i64)>)> {
    if !s.region.contains(&scanned.region()) {
        return Err(HubError::NotFound("holder in this hub's region"));
    }
    let query = HandleQuery {
        handle: scanned.handle(),
        today: s.today().to_string(),
    };
    let owner = match redeem_work(s, RedeemWork::Lookup(query)).await {
        Some(RedeemDone::Owner(owner)) => {
            owner?.ok_or(HubError::NotFound("code (unknown handle)"))?
        }
        _ => return Err(batch_gone()),
    };
    let public_key = PublicKey::from_bytes(&owner.public_key)?;
    let code = scanned.verify(&public_key, s.now())?;
    let device = DeviceCaller {
        key_id: mz_core::crypto::KeyId::parse(&owner.key_id)?,
        holder_id: owner.holder_id,
        id_number: IdNumber::parse(&owner.id_number)?,
        name: owner.name,
        public_key,
    };
    Ok((code, device, owner.held))
}

/// Redeem a holder code (identity, show or delegated) at a terminal.
pub async fn redeem_code(s: &AppState, t: &TerminalCaller, text: &str) -> HubResult<Redemption> {
    let (code, r, held) = verify_code(s, ScannedHolderCode::parse(text)?).await?;
    let now = s.now();
    let body = code.body().clone();
    // Whose certificates, who approves, and what is in reach.
    #[allow(clippy::type_complexity)]
    let (kind, subject_code, subject_name, scope_type, grant_id, limit): (
        RedemptionKind,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<Vec<String>>,
    ) = match &body.scope {
        Scope::Identity => (
            RedemptionKind::Identity,
            r.id_number.to_string(),
            r.name.clone(),
            None,
            None,
            None,
        ),
        Scope::Certificate { cert_type, .. } => (
            RedemptionKind::Show,
            r.id_number.to_string(),
            r.name.clone(),
            Some(catalogue::cert_type_by_no(*cert_type)?.code.to_string()),
            None,
            None,
        ),
        Scope::Delegated { grant, cert_type } => {
            let gid = uuid_str(*grant);
            let g = active_grant(s, &gid, r.id_number.as_str(), now).await?;
            let t = catalogue::cert_type_by_no(*cert_type)?;
            if !g.cert_types.iter().any(|c| c == t.code) {
                return Err(fail(
                    ErrorCode::OutsideGrant,
                    format!("the grant does not cover {}", t.name),
                ));
            }
            (
                RedemptionKind::Delegated,
                g.principal_code,
                g.principal_name,
                Some(t.code.to_string()),
                Some(gid),
                Some(g.cert_types),
            )
        }
    };
    let red = OwnedRedemption {
        terminal_id: t.id.clone(),
        terminal_name: t.name.clone(),
        kind,
        subject_code: subject_code.clone(),
        subject_name: subject_name.clone(),
        approver: r.holder_id.clone(),
        scope_type,
        grant_id,
    };
    let id = match redeem_work(
        s,
        RedeemWork::Record(RedeemJob {
            handle: body.handle,
            red,
            now,
        }),
    )
    .await
    {
        Some(RedeemDone::Recorded(id)) => id?,
        _ => return Err(batch_gone()),
    };
    let available = match &limit {
        // Delegated: the principal's certificates, within the grant.
        Some(_) => available_certs(s, &subject_code, limit.as_deref()).await?,
        None => available_of(held, None),
    };
    Ok(Redemption {
        redemption_id: id,
        kind,
        subject_name_masked: if subject_code.len() == 18 && IdNumber::parse(&subject_code).is_ok() {
            mask_name(&subject_name)
        } else {
            subject_name
        },
        agent_name_masked: (kind == RedemptionKind::Delegated).then(|| mask_name(&r.name)),
        available,
        expires_at: now + REDEMPTION_SECS,
    })
}

/// What the subject holds that is valid today, by type (one indexed query, no bodies parsed).
pub async fn available_certs(
    s: &AppState,
    holder_code: &str,
    limit: Option<&[String]>,
) -> HubResult<Vec<AvailableCert>> {
    let rows = store::redeem::held_by(&s.db, holder_code, &s.today().to_string()).await?;
    Ok(available_of(rows, limit))
}

fn available_of(rows: Vec<(String, i64)>, limit: Option<&[String]>) -> Vec<AvailableCert> {
    rows.into_iter()
        .filter(|(t, _)| limit.is_none_or(|l| l.contains(t)))
        .filter_map(|(t, n)| {
            catalogue::cert_type(&t).ok().map(|ct| AvailableCert {
                type_code: t,
                name: ct.name.into(),
                count: n as u32,
            })
        })
        .collect()
}

pub struct ActiveGrant {
    pub principal_code: String,
    pub principal_name: String,
    pub cert_types: Vec<String>,
    pub matters: Vec<String>,
}

/// A grant the agent `agent_id` may use now: not revoked, inside its period.
pub async fn active_grant(
    s: &AppState,
    id: &str,
    agent_id: &str,
    now: i64,
) -> HubResult<ActiveGrant> {
    let g = crate::store::grants::get(&s.db, id)
        .await?
        .ok_or(HubError::NotFound("grant"))?;
    if g.agent_id_number != agent_id {
        return Err(fail(ErrorCode::NotAgent, "this grant was not made to you"));
    }
    if g.revoked_at.is_some() {
        return Err(fail(
            ErrorCode::GrantRevoked,
            "the principal revoked this grant",
        ));
    }
    if now < g.valid_from {
        return Err(CoreError::NotYetValid {
            what: "delegation grant",
        }
        .into());
    }
    if now >= g.valid_to {
        return Err(fail(ErrorCode::GrantExpired, "this grant has expired"));
    }
    let principal_name = store::principal_name(&s.db, g.principal_kind, &g.principal_code).await?;
    Ok(ActiveGrant {
        principal_code: g.principal_code,
        principal_name,
        cert_types: g.cert_types,
        matters: g.matters,
    })
}

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
    if now > r.expires_at {
        return Err(CoreError::Expired { what: "redemption" }.into());
    }
    let matter = catalogue::matter(&req.matter)?;
    if req.cert_types.is_empty() {
        return Err(fail(
            ErrorCode::NothingRequested,
            "ask for at least one certificate",
        ));
    }
    let mut wanted: Vec<String> = Vec::new();
    for c in &req.cert_types {
        catalogue::cert_type(c)?;
        if !wanted.contains(c) {
            wanted.push(c.clone());
        }
    }
    matter.check_request(&wanted.iter().map(String::as_str).collect::<Vec<_>>())?;
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
        if !g.matters.is_empty() && !g.matters.iter().any(|m| m == matter.code) {
            return Err(fail(
                ErrorCode::OutsideGrant,
                "the grant does not cover this matter",
            ));
        }
    }
    let held = cert_views(s, std::slice::from_ref(&subject), Some(&wanted)).await?;
    if let Some(c) = wanted.iter().find(|c| {
        !held.iter().any(|v| {
            &v.certificate.body.type_code == *c && v.status == mz_core::cert::CertStatus::Valid
        })
    }) {
        return Err(fail(
            ErrorCode::NotHeld,
            format!("the holder has no valid {c}"),
        ));
    }
    let id = new_id();
    let mut tx = s.db.begin_write().await?;
    let new = requests::NewRequest {
        id: &id,
        redemption: &req.redemption_id,
        terminal: &t.id,
        subject_code: &subject,
        approver: &approver,
        matter: matter.code,
        cert_types: &wanted,
        archive: req.archive,
        grant_id: grant_id.as_deref(),
        now,
        expires_at: now + REQUEST_SECS,
    };
    if !requests::insert(&mut tx, new).await? {
        return Err(fail(
            ErrorCode::RedemptionUsed,
            "this code already has an authorization request; scan a fresh code",
        ));
    }
    store::audit(&mut tx, now, "auth_request", &format!("terminal:{}", t.id), Some(&subject), serde_json::json!({ "request": id, "matter": matter.code, "cert_types": wanted, "archive": req.archive, "terminal": t.name, "grant": grant_id })).await?;
    tx.commit().await?;
    let (view, _, _) = request_view(s, &id).await?;
    s.push.send(
        &holder_key(&approver),
        &PushEvent::AuthRequest {
            request: view.clone(),
        },
    );
    Ok(view)
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

/// Hand over exactly the approved certificates, once, to the terminal that asked.
pub async fn release_approved(s: &AppState, t: &TerminalCaller, id: &str) -> HubResult<Release> {
    let (view, approver) = own_request(s, t, id).await?;
    match view.state {
        RequestState::Approved | RequestState::PartlyApproved => {}
        RequestState::Refused => {
            return Err(fail(ErrorCode::Refused, "the holder refused this request"))
        }
        RequestState::Pending => {
            return Err(fail(
                ErrorCode::NotDecided,
                "the holder has not decided yet",
            ))
        }
        RequestState::Expired => {
            return Err(CoreError::Expired {
                what: "authorization request",
            }
            .into())
        }
    }
    let stored = requests::get(&s.db, id)
        .await?
        .ok_or(HubError::NotFound("authorization request"))?;
    if stored.released_at.is_some() {
        return Err(fail(
            ErrorCode::AlreadyReleased,
            "these certificates were already released to you",
        ));
    }
    let subject = stored.subject_code;
    let certs: Vec<CertificateView> =
        cert_views(s, std::slice::from_ref(&subject), Some(&view.approved))
            .await?
            .into_iter()
            .filter(|v| v.status == mz_core::cert::CertStatus::Valid)
            .collect();
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    let licences: Vec<String> = certs
        .iter()
        .map(|c| c.certificate.body.license_id.to_string())
        .collect();
    if !requests::mark_released(&mut tx, id, &licences, now).await? {
        return Err(fail(
            ErrorCode::AlreadyReleased,
            "these certificates were already released to you",
        ));
    }
    store::audit(&mut tx, now, "release", &format!("terminal:{}", t.id), Some(&subject), serde_json::json!({ "request": id, "matter": view.matter, "terminal": t.name, "certificates": licences, "archive": view.archive, "grant": view.grant_id })).await?;
    tx.commit().await?;
    let is_person = IdNumber::parse(&subject).is_ok();
    let agent = if view.grant_id.is_some() {
        let (code, name) = requests::holder_person(&s.db, &approver).await?;
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
        request_id: id.to_string(),
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

pub async fn login_view(s: &AppState, id: &str) -> HubResult<(LoginSessionView, String)> {
    let l = login::get(&s.db, id)
        .await?
        .ok_or(HubError::NotFound("login session"))?;
    let view = LoginSessionView {
        session_id: l.id,
        state: l.state.at(s.now(), l.expires_at),
        holder_name: l.holder_name,
        method: l.method,
        expires_at: l.expires_at,
    };
    Ok((view, l.terminal))
}

/// Log a holder in to a waiting session (`expected_terminal` when the holder named it).
pub async fn log_in(
    s: &AppState,
    session: &str,
    expected_terminal: Option<&str>,
    d: &DeviceCaller,
    method: LoginMethod,
    actor: &str,
) -> HubResult<LoginSessionView> {
    let (view, terminal) = login_view(s, session).await?;
    if expected_terminal.is_some_and(|t| t != terminal) {
        return Err(fail(
            ErrorCode::TerminalMismatch,
            "the login code names another terminal",
        ));
    }
    require_waiting(view.state)?;
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    claimed(login::log_in(&mut tx, session, &d.holder_id, method, now).await?)?;
    let tname = login::terminal_name(&mut tx, &terminal).await?;
    store::audit(
        &mut tx,
        now,
        "login",
        actor,
        Some(d.id_number.as_str()),
        serde_json::json!({ "session": session, "terminal": tname, "method": method.as_str() }),
    )
    .await?;
    tx.commit().await?;
    s.push.send(
        &terminal_key(&terminal),
        &PushEvent::LoggedIn {
            session_id: session.to_string(),
            holder_name: d.name.clone(),
            method,
        },
    );
    Ok(LoginSessionView {
        state: LoginState::LoggedIn,
        holder_name: Some(d.name.clone()),
        method: Some(method),
        ..view
    })
}

/// Only a waiting session can be logged in to.
fn require_waiting(state: LoginState) -> HubResult<()> {
    match state {
        LoginState::Waiting => Ok(()),
        LoginState::Expired => Err(CoreError::Expired {
            what: "login session",
        }
        .into()),
        LoginState::LoggedIn | LoginState::Ended => Err(fail(
            ErrorCode::SessionUsed,
            "this login session is already used; the kiosk shows a new code",
        )),
    }
}

/// A waiting login session was taken by its UPDATE (else another login got it first).
fn claimed(taken: bool) -> HubResult<()> {
    if !taken {
        return Err(fail(
            ErrorCode::SessionUsed,
            "this login session is already used",
        ));
    }
    Ok(())
}

/// Log another region's holder in to a waiting session, with what their hub said of them.
async fn log_in_remote(
    s: &AppState,
    session: &str,
    t: &TerminalCaller,
    owner: &RegionCode,
    red: Redemption,
) -> HubResult<LoginSessionView> {
    let now = s.now();
    let held: Vec<String> = red.available.iter().map(|a| a.type_code.clone()).collect();
    let mut tx = s.db.begin_write().await?;
    let holder = login::RemoteHolder {
        owner: owner.as_str(),
        redemption: &red.redemption_id,
        name_masked: &red.subject_name_masked,
        available: json_list(&held),
    };
    claimed(login::log_in_remote(&mut tx, session, &holder, now).await?)?;
    // The holder's identity stays with their hub (which audits the redemption); here, where.
    store::audit(&mut tx, now, "login", &format!("terminal:{}", t.id), None, serde_json::json!({ "session": session, "terminal": t.name, "method": "identity_code", "region": owner.as_str(), "redemption": red.redemption_id })).await?;
    tx.commit().await?;
    s.push.send(
        &terminal_key(&t.id),
        &PushEvent::LoggedIn {
            session_id: session.to_string(),
            holder_name: red.subject_name_masked.clone(),
            method: LoginMethod::IdentityCode,
        },
    );
    Ok(login_view(s, session).await?.0)
}

/// A kiosk with a logged-in holder asks them to release what a self-service matter needs
/// (only the certificate types the holder actually holds; a required one missing is refused).
pub async fn request_in_session(
    s: &AppState,
    t: &TerminalCaller,
    session: &str,
    req: SessionAuthRequest,
) -> HubResult<AuthRequestView> {
    let (view, terminal) = login_view(s, session).await?;
    if terminal != t.id {
        return Err(HubError::NotFound("login session"));
    }
    if view.state != LoginState::LoggedIn {
        return Err(fail(
            ErrorCode::NotLoggedIn,
            "nobody is logged in to this session",
        ));
    }
    let matter = catalogue::matter(&req.matter)?;
    if !matter.self_service {
        return Err(fail(
            ErrorCode::NotSelfService,
            "this matter is not offered at self-service kiosks",
        ));
    }
    if let Some((owner, redemption_id, available)) = login::remote_holder(&s.db, session).await? {
        // Another region's holder: ask through their hub, on the redemption their code made.
        let owner = RegionCode::parse(&owner)?;
        let wanted = wanted_for(matter, &parse_list(&available))?;
        let create = AuthRequestCreate {
            redemption_id,
            matter: matter.code.into(),
            cert_types: wanted,
            archive: req.archive,
        };
        return federation::request_authorization(s, t, &owner, create).await;
    }
    let (holder_id, id_number, name) = login::local_holder(&s.db, session).await?;
    let held: Vec<String> = available_certs(s, &id_number, None)
        .await?
        .into_iter()
        .map(|a| a.type_code)
        .collect();
    let wanted = wanted_for(matter, &held)?;
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    let red = OwnedRedemption {
        terminal_id: t.id.clone(),
        terminal_name: t.name.clone(),
        kind: RedemptionKind::Login,
        subject_code: id_number.clone(),
        subject_name: name.clone(),
        approver: holder_id.clone(),
        scope_type: None,
        grant_id: None,
    };
    let redemption_id = insert_redemption(&mut tx, &red, now).await?;
    tx.commit().await?;
    request_authorization(
        s,
        t,
        AuthRequestCreate {
            redemption_id,
            matter: matter.code.into(),
            cert_types: wanted,
            archive: req.archive,
        },
    )
    .await
}

/// The certificate types a matter can take in place of its materials, of those `held`; a
/// required one not held is refused.
fn wanted_for(matter: &catalogue::Matter, held: &[String]) -> HubResult<Vec<String>> {
    let mut wanted: Vec<String> = Vec::new();
    for m in matter.materials {
        let Some(t) = m.replaced_by else { continue };
        if held.iter().any(|h| h == t) {
            if !wanted.iter().any(|w| w == t) {
                wanted.push(t.to_string());
            }
        } else if m.required {
            return Err(fail(
                ErrorCode::NotHeld,
                format!("you have no valid {} for this matter", m.name),
            ));
        }
    }
    Ok(wanted)
}
/// Bind the key of a terminal that proved it holds it (checked by the caller) to the terminal
/// waiting for this one-time enrolment code.
pub async fn enrol(s: &AppState, body: TerminalEnrolRequest) -> HubResult<TerminalInfo> {
    let code_hash = sha256(body.enrolment_code.trim().as_bytes());
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    let Some((id, expires_at)) = terminals::awaiting_code(&mut tx, &code_hash[..]).await? else {
        return Err(fail(
            ErrorCode::BadEnrolmentCode,
            "this enrolment code is unknown or was already used",
        ));
    };
    if expires_at.is_some_and(|e| e < now) {
        return Err(CoreError::Expired {
            what: "enrolment code",
        }
        .into());
    }
    let key_id = body.public_key.key_id().to_string();
    if terminals::key_in_use(&mut tx, &key_id).await? {
        return Err(fail(ErrorCode::KeyInUse, "this key is already registered"));
    }
    terminals::bind_key(&mut tx, &id, &key_id, body.public_key.as_bytes()).await?;
    store::audit(
        &mut tx,
        now,
        "terminal_enrol",
        &format!("terminal:{id}"),
        None,
        serde_json::json!({ "terminal": id, "key": key_id }),
    )
    .await?;
    tx.commit().await?;
    terminal_view(s, &id).await
}

pub async fn open_login(s: &AppState, who: TerminalCaller) -> HubResult<LoginSessionCreated> {
    if who.kind != TerminalKind::Kiosk {
        return Err(fail(
            ErrorCode::NotAKiosk,
            "only kiosks open login sessions",
        ));
    }
    let now = s.now();
    let id = new_id();
    login::open(&s.db, &id, &who.id, now, now + LOGIN_SESSION_SECS).await?;
    Ok(LoginSessionCreated {
        session_id: id,
        expires_at: now + LOGIN_SESSION_SECS,
    })
}

/// 亮码登录: the kiosk scanned the holder's identity code.
pub async fn login_by_identity_code(
    s: &AppState,
    id: String,
    who: TerminalCaller,
    body: &[u8],
) -> HubResult<LoginSessionView> {
    let req: IdentityLoginRequest = json(body)?;
    let (view, terminal) = login_view(s, &id).await?;
    if terminal != who.id {
        return Err(HubError::NotFound("login session"));
    }
    require_waiting(view.state)?;
    let scanned = ScannedHolderCode::parse_kinds(&req.code, &[Kind::IdentityCode])?;
    // Another region's holder: their own hub checks the code and keeps the redemption.
    if let Some(owner) = federation::remote_region(s, &req.code)? {
        let red = federation::redeem(s, &who, &owner, &req.code).await?;
        return log_in_remote(s, &id, &who, &owner, red).await;
    }
    let (code, d, _) = verify_code(s, scanned).await?;
    let mut tx = s.db.begin_write().await?;
    use_handle(&mut tx, code.body().handle, s.now()).await?;
    tx.commit().await?;
    log_in(
        s,
        &id,
        None,
        &d,
        LoginMethod::IdentityCode,
        &format!("terminal:{}", who.id),
    )
    .await
}

/// The kiosk ends a session (log out, or a session nobody used). Ending is decided inside the
/// write transaction; a holder's logout is audited once, however often the kiosk asks.
pub async fn end_login(
    s: &AppState,
    id: String,
    who: TerminalCaller,
) -> HubResult<LoginSessionView> {
    let (view, terminal) = login_view(s, &id).await?;
    if terminal != who.id {
        return Err(HubError::NotFound("login session"));
    }
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    if login::end(&mut tx, &id).await? && view.state == LoginState::LoggedIn {
        let detail = serde_json::json!({ "session": id, "terminal": who.name });
        let actor = format!("terminal:{}", who.id);
        store::audit(&mut tx, now, "logout", &actor, None, detail).await?;
    }
    tx.commit().await?;
    Ok(LoginSessionView {
        state: LoginState::Ended,
        ..view
    })
}
