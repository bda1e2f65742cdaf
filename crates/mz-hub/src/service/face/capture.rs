//! The frames of a face check, before any face is looked at: count, encoding, the challenge's
//! nonce, capture times a camera could give, and no picture twice.

use super::*;

/// Smallest and largest gap between two frames' capture times (20 to 1 frames a second).
pub const FRAME_GAP_MS: std::ops::RangeInclusive<u32> = 50..=1000;

/// The frames' bytes, refusing a wrong count or bad base64.
pub(super) fn decode_frames(body: &FaceFrames) -> HubResult<Vec<Vec<u8>>> {
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
pub(super) fn check_capture(
    body: &FaceFrames,
    r: &stored::StoredChallenge,
    now: i64,
) -> HubResult<()> {
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
pub(super) fn frame_hashes(frames: &[Vec<u8>]) -> HubResult<Vec<String>> {
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
