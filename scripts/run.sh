#!/usr/bin/env bash
# Installs what is missing, builds, and opens the workbench on the offline demo workspace (under the user's
# data directory). Without a display it runs the same demo headless through distillery-cli.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export BUILD_DIR=${BUILD_DIR:-$root/build}
bash "$root/scripts/setup.sh"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run: no display (DISPLAY and WAYLAND_DISPLAY are unset); running the demo headless with distillery-cli"
  exec "$BUILD_DIR/bin/distillery-cli" demo "$@"
fi
exec "$BUILD_DIR/bin/distillery" --demo "$@"
