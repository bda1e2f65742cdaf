//! The `mz-face` command: compare two photos; evaluate a labelled pairs file.

use std::path::PathBuf;
use std::process::Command;

fn photos() -> PathBuf {
    std::env::var_os("MZ_FACE_PHOTOS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var("HOME").unwrap()).join(".cache/mianzheng/face/photos")
        })
}

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mz-face"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn compare_prints_distance_and_decision() {
    let p = photos();
    let (ok, out, _) = run(&[
        "compare",
        p.join("obama2.jpg").to_str().unwrap(),
        p.join("obama.jpg").to_str().unwrap(),
    ]);
    assert!(ok);
    assert!(
        out.starts_with("distance 0.")
            && out.trim_end().ends_with(" match")
            && !out.contains("no match"),
        "{out}"
    );
    let (ok, out, _) = run(&[
        "compare",
        p.join("biden.jpg").to_str().unwrap(),
        p.join("obama.jpg").to_str().unwrap(),
    ]);
    assert!(ok);
    assert!(out.trim_end().ends_with("no match"), "{out}");
    let (ok, _, err) = run(&[
        "compare",
        "/nonexistent.jpg",
        p.join("obama.jpg").to_str().unwrap(),
    ]);
    assert!(!ok && err.contains("/nonexistent.jpg"), "{err}");
}

#[test]
fn evaluate_reads_pairs_and_prints_the_roc_summary() {
    let p = photos();
    let dir = std::env::temp_dir().join(format!("mz-face-eval-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = |n: &str| p.join(n).display().to_string();
    let pairs = format!(
        "# label A B\nsame {} {}\nsame {} {}\nsame {} {}\ndiff {} {}\ndiff {} {}\ndiff {} {}\n",
        f("obama.jpg"),
        f("obama2.jpg"),
        f("obama.jpg"),
        f("obama3.jpg"),
        f("obama2.jpg"),
        f("obama3.jpg"),
        f("biden.jpg"),
        f("obama.jpg"),
        f("biden.jpg"),
        f("obama2.jpg"),
        f("biden.jpg"),
        f("obama3.jpg"),
    );
    let file = dir.join("pairs.txt");
    std::fs::write(&file, pairs).unwrap();
    let (ok, out, err) = run(&["evaluate", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("pairs: 3 genuine, 3 impostor"), "{out}");
    assert!(out.contains("AUC 1.0000"), "{out}");
    assert!(
        out.contains("at threshold 0.50: FMR 0.0000  FNMR 0.0000"),
        "{out}"
    );
    assert!(
        out.contains("FMR 1e-4: not enough impostor pairs (3 < 30000)"),
        "{out}"
    );
    // A malformed line is refused with its line number.
    std::fs::write(&file, "maybe a b\n").unwrap();
    let (ok, _, err) = run(&["evaluate", file.to_str().unwrap()]);
    assert!(!ok && err.contains("pairs.txt:1"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
