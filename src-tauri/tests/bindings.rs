//! The checked-in TypeScript bindings must match the Rust types. To refresh them:
//! `MZ_UPDATE_BINDINGS=1 cargo test -p mz-wallet-app --test bindings`.

#[test]
fn typescript_bindings_are_fresh() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/shared/bindings.ts");
    let fresh = mz_wallet_app::typescript_bindings();
    if std::env::var_os("MZ_UPDATE_BINDINGS").is_some() {
        std::fs::write(path, &fresh).unwrap();
    }
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    assert!(checked_in == fresh, "ui/src/shared/bindings.ts is stale: run `MZ_UPDATE_BINDINGS=1 cargo test -p mz-wallet-app --test bindings` and commit it");
}
