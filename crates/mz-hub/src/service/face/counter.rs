//! A counter's face check for a holder without a phone (窗口刷脸), and their consent on the
//! counter's tablet.

use super::*;

/// A counter starts a face check for a holder without a phone (窗口刷脸, seed 002): staff
/// enter the ID number and name; the person faces the counter's camera.
pub async fn counter_check(
    s: &AppState,
    who: TerminalCaller,
    body: &[u8],
    asker: &Asker,
) -> HubResult<FaceChallenge> {
    let req: CounterFaceCheckRequest = json(body)?;
    let t = who;
    if t.kind != TerminalKind::Counter {
        return Err(fail(
            ErrorCode::CounterOnly,
            "only a staffed counter may check a face for a person without a phone",
        ));
    }
    let id = IdNumber::parse(req.id_number.trim())?;
    check_register_identity(s, &id, &req.name, asker).await?;
    let enterprise = match req.enterprise.as_deref().map(str::trim) {
        Some(e) => Some(represented(s, &id, e).await?),
        None => None,
    };
    face::ready_for(s, id.as_str()).await?;
    let mut tx = s.db.begin_write().await?;
    let c = create_challenge(
        &mut tx,
        s.now(),
        FacePurpose::Counter,
        id.as_str(),
        &format!("terminal:{}", t.id),
        None,
    )
    .await?;
    if let Some(uscc) = &enterprise {
        crate::store::face::set_enterprise(&mut tx, &c.id, uscc.as_str()).await?;
    }
    tx.commit().await?;
    Ok(c)
}

/// 法人刷脸 (seed 002): the enterprise the checked person is the legal representative of.
async fn represented(s: &AppState, id: &IdNumber, uscc: &str) -> HubResult<Uscc> {
    let uscc = Uscc::parse(&uscc.to_uppercase())?;
    let rep = crate::store::grants::legal_representative(&s.db, uscc.as_str()).await?;
    if rep.as_deref() != Some(id.as_str()) {
        return Err(fail(
            ErrorCode::NotLegalRepresentative,
            "this person is not the legal representative of that enterprise",
        ));
    }
    Ok(uscc)
}

/// The counter sends the frames its camera filmed; on a pass it may ask authorization for this
/// person as if they had shown their identity code, and the person consents on the tablet.
pub async fn counter_frames(
    s: &AppState,
    id: String,
    who: TerminalCaller,
    body: &[u8],
) -> HubResult<FaceOutcome> {
    let t = who;
    let requester = format!("terminal:{}", t.id);
    let (c, mut tx, mut outcome) = decide(s, &id, &requester, &requester, body).await?;
    if c.purpose != FacePurpose::Counter {
        return Err(HubError::Internal(format!(
            "unexpected purpose {}",
            c.purpose
        )));
    }
    let now = s.now();
    // The person acts through the counter: a holder record without any device.
    let holder =
        crate::store::holders::find_or_create(&mut tx, &c.subject, Assurance::None, now).await?;
    let name = crate::store::holders::person_name_in(&mut tx, &c.subject).await?;
    // A legal representative's check acts for the enterprise (法人刷脸).
    let (subject, name) = match &c.enterprise {
        Some(uscc) => {
            let registered = crate::store::certificates::enterprise_name(&s.db, uscc).await?;
            (uscc.clone(), registered.unwrap_or_default())
        }
        None => (c.subject.clone(), name),
    };
    let red = OwnedRedemption {
        terminal_id: t.id.clone(),
        terminal_name: t.name.clone(),
        kind: RedemptionKind::Face,
        subject_code: subject.clone(),
        subject_name: name.clone(),
        approver: holder.clone(),
        scope_type: None,
        scope_ordinal: None,
        grant_id: None,
        handle: None,
    };
    let rid = insert_redemption(&mut tx, &red, now).await?;
    tx.commit().await?;
    outcome.redemption = Some(Redemption {
        redemption_id: rid,
        kind: RedemptionKind::Face,
        subject_name_masked: if c.enterprise.is_some() {
            name
        } else {
            mask_name(&name)
        },
        agent_name_masked: None,
        available: available_certs(s, &subject, None).await?,
        expires_at: now + REDEMPTION_SECS,
    });
    Ok(outcome)
}

/// The person's own choice on the counter's tablet, for a request made after a passed face
/// check at this counter (they have no device to approve on).
pub async fn counter_consent(
    s: &AppState,
    id: String,
    who: TerminalCaller,
    body: &[u8],
) -> HubResult<AuthRequestView> {
    let req: CounterConsentRequest = json(body)?;
    let t = who;
    let (view, terminal, _) = request_view(s, &id).await?;
    if terminal != t.id {
        return Err(HubError::NotFound("authorization request"));
    }
    let kind = crate::store::requests::redemption_kind(&s.db, &id).await?;
    let subject = crate::store::requests::get(&s.db, &id)
        .await?
        .ok_or(HubError::NotFound("authorization request"))?
        .subject_code;
    if kind != RedemptionKind::Face {
        return Err(fail(
            ErrorCode::HolderDecides,
            "the holder approves this request on their own device",
        ));
    }
    let now = s.now();
    view.state.decidable(now, view.expires_at)?;
    let mut approved: Vec<String> = Vec::new();
    for c in &req.approve {
        if !view.cert_types.contains(c) {
            return Err(fail(
                ErrorCode::NotRequested,
                format!("{c} was not asked for"),
            ));
        }
        if !approved.contains(c) {
            approved.push(c.clone());
        }
    }
    let mut tx = s.db.begin_write().await?;
    let state = record_decision(&mut tx, &view, &approved, None, now, None).await?;
    let event = if approved.is_empty() {
        "refuse"
    } else {
        "approve"
    };
    let detail = serde_json::json!({ "request": id, "matter": view.matter, "terminal": t.name, "asked": view.cert_types, "approved": approved, "consent": "counter_tablet_after_face_check" });
    store::audit(
        &mut tx,
        now,
        event,
        &format!("terminal:{}", t.id),
        Some(&subject),
        detail,
    )
    .await?;
    tx.commit().await?;
    s.push.send(
        &crate::push::terminal_key(&t.id),
        &PushEvent::AuthDecided {
            request_id: id.clone(),
            state,
            approved: approved.clone(),
        },
    );
    Ok(request_view(s, &id).await?.0)
}
