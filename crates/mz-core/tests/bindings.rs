//! The checked-in TypeScript bindings (`ui/src/shared/bindings.ts`) match the Rust types and
//! cover every type of the API. To refresh them:
//! `MZ_UPDATE_BINDINGS=1 cargo test -p mz-core --features ts --test bindings`.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

#[test]
fn typescript_bindings_are_fresh() {
    let path = root().join("ui/src/shared/bindings.ts");
    let fresh = mz_core::ts::bindings();
    if std::env::var_os("MZ_UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == fresh,
        "ui/src/shared/bindings.ts is stale: run `MZ_UPDATE_BINDINGS=1 cargo test -p mz-core --features ts --test bindings` and commit it"
    );
}

/// Every struct and enum `mz_core::api` declares is in the bindings, so a page can type any
/// request it sends and any answer it reads.
#[test]
fn bindings_cover_every_api_type() {
    let src = root().join("crates/mz-core/src");
    let mut api = std::fs::read_to_string(src.join("api.rs")).unwrap();
    for part in std::fs::read_dir(src.join("api")).unwrap() {
        api += &std::fs::read_to_string(part.unwrap().path()).unwrap();
    }
    let bindings = mz_core::ts::bindings();
    let missing: Vec<&str> = api
        .lines()
        .filter_map(|l| {
            let l = l.trim_start().strip_prefix("pub ")?;
            let rest = l
                .strip_prefix("struct ")
                .or_else(|| l.strip_prefix("enum "))?;
            rest.split(|c: char| !c.is_alphanumeric()).next()
        })
        .filter(|name| !bindings.contains(&format!("export type {name} ")))
        .collect();
    assert!(missing.is_empty(), "not in the bindings: {missing:?}");
}
