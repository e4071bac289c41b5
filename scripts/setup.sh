#!/usr/bin/env bash
# Shared by run.sh and test.sh: installs what is missing (Debian 12 packages only), configures and builds.
# Env: BUILD_DIR (default build), DISTILLERY_GUI (ON/OFF, default ON), JOBS (default: nproc).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$root/build}
DISTILLERY_GUI=${DISTILLERY_GUI:-ON}

packages=(cmake ninja-build g++ pkg-config
          qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n
          qt6-svg-dev libqt6sql6-sqlite libqcustomplot-dev
          libtorch-dev libgloo-dev libopenblas0-openmp libsqlite3-dev
          xvfb xauth python3 dpkg-dev file)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake -S "$root" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDISTILLERY_GUI="$DISTILLERY_GUI" >/dev/null
cmake --build "$BUILD_DIR" -j "${JOBS:-$(nproc)}"
