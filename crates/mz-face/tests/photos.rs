//! The verifier on real photos (fetched by scripts/fetch-face-data.sh from PyPI): genuine and
//! impostor pairs, bad input, robustness checks, and liveness sequences made of real poses.
//! These photos check correctness, not accuracy: accuracy needs `mz-face evaluate` on a real
//! dataset.

use image::{imageops, DynamicImage, ImageFormat, RgbImage};
use mz_face::liveness::{check, Refusal, Step};
use mz_face::{DlibVerifier, Embedding, FaceError, FaceVerifier, ImageKind, THRESHOLD};
use std::io::Cursor;
use std::path::PathBuf;
use std::sync::OnceLock;

fn photos() -> PathBuf {
    std::env::var_os("MZ_FACE_PHOTOS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var("HOME").unwrap()).join(".cache/mianzheng/face/photos")
        })
}

fn verifier() -> &'static DlibVerifier {
    static V: OnceLock<DlibVerifier> = OnceLock::new();
    V.get_or_init(|| {
        DlibVerifier::load(&DlibVerifier::default_models_dir(), 2)
            .expect("face models: run scripts/fetch-face-data.sh")
    })
}

fn photo(name: &str) -> Vec<u8> {
    std::fs::read(photos().join(name))
        .unwrap_or_else(|e| panic!("{name}: {e} (run scripts/fetch-face-data.sh)"))
}

fn rgb(bytes: &[u8]) -> RgbImage {
    image::load_from_memory(bytes).unwrap().to_rgb8()
}

fn encode(img: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(img)
        .unwrap();
    out
}

fn mirrored(name: &str) -> Vec<u8> {
    encode(&imageops::flip_horizontal(&rgb(&photo(name))), 92)
}

fn emb(bytes: &[u8], kind: ImageKind) -> Embedding {
    verifier().sample(bytes, kind).unwrap().embedding
}

#[test]
fn genuine_pairs_match_and_impostor_pairs_do_not() {
    let v = verifier();
    let genuine = [
        ("obama.jpg", "obama2.jpg"),
        ("obama.jpg", "obama3.jpg"),
        ("obama2.jpg", "obama3.jpg"),
        ("obama_partial_face.jpg", "obama3.jpg"),
        ("obama_partial_face2.jpg", "obama.jpg"),
    ];
    for (a, b) in genuine {
        let d = v.compare(&photo(a), &photo(b)).unwrap();
        assert!(d.is_match, "{a} vs {b}: {}", d.distance);
        assert!(
            d.distance < 0.46,
            "{a} vs {b}: {} (genuine pairs measured 0.23–0.45)",
            d.distance
        );
    }
    for o in [
        "obama.jpg",
        "obama2.jpg",
        "obama3.jpg",
        "obama_partial_face.jpg",
    ] {
        let d = v.compare(&photo("biden.jpg"), &photo(o)).unwrap();
        assert!(!d.is_match, "biden vs {o}: {}", d.distance);
        assert!(d.distance > 0.7, "biden vs {o}: {}", d.distance);
    }
    assert_eq!(THRESHOLD, 0.5);
}

#[test]
fn robustness_low_jpeg_quality_and_a_small_id_style_reference_photo() {
    // Robustness, not accuracy: the same decisions survive degraded input.
    let reference = emb(&photo("obama3.jpg"), ImageKind::Reference);
    let q30 = encode(&rgb(&photo("obama2.jpg")), 30);
    assert!(emb(&q30, ImageKind::Live).distance(&reference) <= THRESHOLD);
    // An ID-card photo is about 102×126 px: crop obama.jpg's head and shrink it to that size.
    let s = verifier()
        .sample(&photo("obama.jpg"), ImageKind::Reference)
        .unwrap();
    let (ex, ey) = (
        (s.landmarks[0].0 + s.landmarks[2].0) / 2.0,
        (s.landmarks[0].1 + s.landmarks[2].1) / 2.0,
    );
    let d = mz_face_eye_distance(&s.landmarks);
    let (w, h) = (d * 3.2, d * 4.0);
    let full = rgb(&photo("obama.jpg"));
    let crop = imageops::crop_imm(
        &full,
        (ex - w / 2.0) as u32,
        (ey - h * 0.45) as u32,
        w as u32,
        h as u32,
    )
    .to_image();
    let id_photo = imageops::resize(&crop, 102, 126, imageops::FilterType::Triangle);
    let id = emb(&encode(&id_photo, 85), ImageKind::Reference);
    for live in ["obama2.jpg", "obama_partial_face.jpg"] {
        let dist = emb(&photo(live), ImageKind::Live).distance(&id);
        assert!(dist <= THRESHOLD, "{live} vs ID-style photo: {dist}");
    }
    assert!(emb(&photo("biden.jpg"), ImageKind::Live).distance(&id) > THRESHOLD);
    // The same small photo is refused as a live frame: the face is too small.
    assert!(matches!(
        verifier().sample(&encode(&id_photo, 85), ImageKind::Live),
        Err(FaceError::FaceTooSmall(_)) | Err(FaceError::NoFace)
    ));
}

fn mz_face_eye_distance(m: &[(f32, f32); 5]) -> f32 {
    let a = ((m[0].0 + m[1].0) / 2.0, (m[0].1 + m[1].1) / 2.0);
    let b = ((m[2].0 + m[3].0) / 2.0, (m[2].1 + m[3].1) / 2.0);
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}

#[test]
fn bad_input_is_refused_with_a_reason() {
    let v = verifier();
    // No face: a plain gradient.
    let blank = RgbImage::from_fn(640, 480, |x, y| {
        image::Rgb([(x / 3) as u8, (y / 2) as u8, 128])
    });
    assert_eq!(
        v.sample(&encode(&blank, 90), ImageKind::Live).unwrap_err(),
        FaceError::NoFace
    );
    // Two faces side by side: each head cropped, the two put in one 720×360 frame.
    let head = |name: &str| {
        let s = v.sample(&photo(name), ImageKind::Reference).unwrap();
        let d = mz_face_eye_distance(&s.landmarks);
        let (cx, cy) = (
            s.landmarks.iter().map(|p| p.0).sum::<f32>() / 5.0,
            s.landmarks.iter().map(|p| p.1).sum::<f32>() / 5.0,
        );
        let img = rgb(&photo(name));
        let side = (d * 4.0) as u32;
        let c = imageops::crop_imm(
            &img,
            (cx - d * 2.0).max(0.0) as u32,
            (cy - d * 2.0).max(0.0) as u32,
            side,
            side,
        )
        .to_image();
        imageops::resize(&c, 360, 360, imageops::FilterType::Triangle)
    };
    let mut two = RgbImage::new(720, 360);
    imageops::replace(&mut two, &head("obama.jpg"), 0, 0);
    imageops::replace(&mut two, &head("biden.jpg"), 360, 0);
    let e = v.sample(&encode(&two, 90), ImageKind::Live).unwrap_err();
    assert_eq!(e, FaceError::SeveralFaces(2));
    assert!(e.to_string().contains("only one face, please"));
    let a = rgb(&photo("obama.jpg"));
    // Too small: the whole photo shrunk so the face is about 60 px wide.
    let small = imageops::resize(
        &a,
        a.width() / 3,
        a.height() / 3,
        imageops::FilterType::Triangle,
    );
    let mut canvas = RgbImage::from_pixel(640, 480, image::Rgb([200, 200, 200]));
    imageops::replace(&mut canvas, &small, 200, 100);
    assert!(matches!(
        v.sample(&encode(&canvas, 90), ImageKind::Live),
        Err(FaceError::FaceTooSmall(_)) | Err(FaceError::NoFace)
    ));
    // Blurred.
    let blurred = imageops::blur(&a, 3.0);
    assert_eq!(
        v.sample(&encode(&blurred, 90), ImageKind::Live)
            .unwrap_err(),
        FaceError::Blurred
    );
    // Corrupt, truncated, not an image, huge.
    let good = photo("obama.jpg");
    assert_eq!(
        v.sample(&good[..good.len() / 2], ImageKind::Live)
            .unwrap_err(),
        FaceError::Unreadable
    );
    assert_eq!(
        v.sample(b"not an image at all", ImageKind::Live)
            .unwrap_err(),
        FaceError::Unreadable
    );
    assert!(matches!(
        v.sample(&vec![0xFFu8; 7 << 20], ImageKind::Live),
        Err(FaceError::TooLarge(_))
    ));
    // PNG works as well as JPEG.
    let mut png = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(a)
        .write_to(&mut png, ImageFormat::Png)
        .unwrap();
    assert!(v.sample(png.get_ref(), ImageKind::Live).is_ok());
}

/// Analyse frames given as bytes.
fn analyse(frames: &[Vec<u8>]) -> Vec<Result<mz_face::FaceSample, FaceError>> {
    frames
        .iter()
        .map(|f| verifier().sample(f, ImageKind::Live))
        .collect()
}

/// The tests' filmed sequence: obama.jpg (not the register's photo) performing `moves`.
fn filmed(moves: &[Step]) -> Vec<Vec<u8>> {
    mz_face::clip::film(verifier(), &photo("obama.jpg"), moves, 0).unwrap()
}

/// The asked moves' clip, analysed once.
fn asked_clip() -> Vec<Result<mz_face::FaceSample, FaceError>> {
    static C: OnceLock<Vec<Result<mz_face::FaceSample, FaceError>>> = OnceLock::new();
    C.get_or_init(|| analyse(&filmed(&ASK))).clone()
}

const ASK: [Step; 3] = [Step::TurnLeft, Step::LookUp, Step::TurnRight];

#[test]
fn poses_of_the_real_photos() {
    use mz_face::liveness::{pitch_of, pose_of};
    let pose = |b: Vec<u8>| {
        let s = verifier().sample(&b, ImageKind::Live).unwrap();
        pose_of(s.yaw, pitch_of(&s.landmarks), pitch_of(&s.landmarks))
    };
    assert_eq!(pose(photo("obama.jpg")), Some(Step::Front));
    assert_eq!(pose(photo("obama_partial_face.jpg")), Some(Step::Front));
    assert_eq!(pose(photo("obama2.jpg")), Some(Step::TurnRight));
    assert_eq!(pose(mirrored("obama2.jpg")), Some(Step::TurnLeft));
    assert_eq!(pose(photo("obama_partial_face2.jpg")), Some(Step::TurnLeft));
}

#[test]
fn a_filmed_sequence_of_the_asked_moves_passes() {
    let reference = emb(&photo("obama3.jpg"), ImageKind::Reference);
    let expected = mz_face::liveness::poses_for(&ASK);
    let ok = check(&expected, asked_clip(), &reference).unwrap();
    assert_eq!(ok.seen, expected);
    assert!(ok.distance < THRESHOLD);
    // The same clip does not perform another challenge.
    let other = mz_face::liveness::poses_for(&[Step::TurnRight, Step::TurnLeft, Step::LookUp]);
    let e = check(&other, asked_clip(), &reference).unwrap_err();
    assert_eq!(e.code(), "challenge_not_performed");
    // The right moves by someone who is not the reference person.
    let stranger = emb(&photo("biden.jpg"), ImageKind::Reference);
    let e = check(&expected, asked_clip(), &stranger).unwrap_err();
    assert_eq!(e.code(), "face_mismatch");
}

#[test]
fn three_stills_of_real_poses_are_refused() {
    let reference = emb(&photo("obama3.jpg"), ImageKind::Reference);
    let expected = mz_face::liveness::poses_for(&[Step::TurnLeft, Step::TurnRight, Step::TurnLeft]);
    // Front, left and right photos, each held for a few frames (re-encoded so no two frames
    // are the same bytes), in the asked order.
    let still = |n: &str, q: u8| encode(&rgb(&photo(n)), q);
    let mut frames = Vec::new();
    for (pose, n) in [
        ("obama.jpg", 3),
        ("obama_partial_face2.jpg", 3),
        ("obama.jpg", 2),
        ("obama2.jpg", 3),
        ("obama.jpg", 2),
        ("obama_partial_face2.jpg", 3),
        ("obama.jpg", 2),
    ] {
        for q in 0..n {
            frames.push(still(pose, 90 - q as u8));
        }
    }
    let e = check(&expected, analyse(&frames), &reference).unwrap_err();
    assert!(matches!(e, Refusal::Discontinuous { index: 2 }), "{e:?}");
}

#[test]
fn a_still_and_its_mirror_image_are_refused() {
    let reference = emb(&photo("obama3.jpg"), ImageKind::Reference);
    let expected = mz_face::liveness::poses_for(&[Step::TurnLeft, Step::TurnRight, Step::TurnLeft]);
    // A turned still and its mirror give both turns; a front still between them.
    let left = encode(&rgb(&photo("obama_partial_face2.jpg")), 90);
    let right = encode(&imageops::flip_horizontal(&rgb(&left)), 90);
    let front = photo("obama_partial_face.jpg");
    let frames: Vec<Vec<u8>> = [&front, &front, &left, &front, &right, &front, &left, &front]
        .iter()
        .cycle()
        .take(12)
        .map(|b| b.to_vec())
        .collect();
    let e = check(&expected, analyse(&frames), &reference).unwrap_err();
    assert_eq!(e.code(), "motion_discontinuous");
}

#[test]
fn a_clip_whose_other_turn_is_its_mirror_image_is_refused() {
    // A filmed left turn, and the same frames mirrored for the right turn: continuous, in the
    // asked order, the same person, but the room is mirrored.
    let reference = emb(&photo("obama3.jpg"), ImageKind::Reference);
    let left = filmed(&[Step::TurnLeft]);
    let mut frames = left.clone();
    frames.extend(
        left[2..]
            .iter()
            .map(|f| encode(&imageops::flip_horizontal(&rgb(f)), 90)),
    );
    let expected = mz_face::liveness::poses_for(&[Step::TurnLeft, Step::TurnRight]);
    let e = check(&expected, analyse(&frames), &reference).unwrap_err();
    assert!(matches!(e, Refusal::Mirrored { .. }), "{e:?}");
    // Control: the same frames unmirrored are no mirror (they are the wrong moves).
    let mut plain = left.clone();
    plain.extend(left[2..].iter().cloned());
    let e = check(&expected, analyse(&plain), &reference).unwrap_err();
    assert_eq!(e.code(), "challenge_not_performed");
}

#[test]
fn a_second_person_stepping_in_is_refused() {
    let reference = emb(&photo("obama3.jpg"), ImageKind::Reference);
    let mut frames = asked_clip();
    frames[5] = verifier().sample(&photo("biden.jpg"), ImageKind::Live);
    let e = check(&mz_face::liveness::poses_for(&ASK), frames, &reference).unwrap_err();
    assert!(
        matches!(e, Refusal::DifferentPeople { index: 5, .. }),
        "{e:?}"
    );
}
