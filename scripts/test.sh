#!/usr/bin/env bash
# Run every test of the project. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
target="${CARGO_TARGET_DIR:-$PWD/target}"

# The pages are built first: the wallet app embeds them.
build_pages
e2e_deps

# Formatting and lints first (rustfmt, clippy -D warnings, prettier, tsc).
scripts/lint.sh

# The published interface vectors, checked by the pages' own TypeScript (Rust checks them in
# mz-core's tests, Python in the integrator example below).
(cd ui && npm test)

cargo test --workspace --locked "$@"

# The hub's flows again on PostgreSQL (a throwaway server, stopped on exit): the same SQL and
# the same scenarios on the scale-out backend.
source scripts/postgres.sh
start_test_postgres
MZ_TEST_BACKEND=postgres cargo test --locked -p mz-hub --test flows --test federation --test face --test catalogue --test archives --test consoles --test lookups --test proofs --test guardians "$@"

# The counter console and kiosk pages in Chromium against a real hub, with a test wallet.
cargo build --locked -p mz-hub --bin mz-hub -p mz-client --example testwallet -p mz-face --bin mz-face -p mz-desk --bin mz-desk
# The wallet app as shipped: a release build with the pages embedded (tauri/custom-protocol).
cargo build --release --locked -p mz-wallet-app
export MZ_HUB_BIN="$target/debug/mz-hub" MZ_DESK_BIN="$target/debug/mz-desk" MZ_WALLET_BIN="$target/debug/examples/testwallet" MZ_APP_BIN="$target/release/mz-wallet-app"
(cd e2e && npm run pages)

# The integrator example: a Python counter written from docs/integrators.md, against a real hub.
e2e/run-python.sh

# The wallet app in its real window (tauri-driver + WebKitWebDriver, Xvfb, gnome-keyring).
e2e/run-wallet.sh
