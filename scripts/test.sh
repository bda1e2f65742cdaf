#!/usr/bin/env bash
# Run every test of the project. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
cargo test --workspace --locked "$@"
