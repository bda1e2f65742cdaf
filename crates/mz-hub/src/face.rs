//! The hub's use of face verification: the verifier (loaded once), reference embeddings from
//! the population register's photos (computed once, kept), and running a liveness check off
//! the async threads. Frames live only in memory for the length of one check.

use crate::error::{fail, HubError, HubResult};
use crate::AppState;
use mz_core::api::FaceStep;
use mz_core::ErrorCode;
use mz_face::liveness::{self, Passed, Refusal, Step};
use mz_face::{Embedding, FaceError, FaceVerifier, ImageKind};
use std::sync::Arc;

/// Load the verifier from `MZ_FACE_MODELS` (or the set-up step's cache) with one engine per core.
#[cfg(feature = "face")]
pub fn load_default() -> Result<Arc<dyn FaceVerifier>, String> {
    let dir = mz_face::DlibVerifier::default_models_dir();
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    mz_face::DlibVerifier::load(&dir, workers)
        .map(|v| Arc::new(v) as Arc<dyn FaceVerifier>)
        .map_err(|e| format!("{e} (models directory {})", dir.display()))
}

/// This hub was built without face verification (cargo feature `face`).
#[cfg(not(feature = "face"))]
pub fn load_default() -> Result<Arc<dyn FaceVerifier>, String> {
    Err("this hub was built without face verification (cargo feature `face`)".into())
}

/// The verifier, loading it on first use if start-up did not.
pub async fn verifier(s: &AppState) -> HubResult<Arc<dyn FaceVerifier>> {
    let s2 = s.clone();
    let r = if let Some(r) = s.face.get() {
        r.clone()
    } else {
        tokio::task::spawn_blocking(move || s2.face.get_or_init(load_default).clone())
            .await
            .map_err(|e| HubError::Internal(e.to_string()))?
    };
    r.map_err(|e| {
        fail(
            ErrorCode::FaceUnavailable,
            format!("face verification is not available on this hub: {e}"),
        )
    })
}

/// The reference embedding of a person, from the register's photo (computed once, then kept).
pub async fn reference(s: &AppState, id_number: &str) -> HubResult<Embedding> {
    let row = crate::store::face::reference_photo(&s.db, id_number).await?;
    let Some((photo, cached)) = row else {
        return Err(no_reference());
    };
    if let Some(e) = cached.as_deref().and_then(Embedding::from_bytes) {
        return Ok(e);
    }
    let v = verifier(s).await?;
    let sample = tokio::task::spawn_blocking(move || v.sample(&photo, ImageKind::Reference))
        .await
        .map_err(|e| HubError::Internal(e.to_string()))?;
    let emb = sample
        .map_err(|e| {
            HubError::Internal(format!("the register's photo is unusable ({})", e.code()))
        })?
        .embedding;
    crate::store::face::keep_embedding(&s.db, id_number, emb.to_bytes()).await?;
    Ok(emb)
}

pub fn no_reference() -> HubError {
    fail(ErrorCode::NoReferencePhoto, "the population register holds no photo of this person to compare with: verify at a service counter")
}

/// Refuse before a challenge is issued if it could not be decided: no photo of this person in
/// the register, or no verifier on this hub.
pub async fn ready_for(s: &AppState, id_number: &str) -> HubResult<()> {
    if !crate::store::face::has_photo(&s.db, id_number).await? {
        return Err(no_reference());
    }
    verifier(s).await.map(|_| ())
}

/// Analyse every frame (in parallel across the verifier's engines) and decide the challenge.
pub async fn run_check(
    s: &AppState,
    steps: &[Step],
    frames: Vec<Vec<u8>>,
    reference: &Embedding,
) -> HubResult<Result<Passed, Refusal>> {
    let v = verifier(s).await?;
    let tasks: Vec<_> = frames
        .into_iter()
        .map(|f| {
            let v = v.clone();
            tokio::task::spawn_blocking(move || v.sample(&f, ImageKind::Live))
        })
        .collect();
    let mut samples = Vec::with_capacity(tasks.len());
    for t in tasks {
        samples.push(t.await.map_err(|e| HubError::Internal(e.to_string()))?);
    }
    Ok(liveness::check(steps, samples, reference))
}

pub fn to_api(s: Step) -> FaceStep {
    match s {
        Step::Front => FaceStep::Front,
        Step::TurnLeft => FaceStep::TurnLeft,
        Step::TurnRight => FaceStep::TurnRight,
        Step::LookUp => FaceStep::LookUp,
    }
}

pub fn from_api(s: &FaceStep) -> Step {
    match s {
        FaceStep::Front => Step::Front,
        FaceStep::TurnLeft => Step::TurnLeft,
        FaceStep::TurnRight => Step::TurnRight,
        FaceStep::LookUp => Step::LookUp,
    }
}

/// The message a person sees for a refusal (the code is what clients match).
pub fn refusal_error(r: &Refusal) -> HubError {
    let msg = match r {
        Refusal::Frame { error, .. } => error.to_string(),
        Refusal::DifferentPeople { .. } => {
            "the frames show more than one person: only the person being verified, please".into()
        }
        Refusal::NotPerformed { .. } => {
            "the head movements were not done as asked, in that order: try again".into()
        }
        Refusal::Discontinuous { .. } => {
            "the head jumped between frames: move slowly, and keep facing the camera while filming"
                .into()
        }
        Refusal::Mirrored { .. } => "a frame shows the scene mirrored".into(),
        Refusal::NoMatch { .. } => {
            "the face does not match the photo in the population register".into()
        }
        Refusal::FrameCount(_) => r.to_string(),
    };
    fail(refusal_code(r), msg)
}

/// The registry's code for a refusal (a frame the models could not read is the hub's failure).
fn refusal_code(r: &Refusal) -> ErrorCode {
    match r {
        Refusal::FrameCount(_) => ErrorCode::FrameCount,
        Refusal::Frame { error, .. } => match error {
            FaceError::Unreadable => ErrorCode::ImageUnreadable,
            FaceError::TooLarge(_) => ErrorCode::ImageTooLarge,
            FaceError::NoFace => ErrorCode::NoFace,
            FaceError::SeveralFaces(_) => ErrorCode::SeveralFaces,
            FaceError::FaceTooSmall(_) => ErrorCode::FaceTooSmall,
            FaceError::Blurred => ErrorCode::FaceBlurred,
            FaceError::Models(_) => ErrorCode::FaceUnavailable,
        },
        Refusal::DifferentPeople { .. } => ErrorCode::DifferentPeople,
        Refusal::NotPerformed { .. } => ErrorCode::ChallengeNotPerformed,
        Refusal::Discontinuous { .. } => ErrorCode::MotionDiscontinuous,
        Refusal::Mirrored { .. } => ErrorCode::FramesMirrored,
        Refusal::NoMatch { .. } => ErrorCode::FaceMismatch,
    }
}

/// Why a submission that was analysed (or found replayed) was refused: each counts as an
/// attempt and is audited.
pub enum Refused {
    Liveness(Refusal),
    /// A frame was sent before, for an earlier check.
    Replayed,
}

impl Refused {
    pub fn code(&self) -> &'static str {
        match self {
            Refused::Liveness(r) => r.code(),
            Refused::Replayed => ErrorCode::FramesReplayed.as_str(),
        }
    }
    pub fn error(&self) -> HubError {
        match self {
            Refused::Liveness(r) => refusal_error(r),
            Refused::Replayed => fail(
                ErrorCode::FramesReplayed,
                "these frames were sent before: film the check now",
            ),
        }
    }
    /// The audit's figures for a face that did not match.
    pub fn distance(&self) -> Option<(f32, f32)> {
        match self {
            Refused::Liveness(Refusal::NoMatch {
                distance,
                threshold,
            }) => Some((*distance, *threshold)),
            _ => None,
        }
    }
}
