#!/usr/bin/env bash
# Whole-corpus throughput of `verbatim extract`: words per second with --jobs 1 and 2, peak
# RSS, and time against document length (1 MB vs 10 MB). Corpus: PolNeAR train texts.
# Usage: scripts/throughput.sh   (needs ../shared and /usr/bin/time)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${VERBATIM_SHARED:-../shared}
cargo build --release -q -p verbatim-cli
bin=${CARGO_TARGET_DIR:-target}/release/verbatim
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$shared/data/polnear/train.jsonl" "$work" <<'PY'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
with open(sys.argv[2] + "/corpus.jsonl", "w") as f:
    for rep in range(3):
        for d in docs:
            f.write(json.dumps({"id": f"{d['id']}#{rep}", "text": d["text"]}) + "\n")
text = "\n\n".join(d["text"] for d in docs)
for mb in (1, 10):
    n = mb * 1_000_000
    open(f"{sys.argv[2]}/doc{mb}mb.txt", "w").write((text * (n // len(text) + 1))[:n])
PY
words=$(python3 -c "import json,sys; print(sum(len(json.loads(l)['text'].split()) for l in open(sys.argv[1])))" "$work/corpus.jsonl")
docs=$(wc -l < "$work/corpus.jsonl")
echo "corpus: $docs documents, $words words (PolNeAR train x3)"
for jobs in 1 2; do
  /usr/bin/time -f "%e %M" -o "$work/t" "$bin" extract --format jsonl --jobs "$jobs" -o /dev/null "$work/corpus.jsonl"
  read -r secs rss < "$work/t"
  python3 -c "print(f'--jobs $jobs: {$secs:.2f} s, {$words/$secs:,.0f} words/s, peak RSS {$rss/1024:.0f} MB')"
done
for mb in 1 10; do
  /usr/bin/time -f "%e %M" -o "$work/t" "$bin" extract --format jsonl --jobs 1 -o /dev/null "$work/doc${mb}mb.txt"
  read -r secs rss < "$work/t"
  echo "one ${mb} MB document: ${secs} s, peak RSS $((rss / 1024)) MB"
done
