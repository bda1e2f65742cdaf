//! Live face checks (实人): a holder's own check (enrolment becomes 实名 + 实人), and an
//! application filed for someone else (代办, 高龄津贴) after that person's live face check.
//!
//! The hub issues a random challenge; the client sends the filmed frames; the hub decides.
//! Frames are never stored or logged: only the decision and its figures go to the audit chain.
//! The frames' own checks are in `capture`, applications for someone else in `proxy`, a
//! counter's check for a holder without a phone in `counter`.

mod capture;
mod counter;
mod proxy;

pub use capture::FRAME_GAP_MS;
use capture::{check_capture, decode_frames, frame_hashes};
pub use counter::{counter_check, counter_consent, counter_frames};
use proxy::file_application;
pub use proxy::{application_view, my_proxy_applications, open_proxy};

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
use mz_core::cert::CertStatus;
use mz_core::flow::REDEMPTION_SECS;
use mz_core::flow::{
    ApplicationState, Assurance, ChallengeState, DeviceConfirmation, DeviceState, FacePurpose,
    RedemptionKind, TerminalKind,
};
use mz_core::ids::{IdNumber, Uscc};
use mz_core::ErrorCode;
use mz_face::liveness::{self, MAX_FRAMES, MIN_FRAMES};

/// How long a challenge may be answered (time to read the steps and film them).
pub const CHALLENGE_TTL: i64 = 180;

/// How long a proxy application waits for its face check.
pub const APPLICATION_TTL: i64 = 900;

/// Analysed attempts per challenge; then a new challenge is needed.
pub const MAX_ATTEMPTS: i64 = 3;

/// Largest body of filmed frames (up to 60 frames of some tens of kB, base64).
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

/// A challenge as stored.
pub struct Challenge {
    pub purpose: FacePurpose,
    pub subject: String,
    pub application: Option<String>,
    /// The enterprise a counter's check of its legal representative acts for (法人刷脸).
    pub enterprise: Option<String>,
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
        enterprise: r.enterprise.clone(),
    };
    r.state.submit(s.now(), r.expires_at)?;
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
            let closed = ChallengeState::after_attempt(false, attempts, MAX_ATTEMPTS)
                == ChallengeState::Refused;
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
