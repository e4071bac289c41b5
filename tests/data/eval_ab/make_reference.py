#!/usr/bin/python3
"""Reference numbers for tests/eval_ab (Bayesian A/B with a Beta(1,1) prior, exact sign test, bootstrap).

This machine's Python has neither scipy nor statsmodels, so the values come from identities computed with exact
rational arithmetic (fractions) and the standard library, independently of the C++ continued fraction:
  - for integer a, b: I_x(a, b) = P(Binomial(a+b-1, x) >= a), summed exactly;
  - Beta quantiles by bisection on that exact function to 1e-15;
  - sign test: two-sided exact binomial p with p0 = 1/2 (= scipy.stats.binomtest(k, n).pvalue for p0 = 1/2);
  - bootstrap: the exact percentiles of the bootstrap distribution of wins / (wins + losses) when the N = wins +
    losses + ties items are resampled with replacement (multinomial enumeration; resamples without a decisive item
    are left out), which a Monte-Carlo bootstrap approaches as its rounds grow.
Run: /usr/bin/python3 make_reference.py > reference.tsv
Columns: wins_b losses_b ties mean p_b_better ci_low ci_high sign_p boot_low boot_high
"""
from fractions import Fraction
from math import comb, factorial


def reg_inc_beta(x, a, b):
    n = a + b - 1
    return sum(Fraction(comb(n, j)) * x ** j * (1 - x) ** (n - j) for j in range(a, n + 1))


def beta_quantile(q, a, b):
    lo, hi = 0.0, 1.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if reg_inc_beta(Fraction(mid), a, b) < q:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def sign_p(k, n):
    if n == 0:
        return 1.0
    tail = sum(comb(n, j) for j in range(0, min(k, n - k) + 1))
    return min(1.0, float(Fraction(2 * tail, 2 ** n)))


def boot_percentiles(w, l, t, qs):
    n = w + l + t
    dist = {}
    for W in range(n + 1):
        for L in range(n - W + 1):
            T = n - W - L
            if W + L == 0:
                continue
            p = Fraction(factorial(n), factorial(W) * factorial(L) * factorial(T)) * \
                Fraction(w, n) ** W * Fraction(l, n) ** L * Fraction(t, n) ** T
            if p == 0:
                continue
            r = Fraction(W, W + L)
            dist[r] = dist.get(r, 0) + p
    total = sum(dist.values())
    out = []
    for q in qs:
        acc = Fraction(0)
        for r in sorted(dist):
            acc += dist[r] / total
            if acc >= q:
                out.append(float(r))
                break
    return out


cases = [(0, 0, 3), (1, 0, 0), (7, 3, 2), (3, 7, 0), (12, 4, 4), (25, 14, 5), (30, 30, 10), (40, 10, 0), (9, 11, 6)]
for w, l, t in cases:
    a, b = 1 + w, 1 + l
    mean = a / (a + b)
    p_better = float(1 - reg_inc_beta(Fraction(1, 2), a, b))
    lo, hi = beta_quantile(Fraction(25, 1000), a, b), beta_quantile(Fraction(975, 1000), a, b)
    sp = sign_p(w, w + l)
    if w + l > 0 and w + l + t <= 60:
        blo, bhi = boot_percentiles(w, l, t, [Fraction(25, 1000), Fraction(975, 1000)])
    else:
        blo, bhi = float("nan"), float("nan")
    print("\t".join(str(v) for v in [w, l, t, repr(mean), repr(p_better), repr(lo), repr(hi), repr(sp), repr(blo),
                                     repr(bhi)]))
