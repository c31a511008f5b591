#!/usr/bin/env python3
"""Refit the confidence calibration (`calibrated` in crates/verbatim/src/attribution/mod.rs).

A tagger quote's confidence is sigmoid(SLOPE * margin + BIAS), where margin is the cue tagger's
margin at the cue's first token. This script reads a prediction file made with the current
constants, recovers each tagger quote's margin by inverting them, labels the quote right when
the official scorer matches it to a gold quote and counts its attribution right (sources
overlap, or neither quote has one), fits SLOPE and BIAS by logistic regression (Newton's
method), and prints the new constants and a reliability table for both. Layout (0.85, 0.9), fallback (0.3) and overheard-speech (0.75) confidences are fixed
values, left out.

Usage: scripts/calibrate.py [GOLD] [PRED]
  (defaults: ../shared/data/polnear/dev.jsonl and a fresh `verbatim extract` of it)
"""
import importlib.util
import math
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("VERBATIM_SHARED", os.path.join(ROOT, "..", "shared"))
SOURCE = os.path.join(ROOT, "crates", "verbatim", "src", "attribution", "mod.rs")
FIXED = (0.85, 0.9, 0.3, 0.75)


def load_scorer():
    path = os.path.join(SHARED, "eval", "score.py")
    spec = importlib.util.spec_from_file_location("score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def constants():
    text = open(SOURCE, encoding="utf-8").read()
    get = lambda name: float(re.search(r"const %s: f32 = ([-0-9._]+);" % name, text)
                             .group(1).replace("_", ""))
    return get("SLOPE"), get("BIAS")


def samples(sc, gold_path, pred_path, slope, bias):
    gold, pred = sc.load_jsonl(gold_path), sc.load_jsonl(pred_path)
    out = []
    for did, g in gold.items():
        text = g["text"]
        raw = pred.get(did, {"quotes": []})
        gq = sc.read_quotes(g, text, "GOLD")
        pq = sc.read_quotes(raw, text, "PRED")
        right = {id(p) for gg, p in sc.match(gq, pq) if sc.role_ok(gg.source, p.source)}
        for q, p in zip(raw["quotes"], pq):
            c = q.get("confidence")
            if c is None or any(abs(c - f) < 1e-6 for f in FIXED) or not 0 < c < 1:
                continue
            margin = (math.log(c / (1 - c)) - bias) / slope
            out.append((margin, 1.0 if id(p) in right else 0.0))
    return out


def fit(data):
    """Logistic regression y ~ sigmoid(a * x + b) by Newton's method, x scaled for stability."""
    scale = max(1e-9, max(abs(x) for x, _ in data))
    a = b = 0.0
    for _ in range(50):
        ga = gb = haa = hab = hbb = 0.0
        for x, y in data:
            x /= scale
            p = 1 / (1 + math.exp(-(a * x + b)))
            w = p * (1 - p)
            ga += (y - p) * x
            gb += y - p
            haa += w * x * x
            hab += w * x
            hbb += w
        det = haa * hbb - hab * hab
        if det <= 0:
            break
        da = (hbb * ga - hab * gb) / det
        db = (haa * gb - hab * ga) / det
        a, b = a + da, b + db
        if abs(da) + abs(db) < 1e-10:
            break
    return a / scale, b


def table(data, slope, bias, label):
    bins = [(0.0, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 0.9), (0.9, 1.01)]
    print("%s: SLOPE %.5f, BIAS %.3f" % (label, slope, bias))
    print("  confidence   quotes   mean given   right")
    for lo, hi in bins:
        rows = [(1 / (1 + math.exp(-(slope * x + bias))), y) for x, y in data]
        rows = [(c, y) for c, y in rows if lo <= c < hi]
        if rows:
            print("  %.1f-%.1f   %8d   %10.3f   %5.3f" % (
                lo, min(hi, 1.0), len(rows), sum(c for c, _ in rows) / len(rows),
                sum(y for _, y in rows) / len(rows)))


def main():
    gold = sys.argv[1] if len(sys.argv) > 1 else os.path.join(SHARED, "data", "polnear", "dev.jsonl")
    pred = sys.argv[2] if len(sys.argv) > 2 else None
    if not os.path.exists(gold):
        sys.exit("calibrate: %s not found (set VERBATIM_SHARED)" % gold)
    tmp = None
    if pred is None:
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "verbatim-cli"], cwd=ROOT, check=True)
        tmp = tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False)
        pred = tmp.name
        # cargo resolves a relative CARGO_TARGET_DIR against the directory it runs in: ROOT.
        target = os.path.join(ROOT, os.environ.get("CARGO_TARGET_DIR", "target"))
        exe = os.path.join(target, "release", "verbatim")
        subprocess.run([exe, "extract", "--format", "jsonl", "-o", pred, gold], check=True)
    try:
        slope, bias = constants()
        data = samples(load_scorer(), gold, pred, slope, bias)
    finally:
        if tmp:
            os.unlink(tmp.name)
    if len(data) < 20:
        sys.exit("calibrate: only %d tagger quotes; nothing to fit" % len(data))
    table(data, slope, bias, "current")
    a, b = fit(data)
    table(data, a, b, "refit")
    print("\nconst SLOPE: f32 = %.5f;\nconst BIAS: f32 = %.3f;" % (a, b))


if __name__ == "__main__":
    main()
