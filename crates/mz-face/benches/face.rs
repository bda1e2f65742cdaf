//! `cargo bench -p mz-face`: one verification with both images, and with the reference
//! embedding cached (targets on this machine: ≤ 300 ms and ≤ 120 ms); and one liveness check
//! of a whole filmed sequence (every frame analysed, on one engine: the hub's CPU per check).
//! Needs the models and photos fetched by scripts/fetch-face-data.sh (MZ_FACE_MODELS,
//! MZ_FACE_PHOTOS).

use mz_face::{Decision, DlibVerifier, FaceVerifier, ImageKind};
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let photos = std::env::var("MZ_FACE_PHOTOS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| {
            std::path::Path::new(&std::env::var("HOME").unwrap_or_default())
                .join(".cache/mianzheng/face/photos")
        });
    let iters: usize = std::env::var("MZ_BENCH_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(15);
    let t = Instant::now();
    let v = DlibVerifier::load(&DlibVerifier::default_models_dir(), 1)
        .expect("models (run scripts/fetch-face-data.sh)");
    println!(
        "model load: {:.0} ms (once, at start-up)",
        t.elapsed().as_secs_f64() * 1e3
    );
    let live = std::fs::read(photos.join("obama2.jpg")).expect("photos");
    let reference = std::fs::read(photos.join("obama.jpg")).expect("photos");
    let (mut both, mut cached) = (Vec::new(), Vec::new());
    let ref_emb = v
        .sample(&reference, ImageKind::Reference)
        .unwrap()
        .embedding;
    for _ in 0..iters {
        let t = Instant::now();
        let d = v.compare(&live, &reference).unwrap();
        both.push(t.elapsed());
        assert!(d.is_match);
        let t = Instant::now();
        let d = Decision::of(
            &v.sample(&live, ImageKind::Live).unwrap().embedding,
            &ref_emb,
        );
        cached.push(t.elapsed());
        assert!(d.is_match);
    }
    let (b, c) = (median(both), median(cached));
    println!(
        "verify, both images:        median {:>6.1} ms over {iters} (target ≤ 300 ms)",
        b.as_secs_f64() * 1e3
    );
    println!(
        "verify, reference cached:   median {:>6.1} ms over {iters} (target ≤ 120 ms)",
        c.as_secs_f64() * 1e3
    );
    println!(
        "ratio cached/both: {:.2}",
        c.as_secs_f64() / b.as_secs_f64()
    );
    liveness_check(&v, &reference, &ref_emb);
}

/// One liveness check of a clip of three moves (made from the front-facing photo), analysed
/// frame by frame on one engine.
fn liveness_check(v: &DlibVerifier, photo: &[u8], reference: &mz_face::Embedding) {
    use mz_face::liveness::{check, poses_for, Step};
    let moves = [Step::TurnLeft, Step::LookUp, Step::TurnRight];
    let frames = mz_face::clip::film(v, photo, &moves, 1).expect("a clip");
    let mut times = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let samples = frames
            .iter()
            .map(|f| v.sample(f, ImageKind::Live))
            .collect();
        let r = check(&poses_for(&moves), samples, reference);
        times.push(t.elapsed());
        assert!(r.is_ok(), "{r:?}");
    }
    let m = median(times);
    println!(
        "liveness check, {} frames: median {:>6.0} ms on one engine ({:.0} ms a frame)",
        frames.len(),
        m.as_secs_f64() * 1e3,
        m.as_secs_f64() * 1e3 / frames.len() as f64
    );
}
