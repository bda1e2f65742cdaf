//! Active liveness: the hub gives a random sequence of head moves; the client films the person
//! and sends the frames; [`check`] decides from the frames' samples that every frame shows one
//! face, that the head moved continuously (no frame jumps from one pose to another), that the
//! moves were performed in exactly the asked order, that the room is not mirrored between
//! frames, that all frames show the same person, and that this person matches the reference.
//!
//! The pose is read from the 5 landmarks: yaw (the nose against the eyes, sideways) and pitch
//! (the nose's drop below the eye line, against the person's own first frames). A flat photo
//! turned in front of the camera does not move its nose against its eyes, so it cannot turn;
//! stills of real poses jump between poses and are refused as discontinuous. A synthesised or
//! replayed video injected by a modified client, a mask or a screen is presentation attack
//! detection, which this check does not claim and which was not measured.

use crate::{Backdrop, Embedding, FaceError, FaceSample, THRESHOLD};
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
    /// Raise the chin and look up (a nod).
    LookUp,
}

/// |yaw| at most this reads as facing front (about 14° of head rotation).
///
/// With the nose base about 2 cm in front of the eyes and the eyes about 6.3 cm apart, yaw is
/// about 0.32·tan(rotation): 0.08 ≈ 14°, 0.12 ≈ 21°, 0.18 ≈ 30°. Small turns are asked for
/// because the people this serves include the very old; tune on field captures.
pub const FRONT_MAX: f32 = 0.08;
/// |yaw| at least this reads as a turn (about 21°).
pub const TURN_MIN: f32 = 0.12;
/// Facing front, pitch at most this fraction of the person's own front pitch reads as looking
/// up (about 15° of chin raised: the nose base rises towards the eye line).
pub const LOOK_UP_MAX: f32 = 0.88;
/// Facing front, pitch at least this fraction of the front pitch reads as front.
pub const FRONT_PITCH_MIN: f32 = 0.94;
/// Largest change of yaw between two consecutive frames: a head moves through the poses in
/// between; stills of poses jump (at 5 frames a second a 30° turn in half a second moves 0.07).
pub const MAX_YAW_STEP: f32 = 0.10;
/// Largest change of relative pitch between two consecutive frames (wider than yaw's: the
/// landmarks are whole pixels, and the nose's drop is short, so one pixel is about 0.02).
pub const MAX_PITCH_STEP: f32 = 0.15;
pub const MIN_FRAMES: usize = 12;
pub const MAX_FRAMES: usize = 60;
/// Moves in one challenge; each starts and ends facing front.
pub const MOVES: usize = 3;

/// The pose a sample reads as, given the person's front pitch; `None` between poses (such
/// frames are ignored for the sequence, but count for continuity).
pub fn pose_of(yaw: f32, pitch: f32, front_pitch: f32) -> Option<Step> {
    if yaw >= TURN_MIN {
        return Some(Step::TurnLeft);
    }
    if yaw <= -TURN_MIN {
        return Some(Step::TurnRight);
    }
    if yaw.abs() > FRONT_MAX {
        return None;
    }
    let r = relative_pitch(pitch, front_pitch);
    if r <= LOOK_UP_MAX {
        Some(Step::LookUp)
    } else if r >= FRONT_PITCH_MIN {
        Some(Step::Front)
    } else {
        None
    }
}

fn relative_pitch(pitch: f32, front_pitch: f32) -> f32 {
    if front_pitch > 0.05 {
        pitch / front_pitch
    } else {
        1.0
    }
}

/// Pitch from the 5 landmarks: the nose base's distance below the line through the eyes, in
/// units of the distance between the eyes (about 0.7 facing front; smaller looking up).
pub fn pitch_of(points: &[(f32, f32); 5]) -> f32 {
    let mid = |a: (f32, f32), b: (f32, f32)| ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    let (mut e1, mut e2) = (mid(points[0], points[1]), mid(points[2], points[3]));
    if e1.0 > e2.0 {
        std::mem::swap(&mut e1, &mut e2);
    }
    let (dx, dy) = (e2.0 - e1.0, e2.1 - e1.1);
    let d2 = dx * dx + dy * dy;
    if d2 < 1.0 {
        return 0.0;
    }
    let c = mid(e1, e2);
    ((points[4].1 - c.1) * dx - (points[4].0 - c.0) * dy) / d2
}

const MOVE_SET: [Step; 3] = [Step::TurnLeft, Step::TurnRight, Step::LookUp];

/// Every move sequence a hub chooses from: three moves from turn left, turn right and look up,
/// each different from the one before (12 sequences; each has a turn, which a flat photo
/// cannot do).
pub fn move_sequences() -> Vec<[Step; MOVES]> {
    let mut out = Vec::new();
    for a in MOVE_SET {
        for b in MOVE_SET.into_iter().filter(|&b| b != a) {
            for c in MOVE_SET.into_iter().filter(|&c| c != b) {
                out.push([a, b, c]);
            }
        }
    }
    out
}

/// The poses asked for: front, then each move and back to front.
pub fn poses_for(moves: &[Step]) -> Vec<Step> {
    let mut out = vec![Step::Front];
    for &m in moves {
        out.extend([m, Step::Front]);
    }
    out
}

/// Pick a challenge (the poses in order) from a random byte the caller drew (no randomness in
/// this module). 256 is not a multiple of 12: bytes from 252 up give `None`, and the caller
/// draws again, so every sequence is equally likely.
pub fn challenge(random: u8) -> Option<Vec<Step>> {
    let all = move_sequences();
    (random < 252).then(|| poses_for(&all[random as usize % all.len()]))
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
    #[error("the head jumped between frames {index} and {next}: move slowly and keep filming", next = index + 1)]
    Discontinuous { index: usize },
    #[error("frame {index} is a mirror image of the scene")]
    Mirrored { index: usize },
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
            Refusal::Discontinuous { .. } => "motion_discontinuous",
            Refusal::Mirrored { .. } => "frames_mirrored",
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

/// The person's front pitch: the mean over the leading front-facing frames (at most three).
fn front_pitch(samples: &[FaceSample]) -> f32 {
    let lead: Vec<f32> = samples
        .iter()
        .take_while(|s| s.yaw.abs() <= FRONT_MAX)
        .take(3)
        .map(|s| pitch_of(&s.landmarks))
        .collect();
    if lead.is_empty() {
        0.0
    } else {
        lead.iter().sum::<f32>() / lead.len() as f32
    }
}

/// The poses seen, in order, with repeats and in-between frames dropped.
pub fn seen_steps(samples: &[FaceSample]) -> Vec<Step> {
    let base = front_pitch(samples);
    let mut seen: Vec<Step> = Vec::new();
    for s in samples {
        if let Some(p) = pose_of(s.yaw, pitch_of(&s.landmarks), base) {
            if seen.last() != Some(&p) {
                seen.push(p);
            }
        }
    }
    seen
}

/// The first pair of consecutive frames whose pose differs more than a head moves in one frame.
fn first_jump(samples: &[FaceSample]) -> Option<usize> {
    let base = front_pitch(samples);
    samples.windows(2).position(|w| {
        let r = |s: &FaceSample| relative_pitch(pitch_of(&s.landmarks), base);
        (w[1].yaw - w[0].yaw).abs() > MAX_YAW_STEP || (r(&w[1]) - r(&w[0])).abs() > MAX_PITCH_STEP
    })
}

/// The first frame whose room (the picture outside the face) matches the first frame's room
/// mirrored far better than as filmed. Rooms too symmetric to tell are not judged.
fn first_mirrored(samples: &[FaceSample]) -> Option<usize> {
    let first = &samples[0].backdrop;
    samples.iter().enumerate().skip(1).find_map(|(i, s)| {
        let same = first.difference(&s.backdrop, false)?;
        let flipped = first.difference(&s.backdrop, true)?;
        (same >= Backdrop::TELLING && flipped * 2.0 < same).then_some(i)
    })
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
    let spread = same_person(&samples)?;
    if let Some(index) = first_jump(&samples) {
        return Err(Refusal::Discontinuous { index });
    }
    if let Some(index) = first_mirrored(&samples) {
        return Err(Refusal::Mirrored { index });
    }
    let seen = seen_steps(&samples);
    if seen != expected {
        return Err(Refusal::NotPerformed {
            expected: expected.to_vec(),
            seen,
        });
    }
    let distance = front_distance(&samples, reference);
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

/// Every frame shows the first frame's person; returns the largest distance to it.
fn same_person(samples: &[FaceSample]) -> Result<f32, Refusal> {
    let first = samples[0].embedding;
    let mut spread = 0f32;
    for (index, s) in samples.iter().enumerate().skip(1) {
        let distance = s.embedding.distance(&first);
        if distance > THRESHOLD {
            return Err(Refusal::DifferentPeople { index, distance });
        }
        spread = spread.max(distance);
    }
    Ok(spread)
}

/// Mean distance of the front-facing frames to the reference.
fn front_distance(samples: &[FaceSample], reference: &Embedding) -> f32 {
    let base = front_pitch(samples);
    let front: Vec<f32> = samples
        .iter()
        .filter(|s| pose_of(s.yaw, pitch_of(&s.landmarks), base) == Some(Step::Front))
        .map(|s| s.embedding.distance(reference))
        .collect();
    front.iter().sum::<f32>() / front.len().max(1) as f32
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
    /// Eyes 60 px apart, the nose `yaw` along and `pitch` below the eye line.
    fn frame(yaw: f32, pitch: f32, who: f32) -> Result<FaceSample, FaceError> {
        Ok(FaceSample {
            embedding: emb(who),
            yaw,
            face_px: 200,
            sharpness: 300.0,
            landmarks: [
                (90.0, 100.0),
                (110.0, 100.0),
                (170.0, 100.0),
                (150.0, 100.0),
                (130.0 + 60.0 * yaw, 100.0 + 60.0 * pitch),
            ],
            backdrop: Backdrop::default(),
        })
    }
    /// A filmed sequence: each move ramps out in `n` even steps and back.
    fn film(moves: &[Step], n: usize, who: f32) -> Vec<Result<FaceSample, FaceError>> {
        let mut out = vec![frame(0.0, 0.7, who), frame(0.01, 0.7, who)];
        for m in moves {
            let (yaw, pitch) = match m {
                TurnLeft => (0.2, 0.7),
                TurnRight => (-0.2, 0.7),
                _ => (0.0, 0.55),
            };
            let ramp: Vec<f32> = (1..=n)
                .chain((0..n).rev())
                .map(|i| i as f32 / n as f32)
                .collect();
            for t in ramp {
                out.push(frame(yaw * t, 0.7 + (pitch - 0.7) * t, who));
            }
        }
        out
    }
    const MOVES3: [Step; 3] = [TurnLeft, LookUp, TurnRight];

    #[test]
    fn the_asked_sequence_filmed_continuously_by_the_reference_person_passes() {
        let ask = poses_for(&MOVES3);
        assert_eq!(
            ask,
            [Front, TurnLeft, Front, LookUp, Front, TurnRight, Front]
        );
        let p = check(&ask, film(&MOVES3, 3, 0.1), &emb(0.0)).unwrap();
        assert_eq!(p.seen, ask);
        assert!((p.distance - 0.1).abs() < 1e-6);
    }

    #[test]
    fn stills_of_the_poses_jump_and_are_refused() {
        let ask = poses_for(&MOVES3);
        // The same frames, but only the poses themselves: front, left, front, up…
        let stills: Vec<_> = [0.0, 0.0, 0.2, 0.0, 0.0, 0.0, -0.2, -0.2, 0.0, 0.0, 0.0, 0.0]
            .iter()
            .zip([0.7, 0.7, 0.7, 0.7, 0.55, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7])
            .map(|(&y, p)| frame(y, p, 0.1))
            .collect();
        assert_eq!(
            check(&ask, stills, &emb(0.0)).unwrap_err(),
            Refusal::Discontinuous { index: 1 }
        );
        // Ramps too coarse for a head (straight out and back) jump as well.
        let coarse = film(
            &[TurnLeft, LookUp, TurnRight, LookUp, TurnLeft, LookUp],
            1,
            0.1,
        );
        assert_eq!(
            check(&ask, coarse, &emb(0.0)).unwrap_err().code(),
            "motion_discontinuous"
        );
    }

    #[test]
    fn out_of_order_missing_or_extra_moves_are_refused() {
        let ask = poses_for(&MOVES3);
        let reorder = film(&[TurnRight, LookUp, TurnLeft], 3, 0.1);
        assert!(matches!(
            check(&ask, reorder, &emb(0.0)),
            Err(Refusal::NotPerformed { .. })
        ));
        let still = vec![frame(0.0, 0.7, 0.1); 14];
        assert_eq!(
            check(&ask, still, &emb(0.0)).unwrap_err(),
            Refusal::NotPerformed {
                expected: ask.clone(),
                seen: vec![Front]
            }
        );
        // Doing every move in turn to cover any order is not the asked sequence either.
        let all = film(&[TurnLeft, LookUp, TurnRight, LookUp], 3, 0.1);
        assert_eq!(
            check(&ask, all, &emb(0.0)).unwrap_err().code(),
            "challenge_not_performed"
        );
    }

    #[test]
    fn a_second_person_or_a_non_matching_face_is_refused() {
        let ask = poses_for(&MOVES3);
        let mut swap = film(&MOVES3, 3, 0.1);
        for f in swap.iter_mut().skip(9) {
            f.as_mut().unwrap().embedding = emb(0.9);
        }
        assert!(matches!(
            check(&ask, swap, &emb(0.0)),
            Err(Refusal::DifferentPeople { index: 9, .. })
        ));
        assert_eq!(
            check(&ask, film(&MOVES3, 3, 0.8), &emb(0.0))
                .unwrap_err()
                .code(),
            "face_mismatch"
        );
    }

    #[test]
    fn a_bad_frame_or_a_wrong_count_is_refused_with_its_reason() {
        let ask = poses_for(&MOVES3);
        let mut frames = film(&MOVES3, 3, 0.1);
        frames[1] = Err(FaceError::SeveralFaces(2));
        let e = check(&ask, frames, &emb(0.0)).unwrap_err();
        assert_eq!(e.code(), "several_faces");
        assert!(e.to_string().contains("only one face"));
        assert_eq!(
            check(&ask, vec![frame(0.0, 0.7, 0.1); 11], &emb(0.0)).unwrap_err(),
            Refusal::FrameCount(11)
        );
        assert_eq!(
            check(&ask, vec![frame(0.0, 0.7, 0.1); 61], &emb(0.0)).unwrap_err(),
            Refusal::FrameCount(61)
        );
    }

    #[test]
    fn looking_up_is_read_against_the_persons_own_front_pitch() {
        assert_eq!(pose_of(0.0, 0.70, 0.70), Some(Front));
        assert_eq!(pose_of(0.0, 0.60, 0.70), Some(LookUp));
        assert_eq!(pose_of(0.0, 0.64, 0.70), None);
        // Someone whose nose sits lower reads front at the same figure another reads up at.
        assert_eq!(pose_of(0.0, 0.60, 0.62), Some(Front));
        assert_eq!(pose_of(0.15, 0.5, 0.7), Some(TurnLeft));
        assert_eq!(pose_of(0.1, 0.7, 0.7), None);
    }

    #[test]
    fn challenges_are_uniform_and_well_formed() {
        let all = move_sequences();
        assert_eq!(all.len(), 12);
        let mut counts = [0usize; 12];
        assert!(challenge(252).is_none() && challenge(255).is_none());
        for b in 0..252u16 {
            let c = challenge(b as u8).unwrap();
            assert_eq!(c.len(), 2 * MOVES + 1);
            let moves: Vec<Step> = c.iter().copied().skip(1).step_by(2).collect();
            counts[all.iter().position(|x| x[..] == moves[..]).unwrap()] += 1;
            assert!(c.iter().step_by(2).all(|&s| s == Front));
            assert!(moves.windows(2).all(|w| w[0] != w[1]));
            assert!(moves.contains(&TurnLeft) || moves.contains(&TurnRight));
        }
        assert!(counts.iter().all(|&n| n == 21));
    }
}
