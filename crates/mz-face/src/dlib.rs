//! The model-backed verifier: dlib's HOG face detector, the 5-point landmark model and the
//! ResNet embedding network (from the `face_recognition_models` package; the 68-point model
//! is never loaded: its training data's licence forbids commercial use).

use crate::image_input::{backdrop, decode, face_crop, laplacian_variance};
use crate::{Embedding, FaceError, FaceSample, FaceVerifier, ImageKind};
use dlib_face_recognition::{
    FaceDetector, FaceDetectorTrait, FaceEncoderNetwork, FaceEncoderTrait, ImageMatrix,
    LandmarkPredictor, LandmarkPredictorTrait,
};
use std::path::Path;
use std::sync::{Condvar, Mutex};

pub const LANDMARKS_FILE: &str = "shape_predictor_5_face_landmarks.dat";
pub const ENCODER_FILE: &str = "dlib_face_recognition_resnet_model_v1.dat";

/// Smallest face accepted in a live frame, in pixels across (at most 800 px per image side).
pub const MIN_LIVE_FACE_PX: u32 = 90;
/// Least sharpness (variance of the Laplacian over the 128×128 face) for a live frame.
/// Sharp phone and webcam faces measure in the hundreds; a Gaussian blur of σ 2.5 brings the
/// project's test photos under 20.
pub const MIN_SHARPNESS: f32 = 25.0;

struct Engine {
    detector: FaceDetector,
    landmarks: LandmarkPredictor,
    encoder: FaceEncoderNetwork,
}

/// dlib's detector and network are not thread-safe: the verifier keeps one engine per worker
/// and lends them out.
pub struct DlibVerifier {
    pool: Mutex<Vec<Engine>>,
    free: Condvar,
}

impl DlibVerifier {
    /// Load the models from `dir` once, with `workers` engines (one per core that may verify
    /// at the same time).
    pub fn load(dir: &Path, workers: usize) -> Result<DlibVerifier, FaceError> {
        let landmarks =
            LandmarkPredictor::open(dir.join(LANDMARKS_FILE)).map_err(FaceError::Models)?;
        let encoder =
            FaceEncoderNetwork::open(dir.join(ENCODER_FILE)).map_err(FaceError::Models)?;
        let first = Engine {
            detector: FaceDetector::new(),
            landmarks,
            encoder,
        };
        let mut pool = Vec::new();
        for _ in 1..workers.max(1) {
            pool.push(Engine {
                detector: FaceDetector::new(),
                landmarks: first.landmarks.clone(),
                encoder: first.encoder.clone(),
            });
        }
        pool.push(first);
        Ok(DlibVerifier {
            pool: Mutex::new(pool),
            free: Condvar::new(),
        })
    }

    /// The models directory from `MZ_FACE_MODELS`, or the set-up step's cache.
    pub fn default_models_dir() -> std::path::PathBuf {
        if let Some(d) = std::env::var_os("MZ_FACE_MODELS") {
            return d.into();
        }
        let home = std::env::var_os("HOME").unwrap_or_default();
        Path::new(&home).join(".cache/mianzheng/face/models")
    }

    fn with_engine<T>(&self, f: impl FnOnce(&Engine) -> T) -> T {
        let engine = {
            let mut pool = self.pool.lock().expect("engine pool");
            loop {
                if let Some(e) = pool.pop() {
                    break e;
                }
                pool = self.free.wait(pool).expect("engine pool");
            }
        };
        let out = f(&engine);
        self.pool.lock().expect("engine pool").push(engine);
        self.free.notify_one();
        out
    }
}

// SAFETY: an Engine is only ever used by one thread at a time: it is moved out of the
// mutex-guarded pool for the duration of one call and moved back afterwards.
unsafe impl Sync for DlibVerifier {}
unsafe impl Send for Engine {}

impl FaceVerifier for DlibVerifier {
    fn sample(&self, image: &[u8], kind: ImageKind) -> Result<FaceSample, FaceError> {
        let (img, scale) = decode(image, kind)?;
        let matrix = ImageMatrix::from_image(&img);
        self.with_engine(|e| {
            let faces = e.detector.face_locations(&matrix);
            let rect = match faces.len() {
                0 => return Err(FaceError::NoFace),
                1 => faces[0],
                n => return Err(FaceError::SeveralFaces(n)),
            };
            let face_px = rect.width().max(0) as u32;
            if kind == ImageKind::Live && face_px < MIN_LIVE_FACE_PX {
                return Err(FaceError::FaceTooSmall(face_px));
            }
            // c_long is not i64 on every platform.
            #[allow(clippy::unnecessary_cast)]
            let sharpness = laplacian_variance(&face_crop(
                &img,
                rect.left as i64,
                rect.top as i64,
                rect.right as i64,
                rect.bottom as i64,
            ));
            if kind == ImageKind::Live && sharpness < MIN_SHARPNESS {
                return Err(FaceError::Blurred);
            }
            let marks = e.landmarks.face_landmarks(&matrix, &rect);
            let points: Vec<(f32, f32)> =
                marks.iter().map(|p| (p.x() as f32, p.y() as f32)).collect();
            let yaw = yaw_of(&points);
            let mut landmarks = [(0f32, 0f32); 5];
            for (o, p) in landmarks.iter_mut().zip(&points) {
                *o = (p.0 / scale, p.1 / scale);
            }
            let enc = e
                .encoder
                .get_face_encodings(&matrix, std::slice::from_ref(&marks), 0);
            let values: &[f64] = enc.first().ok_or(FaceError::NoFace)?.as_ref();
            let mut emb = [0f32; 128];
            for (o, v) in emb.iter_mut().zip(values) {
                *o = *v as f32;
            }
            #[allow(clippy::unnecessary_cast)]
            let backdrop = backdrop(
                &img,
                rect.left as i64,
                rect.top as i64,
                rect.right as i64,
                rect.bottom as i64,
            );
            Ok(FaceSample {
                embedding: Embedding(emb),
                yaw,
                face_px,
                sharpness,
                landmarks,
                backdrop,
            })
        })
    }
}

/// Head turn from dlib's 5 landmarks (two corners of each eye, then the base of the nose):
/// the nose's offset from the eyes' midpoint along the line through the eyes, divided by the
/// distance between the eyes. The eye line is oriented left to right in the image, so a
/// tilted head does not read as a turn.
pub fn yaw_of(points: &[(f32, f32)]) -> f32 {
    if points.len() != 5 {
        return 0.0;
    }
    let mid = |a: (f32, f32), b: (f32, f32)| ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    let (mut e1, mut e2) = (mid(points[0], points[1]), mid(points[2], points[3]));
    if e1.0 > e2.0 {
        std::mem::swap(&mut e1, &mut e2);
    }
    let (dx, dy) = (e2.0 - e1.0, e2.1 - e1.1);
    let d = (dx * dx + dy * dy).sqrt();
    if d < 1.0 {
        return 0.0;
    }
    let c = mid(e1, e2);
    let nose = points[4];
    ((nose.0 - c.0) * dx + (nose.1 - c.1) * dy) / (d * d)
}

#[cfg(test)]
mod tests {
    use super::yaw_of;

    #[test]
    fn yaw_is_the_noses_offset_along_the_eye_line() {
        // Eyes at x 40..60 and 100..120 (centres 50 and 110), nose centred: frontal.
        let front = [
            (40.0, 50.0),
            (60.0, 50.0),
            (100.0, 50.0),
            (120.0, 50.0),
            (80.0, 90.0),
        ];
        assert!(yaw_of(&front).abs() < 1e-6);
        // Nose 18 px to the image's right of the midpoint, eyes 60 px apart: 0.3.
        let mut turned = front;
        turned[4].0 = 98.0;
        assert!((yaw_of(&turned) - 0.3).abs() < 1e-6);
        // The order dlib lists the eyes in does not matter.
        let swapped = [turned[2], turned[3], turned[0], turned[1], turned[4]];
        assert!((yaw_of(&swapped) - 0.3).abs() < 1e-6);
        // A head tilted 30° with the nose straight below the eyes' midpoint is not turned.
        let (s, c) = (30f32.to_radians().sin(), 30f32.to_radians().cos());
        let rot = |(x, y): (f32, f32)| {
            (
                80.0 + (x - 80.0) * c - (y - 50.0) * s,
                50.0 + (x - 80.0) * s + (y - 50.0) * c,
            )
        };
        let tilted: Vec<_> = front.iter().map(|p| rot(*p)).collect();
        assert!(yaw_of(&tilted).abs() < 1e-5);
    }
}
