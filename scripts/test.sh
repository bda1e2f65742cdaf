#!/usr/bin/env bash
# Run every test of the project. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
cargo test --workspace --locked "$@"

# The counter console and kiosk pages in Chromium against a real hub, with a test wallet.
cargo build --locked -p mz-hub --bin mz-hub -p mz-client --example testwallet
target="${CARGO_TARGET_DIR:-$PWD/target}"
(
  cd ui
  npm ci --no-audit --no-fund
  npm run build
  MZ_HUB_BIN="$target/debug/mz-hub" MZ_WALLET_BIN="$target/debug/examples/testwallet" npm run e2e
)
