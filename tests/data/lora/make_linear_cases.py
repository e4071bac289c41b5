#!/usr/bin/python3
# Reference outputs of one LoRA-adapted linear layer, computed as PEFT's lora.Linear.forward does in eval mode:
#   result = F.linear(x, W, b) + lora_B(lora_A(dropout(x))) * scaling,  scaling = alpha / r  (rsLoRA: alpha / sqrt(r))
# and of the merged weight W + scaling * (B @ A) (PEFT's get_delta_weight). Run with Debian's python3 (torch 1.13 CPU):
#   /usr/bin/python3 make_linear_cases.py > linear_cases.json
import json
import math

import torch
import torch.nn.functional as F

torch.manual_seed(1234)
cases = []
for name, inf, outf, r, alpha, rslora, bias in [
    ("r4_alpha8", 12, 10, 4, 8.0, False, False),
    ("r8_alpha16_bias", 16, 24, 8, 16.0, False, True),
    ("r16_alpha32_rslora", 20, 12, 16, 32.0, True, True),
    ("r1_alpha3_rslora", 7, 5, 1, 3.0, True, False),
]:
    x = torch.randn(2, 3, inf)
    w = torch.randn(outf, inf) * 0.2
    b = torch.randn(outf) if bias else None
    a = torch.empty(r, inf)
    torch.nn.init.kaiming_uniform_(a, a=math.sqrt(5))
    bb = torch.randn(outf, r) * 0.1
    scaling = alpha / math.sqrt(r) if rslora else alpha / r
    y = F.linear(x, w, b) + F.linear(F.linear(x, a), bb) * scaling
    merged = w + scaling * (bb @ a)
    cases.append({
        "name": name, "in": inf, "out": outf, "r": r, "alpha": alpha, "rslora": rslora, "scaling": scaling,
        # torch.nn.init.kaiming_uniform_'s own bound for a=sqrt(5), fan_in = in (what PEFT's reset_lora_parameters uses)
        "kaiming_bound": torch.nn.init.calculate_gain("leaky_relu", math.sqrt(5)) * math.sqrt(3.0 / inf),
        "x": x.flatten().tolist(), "weight": w.flatten().tolist(), "bias": b.tolist() if bias else None,
        "lora_A": a.flatten().tolist(), "lora_B": bb.flatten().tolist(),
        "y": y.flatten().tolist(), "merged_weight": merged.flatten().tolist(),
    })
print(json.dumps({"torch": torch.__version__, "cases": cases}))
