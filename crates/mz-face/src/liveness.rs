//! Active liveness: the hub gives a random sequence of head poses; the client films the
//! person and sends a few frames; [`check`] decides from the frames' samples that every frame
//! shows one face, that the poses were performed in exactly the asked order, that all frames
//! show the same person, and that this person matches the reference.
//!
//! The pose is the head's yaw from the 5 landmarks. A flat photo turned in front of the
//! camera does not move its nose relative to its eyes, so it cannot perform a turn. A replayed
//! video of the person doing the same moves, a mask or a screen is presentation attack
//! detection, which this check does not claim and which was not measured.

use crate::{Embedding, FaceError, FaceSample, THRESHOLD};
use serde::{Deserialize, Serialize};

/// One head pose asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Look straight at the camera.
    Front,
    /// Turn the head to one's own left (the nose moves to the right of an unmirrored frame).
    TurnLeft,
    /// Turn the head to one's own right.
    TurnRight,
}

/// |yaw| at most this reads as facing front (about 14° of head rotation).
///
/// With the nose base about 2 cm in front of the eyes and the eyes about 6.3 cm apart, yaw is
/// about 0.32·tan(rotation): 0.08 ≈ 14°, 0.12 ≈ 21°, 0.18 ≈ 30°. Small turns are asked for
/// because the people this serves include the very old; tune on field captures.
pub const FRONT_MAX: f32 = 0.08;
/// |yaw| at least this reads as a turn (about 21°).
pub const TURN_MIN: f32 = 0.12;
pub const MIN_FRAMES: usize = 3;
pub const MAX_FRAMES: usize = 12;

/// The pose a yaw reads as; `None` between poses (such frames are ignored).
pub fn pose_of(yaw: f32) -> Option<Step> {
    if yaw.abs() <= FRONT_MAX {
        Some(Step::Front)
    } else if yaw >= TURN_MIN {
        Some(Step::TurnLeft)
    } else if yaw <= -TURN_MIN {
        Some(Step::TurnRight)
    } else {
        None
    }
}

/// The challenges a hub chooses from: start facing front, then three moves, each different
/// from the one before, with both turns in it.
pub const CHALLENGES: [[Step; 4]; 6] = {
    use Step::*;
    [
        [Front, TurnLeft, Front, TurnRight],
        [Front, TurnRight, Front, TurnLeft],
        [Front, TurnLeft, TurnRight, Front],
        [Front, TurnRight, TurnLeft, Front],
        [Front, TurnLeft, TurnRight, TurnLeft],
        [Front, TurnRight, TurnLeft, TurnRight],
    ]
};

/// Pick a challenge from a random byte the caller drew (no randomness in this module).
/// 256 is not a multiple of 6: bytes from 252 up give `None`, and the caller draws again, so
/// every challenge is equally likely.
pub fn challenge(random: u8) -> Option<Vec<Step>> {
    (random < 252).then(|| CHALLENGES[random as usize % CHALLENGES.len()].to_vec())
}

/// Why a liveness check refused. Codes are stable; the UI matches on them.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Refusal {
    #[error("send {MIN_FRAMES}–{MAX_FRAMES} frames (got {0})")]
    FrameCount(usize),
    #[error("frame {index}: {error}")]
    Frame { index: usize, error: FaceError },
    #[error("frame {index} shows a different person from the first frame")]
    DifferentPeople { index: usize, distance: f32 },
    #[error("the moves were not performed as asked (asked {expected:?}, saw {seen:?})")]
    NotPerformed {
        expected: Vec<Step>,
        seen: Vec<Step>,
    },
    #[error("the face does not match the reference photo")]
    NoMatch { distance: f32, threshold: f32 },
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::FrameCount(_) => "frame_count",
            Refusal::Frame { error, .. } => error.code(),
            Refusal::DifferentPeople { .. } => "different_people",
            Refusal::NotPerformed { .. } => "challenge_not_performed",
            Refusal::NoMatch { .. } => "face_mismatch",
        }
    }
}

/// What a passed check measured (kept in the audit chain; the frames are not).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Passed {
    pub frames: usize,
    pub seen: Vec<Step>,
    /// Mean distance of the front-facing frames to the reference.
    pub distance: f32,
    pub threshold: f32,
    /// Largest distance of any frame to the first one.
    pub spread: f32,
}

/// The poses seen, in order, with repeats and in-between frames dropped.
pub fn seen_steps(samples: &[FaceSample]) -> Vec<Step> {
    let mut seen: Vec<Step> = Vec::new();
    for s in samples {
        if let Some(p) = pose_of(s.yaw) {
            if seen.last() != Some(&p) {
                seen.push(p);
            }
        }
    }
    seen
}

/// Decide a challenge from each frame's analysis (in the order filmed) and the reference.
pub fn check(
    expected: &[Step],
    frames: Vec<Result<FaceSample, FaceError>>,
    reference: &Embedding,
) -> Result<Passed, Refusal> {
    if !(MIN_FRAMES..=MAX_FRAMES).contains(&frames.len()) {
        return Err(Refusal::FrameCount(frames.len()));
    }
    let mut samples = Vec::with_capacity(frames.len());
    for (index, f) in frames.into_iter().enumerate() {
        samples.push(f.map_err(|error| Refusal::Frame { index, error })?);
    }
    let first = samples[0].embedding;
    let mut spread = 0f32;
    for (index, s) in samples.iter().enumerate().skip(1) {
        let distance = s.embedding.distance(&first);
        if distance > THRESHOLD {
            return Err(Refusal::DifferentPeople { index, distance });
        }
        spread = spread.max(distance);
    }
    let seen = seen_steps(&samples);
    if seen != expected {
        return Err(Refusal::NotPerformed {
            expected: expected.to_vec(),
            seen,
        });
    }
    let front: Vec<f32> = samples
        .iter()
        .filter(|s| pose_of(s.yaw) == Some(Step::Front))
        .map(|s| s.embedding.distance(reference))
        .collect();
    let distance = front.iter().sum::<f32>() / front.len() as f32;
    if distance > THRESHOLD {
        return Err(Refusal::NoMatch {
            distance,
            threshold: THRESHOLD,
        });
    }
    Ok(Passed {
        frames: samples.len(),
        seen,
        distance,
        threshold: THRESHOLD,
        spread,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Step::*;

    fn emb(x: f32) -> Embedding {
        let mut e = [0f32; 128];
        e[0] = x;
        Embedding(e)
    }
    fn frame(yaw: f32, who: f32) -> Result<FaceSample, FaceError> {
        Ok(FaceSample {
            embedding: emb(who),
            yaw,
            face_px: 200,
            sharpness: 300.0,
            landmarks: [(0.0, 0.0); 5],
        })
    }
    const ASK: [Step; 4] = [Front, TurnLeft, Front, TurnRight];

    #[test]
    fn the_asked_sequence_by_the_reference_person_passes() {
        let frames = vec![
            frame(0.0, 0.1),
            frame(0.1, 0.1),
            frame(0.3, 0.12),
            frame(0.02, 0.1),
            frame(-0.35, 0.15),
        ];
        let p = check(&ASK, frames, &emb(0.0)).unwrap();
        assert_eq!(p.seen, ASK);
        assert!((p.distance - 0.1).abs() < 1e-6);
        assert!(p.spread > 0.04 && p.spread < 0.06);
    }

    #[test]
    fn out_of_order_missing_or_extra_moves_are_refused() {
        let reorder = vec![
            frame(0.0, 0.1),
            frame(-0.3, 0.1),
            frame(0.0, 0.1),
            frame(0.3, 0.1),
        ];
        assert!(matches!(
            check(&ASK, reorder, &emb(0.0)),
            Err(Refusal::NotPerformed { .. })
        ));
        let still = vec![
            frame(0.0, 0.1),
            frame(0.01, 0.1),
            frame(-0.02, 0.1),
            frame(0.0, 0.1),
        ];
        let e = check(&ASK, still, &emb(0.0)).unwrap_err();
        assert_eq!(
            e,
            Refusal::NotPerformed {
                expected: ASK.to_vec(),
                seen: vec![Front]
            }
        );
        // Doing every move in turn to cover any order is not the asked sequence either.
        let all = vec![
            frame(0.0, 0.1),
            frame(0.3, 0.1),
            frame(0.0, 0.1),
            frame(-0.3, 0.1),
            frame(0.0, 0.1),
            frame(0.3, 0.1),
        ];
        assert_eq!(
            check(&ASK, all, &emb(0.0)).unwrap_err().code(),
            "challenge_not_performed"
        );
    }

    #[test]
    fn a_second_person_or_a_non_matching_face_is_refused() {
        let swap = vec![
            frame(0.0, 0.1),
            frame(0.3, 0.1),
            frame(0.0, 0.9),
            frame(-0.3, 0.9),
        ];
        assert!(matches!(
            check(&ASK, swap, &emb(0.0)),
            Err(Refusal::DifferentPeople { index: 2, .. })
        ));
        let stranger = vec![
            frame(0.0, 0.8),
            frame(0.3, 0.8),
            frame(0.0, 0.8),
            frame(-0.3, 0.8),
        ];
        assert_eq!(
            check(&ASK, stranger, &emb(0.0)).unwrap_err().code(),
            "face_mismatch"
        );
    }

    #[test]
    fn a_bad_frame_or_a_wrong_count_is_refused_with_its_reason() {
        let frames = vec![
            frame(0.0, 0.1),
            Err(FaceError::SeveralFaces(2)),
            frame(0.0, 0.1),
            frame(-0.3, 0.1),
        ];
        let e = check(&ASK, frames, &emb(0.0)).unwrap_err();
        assert_eq!(e.code(), "several_faces");
        assert!(e.to_string().contains("only one face"));
        assert_eq!(
            check(&ASK, vec![frame(0.0, 0.1); 2], &emb(0.0)).unwrap_err(),
            Refusal::FrameCount(2)
        );
        assert_eq!(
            check(&ASK, vec![frame(0.0, 0.1); 13], &emb(0.0)).unwrap_err(),
            Refusal::FrameCount(13)
        );
    }

    #[test]
    fn challenges_are_uniform_and_well_formed() {
        let mut counts = [0usize; 6];
        assert!(challenge(252).is_none() && challenge(255).is_none());
        for b in 0..252u16 {
            let c = challenge(b as u8).unwrap();
            counts[CHALLENGES.iter().position(|x| x[..] == c[..]).unwrap()] += 1;
            assert_eq!(c[0], Front);
            assert!(c.windows(2).all(|w| w[0] != w[1]));
            assert!(c.contains(&TurnLeft) && c.contains(&TurnRight));
        }
        assert!(counts.iter().all(|&n| n == 42));
    }
}
