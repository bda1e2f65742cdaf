#!/usr/bin/env bash
# The integrator example of docs/integrators.md, run against a real hub: the published vectors
# and the counter flow, in Python with off-the-shelf libraries only (e2e/python/requirements.txt).
# Needs MZ_HUB_BIN and MZ_WALLET_BIN (the hub and the test wallet, as scripts/test.sh builds them).
set -euo pipefail
cd "$(dirname "$0")/python"
venv="${MZ_PYTHON_VENV:-$HOME/.cache/mianzheng/python-venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check -r requirements.txt
"$venv/bin/ruff" format --check --quiet . && "$venv/bin/ruff" check --quiet .
"$venv/bin/python" check_vectors.py
"$venv/bin/python" counter_flow.py
