#!/usr/bin/env python3
"""Build crates/verbatim/src/lexicon/wordnet.txt: the WordNet lexicographer class of each word's
most frequent verb and noun sense (its "supersense": verb.communication, noun.act, ...).

The cue tagger uses the classes as features, so a word seen rarely or never as a cue in
training ("denouncing", "backing") is still known to be a verb of communication or an act.

Input: WordNet 3.0 as Debian's package `wordnet-base` lays it out (default
/usr/share/wordnet; `apt-get download wordnet-base && dpkg-deb -x wordnet-base_*.deb DIR` gives
DIR/usr/share/wordnet without installing). Usage: scripts/make-wordnet.py [WORDNET_DIR]

Output: one word form a line, lower case, sorted by bytes, a space, then four digits: the verb
class and the noun class (WordNet lexicographer file numbers, 29-44 and 03-28; 00 when the
word has no such sense or it is not kept). Irregular forms from the exception lists carry the
classes of their lemma ("said" -> say); regular inflections are not listed (the engine
reduces them by WordNet's own rules, `lexicon::wordnet`), except those of a lemma that is
also another lemma's irregular form ("wounded": wound, not wind). Nouns are kept when SemCor tags a
sense of them or their class is one attributions are made of (act, attribute, cognition,
communication, event, feeling, motive, person, state), to keep the file small.
"""
import os
import sys

src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/wordnet"
out = os.path.join(os.path.dirname(__file__), "..", "crates", "verbatim", "src", "lexicon", "wordnet.txt")

KEEP_NOUN = {4, 7, 9, 10, 11, 12, 16, 18, 26}


def lexfiles(pos):
    """synset offset -> lexicographer file number, from data.POS."""
    m = {}
    with open(os.path.join(src, "data." + pos), encoding="latin-1") as f:
        for line in f:
            if line.startswith("  "):
                continue
            parts = line.split(" ", 3)
            m[parts[0]] = int(parts[1])
    return m


def first_class(pos):
    """lemma -> (class of its most frequent sense, SemCor-tagged senses)."""
    lf = lexfiles(pos)
    res = {}
    with open(os.path.join(src, "index." + pos), encoding="latin-1") as f:
        for line in f:
            if line.startswith("  "):
                continue
            p = line.split()
            lemma = p[0]
            if "_" in lemma or not lemma.isascii() or not lemma.replace("-", "").replace("'", "").isalpha():
                continue
            n_ptr = int(p[3])
            tagged = int(p[5 + n_ptr])
            offsets = p[6 + n_ptr:]
            res[lemma] = (lf[offsets[0]], tagged)
    return res


def exceptions(pos):
    m = {}
    with open(os.path.join(src, pos + ".exc"), encoding="latin-1") as f:
        for line in f:
            p = line.split()
            if len(p) >= 2 and p[0] not in m:
                m[p[0]] = p[1]
    return m


verbs = first_class("verb")
nouns = {w: c for w, (c, t) in first_class("noun").items() if t > 0 or c in KEEP_NOUN}
verbs = {w: c for w, (c, _) in verbs.items()}
vexc, nexc = exceptions("verb"), exceptions("noun")

rows = {}
for w in set(verbs) | set(nouns) | set(vexc) | set(nexc):
    if not w.isascii() or "_" in w:
        continue
    v = (verbs.get(vexc[w]) if w in vexc else None) or verbs.get(w)
    n = (nouns.get(nexc[w]) if w in nexc else None) or nouns.get(w)
    if v or n:
        rows[w] = (v or 0, n or 0)


def inflections(lemma, pos):
    """Regular forms of `lemma`, the ones the engine's suffix rules reduce to it."""
    sibilant = lemma.endswith(("s", "x", "z", "ch", "sh"))
    if pos == "noun":
        return [lemma + ("es" if sibilant else "s")]
    if lemma.endswith("e"):
        return [lemma + "s", lemma + "d", lemma[:-1] + "ing"]
    return [lemma + ("es" if sibilant else "s"), lemma + "ed", lemma + "ing"]


# A form that is an irregular form of one lemma and a lemma of its own ("wound": wind, and
# wound) is listed with the irregular's classes; its own regular forms ("wounded") would then
# reduce to the wrong ones, so they are listed with the lemma's own.
for own, exc, slot in ((verbs, vexc, 0), (nouns, nexc, 1)):
    for w, lemma in exc.items():
        if w not in own or own.get(lemma) in (None, own[w]) or w not in rows:
            continue
        for f in inflections(w, "verb" if slot == 0 else "noun"):
            cls = list(rows.get(f, (0, 0)))
            if f in exc or cls[slot]:
                continue
            cls[slot] = own[w]
            rows[f] = tuple(cls)

with open(out, "w", encoding="ascii") as f:
    for w in sorted(rows, key=lambda s: s.encode()):
        v, n = rows[w]
        f.write(f"{w} {v:02d}{n:02d}\n")
print(f"{len(rows)} forms -> {out} ({os.path.getsize(out)} bytes)")
