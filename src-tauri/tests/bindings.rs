//! The checked-in TypeScript bindings must match the Rust types. To refresh them:
//! `MZ_UPDATE_BINDINGS=1 cargo test -p mz-wallet-app --test bindings`.

fn check(file: &str, fresh: String) {
    let path = format!("{}/../ui/src/{file}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("MZ_UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(checked_in == fresh, "ui/src/{file} is stale: run `MZ_UPDATE_BINDINGS=1 cargo test -p mz-wallet-app --test bindings` and commit it");
}

#[test]
fn typescript_bindings_are_fresh() {
    check("shared/bindings.ts", mz_wallet_app::typescript_bindings());
}

#[test]
fn command_and_event_bindings_are_fresh() {
    check("wallet/commands.ts", mz_wallet_app::typescript_commands());
}
