//! The checked-in TypeScript of the wallet shell (its types, commands and events) must match
//! the Rust. To refresh it: `MZ_UPDATE_BINDINGS=1 cargo test -p mz-wallet-app --test bindings`.
//! The hub's API types are checked by mz-core's own `tests/bindings.rs`.

#[test]
fn command_and_event_bindings_are_fresh() {
    let path = format!(
        "{}/../ui/src/wallet/commands.ts",
        env!("CARGO_MANIFEST_DIR")
    );
    let fresh = mz_wallet_app::typescript_commands();
    if std::env::var_os("MZ_UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(checked_in == fresh, "ui/src/wallet/commands.ts is stale: run `MZ_UPDATE_BINDINGS=1 cargo test -p mz-wallet-app --test bindings` and commit it");
}
