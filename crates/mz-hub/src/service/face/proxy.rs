//! Applying for someone else (代办, 高龄津贴): the application, and filing it once that
//! person's face check passed.

use super::*;

/// The department of the applicant's county (by the ID's area code) whose name ends with
/// `suffix` (民政局), else any such department in the hub's region.
async fn receiving_department(s: &AppState, id_number: &str, suffix: &str) -> HubResult<String> {
    let area = &id_number[..6];
    let code = stored::department_ending(&s.db, suffix, area).await?;
    code.ok_or_else(|| {
        fail(
            ErrorCode::NoDepartment,
            format!("no {suffix} is registered on this hub to receive the application"),
        )
    })
}

pub async fn application_view(s: &AppState, id: &str) -> HubResult<ApplicationView> {
    let a = stored::application(&s.db, id)
        .await?
        .ok_or(HubError::NotFound("application"))?;
    let catalogue = s.catalogue().await?;
    let matter = catalogue.matter(&a.matter)?;
    let mut state = a.state;
    if state == ApplicationState::AwaitingFace && s.now() > a.expires_at {
        state = ApplicationState::Expired;
    }
    let applicant = IdNumber::parse(&a.applicant)?;
    let released: Vec<ReceiptCert> = serde_json::from_str(&a.released).unwrap_or_default();
    Ok(ApplicationView {
        id: a.id,
        matter: a.matter.clone(),
        matter_name: matter.name.clone(),
        state,
        applicant_masked: mask_name(&a.applicant_name),
        applicant_age: applicant.age_on(s.today()).max(0) as u32,
        agent_masked: a.agent_name.map(|n| mask_name(&n)),
        department: a.department_name,
        created_at: a.created_at,
        filed_at: a.filed_at,
        released,
    })
}

/// The applicant's face matched: release their certificates that the matter's materials name
/// (居民身份证, 户口簿) to the application and file it, recorded in the applicant's chain.
pub(super) async fn file_application(
    s: &AppState,
    tx: &mut store::WriteTx,
    now: i64,
    app: &str,
    applicant: &str,
    actor: &str,
) -> HubResult<()> {
    let (matter, state, expires_at, dept) = stored::application_in(tx, app).await?;
    if state != ApplicationState::AwaitingFace {
        return Err(fail(
            ErrorCode::ApplicationFiled,
            "this application was already filed",
        ));
    }
    if now > expires_at {
        return Err(HubError::Core(mz_core::CoreError::Expired {
            what: "application",
        }));
    }
    let catalogue = s.catalogue().await?;
    let matter = catalogue.matter(&matter)?;
    let types: Vec<String> = matter.replaceable_types().map(str::to_string).collect();
    let certs = cert_views(s, &[applicant.to_string()], Some(&types)).await?;
    let released: Vec<ReceiptCert> = certs
        .iter()
        .filter(|c| c.status == CertStatus::Valid)
        .map(|c| ReceiptCert {
            license_id: c.certificate.body.license_id.to_string(),
            name: c.certificate.body.name.clone(),
            status: c.status,
        })
        .collect();
    let json = serde_json::to_string(&released).expect("plain data");
    match stored::file(tx, app, &json, now).await? {
        stored::Filing::Filed => {}
        stored::Filing::NotAwaiting => {
            return Err(fail(
                ErrorCode::ApplicationFiled,
                "this application was already filed",
            ))
        }
        stored::Filing::Duplicate => {
            return Err(fail(
                ErrorCode::AlreadyRegistered,
                format!("this person is already registered for {}", matter.name),
            ))
        }
    }
    let licences: Vec<&str> = released.iter().map(|c| c.license_id.as_str()).collect();
    store::audit(tx, now, "release", actor, Some(applicant), serde_json::json!({ "application": app, "matter": matter.code, "department": dept, "certificates": licences, "after": "face_check" })).await?;
    store::audit(
        tx,
        now,
        "application_filed",
        actor,
        Some(applicant),
        serde_json::json!({ "application": app, "matter": matter.code, "department": dept }),
    )
    .await?;
    Ok(())
}
/// Apply for someone else (代办): check who they are and that they are eligible, then open the
/// application and the face challenge they must pass in front of the agent's camera.
pub async fn open_proxy(
    s: &AppState,
    who: DeviceCaller,
    body: &[u8],
    asker: &Asker,
) -> HubResult<ProxyApplicationCreated> {
    let req: ProxyApplicationRequest = json(body)?;
    let d = who;
    let catalogue = s.catalogue().await?;
    let proxied = catalogue.matter(&req.matter).ok();
    let (matter, pm) = proxied
        .and_then(|m| Some((m, m.proxy.as_ref()?)))
        .ok_or_else(|| {
            fail(
                ErrorCode::NotProxyMatter,
                format!(
                    "{} cannot be applied for on someone else's behalf",
                    req.matter
                ),
            )
        })?;
    let id = IdNumber::parse(req.id_number.trim())?;
    check_register_identity(s, &id, &req.name, asker).await?;
    let age = id.age_on(s.today());
    if age < pm.min_age {
        return Err(fail(
            ErrorCode::NotEligible,
            format!(
                "{} is for people aged {} or over; this person is {age}",
                matter.name, pm.min_age
            ),
        ));
    }
    if stored::filed_for(&s.db, &matter.code, id.as_str()).await? {
        return Err(fail(
            ErrorCode::AlreadyRegistered,
            format!("this person is already registered for {}", matter.name),
        ));
    }
    face::ready_for(s, id.as_str()).await?;
    let department = receiving_department(s, id.as_str(), &pm.received_by).await?;
    let now = s.now();
    let app_id = new_id();
    let mut tx = s.db.begin_write().await?;
    let new = stored::NewApplication {
        id: &app_id,
        matter: &matter.code,
        applicant: id.as_str(),
        agent: &d.holder_id,
        department: &department,
        now,
        expires_at: now + APPLICATION_TTL,
    };
    stored::open_application(&mut tx, new).await?;
    store::audit(
        &mut tx,
        now,
        "application_opened",
        &format!("device:{}", d.key_id),
        Some(id.as_str()),
        serde_json::json!({ "application": app_id, "matter": matter.code, "agent": d.holder_id }),
    )
    .await?;
    let challenge = create_challenge(
        &mut tx,
        now,
        FacePurpose::Proxy,
        id.as_str(),
        &d.key_id.to_string(),
        Some(&app_id),
    )
    .await?;
    tx.commit().await?;
    Ok(ProxyApplicationCreated {
        application: application_view(s, &app_id).await?,
        challenge,
    })
}

/// Applications I filed for others.
pub async fn my_proxy_applications(
    s: &AppState,
    who: DeviceCaller,
) -> HubResult<Vec<ApplicationView>> {
    let ids = stored::by_agent(&s.db, &who.holder_id).await?;
    let mut out = Vec::new();
    for id in ids {
        out.push(application_view(s, &id).await?);
    }
    Ok(out)
}
