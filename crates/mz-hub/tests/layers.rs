//! The hub's layers hold: HTTP (axum) only in `http/` and the few files that serve it, SQL
//! (sqlx) only in `store/`, no state written as a literal in SQL, and handlers that call a
//! service rather than the store.

use std::path::{Path, PathBuf};

/// The one error type wraps the store's errors (it names their types, it runs no SQL).
const WRAPS_STORE_ERRORS: &str = "error.rs";

/// Files outside `http/` that may name axum: the error's one mapping to HTTP, the request
/// authentication extractors, and the server's assembly.
const AXUM_OUTSIDE_HTTP: &[&str] = &["auth.rs", "error.rs", "lib.rs", "main.rs"];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn files() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    sources(&src, &mut paths);
    let mut out: Vec<(String, String)> = paths
        .iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(p).unwrap())
        })
        .collect();
    out.sort();
    out
}

fn uses_sql(text: &str) -> bool {
    text.contains("sqlx::") || text.contains("use sqlx") || text.contains("rusqlite")
}

#[test]
fn sql_lives_in_the_store() {
    let outside: Vec<_> = files()
        .into_iter()
        .filter(|(rel, text)| {
            !rel.starts_with("store/") && rel != WRAPS_STORE_ERRORS && uses_sql(text)
        })
        .map(|(rel, _)| rel)
        .collect();
    assert!(outside.is_empty(), "SQL outside store/: {outside:?}");
}

#[test]
fn http_lives_in_http() {
    for (rel, text) in files() {
        let allowed = rel.starts_with("http/") || AXUM_OUTSIDE_HTTP.contains(&rel.as_str());
        assert!(allowed || !text.contains("axum"), "{rel} uses axum");
    }
}

#[test]
fn handlers_reach_storage_only_through_operations() {
    for (rel, text) in files() {
        if rel.starts_with("http/") {
            assert!(!uses_sql(&text), "{rel} runs SQL");
            assert!(!text.contains("store::"), "{rel} reaches into the store");
            assert!(!text.contains("begin_write"), "{rel} opens a transaction");
        }
    }
}

/// Every stored name of a state, kind or outcome (`mz_core::flow`, certificate status).
fn stored_names() -> Vec<&'static str> {
    use mz_core::flow::*;
    let mut names: Vec<&str> = Vec::new();
    names.extend(Assurance::ALL.iter().map(|v| v.as_str()));
    names.extend(TerminalKind::ALL.iter().map(|v| v.as_str()));
    names.extend(RedemptionKind::ALL.iter().map(|v| v.as_str()));
    names.extend(RequestState::ALL.iter().map(|v| v.as_str()));
    names.extend(LoginState::ALL.iter().map(|v| v.as_str()));
    names.extend(LoginMethod::ALL.iter().map(|v| v.as_str()));
    names.extend(ObjectionState::ALL.iter().map(|v| v.as_str()));
    names.extend(FacePurpose::ALL.iter().map(|v| v.as_str()));
    names.extend(ChallengeState::ALL.iter().map(|v| v.as_str()));
    names.extend(ApplicationState::ALL.iter().map(|v| v.as_str()));
    names.extend(PrincipalKind::ALL.iter().map(|v| v.as_str()));
    names.extend(PeerRole::ALL.iter().map(|v| v.as_str()));
    names.extend(["valid", "revoked", "expired", "superseded"]);
    names
}

/// No SQL names a state as a literal: states are bound from `mz_core::flow`'s enums (and the
/// certificate status), so a renamed or added state cannot be missed by one query.
#[test]
fn no_state_literal_in_sql() {
    let names = stored_names();
    for (rel, text) in files() {
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for name in &names {
                let quoted = format!("'{name}'");
                assert!(!line.contains(&quoted), "{rel}:{}: {quoted} in SQL", n + 1);
            }
        }
    }
}
