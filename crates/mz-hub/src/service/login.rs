//! Kiosk login sessions (扫码登录 and 亮码登录), and requests made inside a logged-in session.
use super::authorization::request_authorization;
use super::redemption::{available_certs, verify_code};
use super::{json_list, parse_list};
use crate::auth::{json, DeviceCaller, TerminalCaller};
use crate::error::{fail, HubError, HubResult};
use crate::push::terminal_key;
use crate::service::federation;
use crate::store::login;
use crate::store::redeem::use_handle;
use crate::store::redeem::{insert_redemption, OwnedRedemption};
use crate::store::{self, new_id};
use crate::AppState;
use mz_core::api::*;
use mz_core::catalogue::Matter;
use mz_core::codes::ScannedHolderCode;
use mz_core::flow::{LoginMethod, LoginState, RedemptionKind, TerminalKind};
use mz_core::flow::{KIOSK_IDLE_SECS, LOGIN_SESSION_SECS};
use mz_core::ids::RegionCode;
use mz_core::wire::Kind;
use mz_core::ErrorCode;

/// The name a kiosk may show for a login: masked after an identity code (亮码).
fn shown_name(name: &str, method: Option<LoginMethod>) -> String {
    match method {
        Some(LoginMethod::IdentityCode) => mz_core::api::mask_name(name),
        _ => name.to_string(),
    }
}

pub async fn login_view(s: &AppState, id: &str) -> HubResult<(LoginSessionView, String)> {
    let l = login::get(&s.db, id)
        .await?
        .ok_or(HubError::NotFound("login session"))?;
    let view = LoginSessionView {
        session_id: l.id,
        state: l.state.at(s.now(), l.expires_at),
        holder_name: l.holder_name.map(|n| shown_name(&n, l.method)),
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
    let now = s.now();
    view.state.log_in(now, view.expires_at)?;
    let mut tx = s.db.begin_write().await?;
    let key = d.key_id.to_string();
    if method == LoginMethod::Scan {
        // The holder approves on their device (an identity code was shown after the PIN).
        super::pin::require_fresh(&mut tx, &key, now).await?;
    }
    claimed(login::log_in(&mut tx, session, (&d.holder_id, &key), method, now).await?)?;
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
    // An identity code can be shown by anyone who has it: the kiosk greets with the masked
    // name only; a scan the holder approved on their phone may show the name (M-4).
    let shown = shown_name(&d.name, Some(method));
    s.push.send(
        &terminal_key(&terminal),
        &PushEvent::LoggedIn {
            session_id: session.to_string(),
            holder_name: shown.clone(),
            method,
        },
    );
    Ok(LoginSessionView {
        state: LoginState::LoggedIn,
        holder_name: Some(shown),
        method: Some(method),
        expires_at: now + KIOSK_IDLE_SECS,
        ..view
    })
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
    view.state.ask(s.now(), view.expires_at)?;
    let catalogue = s.catalogue().await?;
    let matter = catalogue.matter(&req.matter)?;
    if !matter.self_service {
        return Err(fail(
            ErrorCode::NotSelfService,
            "this matter is not offered at self-service kiosks",
        ));
    }
    super::terminal::require_handles(s, t, &matter.code).await?;
    if let Some((owner, redemption_id, available)) = login::remote_holder(&s.db, session).await? {
        // Another region's holder: ask through their hub, on the redemption their code made.
        let owner = RegionCode::parse(&owner)?;
        let wanted = wanted_for(matter, &parse_list(&available))?;
        let create = AuthRequestCreate {
            redemption_id,
            matter: matter.code.clone(),
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
    if !login::keep_alive(&mut tx, session, now).await? {
        return Err(fail(
            ErrorCode::NotLoggedIn,
            "nobody is logged in to this session (it ended or was idle too long)",
        ));
    }
    let red = OwnedRedemption {
        terminal_id: t.id.clone(),
        terminal_name: t.name.clone(),
        kind: RedemptionKind::Login,
        subject_code: id_number.clone(),
        subject_name: name.clone(),
        approver: holder_id.clone(),
        scope_type: None,
        scope_ordinal: None,
        grant_id: None,
        handle: None,
    };
    let redemption_id = insert_redemption(&mut tx, &red, now).await?;
    tx.commit().await?;
    request_authorization(
        s,
        t,
        AuthRequestCreate {
            redemption_id,
            matter: matter.code.clone(),
            cert_types: wanted,
            archive: req.archive,
        },
    )
    .await
}

/// The certificate types a matter can take in place of its materials, of those `held`; a
/// required one not held is refused.
fn wanted_for(matter: &Matter, held: &[String]) -> HubResult<Vec<String>> {
    let mut wanted: Vec<String> = Vec::new();
    for m in &matter.materials {
        let Some(t) = &m.replaced_by else { continue };
        if held.contains(t) {
            if !wanted.contains(t) {
                wanted.push(t.clone());
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
    view.state.log_in(s.now(), view.expires_at)?;
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
