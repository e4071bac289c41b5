#!/usr/bin/python3
# Reference numbers for tst_trainer's AdamW test: torch.optim.AdamW (torch 1.13, CPU, float32, foreach=False)
# over 6 steps on three small parameters with fixed gradients, weight decay on "w" only (the trainer exempts
# norms and biases), a different lr per step (as a schedule gives). Writes adamw.json beside this script.
import json, os
import torch

torch.manual_seed(1234)
shapes = {"w": [3, 4], "b": [4], "norm.weight": [5]}
decay = {"w": True, "b": False, "norm.weight": False}
cases = []
for wd, betas, eps in [(0.1, (0.9, 0.999), 1e-8), (0.0, (0.8, 0.95), 1e-6)]:
    params = {n: torch.randn(s) for n, s in shapes.items()}
    init = {n: p.tolist() for n, p in params.items()}
    tensors = {n: p.clone().requires_grad_(True) for n, p in params.items()}
    groups = [
        {"params": [tensors[n] for n in shapes if decay[n]], "weight_decay": wd},
        {"params": [tensors[n] for n in shapes if not decay[n]], "weight_decay": 0.0},
    ]
    opt = torch.optim.AdamW(groups, lr=1e-2, betas=betas, eps=eps, foreach=False)
    lrs = [1e-2, 3e-2, 2e-2, 5e-3, 1e-2, 0.0]
    steps = []
    for lr in lrs:
        grads = {n: torch.randn(s) * 0.5 for n, s in shapes.items()}
        for n, t in tensors.items():
            t.grad = grads[n].clone()
        for g in opt.param_groups:
            g["lr"] = lr
        opt.step()
        steps.append({"lr": lr, "grads": {n: g.tolist() for n, g in grads.items()},
                      "params": {n: t.detach().tolist() for n, t in tensors.items()}})
    final_state = {n: {"exp_avg": opt.state[t]["exp_avg"].tolist(), "exp_avg_sq": opt.state[t]["exp_avg_sq"].tolist(),
                       "step": int(opt.state[t]["step"])} for n, t in tensors.items()}
    cases.append({"weight_decay": wd, "beta1": betas[0], "beta2": betas[1], "eps": eps, "decay": decay,
                  "init": init, "steps": steps, "state": final_state})

out = {"torch": torch.__version__, "cases": cases}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "adamw.json"), "w") as f:
    json.dump(out, f, indent=1)
