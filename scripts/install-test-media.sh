#!/usr/bin/env bash
# Installs the Debian packages whose photos, recordings and tools the tests read (see docs/testing.md).
# Idempotent; does nothing when everything is present. Needs root (or sudo) and apt.
set -euo pipefail
# Photos: python3-skimage (astronaut), opencv-doc (photos without faces), python-matplotlib-data (a portrait
# with clear glasses). Speech: asterisk prompts (one woman, en and es), codec2 examples and alsa-utils (other
# speakers). Tools the voice tests use to make WAV/Ogg
# variants: sox, opus-tools; python3-onnx builds a tiny ONNX model for the neural voice path.
PKGS=(python3-skimage opencv-doc python-matplotlib-data asterisk-core-sounds-en-wav asterisk-core-sounds-es-wav codec2-examples alsa-utils sox opus-tools vorbis-tools python3-onnx)
missing=()
for p in "${PKGS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then echo "test media present"; exit 0; fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
