#!/usr/bin/env bash
# Installs node-llama-cpp (llama.cpp's prebuilt CPU binary for linux-x64, from npm) into DIR, for
# llamacpp_reference.mjs beside this file. Idempotent: when that version is installed and was
# checked to load, it does nothing and asks no network.
#
#   tests/reference/install.sh DIR
#
# It never compiles llama.cpp: node-llama-cpp's postinstall (which would fall back to a source
# build) is skipped, and the install is accepted only when the prebuilt binary loads.
# Exit codes: 0 installed, 1 failure (e.g. the prebuilt binary is not used), 2 usage,
# 3 the reference cannot be had here (no node >= 20 or npm, or the registry is unreachable).
set -euo pipefail

version=3.22.1 # node-llama-cpp; its linux-x64 package is pinned to the same version

if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
dir=$1
marker="$dir/.salience-node-llama-cpp-$version"

if [ -f "$marker" ] && [ -f "$dir/node_modules/node-llama-cpp/package.json" ] \
   && [ -f "$dir/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/llama-addon.node" ]; then
  echo "install: node-llama-cpp $version is already installed in $dir"
  exit 0
fi

for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "install: $tool is not on PATH (packaging/install-deps.sh installs it)" >&2
    exit 3
  fi
done
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "install: node-llama-cpp $version needs node >= 20, this is node $(node --version)" >&2
  exit 3
fi
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) echo "install: the prebuilt llama.cpp used here is for linux-x64 only, not $(uname -s)-$(uname -m)" >&2
     exit 3 ;;
esac

mkdir -p "$dir"
rm -f "$marker"
log="$dir/npm-install.log"
# Only the CPU binary: --omit=optional leaves out the CUDA/Vulkan builds node-llama-cpp lists as
# optional, and naming @node-llama-cpp/linux-x64 installs the CPU one as a direct dependency.
# NODE_LLAMA_CPP_SKIP_DOWNLOAD makes the postinstall do nothing (no download, no source build).
echo "install: npm install node-llama-cpp@$version into $dir"
if ! NODE_LLAMA_CPP_SKIP_DOWNLOAD=true npm install --no-audit --no-fund --omit=optional --prefix "$dir" \
     "node-llama-cpp@$version" "@node-llama-cpp/linux-x64@$version" >"$log" 2>&1; then
  cat "$log" >&2
  if grep -qE 'E(NOTFOUND|AI_AGAIN|CONNREFUSED|CONNRESET|TIMEDOUT|NETUNREACH|HOSTUNREACH)|network|proxy' "$log"; then
    echo "install: the npm registry could not be reached" >&2
    exit 3
  fi
  echo "install: npm install failed" >&2
  exit 1
fi

# Accept the install only when the prebuilt CPU binary loads without any build step.
# (llamacpp_reference.mjs check refuses any binary but the prebuilt one.)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if ! SALIENCE_LLAMACPP_DIR="$dir" node "$here/llamacpp_reference.mjs" check; then
  echo "install: the prebuilt llama.cpp binary of node-llama-cpp $version does not load here; not building it from source" >&2
  exit 1
fi
touch "$marker"
