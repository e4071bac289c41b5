#!/usr/bin/python3
"""Reference numbers for tests/kd beyond ../shared/fixtures/kd_loss_cases.json. Written in plain torch ops,
float64, independent of the C++ code. Run with Debian's python3 (torch 1.13 CPU):

    /usr/bin/python3 tests/data/kd/make_cases.py > tests/data/kd/cases.json

Sections:
  jsd        TRL's GKDTrainer.generalized_jsd_loss (copied formula: beta weighs the teacher, beta 0 = forward KL,
             beta 1 = reverse KL; no T^2) on the fixture's logits, mean over the 6 rows.
  ensemble   two or more teachers mixed in probability space, padded vocabularies (KD over the shared first
             min(V, Vt) ids, both sides renormalised there), masked labels: ce, kd = T^2 * D per divergence.
  feature    feature alignment with given projections: mse and cosine (1 - cos) over unmasked tokens,
             averaged over layer pairs.
"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(1234)
D = torch.float64


def generalized_jsd(student, teacher, beta, T):
    s = F.log_softmax(student / T, -1)
    t = F.log_softmax(teacher / T, -1)
    if beta == 0:
        jsd = F.kl_div(s, t, reduction="none", log_target=True)
    elif beta == 1:
        jsd = F.kl_div(t, s, reduction="none", log_target=True)
    else:
        b = torch.tensor(beta, dtype=D)
        m = torch.logsumexp(torch.stack([s + torch.log(1 - b), t + torch.log(b)]), 0)
        jsd = b * F.kl_div(m, t, reduction="none", log_target=True) + (1 - b) * F.kl_div(
            m, s, reduction="none", log_target=True)
    return (jsd.sum() / student.shape[0]).item()


def divergences(student, teachers, weights, labels, T, betas):
    mask = labels != -100
    s = student[mask]
    y = labels[mask]
    n = s.shape[0]
    shared = min([student.shape[1]] + [t.shape[1] for t in teachers])
    ce = F.cross_entropy(s, y, reduction="sum").item() / n
    w = torch.tensor(weights, dtype=D)
    w = w / w.sum()
    p = sum(w[i] * F.softmax(t[mask][:, :shared] / T, -1) for i, t in enumerate(teachers))
    q = F.softmax(s[:, :shared] / T, -1)
    fwd = (p * (p.log() - q.log())).sum().item() / n
    rev = (q * (q.log() - p.log())).sum().item() / n
    out = {"ce": ce, "forward_kl": T * T * fwd, "reverse_kl": T * T * rev, "jsd": {}}
    for b in betas:
        m = b * p + (1 - b) * q
        if b == 0:
            j = fwd
        elif b == 1:
            j = rev
        else:
            j = (b * (p * (p.log() - m.log())).sum() + (1 - b) * (q * (q.log() - m.log())).sum()).item() / n
        out["jsd"][str(b)] = T * T * j
    return out


def rows(t):
    return t.tolist()


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
FIXTURES = os.environ.get("DISTILLERY_FIXTURES", os.path.join(ROOT, "..", "shared", "fixtures"))
fixture = json.load(open(os.path.join(FIXTURES, "kd_loss_cases.json")))
jsd_cases = []
for c in fixture["cases"]:
    st = torch.tensor(c["student"], dtype=D)
    te = torch.tensor(c["teacher"], dtype=D)
    jsd_cases.append({b: generalized_jsd(st, te, b, c["T"]) for b in (0.0, 0.1, 0.5, 0.9, 1.0)})
jsd_out = [{"beta": {str(b): v for b, v in case.items()}} for case in jsd_cases]

ensemble = []
for name, V, Vts, weights, T in [("two teachers, one padded", 40, [40, 44], [2.0, 1.0], 2.0),
                                 ("student padded", 44, [40], [1.0], 1.5),
                                 ("three teachers", 32, [32, 36, 32], [0.5, 0.3, 0.2], 3.0)]:
    N = 9
    student = torch.randn(N, V, dtype=D) * 2
    teachers = [torch.randn(N, v, dtype=D) * 3 for v in Vts]
    labels = torch.randint(0, V, (N,))
    labels[1] = -100
    labels[6] = -100
    betas = [0.0, 0.3, 0.5, 1.0]
    ensemble.append({"name": name, "T": T, "weights": weights, "student": rows(student),
                     "teachers": [rows(t) for t in teachers], "labels": labels.tolist(),
                     "expected": divergences(student, teachers, weights, labels, T, betas)})

# Feature alignment: student 2 layers (3 hidden states) width 4, teacher 4 layers (5 states) width 6.
B, S, H, Ht = 2, 3, 4, 6
sstates = [torch.randn(B, S, H, dtype=D) for _ in range(3)]
tstates = [torch.randn(B, S, Ht, dtype=D) for _ in range(5)]
mask = torch.tensor([[1, 1, 0], [1, 1, 1]])
pairs = [(1, 2), (2, 4)]
proj = [(torch.randn(Ht, H, dtype=D) * 0.5, torch.randn(Ht, dtype=D) * 0.1) for _ in pairs]
m = mask.reshape(-1).bool()
mse, cos = [], []
for (si, ti), (w, b) in zip(pairs, proj):
    s = sstates[si].reshape(-1, H)[m] @ w.T + b
    t = tstates[ti].reshape(-1, Ht)[m]
    mse.append(((s - t) ** 2).mean().item())
    cos.append((1 - F.cosine_similarity(s, t, dim=1)).mean().item())
# Equal widths: no projection.
tsame = [torch.randn(B, S, H, dtype=D) for _ in range(5)]
mse_same = sum((((sstates[si].reshape(-1, H)[m] - tsame[ti].reshape(-1, H)[m]) ** 2).mean().item())
               for si, ti in pairs) / len(pairs)
feature = {"student": [rows(x) for x in sstates], "teacher": [rows(x) for x in tstates],
           "teacher_same_width": [rows(x) for x in tsame], "mask": mask.tolist(),
           "student_layers": [p[0] for p in pairs], "teacher_layers": [p[1] for p in pairs],
           "proj_weight": [rows(w) for w, _ in proj], "proj_bias": [b.tolist() for _, b in proj],
           "mse": sum(mse) / len(mse), "cosine": sum(cos) / len(cos), "mse_same_width": mse_same}

print(json.dumps({"torch": torch.__version__, "jsd": jsd_out, "ensemble": ensemble, "feature": feature}))
