#!/usr/bin/env python3
"""Which URLs of the load test's mix cost the most: each distinct URL timed alone.

    verbatim serve --db BANK --addr 127.0.0.1:18091 --cache-mib 0 &
    scripts/url-costs.py http://127.0.0.1:18091 [target/load-test/mix.lua] [TOP]

Each distinct URL is asked REPEAT times (default 3) over one keep-alive connection and its
fastest wall time kept; the share of the mix is that time times the URL's count in the mix.
Prints the costliest URLs and the total per class. Serve with --cache-mib 0, on an idle machine.
"""
import collections
import http.client
import json
import os
import sys
import time
import urllib.parse

base = urllib.parse.urlparse(sys.argv[1])
mix = sys.argv[2] if len(sys.argv) > 2 else "target/load-test/mix.lua"
top = int(sys.argv[3]) if len(sys.argv) > 3 else 25
repeat = int(os.environ.get("REPEAT", "3"))
paths = [json.loads(l.strip().rstrip(",")) for l in open(mix) if l.startswith('  "')]
counts = collections.Counter(paths)
conn = http.client.HTTPConnection(base.hostname, base.port)


def cls(p):
    u = urllib.parse.urlparse(p)
    q = urllib.parse.parse_qs(u.query)
    if u.path != "/api/quotes":
        parts = u.path.split("/")
        return "/".join(parts[:3]) + ("/{id}" if len(parts) > 3 else "")
    keys = sorted(k for k in q if k not in ("limit", "cursor"))
    if "order" in q:
        keys.remove("order")
        keys.append("order=" + q["order"][0])
    return "quotes " + "+".join(keys)


best = {}
for p in counts:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        conn.request("GET", p)
        r = conn.getresponse()
        r.read()
        times.append(time.perf_counter() - t)
    best[p] = min(times) * 1000
total = sum(best[p] * n for p, n in counts.items())
print("mix of %d requests (%d distinct): mean %.3f ms of wall time per request, alone"
      % (len(paths), len(counts), total / len(paths)))
by_class = collections.defaultdict(lambda: [0, 0.0])
for p, n in counts.items():
    by_class[cls(p)][0] += n
    by_class[cls(p)][1] += best[p] * n
print("\n%-40s %6s %9s %8s" % ("class", "share", "mean ms", "% of mix"))
for c, (n, t) in sorted(by_class.items(), key=lambda kv: -kv[1][1]):
    print("%-40s %5.1f%% %9.2f %7.1f%%" % (c, 100 * n / len(paths), t / n, 100 * t / total))
print("\n%8s %5s %8s  %s" % ("ms", "count", "% of mix", "url"))
for p in sorted(counts, key=lambda p: -best[p] * counts[p])[:top]:
    print("%8.2f %5d %7.1f%%  %s" % (best[p], counts[p], 100 * best[p] * counts[p] / total, p))
