#!/usr/bin/env bash
# Installs the Debian packages whose photos, recordings and tools the tests read (see docs/testing.md).
# Idempotent; does nothing when everything is present. Needs root (or sudo) and apt.
set -euo pipefail
PKGS=(python3-skimage opencv-doc)
missing=()
for p in "${PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then echo "test media present"; exit 0; fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
