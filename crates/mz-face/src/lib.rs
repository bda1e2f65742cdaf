//! Face verification (实人) for Mianzheng.
//!
//! A [`FaceVerifier`] turns an image into a [`FaceSample`]: one face, found by dlib's HOG
//! detector, aligned by the 5-point landmark model, embedded by dlib's ResNet (128 numbers),
//! with its head pose (yaw) and sharpness. Two samples [`match`](Decision) when the Euclidean
//! distance of their embeddings is at most [`THRESHOLD`].
//!
//! [`liveness`] checks an active challenge (three head moves from turn left, turn right and look
//! up, in a random order) from a continuously filmed sequence of samples; it is plain logic
//! over samples, with no model. [`clip`] synthesises such a sequence from one photo, for the
//! tests (and to show what liveness does not stop). [`eval`] computes ROC figures from labelled
//! pairs. [`DlibVerifier`] is the model-backed verifier; it loads its models once.
//!
//! Presentation-attack detection (masks, screens, replayed video) is not evaluated here.

pub mod clip;
#[cfg(feature = "dlib")]
pub mod dlib;
pub mod eval;
pub mod image_input;
pub mod liveness;

#[cfg(feature = "dlib")]
pub use dlib::DlibVerifier;

use serde::{Deserialize, Serialize};

/// Embedding distance at or below which two faces are taken to be the same person.
///
/// dlib's usual 0.6 is too lenient for identity proofing: different people photographed in
/// one picture fell between 0.55 and 0.6 on this project's offline photos. Genuine pairs of
/// the same person in different photos measured 0.33–0.45, so 0.50 keeps a margin on both
/// sides (see the crate README and `mz-face evaluate` for measuring it on a real dataset).
pub const THRESHOLD: f32 = 0.50;

/// Largest image accepted, in bytes (a phone photo; a frame is far smaller).
pub const MAX_IMAGE_BYTES: usize = 6 * 1024 * 1024;
/// Largest image accepted, in pixels per side.
pub const MAX_IMAGE_SIDE: u32 = 6000;

/// Why an image gives no usable face. Codes are stable; the UI matches on them.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum FaceError {
    #[error("the image is empty, corrupt or not a JPEG or PNG")]
    Unreadable,
    #[error("the image is too large ({0})")]
    TooLarge(String),
    #[error("no face was found: face the camera in good light")]
    NoFace,
    #[error("{0} faces were found: only one face, please")]
    SeveralFaces(usize),
    #[error("the face is too small ({0} px wide): come closer")]
    FaceTooSmall(u32),
    #[error("the picture is blurred: hold still")]
    Blurred,
    #[error("face models could not be loaded: {0}")]
    Models(String),
}

impl FaceError {
    pub fn code(&self) -> &'static str {
        match self {
            FaceError::Unreadable => "image_unreadable",
            FaceError::TooLarge(_) => "image_too_large",
            FaceError::NoFace => "no_face",
            FaceError::SeveralFaces(_) => "several_faces",
            FaceError::FaceTooSmall(_) => "face_too_small",
            FaceError::Blurred => "face_blurred",
            FaceError::Models(_) => "face_models",
        }
    }
}

/// What an image is for: a live frame must be close and sharp; a reference photo (an ID-card
/// photo from the population register is about 100 px wide) is enlarged before detection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Live,
    Reference,
}

/// A face embedding (dlib ResNet, 128 dimensions).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Embedding(#[serde(with = "embedding_serde")] pub [f32; 128]);

impl Embedding {
    pub fn distance(&self, other: &Embedding) -> f32 {
        self.0
            .iter()
            .zip(other.0.iter())
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f32>()
            .sqrt()
    }
    /// Little-endian bytes, for storage (512 bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }
    pub fn from_bytes(b: &[u8]) -> Option<Embedding> {
        if b.len() != 512 {
            return None;
        }
        let mut out = [0f32; 128];
        for (i, c) in b.chunks_exact(4).enumerate() {
            out[i] = f32::from_le_bytes(c.try_into().ok()?);
            if !out[i].is_finite() {
                return None;
            }
        }
        Some(Embedding(out))
    }
}

mod embedding_serde {
    use serde::{Deserialize, Deserializer, Serializer};
    pub fn serialize<S: Serializer>(v: &[f32; 128], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter())
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[f32; 128], D::Error> {
        let v: Vec<f32> = Vec::deserialize(d)?;
        v.try_into()
            .map_err(|_| serde::de::Error::custom("an embedding has 128 numbers"))
    }
}

/// One face found in one image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaceSample {
    pub embedding: Embedding,
    /// Head turn from the 5 landmarks: the nose's sideways offset from the midpoint of the
    /// eyes, in units of the distance between the eyes. Positive: the nose points to the
    /// image's right, which in an unmirrored camera frame is the person's own left.
    pub yaw: f32,
    /// Face width in pixels, in the image as analysed.
    pub face_px: u32,
    /// Variance of the Laplacian over the aligned face (higher is sharper).
    pub sharpness: f32,
    /// The 5 landmarks (eye corners, nose base) in the input image's pixel coordinates.
    pub landmarks: [(f32, f32); 5],
    /// The room around the face, small and grey (to tell a mirrored frame).
    pub backdrop: Backdrop,
}

/// A small grey picture of the whole frame, and the face's box in it. A frame mirrored from
/// another shows the room mirrored too: [`Backdrop::difference`] compares two frames' rooms
/// outside the faces, as filmed or with one flipped.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Backdrop {
    /// `W`×`H` grey levels, row by row (empty when not measured).
    pub pixels: Vec<u8>,
    /// The face's box in the thumbnail, widened: left, top, right, bottom (exclusive).
    pub face: [u32; 4],
}

impl Backdrop {
    pub const W: u32 = 32;
    pub const H: u32 = 24;
    /// A mean grey difference at least this means the rooms differ enough to judge a mirror.
    pub const TELLING: f32 = 6.0;

    fn in_face(&self, x: u32, y: u32) -> bool {
        let [l, t, r, b] = self.face;
        x >= l && x < r && y >= t && y < b
    }

    /// Mean absolute grey difference of the two rooms where neither face is, with `other`
    /// flipped left to right if `flip`; `None` when either is unmeasured or under a quarter of
    /// the picture is left to compare.
    pub fn difference(&self, other: &Backdrop, flip: bool) -> Option<f32> {
        let n = (Self::W * Self::H) as usize;
        if self.pixels.len() != n || other.pixels.len() != n {
            return None;
        }
        let (mut sum, mut count) = (0u32, 0u32);
        for y in 0..Self::H {
            for x in 0..Self::W {
                let ox = if flip { Self::W - 1 - x } else { x };
                if self.in_face(x, y) || other.in_face(ox, y) {
                    continue;
                }
                let (a, b) = (
                    self.pixels[(y * Self::W + x) as usize],
                    other.pixels[(y * Self::W + ox) as usize],
                );
                sum += a.abs_diff(b) as u32;
                count += 1;
            }
        }
        (count * 4 >= n as u32).then(|| sum as f32 / count as f32)
    }
}

/// The outcome of comparing two faces.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub distance: f32,
    pub threshold: f32,
    pub is_match: bool,
}

impl Decision {
    pub fn of(a: &Embedding, b: &Embedding) -> Decision {
        let distance = a.distance(b);
        Decision {
            distance,
            threshold: THRESHOLD,
            is_match: distance <= THRESHOLD,
        }
    }
}

/// Finds, aligns and embeds one face. Implementations must be usable from several threads.
pub trait FaceVerifier: Send + Sync {
    fn sample(&self, image: &[u8], kind: ImageKind) -> Result<FaceSample, FaceError>;

    /// Compare a live image with a reference image.
    fn compare(&self, live: &[u8], reference: &[u8]) -> Result<Decision, FaceError> {
        let a = self.sample(live, ImageKind::Live)?;
        let b = self.sample(reference, ImageKind::Reference)?;
        Ok(Decision::of(&a.embedding, &b.embedding))
    }
}
