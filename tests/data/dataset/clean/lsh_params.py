#!/usr/bin/python3
"""Reference LSH (bands, rows) for tst_dataset_clean: datasketch's MinHashLSH._optimal_param ported as written
(datasketch/lsh.py: _false_positive_area, _false_negative_area, midpoint-rule _integration with step 0.001),
no numpy/scipy. Writes lsh_params.json beside this script:  /usr/bin/python3 lsh_params.py"""
import json
import os


def _integration(f, a, b):
    p = 0.001
    area = 0.0
    x = a
    while x < b:
        area += f(x + 0.5 * p) * p
        x += p
    return area, None


def _false_positive_area(threshold, b, r):
    _probability = lambda s: 1 - (1 - s ** float(r)) ** float(b)
    a, _ = _integration(_probability, 0.0, threshold)
    return a


def _false_negative_area(threshold, b, r):
    _probability = lambda s: 1 - (1 - (1 - s ** float(r)) ** float(b))
    a, _ = _integration(_probability, threshold, 1.0)
    return a


def _optimal_param(threshold, num_perm, false_positive_weight, false_negative_weight):
    min_error = float("inf")
    opt = (0, 0)
    for b in range(1, num_perm + 1):
        max_r = int(num_perm / b)
        for r in range(1, max_r + 1):
            fp = _false_positive_area(threshold, b, r)
            fn = _false_negative_area(threshold, b, r)
            error = fp * false_positive_weight + fn * false_negative_weight
            if error < min_error:
                min_error = error
                opt = (b, r)
    return opt


cases = []
for threshold in (0.9, 0.5):
    for num_perm in (128, 64):
        for weights in ((0.5, 0.5), (0.1, 0.9)):
            b, r = _optimal_param(threshold, num_perm, *weights)
            cases.append({"threshold": threshold, "num_perm": num_perm, "fp_weight": weights[0],
                          "fn_weight": weights[1], "bands": b, "rows": r})
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "lsh_params.json"), "w") as f:
    json.dump(cases, f, indent=1)
    f.write("\n")
