#!/usr/bin/env bash
# Installs every package Salience needs to build, test and run, from Debian 12's archive.
# Idempotent: when everything is already installed it changes nothing and asks no network.
# Works as root, or as a user with sudo.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config file
  qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-qpa-plugins
  libqcustomplot-dev libqcustomplot2.1-qt6 libgl-dev
  libeigen3-dev libhdf5-dev nlohmann-json3-dev libcli11-dev libopenblas-dev liblapacke-dev
  libpcre2-dev libicu-dev
  clang libclang-rt-14-dev
  fonts-dejavu-core fonts-wqy-microhei
)
# node and npm run the reference tests (llama.cpp, Hugging Face tokenizers; tests/reference). Any node that brings its own npm
# will do (a nodejs package from elsewhere provides npm and conflicts with Debian's).
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages are installed"
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "install-deps: run as root or install sudo; missing: ${missing[*]}" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
