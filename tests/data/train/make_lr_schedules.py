#!/usr/bin/python3
# Reference learning rates for tst_trainer: transformers' get_{cosine,linear,constant}_schedule_with_warmup
# lambdas (transformers/optimization.py, copied here since Debian's python3 has no transformers) driven through
# torch.optim.lr_scheduler.LambdaLR exactly as the HF Trainer drives them: the lr of update k (0-based) is read
# before the k-th scheduler.step(). Writes lr_schedules.json beside this script.
import json, math, os
import torch


def warmup(step, w):
    return float(step) / float(max(1, w))


def cosine(w, t, num_cycles=0.5):
    def f(step):
        if step < w:
            return warmup(step, w)
        progress = float(step - w) / float(max(1, t - w))
        return max(0.0, 0.5 * (1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress)))
    return f


def linear(w, t):
    def f(step):
        if step < w:
            return warmup(step, w)
        return max(0.0, float(t - step) / float(max(1, t - w)))
    return f


def constant(w, t):
    def f(step):
        if step < w:
            return warmup(step, w)
        return 1.0
    return f


cases = []
for kind, make in [("cosine", cosine), ("linear", linear), ("constant", constant)]:
    for w, t, lr in [(10, 100, 2e-4), (0, 7, 1e-3), (3, 3, 5e-5), (5, 1, 1e-2)]:
        p = torch.nn.Parameter(torch.zeros(1))
        opt = torch.optim.SGD([p], lr=lr)
        sched = torch.optim.lr_scheduler.LambdaLR(opt, make(w, t))
        lrs = []
        for _ in range(t + 2):
            lrs.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
        cases.append({"kind": kind, "warmup": w, "total": t, "lr": lr, "lrs": lrs})

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "lr_schedules.json"), "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, indent=1)
