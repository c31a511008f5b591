#!/usr/bin/env bash
# Score Verbatim on PolNeAR dev with the official scorer: extract, then ../shared/eval/score.py.
# Usage: scripts/score-dev.sh [--json]   (builds the release binary first)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${VERBATIM_SHARED:-../shared}
gold="$shared/data/polnear/dev.jsonl"
[ -f "$gold" ] || { echo "score-dev: $gold not found (set VERBATIM_SHARED)" >&2; exit 2; }
cargo build --release -q -p verbatim-cli
pred=$(mktemp --suffix=.jsonl)
trap 'rm -f "$pred"' EXIT
"${CARGO_TARGET_DIR:-target}"/release/verbatim extract --format jsonl -o "$pred" "$gold"
python3 "$shared/eval/score.py" "$gold" "$pred" "$@"
