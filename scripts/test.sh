#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test with ctest (GUI tests offscreen). Non-zero on failure.
# Extra arguments go to ctest, e.g. scripts/test.sh -R tst_store   or   scripts/test.sh -L gui
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export BUILD_DIR=${BUILD_DIR:-$root/build}
bash "$root/scripts/setup.sh"
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "${CTEST_JOBS:-2}" "$@"
