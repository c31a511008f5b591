#!/usr/bin/env bash
# Server CPU per request of each URL class of the load test's mix, one class at a time.
#
#   scripts/load-test.sh                       # once: writes target/load-test/mix.lua
#   verbatim serve --db BANK --addr 127.0.0.1:18081 --cache-mib 0 &
#   scripts/load-endpoints.sh $! 18081 [CLASS…]
#
# Splits the mix into its classes (q_newest, q_relevance, q_speaker, q_outlet_since,
# speaker_only, speaker_page, speaker_list, stats, document, cluster), then for each runs wrk
# -t1 -c4 (2 s warm-up, LOAD_DURATION seconds measured, default 6) and prints the server's CPU
# time (user + system, from /proc) per request, with p50 and p99 latency. Serve with
# --cache-mib 0 to measure what each request costs the bank: with the cache, a class of a few
# hundred URLs is answered from memory after its first round.
set -euo pipefail
cd "$(dirname "$0")/.."
pid=$1
port=$2
shift 2
duration=${LOAD_DURATION:-6}
dir=target/load-test/endpoints
mkdir -p "$dir"
python3 - target/load-test/mix.lua "$dir" <<'PY'
import json, sys
src, out = sys.argv[1], sys.argv[2]
paths = [json.loads(l.strip().rstrip(",")) for l in open(src) if l.startswith('  "')]
def cls(p):
    if p.startswith("/api/quotes?order=relevance"): return "q_relevance"
    if p.startswith("/api/quotes?q=") and "&speaker=" in p: return "q_speaker"
    if p.startswith("/api/quotes?q=") and "&outlet=" in p: return "q_outlet_since"
    if p.startswith("/api/quotes?q="): return "q_newest"
    if p.startswith("/api/quotes?speaker="): return "speaker_only"
    if p.startswith("/api/speakers?"): return "speaker_list"
    if p.startswith("/api/speakers/"): return "speaker_page"
    if p.startswith("/api/stats"): return "stats"
    if p.startswith("/api/documents/"): return "document"
    if p.startswith("/api/clusters/"): return "cluster"
    return "other"
groups = {}
for p in paths:
    groups.setdefault(cls(p), []).append(p)
for name, ps in groups.items():
    with open("%s/%s.lua" % (out, name), "w") as f:
        f.write("local paths = {\n" + "".join("  %s,\n" % json.dumps(p) for p in ps) + "}\n")
        f.write("local i = 0\nfunction request()\n  i = i + 1\n  return wrk.format('GET', paths[i % #paths + 1])\nend\n")
PY
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.3f", ($14 + $15) / hz }' "/proc/$pid/stat"; }
classes=("$@")
if [ ${#classes[@]} -eq 0 ]; then
    classes=(q_newest q_relevance q_speaker q_outlet_since speaker_only speaker_page speaker_list stats document cluster)
fi
echo "== load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for c in "${classes[@]}"; do
    wrk -t1 -c4 -d2s -s "$dir/$c.lua" "http://127.0.0.1:$port" >/dev/null
    a=$(cpu)
    out=$(wrk -t1 -c4 -d"${duration}s" --latency -s "$dir/$c.lua" "http://127.0.0.1:$port")
    b=$(cpu)
    n=$(awk '/requests in/ {print $1}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    awk -v c="$c" -v a="$a" -v b="$b" -v n="$n" -v p50="$p50" -v p99="$p99" -v e="${non2xx:-0}" \
        'BEGIN { printf "%-15s %7d requests  %7.3f ms CPU each  p50 %-8s p99 %-8s non-2xx %d\n", c, n, (b - a) * 1000 / n, p50, p99, e }'
done
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
