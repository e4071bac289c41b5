#!/usr/bin/python3
"""Reference numbers for tests/eval_lm: sliding-window perplexity and log-likelihoods on the tiny-llama fixture.

Independent of Distillery's C++ model: a plain PyTorch Llama forward written here from the Hugging Face modeling
code (RMSNorm, RoPE "default", grouped-query attention, SiLU MLP), reading model.safetensors with a small reader
of its own (no transformers/safetensors packages needed). The forward is first checked against the fixture's
golden logits (float32, ~1e-5 relative), then used to compute:

  windows      perplexity / next-token accuracy of fixed token sequences with Hugging Face's stride loop
               ("Perplexity of fixed-length models": for begin in range(0, n, S): end = min(begin + W, n),
               score the tokens after the previous window's end, never a window's first token), token-weighted
               over the texts;
  loglikelihood  sum of log p(continuation | context) for fixed id requests, as lm-eval's loglikelihood.

Run:  /usr/bin/python3 tests/data/eval_lm/make_reference.py /work/shared/fixtures > tests/data/eval_lm/reference.json
"""
import json
import math
import struct
import sys

import torch

torch.set_default_dtype(torch.float64)


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    dtypes = {"F32": torch.float32, "I64": torch.int64, "F16": torch.float16, "BF16": torch.bfloat16}
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        raw = bytearray(data[8 + n + start:8 + n + end])
        out[name] = torch.frombuffer(raw, dtype=dtypes[info["dtype"]]).reshape(info["shape"]).clone()
    return out


class TinyLlama:
    def __init__(self, folder):
        self.cfg = json.load(open(folder + "/config.json"))
        self.w = {k: v.to(torch.float64) for k, v in load_safetensors(folder + "/model.safetensors").items()}

    def logits(self, ids):
        """ids: list of token ids (one unpadded row) -> [S, vocab] float64 logits."""
        c, w = self.cfg, self.w
        heads, kv, dim = c["num_attention_heads"], c["num_key_value_heads"], c["head_dim"]
        eps = c["rms_norm_eps"]
        theta = c.get("rope_parameters", {}).get("rope_theta", c.get("rope_theta", 10000.0))
        s = len(ids)
        x = w["model.embed_tokens.weight"][torch.tensor(ids)]

        def rms(v, weight):
            return weight * (v * torch.rsqrt(v.pow(2).mean(-1, keepdim=True) + eps))

        inv = 1.0 / (theta ** (torch.arange(0, dim, 2, dtype=torch.int64).double() / dim))
        freqs = torch.arange(s).double()[:, None] * inv[None, :]
        emb = torch.cat([freqs, freqs], -1)
        cos, sin = emb.cos(), emb.sin()  # [S, dim]

        def rope(t):  # [H, S, dim]
            half = dim // 2
            rot = torch.cat([-t[..., half:], t[..., :half]], -1)
            return t * cos + rot * sin

        causal = torch.full((s, s), float("-inf")).triu(1)
        for layer in range(c["num_hidden_layers"]):
            p = "model.layers.%d." % layer
            h = rms(x, w[p + "input_layernorm.weight"])
            q = (h @ w[p + "self_attn.q_proj.weight"].T).view(s, heads, dim).transpose(0, 1)
            k = (h @ w[p + "self_attn.k_proj.weight"].T).view(s, kv, dim).transpose(0, 1)
            v = (h @ w[p + "self_attn.v_proj.weight"].T).view(s, kv, dim).transpose(0, 1)
            q, k = rope(q), rope(k)
            k = k.repeat_interleave(heads // kv, 0)
            v = v.repeat_interleave(heads // kv, 0)
            att = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(dim) + causal, -1)
            o = (att @ v).transpose(0, 1).reshape(s, heads * dim)
            x = x + o @ w[p + "self_attn.o_proj.weight"].T
            h = rms(x, w[p + "post_attention_layernorm.weight"])
            gate = h @ w[p + "mlp.gate_proj.weight"].T
            up = h @ w[p + "mlp.up_proj.weight"].T
            x = x + (torch.nn.functional.silu(gate) * up) @ w[p + "mlp.down_proj.weight"].T
        x = rms(x, w["model.norm.weight"])
        return x @ w["lm_head.weight"].T


def hf_windows(n, window, stride):
    """Hugging Face's stride loop: (begin, end, first scored token)."""
    out, prev_end = [], 0
    for begin in range(0, n, stride):
        end = min(begin + window, n)
        first = max(prev_end, begin + 1)
        if first < end:
            out.append((begin, end, first))
        prev_end = end
        if end == n:
            break
    return out


def score(model, texts, window, stride):
    nll, tokens, correct = 0.0, 0, 0
    for ids in texts:
        for begin, end, first in hf_windows(len(ids), window, stride):
            logp = torch.log_softmax(model.logits(ids[begin:end]), -1)
            for t in range(first, end):
                row = logp[t - 1 - begin]
                nll -= row[ids[t]].item()
                correct += int(row.argmax().item() == ids[t])
                tokens += 1
    return {"window": window, "stride": stride, "nll": nll, "tokens": tokens, "correct": correct,
            "perplexity": math.exp(nll / tokens)}


def main():
    fixtures = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/fixtures"
    model = TinyLlama(fixtures + "/tiny-llama")
    golden = load_safetensors(fixtures + "/tiny-llama/golden.safetensors")
    ids0 = golden["input_ids"][0].tolist()
    ref = golden["logits"][0].double()
    ours = model.logits(ids0)
    rel = ((ours - ref).norm() / ref.norm()).item()
    assert rel < 1e-5, "the reference forward does not reproduce the golden logits: %g" % rel

    # Fixed texts (the ids are written out for the C++ test): pseudo-random tokens from an LCG, two of them then
    # continued greedily by the model itself so that next-token accuracy is not trivially zero.
    state, texts = 12345, []
    for length, greedy in ((8, 62), (33, 0), (5, 12)):
        row = [1]
        for _ in range(length - 1):
            state = (1103515245 * state + 12345) % (1 << 31)
            row.append(3 + state % 500)
        for _ in range(greedy):
            row.append(int(model.logits(row)[-1].argmax().item()))
        texts.append(row)
    cases = [score(model, texts, w, s) for (w, s) in ((128, 128), (16, 8), (16, 16), (10, 3), (24, 12), (2, 1))]

    # lm-eval loglikelihood requests (context ids, continuation ids).
    requests = [([1, 40, 41, 42], [43]), ([1, 7, 9], [11, 13, 17]), ([1], [300, 301, 302, 303]),
                ([1, 100, 200, 300, 400, 12], [5, 6]), (texts[0][:8], texts[0][8:11])]  # the last one greedy
    lls = []
    for ctx, cont in requests:
        whole = ctx + cont
        logp = torch.log_softmax(model.logits(whole[:-1]), -1)
        ll = sum(logp[len(ctx) - 1 + j][cont[j]].item() for j in range(len(cont)))
        greedy = all(logp[len(ctx) - 1 + j].argmax().item() == cont[j] for j in range(len(cont)))
        lls.append({"context": ctx, "continuation": cont, "loglikelihood": ll, "greedy": greedy})

    json.dump({"golden_rel_error": rel, "texts": texts, "windows": cases, "requests": lls}, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
