#!/usr/bin/env bash
# Fuzz the Rust core with cargo-fuzz (libFuzzer). The targets and what they assert: fuzz/fuzz_targets/.
#
#   tools/fuzz.sh smoke [target...]   each target ~20 s (part of ./build.sh test)
#   tools/fuzz.sh long  [target...]   each target 5 minutes (before a release; results in doc/fuzzing.md)
#
#   FUZZ_SECONDS=N   seconds per target instead of the mode's default
#   FUZZ_JOBS=N      targets run at the same time (default 1; the machines here have 2 cores)
#
# cargo-fuzz needs nightly compiler flags (-Zsanitizer, -Cpasses=sancov). The project pins stable Rust
# (rust-toolchain.toml), so this runs the pinned toolchain with RUSTC_BOOTSTRAP=1, which unlocks those flags
# on stable: no nightly toolchain has to be installed. Pure safe Rust gains little from AddressSanitizer, so
# the targets build without a sanitizer (more executions per second) but with debug assertions (overflow
# checks). A crash stops the script with the input's path; reproduce it with
#   RUSTC_BOOTSTRAP=1 .tools/bin/cargo-fuzz run --fuzz-dir fuzz -s none -a TARGET fuzz/artifacts/TARGET/crash-...
# Prints the number of executions of each target and fails on any crash, panic, timeout or OOM.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS=$ROOT/.tools
CARGO_FUZZ_VERSION=0.13.2
export PATH="$TOOLS/bin:$PATH"
export RUSTC_BOOTSTRAP=1

mode=${1:-smoke}
shift || true
case "$mode" in
  smoke) seconds=${FUZZ_SECONDS:-20} ;;
  long) seconds=${FUZZ_SECONDS:-300} ;;
  *) echo "usage: tools/fuzz.sh smoke|long [target...]" >&2; exit 2 ;;
esac
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(classify_url storage_decode message_decode)
jobs=${FUZZ_JOBS:-1}
flags=(--fuzz-dir fuzz -s none -a)

if [ "$(cargo-fuzz --version 2>/dev/null | awk '{print $2}')" != "$CARGO_FUZZ_VERSION" ]; then
  echo "==> installing cargo-fuzz $CARGO_FUZZ_VERSION into .tools (about 2 minutes)"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --root "$TOOLS" --quiet
fi

echo "==> building the fuzz targets ($(rustc --version))"
cargo fuzz build "${flags[@]}"

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

run_one() {
  local t=$1 dict=()
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  [ -f "fuzz/dict/$t.dict" ] && dict=("-dict=fuzz/dict/$t.dict")
  # First corpus dir is written to (ignored by git); fuzz/seeds/ holds the committed seeds.
  cargo fuzz run "${flags[@]}" "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- \
    -max_total_time="$seconds" -print_final_stats=1 -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    "${dict[@]}" >"$logs/$t.log" 2>&1 && echo 0 >"$logs/$t.rc" || echo $? >"$logs/$t.rc"
}

echo "==> fuzzing ${targets[*]}: $seconds s each, $jobs at a time"
running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
  run_one "$t" &
  running=$((running + 1))
done
wait

passed=0 failed=0
for t in "${targets[@]}"; do
  status=$(cat "$logs/$t.rc" 2>/dev/null || echo "no result")
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$t.log" | tail -1)
  if [ "$status" -eq 0 ] && [ -n "$execs" ] && ! grep -q '^SUMMARY: libFuzzer' "$logs/$t.log"; then
    printf '%-16s ok      %12s executions in %s s\n' "$t" "$execs" "$seconds"
    passed=$((passed + 1))
  else
    printf '%-16s FAILED  (exit %s, %s executions)\n' "$t" "$status" "${execs:-?}"
    echo "----- $t: the failure -----"
    grep -m1 -A2 'panicked at' "$logs/$t.log" || grep -v '^#[0-9]' "$logs/$t.log" | tail -30
    grep -E '^(SUMMARY|artifact_prefix|Test unit written to|Base64:)' "$logs/$t.log" || true
    echo "---------------------------"
    failed=$((failed + 1))
  fi
done
echo "fuzz $mode: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
