#!/usr/bin/env python3
"""Reference outputs of the robustness perturbations (core/eval/Perturb.h), reimplemented from the header's
description: SplitMix64 per row, the text walked code point by code point. Writes perturb_reference.json, which
tests/eval_slices/tst_eval_slices.cpp compares with perturbText().

    /usr/bin/python3 tests/data/eval_slices/perturb_reference.py
"""
import json
import os

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, state):
        self.state = state & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self):
        return (self.next() >> 11) * 2.0 ** -53


def row_seed(seed, row):
    return (seed ^ ((row * 0xD1B54A32D192ED03) & MASK)) & MASK


def one(c, mapped):
    # QChar's simple case mapping keeps one code point; Python's full mapping may give several (ß → SS).
    return mapped if len(mapped) == 1 else c


def typos(cps, rate, rng):
    out, i = [], 0
    while i < len(cps):
        c = cps[i]
        if c.isalpha() and rng.uniform() < rate:
            op = rng.next() % 3
            if op == 0 and i + 1 < len(cps) and cps[i + 1].isalpha():
                out += [cps[i + 1], c]
                i += 2
                continue
            if op == 1:
                i += 1
                continue
            if op == 2:
                out.append(c)
        out.append(c)
        i += 1
    return out


def casing(cps, rate, mode, rng):
    out = []
    for c in cps:
        if c.isalpha() and rng.uniform() < rate:
            if mode == "upper":
                c = one(c, c.upper())
            elif mode == "lower":
                c = one(c, c.lower())
            else:
                c = one(c, c.lower()) if c.isupper() else one(c, c.upper())
        out.append(c)
    return out


def whitespace(cps, rate, rng):
    out = []
    for c in cps:
        if c == " " and rng.uniform() < rate:
            op = rng.next() % 3
            if op == 1:
                out += [" ", " "]
            elif op == 2:
                out.append("\t")
            continue
        out.append(c)
    return out


def noise(cps, rate, rng):
    out = []
    for c in cps:
        if not c.isspace() and rng.uniform() < rate:
            r = 0x21 + rng.next() % 94
            if r == ord(c):
                r = 0x21 + (r - 0x21 + 1) % 94
            c = chr(r)
        out.append(c)
    return out


def perturb(text, kind, rate, mode, seed, row):
    rng = SplitMix64(row_seed(seed, row))
    cps = list(text)
    if kind == "typos":
        out = typos(cps, rate, rng)
    elif kind == "casing":
        out = casing(cps, rate, mode or "random", rng)
    elif kind == "whitespace":
        out = whitespace(cps, rate, rng)
    else:
        out = noise(cps, rate, rng)
    return "".join(out)


TEXTS = [
    "The quick brown fox jumps over the lazy dog.",
    "Question: what is the capital of France? Answer in one word.",
    "Héllo Wörld, ça va? 你好 世界 and   three spaces",
    "tab\there, digits 12345 and symbols #@!",
    "",
]
SPECS = [
    ("typos", 0.05, None, 1234), ("typos", 0.3, None, 7), ("typos", 1.0, None, 1234),
    ("casing", 1.0, "upper", 1234), ("casing", 0.5, "lower", 1234), ("casing", 0.3, "random", 99),
    ("whitespace", 0.5, None, 1234), ("whitespace", 1.0, None, 5),
    ("noise", 0.1, None, 1234), ("noise", 0.5, None, 42), ("noise", 0.0, None, 1234),
]


def main():
    cases = []
    for kind, rate, mode, seed in SPECS:
        for t, text in enumerate(TEXTS):
            for row in (0, 3):
                cases.append({"text": text, "kind": kind, "rate": rate, "mode": mode or "", "seed": seed, "row": row,
                              "expected": perturb(text, kind, rate, mode, seed, row)})
    # The generator itself, for a first check that fails clearly.
    rng = SplitMix64(row_seed(1234, 0))
    stream = [str(rng.next()) for _ in range(4)]
    out = {"splitmix64_seed1234_row0": stream, "cases": cases}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "perturb_reference.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
