//! A head-movement clip synthesised from one photo, with a crude 3D head (an ellipsoid with a
//! nose): the tests' "filmed" sequence, and a demonstration of what liveness does not stop.
//!
//! Each pixel of the face gets a depth from the model; the head is rotated about its centre
//! (yaw, then pitch) and projected back, nearest surface first. The nose moves against the eyes
//! as it does on a real head, so the landmarks read the turn. A flat photo turned in front of a
//! camera cannot do this, but a program can: a client that injects such frames passes the
//! check. That is presentation-attack detection, which `liveness` does not claim.

use crate::image_input::decode;
use crate::liveness::Step;
use crate::{FaceError, FaceVerifier, ImageKind};
use image::{ImageOutputFormat, Rgb, RgbImage};

/// Where the head is in the photo, from the 5 landmarks.
#[derive(Debug, Clone, Copy)]
pub struct Head {
    /// Midpoint of the eyes.
    pub eyes: (f32, f32),
    /// Distance between the eyes' centres, in pixels.
    pub eye_distance: f32,
    /// The nose base.
    pub nose: (f32, f32),
}

impl Head {
    /// From dlib's 5 points (two corners of each eye, then the nose base).
    pub fn from_landmarks(p: &[(f32, f32); 5]) -> Head {
        let mid = |a: (f32, f32), b: (f32, f32)| ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
        let (e1, e2) = (mid(p[0], p[1]), mid(p[2], p[3]));
        Head {
            eyes: mid(e1, e2),
            eye_distance: ((e2.0 - e1.0).powi(2) + (e2.1 - e1.1).powi(2)).sqrt(),
            nose: p[4],
        }
    }

    /// Depth of the face's surface at (x, y) towards the camera, in pixels from the rotation
    /// centre; `None` outside the head.
    fn depth(&self, x: f32, y: f32) -> Option<f32> {
        let e = self.eye_distance;
        let (rx, ry, rz) = (1.35 * e, 1.9 * e, 1.6 * e);
        let (cx, cy) = (self.eyes.0, self.eyes.1 + 0.45 * e);
        let (u, v) = ((x - cx) / rx, (y - cy) / ry);
        let inside = 1.0 - u * u - v * v;
        if inside <= 0.0 {
            return None;
        }
        // The nose: a ridge from between the eyes to the tip, just above the nose base.
        let tip = (self.nose.0, self.nose.1 - 0.25 * e);
        let along = ((y - self.eyes.1) / (tip.1 - self.eyes.1).max(1.0)).clamp(0.0, 1.0);
        let ridge_x = self.eyes.0 + (tip.0 - self.eyes.0) * along;
        let dx = (x - ridge_x) / (0.22 * e);
        let dy = if y > tip.1 {
            (y - tip.1) / (0.18 * e)
        } else if y < self.eyes.1 {
            (self.eyes.1 - y) / (0.2 * e)
        } else {
            0.0
        };
        let nose = 0.38 * e * (0.35 + 0.65 * along) * (-(dx * dx + dy * dy)).exp();
        Some(rz * inside.sqrt() + nose)
    }
}

/// The photo with the head turned by `yaw` (degrees, positive: the person's own left) and
/// tilted by `pitch` (degrees, positive: looking up). The background stays where it was.
pub fn render(photo: &RgbImage, head: &Head, yaw: f32, pitch: f32) -> RgbImage {
    let (w, h) = photo.dimensions();
    let mut out = photo.clone();
    let mut zbuf = vec![f32::NEG_INFINITY; (w * h) as usize];
    let (sy, cy_) = yaw.to_radians().sin_cos();
    let (sp, cp) = pitch.to_radians().sin_cos();
    let centre = (head.eyes.0, head.eyes.1 + 0.45 * head.eye_distance);
    let reach = 2.0 * head.eye_distance;
    let (x0, x1) = (
        (centre.0 - reach).max(0.0),
        (centre.0 + reach).min(w as f32 - 1.0),
    );
    let (y0, y1) = (
        (centre.1 - reach * 1.4).max(0.0),
        (centre.1 + reach * 1.4).min(h as f32 - 1.0),
    );
    // Clear the head's area first so nothing of the unturned face shows through.
    let mut covered = vec![false; (w * h) as usize];
    let step = 0.34;
    let mut y = y0;
    while y <= y1 {
        let mut x = x0;
        while x <= x1 {
            if let Some(z) = head.depth(x, y) {
                let (px, py) = (x - centre.0, y - centre.1);
                // Yaw about the vertical axis, then pitch about the horizontal one.
                let (x2, z2) = (px * cy_ + z * sy, -px * sy + z * cy_);
                let (y3, z3) = (py * cp - z2 * sp, py * sp + z2 * cp);
                let (ox, oy) = ((x2 + centre.0).round(), (y3 + centre.1).round());
                if ox >= 0.0 && oy >= 0.0 && ox < w as f32 && oy < h as f32 {
                    let i = (oy as u32 * w + ox as u32) as usize;
                    if z3 > zbuf[i] {
                        zbuf[i] = z3;
                        covered[i] = true;
                        out.put_pixel(ox as u32, oy as u32, photo_at(photo, x, y));
                    }
                }
            }
            x += step;
        }
        y += step;
    }
    fill_uncovered_head(photo, &mut out, head, &covered);
    out
}

/// Bilinear sample.
fn photo_at(img: &RgbImage, x: f32, y: f32) -> Rgb<u8> {
    let (w, h) = img.dimensions();
    let (x0, y0) = (x.floor() as u32, y.floor() as u32);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let mut o = [0u8; 3];
    for (c, v) in o.iter_mut().enumerate() {
        let a = img.get_pixel(x0, y0)[c] as f32 * (1.0 - fx) + img.get_pixel(x1, y0)[c] as f32 * fx;
        let b = img.get_pixel(x0, y1)[c] as f32 * (1.0 - fx) + img.get_pixel(x1, y1)[c] as f32 * fx;
        *v = (a * (1.0 - fy) + b * fy).round() as u8;
    }
    Rgb(o)
}

/// Where the turned head left its old place uncovered, show the nearest covered pixel of the
/// same row (hair or background at the head's edge), not the unturned face.
fn fill_uncovered_head(photo: &RgbImage, out: &mut RgbImage, head: &Head, covered: &[bool]) {
    let w = photo.width();
    for y in 0..photo.height() {
        for x in 0..w {
            let i = (y * w + x) as usize;
            if covered[i] || head.depth(x as f32, y as f32).is_none() {
                continue;
            }
            let row = (y * w) as usize;
            let near = (1..w as usize).find_map(|d| {
                [x as isize - d as isize, x as isize + d as isize]
                    .into_iter()
                    .filter(|&c| c >= 0 && (c as u32) < w)
                    .find(|&c| {
                        !covered[row + c as usize] && head.depth(c as f32, y as f32).is_none()
                    })
            });
            if let Some(c) = near {
                out.put_pixel(x, y, *photo.get_pixel(c as u32, y));
            }
        }
    }
}

/// A JPEG of an image (quality 90), as a camera frame would be sent.
pub fn jpeg(img: &RgbImage) -> Vec<u8> {
    let mut b = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img.clone())
        .write_to(&mut b, ImageOutputFormat::Jpeg(90))
        .expect("encode a JPEG in memory");
    b.into_inner()
}

/// Degrees of turn and of looking up a synthesised move goes to, and the step between frames.
const TURN_DEG: f32 = 32.0;
const UP_DEG: f32 = 25.0;
const TURN_STEP_DEG: f32 = 5.4;
const UP_STEP_DEG: f32 = 4.2;

/// The (yaw, pitch) of every frame of a clip that faces front, performs each move (out and
/// back) and faces front again.
pub fn angles(moves: &[Step]) -> Vec<(f32, f32)> {
    let mut out = vec![(0.0, 0.0), (0.0, 0.0)];
    for m in moves {
        let (to, step) = match m {
            Step::TurnLeft => ((TURN_DEG, 0.0), TURN_STEP_DEG),
            Step::TurnRight => ((-TURN_DEG, 0.0), TURN_STEP_DEG),
            Step::LookUp => ((0.0, UP_DEG), UP_STEP_DEG),
            Step::Front => continue,
        };
        let n = (to.0.abs().max(to.1.abs()) / step).round() as usize;
        let ramp = (1..=n).chain((0..n).rev());
        out.extend(ramp.map(|i| {
            let t = i as f32 / n as f32;
            (to.0 * t, to.1 * t)
        }));
    }
    out
}

/// A clip of the person in `photo` performing `moves`, as JPEG frames: each frame is rendered
/// from the one photo and given its own faint sensor noise, different in every frame and every
/// `take` (no two frames are the same bytes, as with a camera).
pub fn film(
    v: &dyn FaceVerifier,
    photo: &[u8],
    moves: &[Step],
    take: u32,
) -> Result<Vec<Vec<u8>>, FaceError> {
    let (img, _) = decode(photo, ImageKind::Live)?;
    let still = jpeg(&img);
    let head = Head::from_landmarks(&v.sample(&still, ImageKind::Live)?.landmarks);
    Ok(angles(moves)
        .into_iter()
        .enumerate()
        .map(|(i, (yaw, pitch))| {
            let mut f = render(&img, &head, yaw, pitch);
            add_noise(&mut f, take.wrapping_mul(1000).wrapping_add(i as u32));
            jpeg(&f)
        })
        .collect())
}

/// Faint deterministic noise (±2 grey levels), as a camera's sensor gives.
fn add_noise(img: &mut RgbImage, seed: u32) {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    for p in img.pixels_mut() {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let d = (state % 5) as i16 - 2;
        for c in p.0.iter_mut() {
            *c = (*c as i16 + d).clamp(0, 255) as u8;
        }
    }
}
