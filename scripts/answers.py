#!/usr/bin/env python3
"""Save the answer of every distinct URL of the load test's mix, to compare two servers.

    scripts/load-test.sh                     # once: writes target/load-test/mix.lua
    verbatim serve --db BANK --addr 127.0.0.1:18091 --cache-mib 0 &
    scripts/answers.py http://127.0.0.1:18091 /tmp/answers-before
    (change, rebuild, serve again)
    scripts/answers.py http://127.0.0.1:18091 /tmp/answers-after
    diff -r /tmp/answers-before /tmp/answers-after

One file per URL (named by the URL's SHA-1): the URL on the first line, then the body exactly
as served (an error answer as `HTTP <status> <body>`). Serve with --cache-mib 0 so that every
answer is computed by the code under test.
"""
import hashlib
import json
import os
import sys
import urllib.error
import urllib.request

base, out = sys.argv[1], sys.argv[2]
mix = sys.argv[3] if len(sys.argv) > 3 else "target/load-test/mix.lua"
paths = sorted({json.loads(l.strip().rstrip(",")) for l in open(mix) if l.startswith('  "')})
os.makedirs(out, exist_ok=True)
for p in paths:
    try:
        body = urllib.request.urlopen(base + p).read()
    except urllib.error.HTTPError as e:
        body = b"HTTP %d " % e.code + e.read()
    name = hashlib.sha1(p.encode()).hexdigest()
    with open(os.path.join(out, name), "wb") as f:
        f.write(p.encode() + b"\n" + body)
print("%d URLs saved in %s" % (len(paths), out))
