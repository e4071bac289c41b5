#!/usr/bin/python3
# Reference numbers for tests/eval_human (run: /usr/bin/python3 make_reference.py, writes reference.json).
# sklearn and statsmodels are not installed on the build machine, so their formulas are ported here line by
# line (sklearn.metrics.cohen_kappa_score 1.x, statsmodels.stats.inter_rater.fleiss_kappa method='fleiss'), as
# is the Chatbot Arena notebook's compute_online_elo. Bradley-Terry: an exact penalised MLE in numpy (Newton,
# float64) of the objective Arena's compute_mle_elo hands to LogisticRegression(fit_intercept=False, C=1e6):
# battles duplicated, a tie one win each way.
import json
import math
from collections import defaultdict

import numpy as np

rng = np.random.default_rng(20261123)


def cohen_kappa_score(y1, y2, weights=None):  # sklearn.metrics.cohen_kappa_score
    labels = sorted(set(y1) | set(y2))
    idx = {l: i for i, l in enumerate(labels)}
    k = len(labels)
    cm = np.zeros((k, k))
    for a, b in zip(y1, y2):
        cm[idx[a], idx[b]] += 1
    sum0, sum1 = cm.sum(axis=0), cm.sum(axis=1)
    expected = np.outer(sum0, sum1) / sum0.sum()
    if weights is None:
        w = np.ones((k, k)) - np.eye(k)
    else:
        w = np.abs(np.arange(k)[:, None] - np.arange(k)[None, :]).astype(float)
        if weights == "quadratic":
            w = w ** 2
    return float(1 - (w * cm).sum() / (w * expected).sum())


def fleiss_kappa(table):  # statsmodels.stats.inter_rater.fleiss_kappa(method='fleiss')
    table = np.asarray(table, float)
    n_sub, n_cat = table.shape
    n_total = table.sum()
    n_rater = table.sum(1)[0]
    p_cat = table.sum(0) / n_total
    table2 = table * table
    p_rat = (table2.sum(1) - n_rater) / (n_rater * (n_rater - 1.0))
    p_mean = p_rat.mean()
    p_mean_exp = (p_cat * p_cat).sum()
    return float((p_mean - p_mean_exp) / (1 - p_mean_exp))


def compute_online_elo(battles, K=4, SCALE=400, BASE=10, INIT_RATING=1000):  # Arena notebook
    rating = defaultdict(lambda: INIT_RATING)
    for model_a, model_b, winner in battles:
        ra, rb = rating[model_a], rating[model_b]
        ea = 1 / (1 + BASE ** ((rb - ra) / SCALE))
        eb = 1 / (1 + BASE ** ((ra - rb) / SCALE))
        sa = {"a": 1, "b": 0, "tie": 0.5}[winner]
        rating[model_a] += K * (sa - ea)
        rating[model_b] += K * (1 - sa - eb)
    return dict(rating)


def compute_mle_bt(battles, SCALE=400, BASE=10, INIT_RATING=1000, C=1e6):
    models = sorted({m for a, b, _ in battles for m in (a, b)})
    ix = {m: i for i, m in enumerate(models)}
    rows = []  # (winner index, loser index, weight): Arena's duplicated rows
    for a, b, w in battles:
        if w == "a":
            rows.append((ix[a], ix[b], 2.0))
        elif w == "b":
            rows.append((ix[b], ix[a], 2.0))
        else:
            rows += [(ix[a], ix[b], 1.0), (ix[b], ix[a], 1.0)]
    n, L = len(models), math.log(BASE)
    beta = np.zeros(n)
    for _ in range(200):
        g, H = beta / C, np.eye(n) / C
        for i, j, w in rows:
            p = 1 / (1 + math.exp(-L * (beta[i] - beta[j])))
            g[i] -= w * L * (1 - p); g[j] += w * L * (1 - p)
            h = w * L * L * p * (1 - p)
            H[i, i] += h; H[j, j] += h; H[i, j] -= h; H[j, i] -= h
        step = np.linalg.solve(H, g)
        beta -= step
        if np.abs(step).max() < 1e-12:
            break
    # The exact optimum has sum(beta) = 0 (the likelihood ignores a common shift, the penalty's gradient beta/C
    # must then sum to 0); rounding drifts along that nearly flat direction (curvature 1/C), so remove the drift.
    beta -= beta.mean()
    return {m: float(SCALE * beta[ix[m]] + INIT_RATING) for m in models}


out = {}

# Cohen: two raters, ordinal scores 0..4 correlated, 60 items.
truth = rng.integers(0, 5, 60)
r1 = [int(min(4, max(0, t + rng.integers(-1, 2)))) for t in truth]
r2 = [int(min(4, max(0, t + rng.integers(-2, 2)))) for t in truth]
out["cohen"] = {"rater1": r1, "rater2": r2,
                "none": cohen_kappa_score(r1, r2), "linear": cohen_kappa_score(r1, r2, "linear"),
                "quadratic": cohen_kappa_score(r1, r2, "quadratic")}

# Fleiss: 30 items, 6 ratings each, 4 categories; ratings listed per item.
items = []
for _ in range(30):
    pref = rng.integers(0, 4)
    items.append([int(pref if rng.random() < 0.6 else rng.integers(0, 4)) for _ in range(6)])
table = [[row.count(c) for c in range(4)] for row in items]
out["fleiss"] = {"items": items, "kappa": fleiss_kappa(table)}

# Battles among 5 models from Bradley-Terry strengths, ties 15%.
strength = {"m1": 1100, "m2": 1050, "m3": 1000, "m4": 950, "m5": 900}
names = sorted(strength)
battles = []
for _ in range(300):
    a, b = rng.choice(names, 2, replace=False)
    p = 1 / (1 + 10 ** ((strength[b] - strength[a]) / 400))
    u = rng.random()
    battles.append([str(a), str(b), "tie" if u < 0.15 else ("a" if rng.random() < p else "b")])
out["battles"] = {"battles": battles, "elo": compute_online_elo(battles), "bt": compute_mle_bt(battles)}

with open("reference.json", "w") as f:
    json.dump(out, f, indent=1)
print(json.dumps({k: {kk: vv for kk, vv in v.items() if not isinstance(vv, list)} for k, v in out.items()}, indent=1))
