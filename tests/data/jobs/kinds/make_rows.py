#!/usr/bin/env python3
"""Makes rows.jsonl (the input of tests/jobs_kinds) and expected.json, the clean report computed here independently.

rows.jsonl: 30 distinct texts (labels a/b), 5 exact copies of earlier ones, 2 empty/whitespace rows, 2 rows under 10
characters, 2 near duplicates (one word changed in a long text), one row with a control character (BEL, removed by
cleaning) and one line that is not JSON. expected.json: what `data clean --min-chars 10` (exact dedup on, near dedup
off, empty rows dropped, controls stripped) keeps and removes, by the rules of core/data/DataClean.h.

Run: python3 make_rows.py   (deterministic: random.Random(7))
"""
import json
import random

rng = random.Random(7)
letters = "abcdefghijklmnopqrstuvwxyz"


def word():
    return "".join(rng.choice(letters) for _ in range(rng.randint(3, 9)))


def text(words):
    return " ".join(word() for _ in range(words))


lines = []  # (kind, json line or raw)
distinct = [text(rng.randint(8, 20)) for _ in range(30)]
for i, t in enumerate(distinct):
    lines.append(("keep", {"text": t, "label": "a" if i % 3 else "b"}))
# Near duplicates: a long text with one word replaced (kept by clean without near dedup).
base = distinct[4].split(" ")
for k in (1, 2):
    changed = list(base)
    changed[k] = "zz" + changed[k]
    lines.insert(10 + 3 * k, ("keep", {"text": " ".join(changed), "label": "a"}))
# Exact copies of earlier rows, placed after their originals.
for src in (0, 3, 7, 11, 20):
    lines.append(("exact_duplicate", {"text": distinct[src], "label": "a" if src % 3 else "b"}))
lines.insert(5, ("empty", {"text": "   ", "label": "a"}))
lines.insert(17, ("empty", {"text": "", "label": "b"}))
lines.insert(8, ("too_short_chars", {"text": "hi there", "label": "a"}))
lines.insert(25, ("too_short_chars", {"text": "short", "label": "b"}))
lines.insert(12, ("keep_control", {"text": "bell \u0007 rings here " + text(6), "label": "b"}))
lines.insert(20, ("bad_row", "not json at all"))

removed = {}
kept = 0
with open("rows.jsonl", "w", encoding="utf-8") as f:
    for kind, row in lines:
        f.write((row if isinstance(row, str) else json.dumps(row, ensure_ascii=False)) + "\n")
        if kind.startswith("keep"):
            kept += 1
        else:
            removed[kind] = removed.get(kind, 0) + 1

expected = {"rows": len(lines), "kept": kept, "removed": removed}
with open("expected.json", "w", encoding="utf-8") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
    f.write("\n")
print(expected)
