//! Live face checks (实人): a holder's own check (enrolment becomes 实名 + 实人), and an
//! application filed for someone else (代办, 高龄津贴) after that person's live face check.
//!
//! The hub issues a random challenge; the client sends the filmed frames; the hub decides.
//! Frames are never stored or logged: only the decision and its figures go to the audit chain.

use super::holder::cert_views;
use crate::auth::{json, Authed, DeviceCaller};
use crate::error::{conflict, forbidden, invalid, HubError, HubResult};
use crate::face::{self, from_api, refusal_error, to_api};
use crate::store::{self, new_id};
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use base64::Engine as _;
use chrono::Datelike;
use mz_core::api::*;
use mz_core::catalogue;
use mz_core::cert::CertStatus;
use mz_core::ids::IdNumber;
use mz_face::liveness::{self, MAX_FRAMES, MIN_FRAMES};
use sqlx::Row;

pub const ASSURANCE_REAL_PERSON: &str = "real_name_real_person";
/// How long a challenge may be answered (time to read the steps and film them).
pub const CHALLENGE_TTL: i64 = 180;
/// How long a proxy application waits for its face check.
pub const APPLICATION_TTL: i64 = 900;
/// Analysed attempts per challenge; then a new challenge is needed.
pub const MAX_ATTEMPTS: i64 = 3;
/// Largest body of filmed frames (12 frames of a few hundred kB, base64).
pub const MAX_FRAMES_BODY: usize = 12 * 1024 * 1024;

/// Matters that may be applied for on someone else's behalf, with who is eligible.
struct ProxyMatter {
    code: &'static str,
    min_age: u32,
    /// The department that receives the application (code in the register).
    department_name: &'static str,
}

const PROXY_MATTERS: &[ProxyMatter] = &[ProxyMatter { code: "elderly_allowance", min_age: 80, department_name: "民政局" }];

fn random_bytes<const N: usize>() -> HubResult<[u8; N]> {
    let mut b = [0u8; N];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut b).map_err(|_| HubError::Internal("randomness".into()))?;
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
async fn create_challenge(tx: &mut store::WriteTx, now: i64, purpose: &str, subject: &str, requester: &str, application: Option<&str>) -> HubResult<FaceChallenge> {
    let id = new_id();
    let steps = new_steps()?;
    let api_steps: Vec<FaceStep> = steps.iter().copied().map(to_api).collect();
    sqlx::query("INSERT INTO face_challenges (id, purpose, subject, requester, application, steps, state, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?)")
        .bind(&id)
        .bind(purpose)
        .bind(subject)
        .bind(requester)
        .bind(application)
        .bind(serde_json::to_string(&api_steps).expect("plain data"))
        .bind(now)
        .bind(now + CHALLENGE_TTL)
        .execute(&mut **tx)
        .await?;
    Ok(FaceChallenge { id, purpose: purpose.into(), steps: api_steps, expires_at: now + CHALLENGE_TTL, frames_min: MIN_FRAMES as u32, frames_max: MAX_FRAMES as u32, attempts_left: MAX_ATTEMPTS as u32 })
}

/// My own live face check: on a pass my enrolment becomes 实名 + 实人.
#[utoipa::path(post, path = "/v1/me/face-challenge", tag = "face", responses((status = 200, body = FaceChallenge), (status = 409, body = ApiError), (status = 503, body = ApiError)))]
pub async fn my_challenge(State(s): State<AppState>, a: Authed<DeviceCaller>) -> HubResult<Json<FaceChallenge>> {
    let d = a.who;
    if !face::has_reference(&s, d.id_number.as_str()).await? {
        return Err(face::no_reference());
    }
    face::verifier(&s).await?;
    let mut tx = s.db.begin_write().await?;
    let c = create_challenge(&mut tx, s.now(), "enrol", d.id_number.as_str(), &d.key_id.to_string(), None).await?;
    tx.commit().await?;
    Ok(Json(c))
}

/// Age in whole years on `today`.
pub fn age_on(birth: chrono::NaiveDate, today: chrono::NaiveDate) -> u32 {
    let mut age = today.year() - birth.year();
    if (today.month(), today.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age.max(0) as u32
}

/// Apply for someone else (代办): check who they are and that they are eligible, then open the
/// application and the face challenge they must pass in front of the agent's camera.
#[utoipa::path(post, path = "/v1/me/proxy-applications", tag = "face", request_body = ProxyApplicationRequest,
    responses((status = 200, body = ProxyApplicationCreated), (status = 400, body = ApiError), (status = 403, body = ApiError), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn open_proxy(State(s): State<AppState>, a: Authed<DeviceCaller>) -> HubResult<Json<ProxyApplicationCreated>> {
    let req: ProxyApplicationRequest = json(&a.body)?;
    let d = a.who;
    let pm = PROXY_MATTERS.iter().find(|m| m.code == req.matter).ok_or_else(|| invalid("not_proxy_matter", format!("{} cannot be applied for on someone else's behalf", req.matter)))?;
    let matter = catalogue::matter(pm.code)?;
    let id = IdNumber::parse(req.id_number.trim())?;
    s.auth.check_enrol_allowed(id.as_str(), s.now())?;
    let registered = store::person_name(&s.db, id.as_str()).await?;
    if registered.as_deref() != Some(req.name.trim()) {
        s.auth.enrol_failed(id.as_str(), s.now());
        return Err(forbidden("identity_mismatch", "the ID number and name do not match the population register"));
    }
    let age = age_on(id.birth_date(), s.today());
    if age < pm.min_age {
        return Err(HubError::Refused("not_eligible", format!("{} is for people aged {} or over; this person is {age}", matter.name, pm.min_age)));
    }
    let filed: Option<i64> = sqlx::query_scalar("SELECT filed_at FROM applications WHERE matter = ? AND applicant = ? AND state = 'filed'").bind(pm.code).bind(id.as_str()).fetch_optional(&s.db.read).await?;
    if filed.is_some() {
        return Err(conflict("already_registered", format!("this person is already registered for {}", matter.name)));
    }
    if !face::has_reference(&s, id.as_str()).await? {
        return Err(face::no_reference());
    }
    face::verifier(&s).await?;
    let department = receiving_department(&s, id.as_str(), pm.department_name).await?;
    let now = s.now();
    let app_id = new_id();
    let mut tx = s.db.begin_write().await?;
    sqlx::query("INSERT INTO applications (id, matter, applicant, agent, department, state, created_at, expires_at) VALUES (?, ?, ?, ?, ?, 'awaiting_face', ?, ?)")
        .bind(&app_id)
        .bind(pm.code)
        .bind(id.as_str())
        .bind(&d.holder_id)
        .bind(&department)
        .bind(now)
        .bind(now + APPLICATION_TTL)
        .execute(&mut *tx)
        .await?;
    store::audit(&mut tx, now, "application_opened", &format!("device:{}", d.key_id), Some(id.as_str()), serde_json::json!({ "application": app_id, "matter": pm.code, "agent": d.holder_id })).await?;
    let challenge = create_challenge(&mut tx, now, "proxy", id.as_str(), &d.key_id.to_string(), Some(&app_id)).await?;
    tx.commit().await?;
    Ok(Json(ProxyApplicationCreated { application: application_view(&s, &app_id).await?, challenge }))
}

/// The department of the applicant's county (by the ID's area code) whose name ends with
/// `suffix` (民政局), else any such department in the hub's region.
async fn receiving_department(s: &AppState, id_number: &str, suffix: &str) -> HubResult<String> {
    let area = &id_number[..6];
    let like = format!("%{suffix}");
    let code: Option<String> = sqlx::query_scalar("SELECT code FROM departments WHERE name LIKE ? ORDER BY (region = ?) DESC, code LIMIT 1").bind(&like).bind(area).fetch_optional(&s.db.read).await?;
    code.ok_or_else(|| conflict("no_department", format!("no {suffix} is registered on this hub to receive the application")))
}

pub async fn application_view(s: &AppState, id: &str) -> HubResult<ApplicationView> {
    let r = sqlx::query(
        "SELECT a.id, a.matter, a.state, a.applicant, p.name, a.agent, a.created_at, a.expires_at, a.filed_at, a.released, d.name AS dept, \
         (SELECT pp.name FROM holders h JOIN people pp ON pp.id_number = h.id_number WHERE h.id = a.agent) AS agent_name \
         FROM applications a JOIN people p ON p.id_number = a.applicant JOIN departments d ON d.code = a.department WHERE a.id = ?",
    )
    .bind(id)
    .fetch_optional(&s.db.read)
    .await?
    .ok_or(HubError::NotFound("application"))?;
    let matter_code: String = r.get("matter");
    let matter = catalogue::matter(&matter_code)?;
    let mut state: String = r.get("state");
    if state == "awaiting_face" && s.now() > r.get::<i64, _>("expires_at") {
        state = "expired".into();
    }
    let applicant = IdNumber::parse(r.get::<&str, _>("applicant"))?;
    let released: Vec<ReceiptCert> = serde_json::from_str(r.get("released")).unwrap_or_default();
    Ok(ApplicationView {
        id: r.get("id"),
        matter: matter_code,
        matter_name: matter.name.into(),
        state,
        applicant_masked: mask_name(r.get("name")),
        applicant_age: age_on(applicant.birth_date(), s.today()),
        agent_masked: r.get::<Option<String>, _>("agent_name").map(|n| mask_name(&n)),
        department: r.get("dept"),
        created_at: r.get("created_at"),
        filed_at: r.get("filed_at"),
        released,
    })
}

/// Applications I filed for others.
#[utoipa::path(get, path = "/v1/me/proxy-applications", tag = "face", responses((status = 200, body = Vec<ApplicationView>)))]
pub async fn my_proxy_applications(State(s): State<AppState>, a: Authed<DeviceCaller>) -> HubResult<Json<Vec<ApplicationView>>> {
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM applications WHERE agent = ? ORDER BY created_at DESC, id LIMIT 100").bind(&a.who.holder_id).fetch_all(&s.db.read).await?;
    let mut out = Vec::new();
    for id in ids {
        out.push(application_view(&s, &id).await?);
    }
    Ok(Json(out))
}

/// Send the filmed frames of a challenge; the hub decides.
#[utoipa::path(post, path = "/v1/face/challenges/{id}/frames", tag = "face", request_body = FaceFrames,
    params(("id" = String, Path, description = "challenge id")),
    responses((status = 200, body = FaceOutcome), (status = 400, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError), (status = 410, body = ApiError), (status = 422, body = ApiError)))]
pub async fn frames(State(s): State<AppState>, Path(id): Path<String>, a: Authed<DeviceCaller, MAX_FRAMES_BODY>) -> HubResult<Json<FaceOutcome>> {
    let body: FaceFrames = json(&a.body)?;
    let d = a.who;
    let r = sqlx::query("SELECT purpose, subject, requester, application, steps, state, attempts, expires_at FROM face_challenges WHERE id = ?")
        .bind(&id)
        .fetch_optional(&s.db.read)
        .await?
        .filter(|r| r.get::<&str, _>("requester") == d.key_id.to_string())
        .ok_or(HubError::NotFound("face challenge"))?;
    let (purpose, subject): (String, String) = (r.get("purpose"), r.get("subject"));
    let application: Option<String> = r.get("application");
    match r.get::<&str, _>("state") {
        "open" => {}
        "passed" => return Err(conflict("challenge_used", "this face check already passed")),
        _ => return Err(conflict("challenge_closed", "too many attempts on this face check: start a new one")),
    }
    if s.now() > r.get::<i64, _>("expires_at") {
        return Err(HubError::Core(mz_core::CoreError::Expired { what: "face challenge" }));
    }
    if !(MIN_FRAMES..=MAX_FRAMES).contains(&body.frames.len()) {
        return Err(invalid("frame_count", format!("send {MIN_FRAMES}–{MAX_FRAMES} frames (got {})", body.frames.len())));
    }
    let mut frames = Vec::with_capacity(body.frames.len());
    for (i, f) in body.frames.iter().enumerate() {
        frames.push(base64::engine::general_purpose::STANDARD.decode(f.trim()).map_err(|_| invalid("bad_frame", format!("frame {i} is not base64")))?);
    }
    let api_steps: Vec<FaceStep> = serde_json::from_str(r.get("steps")).map_err(|e| HubError::Internal(e.to_string()))?;
    let steps: Vec<_> = api_steps.iter().map(from_api).collect();
    let reference = face::reference(&s, &subject).await?;
    let decision = face::run_check(&s, &steps, frames, &reference).await?;
    let now = s.now();
    let actor = format!("device:{}", d.key_id);
    let mut tx = s.db.begin_write().await?;
    // Re-check under the writer: a concurrent submission may have decided it meanwhile.
    let (state, attempts): (String, i64) = sqlx::query_as("SELECT state, attempts FROM face_challenges WHERE id = ?").bind(&id).fetch_one(&mut *tx).await?;
    if state != "open" {
        return Err(conflict("challenge_used", "this face check was already decided"));
    }
    let passed = match decision {
        Err(refusal) => {
            let attempts = attempts + 1;
            let closed = attempts >= MAX_ATTEMPTS;
            sqlx::query("UPDATE face_challenges SET attempts = ?, state = ?, decided_at = ? WHERE id = ?").bind(attempts).bind(if closed { "refused" } else { "open" }).bind(closed.then_some(now)).bind(&id).execute(&mut *tx).await?;
            let detail = match &refusal {
                liveness::Refusal::NoMatch { distance, threshold } => serde_json::json!({ "challenge": id, "purpose": purpose, "code": refusal.code(), "attempt": attempts, "distance": distance, "threshold": threshold }),
                _ => serde_json::json!({ "challenge": id, "purpose": purpose, "code": refusal.code(), "attempt": attempts }),
            };
            store::audit(&mut tx, now, "face_check_refused", &actor, Some(&subject), detail).await?;
            tx.commit().await?;
            return Err(refusal_error(&refusal));
        }
        Ok(p) => p,
    };
    sqlx::query("UPDATE face_challenges SET attempts = attempts + 1, state = 'passed', decided_at = ? WHERE id = ?").bind(now).bind(&id).execute(&mut *tx).await?;
    store::audit(
        &mut tx,
        now,
        "face_check_passed",
        &actor,
        Some(&subject),
        serde_json::json!({ "challenge": id, "purpose": purpose, "frames": passed.frames, "distance": passed.distance, "threshold": passed.threshold, "spread": passed.spread }),
    )
    .await?;
    let mut outcome = FaceOutcome {
        challenge_id: id.clone(),
        purpose: purpose.clone(),
        frames: passed.frames as u32,
        seen: passed.seen.iter().copied().map(to_api).collect(),
        distance: passed.distance,
        threshold: passed.threshold,
        assurance: None,
        application: None,
    };
    match purpose.as_str() {
        "enrol" => {
            sqlx::query("UPDATE holders SET assurance = ? WHERE id = ?").bind(ASSURANCE_REAL_PERSON).bind(&d.holder_id).execute(&mut *tx).await?;
            store::audit(&mut tx, now, "assurance", &actor, Some(&subject), serde_json::json!({ "assurance": ASSURANCE_REAL_PERSON, "challenge": id })).await?;
            outcome.assurance = Some(ASSURANCE_REAL_PERSON.into());
            tx.commit().await?;
        }
        "proxy" => {
            let app = application.ok_or_else(|| HubError::Internal("proxy challenge without application".into()))?;
            file_application(&s, &mut tx, now, &app, &subject, &actor).await?;
            tx.commit().await?;
            outcome.application = Some(application_view(&s, &app).await?);
        }
        other => return Err(HubError::Internal(format!("unknown purpose {other}"))),
    }
    Ok(Json(outcome))
}

/// The applicant's face matched: release their certificates that the matter's materials name
/// (居民身份证, 户口簿) to the application and file it, recorded in the applicant's chain.
async fn file_application(s: &AppState, tx: &mut store::WriteTx, now: i64, app: &str, applicant: &str, actor: &str) -> HubResult<()> {
    let r = sqlx::query("SELECT a.matter, a.state, a.expires_at, d.name FROM applications a JOIN departments d ON d.code = a.department WHERE a.id = ?").bind(app).fetch_one(&mut **tx).await?;
    if r.get::<&str, _>("state") != "awaiting_face" {
        return Err(conflict("application_filed", "this application was already filed"));
    }
    if now > r.get::<i64, _>("expires_at") {
        return Err(HubError::Core(mz_core::CoreError::Expired { what: "application" }));
    }
    let matter = catalogue::matter(r.get("matter"))?;
    let types: Vec<String> = matter.replaceable_types().map(str::to_string).collect();
    let certs = cert_views(s, &[applicant.to_string()], Some(&types)).await?;
    let released: Vec<ReceiptCert> = certs.iter().filter(|c| c.status == CertStatus::Valid).map(|c| ReceiptCert { license_id: c.certificate.body.license_id.to_string(), name: c.certificate.body.name.clone(), status: c.status }).collect();
    let filed = sqlx::query("UPDATE applications SET state = 'filed', filed_at = ?, released = ? WHERE id = ? AND state = 'awaiting_face'")
        .bind(now)
        .bind(serde_json::to_string(&released).expect("plain data"))
        .bind(app)
        .execute(&mut **tx)
        .await;
    match filed {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => return Err(conflict("already_registered", format!("this person is already registered for {}", matter.name))),
        r => r?,
    };
    let licences: Vec<&str> = released.iter().map(|c| c.license_id.as_str()).collect();
    let dept: String = r.get("name");
    store::audit(tx, now, "release", actor, Some(applicant), serde_json::json!({ "application": app, "matter": matter.code, "department": dept, "certificates": licences, "after": "face_check" })).await?;
    store::audit(tx, now, "application_filed", actor, Some(applicant), serde_json::json!({ "application": app, "matter": matter.code, "department": dept })).await?;
    Ok(())
}
