#!/usr/bin/env bash
# The wallet app e2e under Xvfb, with a D-Bus session, an unlocked gnome-keyring (a real
# Secret Service) and a notification server (dunst), in a throwaway HOME.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# The face models and photos live under the real HOME: keep pointing at them.
export MZ_FACE_MODELS="${MZ_FACE_MODELS:-$HOME/.cache/mianzheng/face/models}"
export MZ_FACE_PHOTOS="${MZ_FACE_PHOTOS:-$HOME/.cache/mianzheng/face/photos}"
export HOME="$(mktemp -d)"
exec dbus-run-session -- bash -c '
  eval "$(printf %s e2e-keyring-pw | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK
  # The notification server (dunst) starts on demand from the bus: tell the bus the display.
  exec xvfb-run -a -s "-screen 0 1280x900x24" bash -c "dbus-update-activation-environment DISPLAY XAUTHORITY && exec node \"'"$here"'/wallet.mjs\""
'
