#!/bin/sh
# Builds the libFuzzer harnesses (clang, ASan, UBSan) in build-fuzz/ and runs each for SECONDS
# (default 20) from its seed corpus in tests/fuzz/corpus/. Exits 1 on the first finding, whose
# input libFuzzer writes to build-fuzz/findings/: fix it, then copy it to
# tests/data/fuzz-regressions/<harness>/, which core_fuzzregressions reads.
#   tests/fuzz/run.sh              # CI: every harness briefly
#   tests/fuzz/run.sh 3600 plan    # one harness for an hour; new inputs join build-fuzz/corpus/
set -eu
SECONDS_EACH=${1:-20}
ONLY=${2:-}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${SALIENCE_FUZZ_BUILD:-$SRC/build-fuzz}
CC=clang CXX=clang++ cmake -S "$SRC" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSALIENCE_FUZZ=ON -DSALIENCE_BUILD_GUI=OFF -DSALIENCE_BUILD_TESTS=OFF >/dev/null
HARNESSES=${ONLY:-"safetensors gguf llama2c imatrix plan hfconfig tokenizer_json tokenizer_bin"}
for h in $HARNESSES; do TARGETS="${TARGETS:-} fuzz_$h"; done
cmake --build "$BUILD" --target $TARGETS
mkdir -p "$BUILD/findings"
for h in $HARNESSES; do
    corpus="$BUILD/corpus/$h"
    mkdir -p "$corpus"
    echo "fuzz_$h: ${SECONDS_EACH}s"
    # Seeds are read, never written: new inputs go to the build's corpus.
    ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$BUILD/tests/fuzz/fuzz_$h" "$corpus" "$SRC/tests/fuzz/corpus/$h" -max_total_time="$SECONDS_EACH" \
        -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=10 -max_len=65536 -print_final_stats=0 \
        -artifact_prefix="$BUILD/findings/$h-" >"$BUILD/fuzz_$h.log" 2>&1 || {
        echo "fuzz_$h found a problem; its input is in $BUILD/findings/ and its log is $BUILD/fuzz_$h.log" >&2
        tail -n 40 "$BUILD/fuzz_$h.log" >&2
        exit 1
    }
done
echo "no findings"
