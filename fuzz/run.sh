#!/usr/bin/env bash
# The long fuzz run (not part of the test suite): parse + classify on any bytes.
#   fuzz/run.sh [SECONDS]     default 600
# Needs cargo-fuzz (`cargo install cargo-fuzz`). The machine has one stable toolchain;
# RUSTC_BOOTSTRAP=1 lets cargo-fuzz use the sanitizer flags it needs.
# Seeds: the hand-written fixtures under tests/fixtures. Crashes land in fuzz/artifacts/;
# each one found becomes a regression test in tests/hostile_input.rs.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-600}
mkdir -p corpus/parse_classify
find ../tests/fixtures -type f \( -name '*.eml' -o -name '*.txt' -o -name '*.log' \) \
  -exec cp -t corpus/parse_classify {} + 2>/dev/null || true
# -O: release semantics without debug assertions (see Cargo.toml for why; overflow checks
# are kept on there).
RUSTC_BOOTSTRAP=1 cargo fuzz run -O parse_classify corpus/parse_classify -- \
  -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
