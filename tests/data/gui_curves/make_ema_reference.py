#!/usr/bin/python3
"""Reference for tst_gui_curves: a noisy loss, a warm-up + cosine lr, and the loss's TensorBoard debiased EMA,
written independently of the C++ CurveBuffer (plain Python: this machine's python has no numpy).
Run from this folder: /usr/bin/python3 make_ema_reference.py > ema_reference.json

TensorBoard's smoothing: last = w * last + (1 - w) * x, starting at 0; smoothed = last / (1 - w ** t), t = 1, 2, ...
Here computed as the closed-form weighted sum last_t = (1 - w) * sum_i w^(t-i) x_i, per t, without a running state.
"""
import json
import math
import random

rng = random.Random(20261207)
steps = list(range(1, 41))
loss = [3.0 * math.exp(-s / 15.0) + 0.4 + 0.25 * rng.gauss(0, 1) for s in steps]
lr = [3e-3 * s / 5 if s <= 5 else 3e-3 * 0.5 * (1 + math.cos(math.pi * (s - 5) / 35)) for s in steps]
out = {"steps": steps, "loss": loss, "lr": lr, "smoothed": {}}
for w in (0.6, 0.9):
    smoothed = []
    for t in range(1, len(loss) + 1):
        last = (1 - w) * math.fsum(w ** (t - i) * loss[i - 1] for i in range(1, t + 1))
        smoothed.append(last / (1 - w ** t))
    out["smoothed"][str(w)] = smoothed
print(json.dumps(out, indent=1))
