//! `mz-face compare A B`, `mz-face evaluate PAIRS`, `mz-face analyse IMAGE…`.

use clap::{Parser, Subcommand};
use mz_face::eval::{summarise, Scored};
use mz_face::{Decision, DlibVerifier, Embedding, FaceVerifier, ImageKind, THRESHOLD};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "mz-face",
    about = "Face verification: compare photos, evaluate accuracy on labelled pairs"
)]
struct Cli {
    /// Directory with shape_predictor_5_face_landmarks.dat and dlib_face_recognition_resnet_model_v1.dat
    #[arg(long, env = "MZ_FACE_MODELS", global = true)]
    models: Option<PathBuf>,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Compare a live photo A with a reference photo B: prints the distance and the decision.
    Compare { a: PathBuf, b: PathBuf },
    /// Read labelled pairs (one per line: `same|diff PATH_A PATH_B`, paths relative to the
    /// file; `#` starts a comment) and print the ROC summary and FNMR at fixed FMR.
    Evaluate {
        pairs: PathBuf,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print what the verifier sees in each image: face width, sharpness, yaw.
    Analyse { images: Vec<PathBuf> },
    /// Synthesise a clip of the person in PHOTO performing MOVES (comma-separated: turn_left,
    /// turn_right, look_up) as numbered JPEG frames in OUT, for testing a client end to end.
    /// The clip is made from one photo: it shows what liveness does not stop (see the README).
    Film {
        photo: PathBuf,
        #[arg(long, value_delimiter = ',')]
        moves: Vec<String>,
        #[arg(long)]
        out: PathBuf,
        /// Varies the frames' noise, so two takes are not the same bytes.
        #[arg(long, default_value_t = 0)]
        take: u32,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let dir = cli.models.unwrap_or_else(DlibVerifier::default_models_dir);
    let v = match DlibVerifier::load(&dir, 1) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("mz-face: {e} (models directory {})", dir.display());
            return ExitCode::from(2);
        }
    };
    match cli.cmd {
        Cmd::Film {
            photo,
            moves,
            out,
            take,
        } => film(&v, &photo, &moves, &out, take),
        Cmd::Compare { a, b } => {
            let r = read(&a)
                .and_then(|la| read(&b).map(|lb| (la, lb)))
                .and_then(|(la, lb)| {
                    v.compare(&la, &lb)
                        .map_err(|e| format!("{e} [{}]", e.code()))
                });
            match r {
                Ok(d) => {
                    println!(
                        "distance {:.4} threshold {:.2} {}",
                        d.distance,
                        d.threshold,
                        if d.is_match { "match" } else { "no match" }
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("mz-face: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Cmd::Analyse { images } => {
            let mut ok = true;
            for p in images {
                match read(&p).and_then(|b| {
                    v.sample(&b, ImageKind::Live)
                        .map_err(|e| format!("{e} [{}]", e.code()))
                }) {
                    Ok(s) => println!(
                        "{}: face {} px, sharpness {:.0}, yaw {:+.3}",
                        p.display(),
                        s.face_px,
                        s.sharpness,
                        s.yaw
                    ),
                    Err(e) => {
                        ok = false;
                        println!("{}: {e}", p.display())
                    }
                }
            }
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Cmd::Evaluate { pairs, json } => {
            match evaluate(&v, &pairs) {
                Ok((scores, failed)) => {
                    let Some(s) = summarise(&scores, THRESHOLD, &[1e-2, 1e-3, 1e-4]) else {
                        eprintln!("mz-face: need at least one genuine and one impostor pair that could be compared");
                        return ExitCode::from(1);
                    };
                    if json {
                        println!("{}", serde_json::to_string_pretty(&s).expect("plain data"));
                    } else {
                        println!("pairs: {} genuine, {} impostor ({} could not be compared: no usable face)", s.genuine, s.impostor, failed);
                        println!(
                            "AUC {:.4}  EER {:.4} at distance {:.3}",
                            s.auc, s.eer, s.eer_threshold
                        );
                        println!(
                            "genuine distances up to {:.3}; impostor distances from {:.3}",
                            s.genuine_max, s.impostor_min
                        );
                        println!(
                            "at threshold {:.2}: FMR {:.4}  FNMR {:.4}",
                            s.threshold, s.fmr, s.fnmr
                        );
                        for a in &s.at_fmr {
                            match (a.threshold, a.fnmr) {
                            (Some(t), Some(f)) => println!("FMR {:.0e}: FNMR {:.4} at distance {:.3}", a.target_fmr, f, t),
                            _ => println!("FMR {:.0e}: not enough impostor pairs ({} < {:.0}) to claim this rate", a.target_fmr, s.impostor, 3.0 / a.target_fmr),
                        }
                        }
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("mz-face: {e}");
                    ExitCode::from(1)
                }
            }
        }
    }
}

fn read(p: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))
}

/// Score every pair; each image is embedded once.
fn evaluate(v: &DlibVerifier, pairs: &Path) -> Result<(Vec<Scored>, usize), String> {
    let text = std::fs::read_to_string(pairs).map_err(|e| format!("{}: {e}", pairs.display()))?;
    let base = pairs.parent().unwrap_or(Path::new("."));
    let mut cache: HashMap<PathBuf, Option<Embedding>> = HashMap::new();
    let mut embed = |p: PathBuf| -> Result<Option<Embedding>, String> {
        if let Some(e) = cache.get(&p) {
            return Ok(*e);
        }
        let e = v
            .sample(&read(&p)?, ImageKind::Reference)
            .ok()
            .map(|s| s.embedding);
        if e.is_none() {
            eprintln!("mz-face: {}: no usable face, pair skipped", p.display());
        }
        cache.insert(p, e);
        Ok(e)
    };
    let (mut scores, mut failed) = (Vec::new(), 0usize);
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split_whitespace().collect();
        let genuine = match f.first().copied() {
            Some("same" | "1" | "genuine") => true,
            Some("diff" | "0" | "impostor") => false,
            _ => {
                return Err(format!(
                    "{}:{}: a line is `same|diff PATH_A PATH_B`",
                    pairs.display(),
                    n + 1
                ))
            }
        };
        if f.len() != 3 {
            return Err(format!(
                "{}:{}: a line is `same|diff PATH_A PATH_B`",
                pairs.display(),
                n + 1
            ));
        }
        match (embed(base.join(f[1]))?, embed(base.join(f[2]))?) {
            (Some(a), Some(b)) => scores.push(Scored {
                genuine,
                distance: Decision::of(&a, &b).distance,
            }),
            _ => failed += 1,
        }
    }
    Ok((scores, failed))
}

fn film(v: &DlibVerifier, photo: &Path, moves: &[String], out: &Path, take: u32) -> ExitCode {
    let parsed: Result<Vec<mz_face::liveness::Step>, _> = moves
        .iter()
        .map(|m| serde_json::from_value(serde_json::Value::String(m.clone())))
        .collect();
    let r = parsed
        .map_err(|e| format!("--moves: {e}"))
        .and_then(|moves| {
            let bytes = read(photo)?;
            mz_face::clip::film(v, &bytes, &moves, take).map_err(|e| e.to_string())
        })
        .and_then(|frames| {
            std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
            for (i, f) in frames.iter().enumerate() {
                std::fs::write(out.join(format!("frame-{i:03}.jpg")), f)
                    .map_err(|e| e.to_string())?;
            }
            Ok(frames.len())
        });
    match r {
        Ok(n) => {
            println!("{n} frames in {}", out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("mz-face: {e}");
            ExitCode::from(1)
        }
    }
}
