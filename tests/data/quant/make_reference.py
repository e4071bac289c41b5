#!/usr/bin/python3
# Reference quantization of small weights, written independently of Distillery's C++ with PyTorch's own ops
# (GPTQ's/AutoAWQ's min-max quantizer, 0 kept inside the range; torch.round is half to even), so tst_quant can
# require bit-identical codes, scales and zero points. Run with Debian's python3 (torch 1.13 CPU):
#   /usr/bin/python3 make_reference.py > quant_cases.json
#
#   int8       scale[o] = max|W[o,:]| / 127 (1 for an all-zero row); q = clamp(round(W / scale), -127, 127)
#   int4-gG    per [o, group]: lo = min(0, min W), hi = max(0, max W), scale = (hi - lo) / 15 (1 when 0),
#              zero = clamp(round(-lo / scale), 0, 15), q = clamp(round(W / scale) + zero, 0, 15);
#              packed byte j of a row = q[2j] | q[2j+1] << 4
#   W8A8 act   per token: s = max|x| / 127 (1 when 0), xq = clamp(round(x / s), -127, 127) * s
import json

import torch

torch.manual_seed(20261123)


def int8(w):
    s = w.abs().amax(dim=1) / 127
    s = torch.where(s > 0, s, torch.ones_like(s))
    q = torch.round(w / s[:, None]).clamp(-127, 127).to(torch.int8)
    return q, s, None, q.float() * s[:, None]


def int4(w, g):
    out, inf = w.shape
    wg = w.reshape(out, inf // g, g)
    lo = wg.amin(dim=2).clamp(max=0)
    hi = wg.amax(dim=2).clamp(min=0)
    s = (hi - lo) / 15
    s = torch.where(s > 0, s, torch.ones_like(s))
    z = torch.round(-lo / s).clamp(0, 15)
    q = (torch.round(wg / s[..., None]) + z[..., None]).clamp(0, 15).to(torch.uint8)
    deq = ((q.float() - z[..., None]) * s[..., None]).reshape(out, inf)
    q = q.reshape(out, inf)
    packed = q[:, 0::2] | (q[:, 1::2] << 4)
    return packed, s, z.to(torch.uint8), deq


def weight(kind, out, inf):
    w = torch.randn(out, inf) * 0.05
    if kind == "outliers":  # one large value per row, as real LLM weights have
        w[torch.arange(out), torch.randint(0, inf, (out,))] *= 40
    elif kind == "odd":  # an all-zero row, a constant row, an all-negative and an all-positive row
        w[0] = 0
        w[1] = 0.3
        w[2] = -w[2].abs()
        w[3] = w[3].abs()
    return w


def flat(t):
    return [float(v) for v in t.reshape(-1).tolist()] if t.is_floating_point() else [int(v) for v in t.reshape(-1).tolist()]


cases = []
for scheme, kind, out, inf in [
    ("int8", "normal", 6, 40),
    ("int8", "outliers", 5, 64),
    ("int8", "odd", 4, 24),
    ("int4-g32", "normal", 3, 64),
    ("int4-g32", "odd", 4, 32),
    ("int4-g64", "outliers", 3, 128),
    ("int4-g128", "normal", 2, 256),
]:
    w = weight(kind, out, inf)
    if scheme == "int8":
        q, s, z, deq = int8(w)
    else:
        q, s, z, deq = int4(w, int(scheme.split("-g")[1]))
    cases.append({
        "name": f"{scheme}_{kind}", "scheme": scheme, "shape": [out, inf], "weight": flat(w),
        "qweight": flat(q), "scales": flat(s), "zeros": flat(z) if z is not None else None,
        "max_abs_error": float((w - deq).abs().max()),
    })

x = torch.randn(2, 3, 16)
x[0, 1] = 0  # an all-zero token
s = x.abs().amax(dim=-1, keepdim=True) / 127
s = torch.where(s > 0, s, torch.ones_like(s))
xq = torch.round(x / s).clamp(-127, 127) * s
activations = {"shape": list(x.shape), "x": flat(x), "fake_quantized": flat(xq)}

print(json.dumps({"weights": cases, "activations": activations}, indent=1))
