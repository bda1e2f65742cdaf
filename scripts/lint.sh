#!/usr/bin/env bash
# The house kept tidy: formatting and lints of the Rust workspace and the pages, and the hub
# built without face verification (no dlib). Run by scripts/test.sh after the pages are built
# (the wallet app embeds them, so its crate needs ui/dist to compile).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy -p mz-hub --no-default-features --locked -- -D warnings
(cd ui && npm run lint)
(cd e2e && npm run lint)
