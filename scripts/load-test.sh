#!/usr/bin/env bash
# Load test of `verbatim serve` on a bank of about 1,000,000 quotes.
#
#   scripts/load-test.sh            # build what is missing, then wrk -t2 -c50 -d30s
#
# 1. Builds the release binaries (verbatim, and the bank benchmark when a bank must be made).
# 2. Makes the bank once, with the bank benchmark's generator (`bench_bank --articles 0 --quotes
#    1000000 --queries 0 --keep`: real PolNeAR quotes recombined into 40,000 documents, 40
#    outlets, ten years; about 800 MB, 2 to 15 minutes by machine) and keeps it as
#    target/load-test/bank-1m.db for the next runs. It needs ../shared/data/polnear/train.jsonl.
# 3. Starts `verbatim serve` on it (loopback), reads speaker names, document ids and cluster ids
#    from the running server, and writes a wrk Lua script rotating over a realistic mix of URLs:
#    text searches (newest first and by relevance, some with a speaker, outlet or date filter),
#    speaker-only filters, speaker pages, the speaker list, statistics, documents and clusters
#    (the page asks for /api/stats and the top 12 speakers on its home view).
# 4. Runs wrk and prints p50 / p95 / p99 latency, requests/s and errors (non-2xx/3xx answers
#    and socket errors), with the machine's load before and after.
#
# Environment: LOAD_BANK (the bank file), LOAD_QUOTES (its size when built, default 1000000),
# LOAD_PORT (default 18080), LOAD_THREADS (server workers; default: the server's), LOAD_DURATION
# (default 30s), LOAD_CONNECTIONS (default 50), LOAD_CACHE_MIB (the server's --cache-mib; 0
# measures every request computed from the bank: the mix repeats its 2,000 URLs, so with the
# default cache nearly every request after the warm-up is answered from memory). Exits 1 when
# p95 >= 50 ms or any request failed.
set -euo pipefail
cd "$(dirname "$0")/.."

out=target/load-test
bank=${LOAD_BANK:-$out/bank-1m.db}
quotes=${LOAD_QUOTES:-1000000}
port=${LOAD_PORT:-18080}
duration=${LOAD_DURATION:-30s}
connections=${LOAD_CONNECTIONS:-50}
mkdir -p "$out"

if ! command -v wrk >/dev/null; then
    echo "== installing wrk"
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi

echo "== building (release)"
cargo build --release -q -p verbatim-cli
bin=target/release/verbatim

if [ ! -f "$bank" ]; then
    echo "== building a bank of ~$quotes quotes in $bank (2 to 15 minutes on 2 cores)"
    cargo build --release -q -p verbatim-bank --example bench_bank
    tmp=$(mktemp -d "$out/build.XXXXXX")
    target/release/examples/bench_bank --articles 0 --quotes "$quotes" --queries 0 --keep --dir "$tmp" \
        | tee "$out/bank-build.log"
    mv "$tmp"/verbatim-bench-search-*.db "$bank"
    rm -rf "$tmp"
fi

echo "== serving $bank on 127.0.0.1:$port"
threads_arg=()
if [ -n "${LOAD_THREADS:-}" ]; then threads_arg=(--threads "$LOAD_THREADS"); fi
if [ -n "${LOAD_CACHE_MIB:-}" ]; then threads_arg+=(--cache-mib "$LOAD_CACHE_MIB"); fi
"$bin" serve --db "$bank" --addr "127.0.0.1:$port" "${threads_arg[@]}" >"$out/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 600); do  # the server counts the bank before it answers: seconds
    curl -sf "$base/api/stats" >/dev/null 2>&1 && break
    kill -0 "$server" 2>/dev/null || { cat "$out/serve.log"; exit 1; }
    sleep 0.1
done
curl -sf "$base/api/stats"
echo

echo "== URL mix"
python3 - "$base" "$out/mix.lua" <<'EOF'
import json, random, sys, urllib.parse, urllib.request

base, dest = sys.argv[1], sys.argv[2]
get = lambda path: json.load(urllib.request.urlopen(base + path))
q = lambda s: urllib.parse.quote(s, safe="")
rng = random.Random(7)

speakers = get("/api/speakers?limit=200")["speakers"]
names = [s["name"] for s in speakers if not s["partial"]][:100]
ids = [s["id"] for s in speakers]
words = ["election", "president", "tax", "taxes", "health", "immigration", "border", "economy",
         "jobs", "war", "trade", "campaign", "congress", "vote", "voters", "police", "court",
         "climate", "security", "budget", "democrats", "republicans", "country", "people",
         "believe", "important", "american", "government", "money", "women", "children",
         "\"white house\"", "\"health care\"", "\"united states\"", "\"the american people\"",
         "never", "great", "support", "law", "wall", "russia", "china", "deal", "plan", "party"]
outlets = ["outlet-%02d" % i for i in range(40)]
clusters, docs = set(), set()
for w in words[:20]:
    for h in get("/api/quotes?limit=50&q=" + q(w))["hits"]:
        docs.add(h["document_id"])
        if h["cluster_size"] > 1:
            clusters.add(h["cluster_id"])
clusters, docs = sorted(clusters), sorted(docs)
docs += ["gen-%d" % rng.randrange(40000) for _ in range(200)]

def text():
    n = rng.random()
    return rng.choice(words) if n < 0.6 else rng.choice(words) + " " + rng.choice(words)

mix = [  # (share, make a path)
    (27, lambda: "/api/quotes?q=%s" % q(text())),
    (12, lambda: "/api/quotes?order=relevance&q=%s" % q(text())),
    (8, lambda: "/api/quotes?q=%s&speaker=%s" % (q(rng.choice(words)), q(rng.choice(names)))),
    (5, lambda: "/api/quotes?q=%s&outlet=%s&since=%d" % (q(rng.choice(words)), rng.choice(outlets), rng.randrange(2010, 2020))),
    (8, lambda: "/api/quotes?speaker=%s" % q(rng.choice(names))),
    (10, lambda: "/api/speakers/%d" % rng.choice(ids)),
    (2, lambda: "/api/speakers?limit=12"),
    (3, lambda: "/api/stats"),
    (13, lambda: "/api/documents/%s" % q(rng.choice(docs))),
    (12, lambda: "/api/clusters/%d" % rng.choice(clusters)),
]
paths = []
for share, make in mix:
    paths += [make() for _ in range(share * 20)]
rng.shuffle(paths)
with open(dest, "w") as f:
    f.write("local paths = {\n")
    for p in paths:
        f.write("  %s,\n" % json.dumps(p))
    f.write("}\n")
    f.write("""
local n = 0
function setup(thread)
  thread:set("offset", n * 997)
  n = n + 1
end
local i = 0
function request()
  i = i + 1
  return wrk.format("GET", paths[(offset + i) % #paths + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  local socket = e.connect + e.read + e.write + e.timeout
  local secs = summary.duration / 1e6
  io.write(string.format("requests: %d in %.1f s = %.0f req/s\\n", summary.requests, secs, summary.requests / secs))
  io.write(string.format("latency ms: p50 %.2f  p95 %.2f  p99 %.2f  max %.2f\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("errors: %d non-2xx/3xx, %d socket (connect %d, read %d, write %d, timeout %d)\\n",
    e.status, socket, e.connect, e.read, e.write, e.timeout))
  local ok = latency:percentile(95) < 50000 and e.status == 0 and socket == 0
  io.write("verdict: " .. (ok and "PASS (p95 < 50 ms, no errors)" or "FAIL (target: p95 < 50 ms, no errors)") .. "\\n")
end
""")
print("%d URLs: %d text searches, %d speaker filters, %d speaker pages, %d documents (%d ids), %d clusters (%d ids)" % (
    len(paths), sum(p.startswith("/api/quotes?") and "q=" in p for p in paths),
    sum(p.startswith("/api/quotes?speaker") for p in paths),
    sum(p.startswith("/api/speakers/") for p in paths), sum(p.startswith("/api/documents/") for p in paths), len(docs),
    sum(p.startswith("/api/clusters/") for p in paths), len(clusters)))
EOF

echo "== machine: $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== wrk -t2 -c$connections -d$duration (warm-up: 5 s first)"
wrk -t2 -c"$connections" -d5s -s "$out/mix.lua" "$base" >/dev/null
# The server's CPU time (user + system), in seconds: what the requests cost, however busy the
# machine is with other work.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$server/stat"; }
cpu0=$(cpu)
wrk -t2 -c"$connections" -d"$duration" -s "$out/mix.lua" "$base" | tee "$out/wrk.log"
cpu1=$(cpu)
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v a="$cpu0" -v b="$cpu1" -v cores="$(nproc)" '/^requests:/ {
    ms = (b - a) * 1000 / $2
    printf "server CPU: %.1f s for %d requests = %.2f ms per request; %d idle cores could serve about %.0f req/s\n", b - a, $2, ms, cores, cores * 1000 / ms
}' "$out/wrk.log"
grep -q "verdict: PASS" "$out/wrk.log"
