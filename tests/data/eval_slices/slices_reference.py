#!/usr/bin/env python3
"""Reference slice metrics (core/eval/Slices.h) of a constructed set of per-sample scores, computed independently:
means, token-weighted next-token accuracy and perplexity, and corpus BLEU per slice with a from-scratch
reimplementation of sacreBLEU 2.x's corpus BLEU (13a tokenizer, exp smoothing, 4-grams). Writes
slices_reference.json: the samples (as EvalSampleRow JSON) and the expected report for field "group", min size 3.

    /usr/bin/python3 tests/data/eval_slices/slices_reference.py
"""
import json
import math
import os
import re
from collections import Counter

# ---- sacreBLEU 13a tokenizer and corpus BLEU ----
_13A = [
    (re.compile(r"([\{-\~\[-\` -\&\(-\+\:-\@\/])"), r" \1 "),
    (re.compile(r"([^0-9])([\.,])"), r"\1 \2 "),
    (re.compile(r"([\.,])([^0-9])"), r" \1 \2"),
    (re.compile(r"([0-9])(-)"), r"\1 \2 "),
]


def tok13a(line):
    line = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
    if "&" in line:
        line = line.replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    line = " " + line + " "
    for rx, sub in _13A:
        line = rx.sub(sub, line)
    return line.split()


def ngrams(words, n):
    return Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def corpus_bleu(hyps, refs):
    correct, total = [0] * 4, [0] * 4
    hyp_len = ref_len = 0
    for h, r in zip(hyps, refs):
        hw, rw = tok13a(h), tok13a(r)
        hyp_len += len(hw)
        ref_len += len(rw)
        for n in range(1, 5):
            hc, rc = ngrams(hw, n), ngrams(rw, n)
            correct[n - 1] += sum(min(c, rc[g]) for g, c in hc.items())
            total[n - 1] += max(0, len(hw) - n + 1)
    precisions = [0.0] * 4
    smooth = 1.0
    for n in range(4):
        if total[n] == 0:
            break
        if correct[n] == 0:
            smooth *= 2
            precisions[n] = 100.0 / (smooth * total[n])
        else:
            precisions[n] = 100.0 * correct[n] / total[n]
    bp = 1.0 if hyp_len >= ref_len else (math.exp(1 - ref_len / hyp_len) if hyp_len > 0 else 0.0)
    logs = [math.log(p) if p > 0 else -9999999999 for p in precisions]
    return bp * math.exp(sum(logs) / 4)


# ---- the constructed samples: (group, em, f1, mc_correct, next-token acc, tokens, ppl, output, reference) ----
ROWS = [
    ("north", 1, 1.0, True, 0.50, 10, 12.0, "the cat sat on the mat", "the cat sat on the mat"),
    ("north", 0, 0.5, False, 0.40, 20, 20.0, "a dog ran in the park today", "the dog ran in the park"),
    ("north", 1, 1.0, True, 0.70, 5, 8.0, "blue sky over the hills", "blue sky over the hills"),
    ("north", 0, 0.25, True, 0.30, 15, 30.0, "I think it is four.", "It is four, I think."),
    ("south", 0, 0.0, False, 0.20, 8, 50.0, "no idea", "Paris is the capital of France"),
    ("south", 1, 1.0, True, 0.60, 12, 10.0, "water boils at 100 degrees", "water boils at 100 degrees"),
    ("south", 0, 0.4, False, 0.25, 6, 40.0, "the answer is 3-4 apples", "the answer is four apples"),
    ("east", 1, 1.0, True, 0.90, 4, 3.0, "yes", "yes"),
    ("east", 0, 0.6, True, 0.55, 9, 15.0, "the red house on the corner", "a red house at the corner"),
    (None, 0, 0.3, False, 0.10, 7, 90.0, "hello there world", "hello world"),
]
METRICS = ["mc_accuracy", "exact_match", "next_token_accuracy", "token_f1", "bleu", "perplexity"]
MIN_SIZE = 3


def aggregate(rows):
    n = len(rows)
    tokens = sum(r[5] for r in rows)
    return {
        "mc_accuracy": sum(1.0 if r[3] else 0.0 for r in rows) / n,
        "exact_match": sum(r[1] for r in rows) / n,
        "next_token_accuracy": sum(r[4] * r[5] for r in rows) / tokens,
        "token_f1": sum(r[2] for r in rows) / n,
        "bleu": corpus_bleu([r[7] for r in rows], [r[8] for r in rows]),
        "perplexity": math.exp(sum(r[5] * math.log(r[6]) for r in rows) / tokens),
    }


def main():
    samples = []
    for i, r in enumerate(ROWS):
        fields = {"lang": "en", "id": i}
        if r[0] is not None:
            fields["group"] = r[0]
        scores = {"fields": fields, "exact_match": r[1], "token_f1": r[2], "mc_correct": r[3],
                  "next_token_accuracy": r[4], "tokens": r[5], "perplexity": r[6],
                  # per-sample values are only markers here: a slice's BLEU and chrF are recomputed from its texts (chrF is
                  # checked against core/eval/Chrf, which tests/eval_score compares with sacreBLEU)
                  "bleu": -1.0, "chrf": -1.0}
        samples.append({"index": i, "input": "q%d" % i, "output": r[7], "reference": r[8], "scores": scores})
    overall = aggregate(ROWS)
    groups = {}
    for r in ROWS:
        groups.setdefault(r[0] if r[0] is not None else "(missing)", []).append(r)
    order = sorted(k for k in groups if k != "(missing)") + (["(missing)"] if "(missing)" in groups else [])
    slices = []
    for value in order:
        m = aggregate(groups[value])
        slices.append({"value": value, "count": len(groups[value]), "small": len(groups[value]) < MIN_SIZE,
                       "metrics": m, "gaps": {k: m[k] - overall[k] for k in METRICS}})
    largest = {}
    for k in METRICS:
        big = [s for s in slices if not s["small"]]
        best = max(big, key=lambda s: abs(s["gaps"][k]))
        largest[k] = {"slice": best["value"], "gap": best["gaps"][k]}
    expected = {"field": "group", "min_size": MIN_SIZE, "samples": len(ROWS), "metrics": METRICS,
                "overall": overall, "slices": slices, "largest_gap": largest}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "slices_reference.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"samples": samples, "expected": expected}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
