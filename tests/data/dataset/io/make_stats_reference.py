#!/usr/bin/python3
"""Reference numbers for DataStats (tst_dataset_io): two JSONL samples built from the llama2 tokenizer cases of
../shared/fixtures/tokenizers/cases.json, and their statistics computed here with numpy from the reference
token ids (Hugging Face `tokenizers`, add_special_tokens=False), not from Distillery's tokenizer.

  /usr/bin/python3 tests/data/dataset/io/make_stats_reference.py [FIXTURES_DIR]

Writes stats_a.jsonl, stats_b.jsonl and stats_reference.json beside this script.
"""
import json
import os
import re
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../../../../shared/fixtures")
BINS = 7
THRESHOLD = 3.0

cases = json.load(open(os.path.join(FIXTURES, "tokenizers/cases.json"), encoding="utf-8"))["llama2"]
tok = json.load(open(os.path.join(FIXTURES, "tokenizers/llama2/tokenizer.json"), encoding="utf-8"))
vocab = {i: t for t, i in tok["model"]["vocab"].items()}
for a in tok.get("added_tokens", []):
    vocab[a["id"]] = a["content"]
vocab_size = max(vocab) + 1
unk_id = tok["model"]["vocab"][tok["model"]["unk_token"]]
byte_ids = {i for i, t in vocab.items() if re.fullmatch(r"<0x[0-9A-Fa-f]{2}>", t)}

# A: the short cases; B: the CJK ones and the five long Chinese articles (a different distribution).
sets = {"a": cases[:7] + cases[11:22], "b": cases[7:11] + cases[22:]}


def running(values):
    v = np.asarray(values, dtype=np.float64)
    return {"n": int(v.size), "mean": float(v.mean()), "std": float(v.std(ddof=1)),
            "min": float(v.min()), "max": float(v.max())}


ref = {"bins": BINS, "threshold": THRESHOLD, "vocab_size": vocab_size}
per_row = {}
for name, rows in sets.items():
    with open(os.path.join(HERE, f"stats_{name}.jsonl"), "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps({"text": r["text"]}, ensure_ascii=False) + "\n")
    chars = [len(r["text"]) for r in rows]  # code points
    lengths = np.array([len(r["ids"]) for r in rows], dtype=np.float64)
    all_ids = [i for r in rows for i in r["ids"]]
    unk = [sum(i == unk_id for i in r["ids"]) / len(r["ids"]) for r in rows if r["ids"]]
    byte = [sum(i in byte_ids for i in r["ids"]) / len(r["ids"]) for r in rows if r["ids"]]
    counts, edges = np.histogram(lengths, bins=BINS)
    tokens = running(lengths)
    tokens.update({"total": int(lengths.sum()), "p50": float(np.percentile(lengths, 50)),
                   "p90": float(np.percentile(lengths, 90)), "p99": float(np.percentile(lengths, 99)),
                   "histogram": {"edges": edges.tolist(), "counts": counts.tolist()}})
    ref[name] = {
        "rows": len(rows),
        "chars": running(chars),
        "tokens": tokens,
        "distinct_tokens": len(set(all_ids)),
        "vocab_coverage": len(set(all_ids)) / vocab_size,
        "unk_rate": sum(i == unk_id for i in all_ids) / len(all_ids),
        "byte_fallback_rate": sum(i in byte_ids for i in all_ids) / len(all_ids),
        "byte_fallback_rate_per_row": running(byte),
    }
    per_row[name] = {"chars": chars, "tokens": lengths, "unk_rate": unk, "byte_fallback_rate": byte}

features = []
for feature in ["chars", "tokens", "unk_rate", "byte_fallback_rate"]:
    a = np.asarray(per_row["a"][feature], dtype=np.float64)
    b = np.asarray(per_row["b"][feature], dtype=np.float64)
    se = np.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
    z = float((b.mean() - a.mean()) / se) if se > 0 else 0.0
    features.append({"name": feature, "z": z, "flagged": abs(z) > THRESHOLD})
ref["drift"] = features

with open(os.path.join(HERE, "stats_reference.json"), "w", encoding="utf-8") as f:
    json.dump(ref, f, indent=1, ensure_ascii=False)
    f.write("\n")
