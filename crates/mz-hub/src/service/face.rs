//! Live face checks (实人): a holder's own check (enrolment becomes 实名 + 实人), and an
//! application filed for someone else (代办, 高龄津贴) after that person's live face check.
//!
//! The hub issues a random challenge; the client sends the filmed frames; the hub decides.
//! Frames are never stored or logged: only the decision and its figures go to the audit chain.

use super::authorization::{record_decision, request_view};
use super::enrolment::check_register_identity;
use super::holder::cert_views;
use super::redemption::available_certs;
use crate::auth::{json, Asker, DeviceCaller, EnrollingDevice, TerminalCaller};
use crate::error::{fail, HubError, HubResult};
use crate::face::{self, from_api, to_api, Refused};
use crate::store::face as stored;
use crate::store::redeem::{insert_redemption, OwnedRedemption};
use crate::store::{self, new_id};
use crate::AppState;
use base64::Engine as _;
use mz_core::api::*;
use mz_core::catalogue;
use mz_core::cert::CertStatus;
use mz_core::flow::REDEMPTION_SECS;
use mz_core::flow::{
    ApplicationState, Assurance, ChallengeState, DeviceConfirmation, DeviceState, FacePurpose,
    RedemptionKind, TerminalKind,
};
use mz_core::ids::IdNumber;
use mz_core::ErrorCode;
use mz_face::liveness::{self, MAX_FRAMES, MIN_FRAMES};

/// How long a challenge may be answered (time to read the steps and film them).
pub const CHALLENGE_TTL: i64 = 180;

/// How long a proxy application waits for its face check.
pub const APPLICATION_TTL: i64 = 900;

/// Analysed attempts per challenge; then a new challenge is needed.
pub const MAX_ATTEMPTS: i64 = 3;

/// Largest body of filmed frames (12 frames of a few hundred kB, base64).
pub const MAX_FRAMES_BODY: usize = 12 * 1024 * 1024;

fn random_bytes<const N: usize>() -> HubResult<[u8; N]> {
    let mut b = [0u8; N];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut b)
        .map_err(|_| HubError::Internal("randomness".into()))?;
    Ok(b)
}

fn new_steps() -> HubResult<Vec<liveness::Step>> {
    loop {
        if let Some(c) = liveness::challenge(random_bytes::<1>()?[0]) {
            return Ok(c);
        }
    }
}

/// Create a challenge row inside a write transaction.
async fn create_challenge(
    tx: &mut store::WriteTx,
    now: i64,
    purpose: FacePurpose,
    subject: &str,
    requester: &str,
    application: Option<&str>,
) -> HubResult<FaceChallenge> {
    let id = new_id();
    let steps = new_steps()?;
    let api_steps: Vec<FaceStep> = steps.iter().copied().map(to_api).collect();
    let nonce = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<16>()?);
    let new = stored::NewChallenge {
        id: &id,
        nonce: &nonce,
        purpose,
        subject,
        requester,
        application,
        steps: serde_json::to_string(&api_steps).expect("plain data"),
        now,
        expires_at: now + CHALLENGE_TTL,
    };
    stored::open_challenge(tx, new).await?;
    Ok(FaceChallenge {
        id,
        purpose,
        steps: api_steps,
        nonce,
        expires_at: now + CHALLENGE_TTL,
        frames_min: MIN_FRAMES as u32,
        frames_max: MAX_FRAMES as u32,
        attempts_left: MAX_ATTEMPTS as u32,
    })
}

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
    let matter = catalogue::matter(&a.matter)?;
    let mut state = a.state;
    if state == ApplicationState::AwaitingFace && s.now() > a.expires_at {
        state = ApplicationState::Expired;
    }
    let applicant = IdNumber::parse(&a.applicant)?;
    let released: Vec<ReceiptCert> = serde_json::from_str(&a.released).unwrap_or_default();
    Ok(ApplicationView {
        id: a.id,
        matter: a.matter.clone(),
        matter_name: matter.name.into(),
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

/// Smallest and largest gap between two frames' capture times (20 to 1 frames a second).
pub const FRAME_GAP_MS: std::ops::RangeInclusive<u32> = 50..=1000;

/// The frames' bytes, refusing a wrong count or bad base64.
fn decode_frames(body: &FaceFrames) -> HubResult<Vec<Vec<u8>>> {
    if !(MIN_FRAMES..=MAX_FRAMES).contains(&body.frames.len()) {
        return Err(fail(
            ErrorCode::FrameCount,
            format!(
                "send {MIN_FRAMES}–{MAX_FRAMES} frames (got {})",
                body.frames.len()
            ),
        ));
    }
    body.frames
        .iter()
        .enumerate()
        .map(|(i, f)| {
            base64::engine::general_purpose::STANDARD
                .decode(f.trim())
                .map_err(|_| fail(ErrorCode::BadFrame, format!("frame {i} is not base64")))
        })
        .collect()
}

/// The frames were filmed for this challenge: they carry its nonce, their capture times are
/// a camera's, and they span no more time than the challenge has existed (by the hub's clock).
fn check_capture(body: &FaceFrames, r: &stored::StoredChallenge, now: i64) -> HubResult<()> {
    // The nonce is no secret from the client that films; it binds the frames to this challenge.
    if body.nonce != r.nonce {
        return Err(fail(
            ErrorCode::FramesNotForChallenge,
            "these frames do not carry this face check's nonce",
        ));
    }
    let t = &body.captured_ms;
    let gaps_ok = t.windows(2).all(|w| {
        w[1].checked_sub(w[0])
            .is_some_and(|g| FRAME_GAP_MS.contains(&g))
    });
    if t.len() != body.frames.len() || t.first() != Some(&0) || !gaps_ok {
        return Err(fail(
            ErrorCode::BadCaptureTimes,
            "captured_ms: one time per frame, the first 0, each 50–1000 ms after the one before",
        ));
    }
    let span_ms = *t.last().unwrap_or(&0) as i64;
    if span_ms > (now - r.created_at) * 1000 + 1000 {
        return Err(fail(
            ErrorCode::FramesNotForChallenge,
            "these frames span more time than this face check has existed",
        ));
    }
    Ok(())
}

/// Each frame's SHA-256 (hex), refusing a frame that appears twice.
fn frame_hashes(frames: &[Vec<u8>]) -> HubResult<Vec<String>> {
    let hashes: Vec<String> = frames
        .iter()
        .map(|f| hex::encode(ring::digest::digest(&ring::digest::SHA256, f)))
        .collect();
    let distinct: std::collections::HashSet<&String> = hashes.iter().collect();
    if distinct.len() != hashes.len() {
        return Err(fail(
            ErrorCode::FramesRepeated,
            "the same picture appears twice: film the check with the camera",
        ));
    }
    Ok(hashes)
}

/// A challenge as stored.
pub struct Challenge {
    pub purpose: FacePurpose,
    pub subject: String,
    pub application: Option<String>,
}

/// Decide a challenge from the submitted frames. A refusal is recorded (attempt counted,
/// audited) and returned as the error. A pass returns the open write transaction with the
/// challenge marked passed and audited, for the caller to add what the pass unlocks and commit
/// (a failure there rolls the pass back too: nothing is recorded as verified half-way).
pub async fn decide(
    s: &AppState,
    id: &str,
    requester: &str,
    actor: &str,
    body: &[u8],
) -> HubResult<(Challenge, store::WriteTx, FaceOutcome)> {
    let body: FaceFrames = json(body)?;
    let r = stored::challenge(&s.db, id)
        .await?
        .filter(|r| r.requester == requester)
        .ok_or(HubError::NotFound("face challenge"))?;
    let c = Challenge {
        purpose: r.purpose,
        subject: r.subject.clone(),
        application: r.application.clone(),
    };
    match r.state {
        ChallengeState::Open => {}
        ChallengeState::Passed => {
            return Err(fail(
                ErrorCode::ChallengeUsed,
                "this face check already passed",
            ))
        }
        ChallengeState::Refused => {
            return Err(fail(
                ErrorCode::ChallengeClosed,
                "too many attempts on this face check: start a new one",
            ))
        }
    }
    if s.now() > r.expires_at {
        return Err(HubError::Core(mz_core::CoreError::Expired {
            what: "face challenge",
        }));
    }
    let frames = decode_frames(&body)?;
    check_capture(&body, &r, s.now())?;
    let hashes = frame_hashes(&frames)?;
    let api_steps: Vec<FaceStep> =
        serde_json::from_str(&r.steps).map_err(|e| HubError::Internal(e.to_string()))?;
    let steps: Vec<_> = api_steps.iter().map(from_api).collect();
    let decision = if stored::any_frame_seen(&s.db, &hashes).await? {
        Err(Refused::Replayed)
    } else {
        let reference = face::reference(s, &c.subject).await?;
        face::run_check(s, &steps, frames, &reference)
            .await?
            .map_err(Refused::Liveness)
    };
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    // Re-check under the writer: a concurrent submission may have decided it meanwhile.
    let (state, attempts) = stored::attempts_in(&mut tx, id).await?;
    if state != ChallengeState::Open {
        return Err(fail(
            ErrorCode::ChallengeUsed,
            "this face check was already decided",
        ));
    }
    stored::remember_frames(&mut tx, &hashes, now).await?;
    let passed = match decision {
        Err(refused) => {
            let attempts = attempts + 1;
            let closed = attempts >= MAX_ATTEMPTS;
            stored::failed_attempt(&mut tx, id, attempts, closed, now).await?;
            let mut detail = serde_json::json!({ "challenge": id, "purpose": c.purpose.as_str(), "code": refused.code(), "attempt": attempts });
            if let Some((distance, threshold)) = refused.distance() {
                detail["distance"] = distance.into();
                detail["threshold"] = threshold.into();
            }
            store::audit(
                &mut tx,
                now,
                "face_check_refused",
                actor,
                Some(&c.subject),
                detail,
            )
            .await?;
            tx.commit().await?;
            return Err(refused.error());
        }
        Ok(p) => p,
    };
    stored::passed(&mut tx, id, now).await?;
    store::audit(
        &mut tx,
        now,
        "face_check_passed",
        actor,
        Some(&c.subject),
        serde_json::json!({ "challenge": id, "purpose": c.purpose.as_str(), "frames": passed.frames, "distance": passed.distance, "threshold": passed.threshold, "spread": passed.spread }),
    )
    .await?;
    let outcome = FaceOutcome {
        challenge_id: id.to_string(),
        purpose: c.purpose,
        frames: passed.frames as u32,
        seen: passed.seen.iter().copied().map(to_api).collect(),
        distance: passed.distance,
        threshold: passed.threshold,
        assurance: None,
        application: None,
        redemption: None,
    };
    Ok((c, tx, outcome))
}

/// The applicant's face matched: release their certificates that the matter's materials name
/// (居民身份证, 户口簿) to the application and file it, recorded in the applicant's chain.
async fn file_application(
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
    let matter = catalogue::matter(&matter)?;
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
/// My own live face check: on a pass my enrolment becomes 实名 + 实人.
/// A face check for the asking device's own holder, bound to its key: the 实人 step that
/// confirms a pending device (or raises an active device's holder to 实名 + 实人).
pub async fn my_challenge(s: &AppState, who: EnrollingDevice) -> HubResult<FaceChallenge> {
    let d = who.0;
    face::ready_for(s, d.id_number.as_str()).await?;
    let mut tx = s.db.begin_write().await?;
    let c = create_challenge(
        &mut tx,
        s.now(),
        FacePurpose::Enrol,
        d.id_number.as_str(),
        &d.key_id.to_string(),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(c)
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
    let pm = catalogue::proxy_rule(&req.matter).ok_or_else(|| {
        fail(
            ErrorCode::NotProxyMatter,
            format!(
                "{} cannot be applied for on someone else's behalf",
                req.matter
            ),
        )
    })?;
    let matter = catalogue::matter(pm.matter)?;
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
    if stored::filed_for(&s.db, pm.matter, id.as_str()).await? {
        return Err(fail(
            ErrorCode::AlreadyRegistered,
            format!("this person is already registered for {}", matter.name),
        ));
    }
    face::ready_for(s, id.as_str()).await?;
    let department = receiving_department(s, id.as_str(), pm.received_by).await?;
    let now = s.now();
    let app_id = new_id();
    let mut tx = s.db.begin_write().await?;
    let new = stored::NewApplication {
        id: &app_id,
        matter: pm.matter,
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
        serde_json::json!({ "application": app_id, "matter": pm.matter, "agent": d.holder_id }),
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

/// Send the filmed frames of a challenge; the hub decides.
pub async fn frames(
    s: &AppState,
    id: String,
    who: EnrollingDevice,
    body: &[u8],
) -> HubResult<FaceOutcome> {
    let d = who.0;
    let actor = format!("device:{}", d.key_id);
    let (c, mut tx, mut outcome) = decide(s, &id, &d.key_id.to_string(), &actor, body).await?;
    match c.purpose {
        FacePurpose::Enrol => {
            let to = Assurance::RealNamePerson;
            crate::store::holders::set_assurance(&mut tx, &d.holder_id, to, None).await?;
            if d.state == DeviceState::Pending {
                let (key, by) = (d.key_id.to_string(), DeviceConfirmation::Face);
                super::devices::confirm_in(&mut tx, &key, by, s.now()).await?;
                let detail = serde_json::json!({ "device": key, "by": by.as_str() });
                store::audit(
                    &mut tx,
                    s.now(),
                    "device_confirmed",
                    &actor,
                    Some(&c.subject),
                    detail,
                )
                .await?;
            }
            store::audit(
                &mut tx,
                s.now(),
                "assurance",
                &actor,
                Some(&c.subject),
                serde_json::json!({ "assurance": Assurance::RealNamePerson.as_str(), "challenge": id }),
            )
            .await?;
            outcome.assurance = Some(Assurance::RealNamePerson);
            tx.commit().await?;
        }
        FacePurpose::Proxy if d.state != DeviceState::Active => {
            return Err(fail(
                ErrorCode::DevicePending,
                "this device is not confirmed yet",
            ))
        }
        FacePurpose::Proxy => {
            let app = c
                .application
                .ok_or_else(|| HubError::Internal("proxy challenge without application".into()))?;
            file_application(s, &mut tx, s.now(), &app, &c.subject, &actor).await?;
            tx.commit().await?;
            outcome.application = Some(application_view(s, &app).await?);
        }
        FacePurpose::Counter => {
            return Err(HubError::Internal(
                "a counter's challenge sent by a device".into(),
            ))
        }
    }
    Ok(outcome)
}

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
    tx.commit().await?;
    Ok(c)
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
    let red = OwnedRedemption {
        terminal_id: t.id.clone(),
        terminal_name: t.name.clone(),
        kind: RedemptionKind::Face,
        subject_code: c.subject.clone(),
        subject_name: name.clone(),
        approver: holder.clone(),
        scope_type: None,
        scope_ordinal: None,
        grant_id: None,
    };
    let rid = insert_redemption(&mut tx, &red, now).await?;
    tx.commit().await?;
    outcome.redemption = Some(Redemption {
        redemption_id: rid,
        kind: RedemptionKind::Face,
        subject_name_masked: mask_name(&name),
        agent_name_masked: None,
        available: available_certs(s, &c.subject, None).await?,
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
    super::authorization::require_pending(view.state)?;
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
    let now = s.now();
    let mut tx = s.db.begin_write().await?;
    let state =
        record_decision(&mut tx, &id, (&view.cert_types, &approved), None, now, None).await?;
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
