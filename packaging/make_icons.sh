#!/usr/bin/env bash
# Renders resources/icons/distillery.svg into the PNG sizes the .deb installs (hicolor theme). Run after editing
# the SVG and commit the PNGs; the build does not need this tool (apt-get install librsvg2-bin).
set -euo pipefail
icons=$(cd "$(dirname "$0")/../resources/icons" && pwd)
for size in 16 32 48 64 128 256; do
  rsvg-convert -w "$size" -h "$size" "$icons/distillery.svg" -o "$icons/distillery-$size.png"
done
