#!/usr/bin/env python3
"""Reference checkpoints and logits for the decoder features the shared fixtures do not cover.

The shared fixtures (transformers-made) cover Llama with GQA and Qwen2 with q/k/v biases and tied embeddings.
Three features have no transformers golden there: Qwen3's per-head q_norm/k_norm (with a head_dim that is not
hidden/heads), Mistral's sliding window, and Llama 3.1's "llama3" RoPE frequency scaling. Debian has no
transformers, so this script re-states transformers' eager forward (modeling_llama / modeling_qwen3 /
modeling_mistral, masking_utils, modeling_rope_utils._compute_llama3_parameters) in plain torch, line for line,
independently of the C++ code, and writes for each case a model folder (config.json, model.safetensors) and
golden.safetensors: input_ids [2, 24], attention_mask [2, 24] (row 1 left-padded by 5), logits [2, 24, vocab]
(no mask) and logits_masked (with the mask, position ids 0..S-1 as transformers 5 uses without position_ids).

Run with Debian's python3-torch: /usr/bin/python3 tests/data/model/make_reference.py
"""
import json
import math
import os
import struct

import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def write_safetensors(path, tensors):
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    codes = {torch.float32: "F32", torch.int64: "I64"}
    for name, t in tensors.items():
        data = t.contiguous().numpy().tobytes()
        header[name] = {"dtype": codes[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def rms_norm(x, w, eps):
    # LlamaRMSNorm / Qwen3RMSNorm
    dtype = x.dtype
    x = x.to(torch.float32)
    x = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps)
    return w * x.to(dtype)


def inv_freq(cfg, head_dim):
    theta = cfg["rope_theta"]
    f = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim))
    s = cfg.get("rope_scaling")
    if not s:
        return f
    # modeling_rope_utils._compute_llama3_parameters
    factor, low, high = s["factor"], s["low_freq_factor"], s["high_freq_factor"]
    old = s["original_max_position_embeddings"]
    low_wavelen, high_wavelen = old / low, old / high
    wavelen = 2 * math.pi / f
    f_llama = torch.where(wavelen > low_wavelen, f / factor, f)
    smooth = (old / wavelen - low) / (high - low)
    smoothed = (1 - smooth) * f_llama / factor + smooth * f_llama
    medium = ~(wavelen < high_wavelen) * ~(wavelen > low_wavelen)
    return torch.where(medium, smoothed, f_llama)


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat((-x[..., h:], x[..., :h]), dim=-1)


def forward(cfg, w, ids, mask=None):
    B, S = ids.shape
    H, KV = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    D = cfg.get("head_dim") or cfg["hidden_size"] // H
    eps = cfg["rms_norm_eps"]
    pos = torch.arange(S).unsqueeze(0).expand(B, S).float()
    freqs = pos[:, :, None] * inv_freq(cfg, D)[None, None, :]
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos()[:, None], emb.sin()[:, None]  # [B, 1, S, D]

    q_idx, k_idx = torch.arange(S)[:, None], torch.arange(S)[None, :]
    allowed = k_idx <= q_idx
    if cfg.get("sliding_window"):
        allowed = allowed & (k_idx > q_idx - cfg["sliding_window"])  # masking_utils.sliding_window_overlay
    allowed = allowed[None, None].expand(B, 1, S, S)
    if mask is not None:
        allowed = allowed & mask.bool()[:, None, None, :]
    bias = torch.zeros(B, 1, S, S).masked_fill(~allowed, torch.finfo(torch.float32).min)

    x = w["model.embed_tokens.weight"][ids]
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        h = rms_norm(x, w[p + "input_layernorm.weight"], eps)
        q = (h @ w[p + "self_attn.q_proj.weight"].T).view(B, S, H, D)
        k = (h @ w[p + "self_attn.k_proj.weight"].T).view(B, S, KV, D)
        v = (h @ w[p + "self_attn.v_proj.weight"].T).view(B, S, KV, D)
        if p + "self_attn.q_norm.weight" in w:  # Qwen3: per-head RMSNorm before RoPE
            q = rms_norm(q, w[p + "self_attn.q_norm.weight"], eps)
            k = rms_norm(k, w[p + "self_attn.k_norm.weight"], eps)
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k = k.repeat_interleave(H // KV, dim=1)
        v = v.repeat_interleave(H // KV, dim=1)
        scores = q @ k.transpose(2, 3) * D ** -0.5 + bias
        probs = torch.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
        a = (probs @ v).transpose(1, 2).reshape(B, S, H * D)
        x = x + a @ w[p + "self_attn.o_proj.weight"].T
        h = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
        gate = torch.nn.functional.silu(h @ w[p + "mlp.gate_proj.weight"].T)
        x = x + (gate * (h @ w[p + "mlp.up_proj.weight"].T)) @ w[p + "mlp.down_proj.weight"].T
    x = rms_norm(x, w["model.norm.weight"], eps)
    head = w["model.embed_tokens.weight"] if cfg["tie_word_embeddings"] else w["lm_head.weight"]
    return x @ head.T


def make_weights(cfg, gen):
    V, E, L = cfg["vocab_size"], cfg["hidden_size"], cfg["num_hidden_layers"]
    H, KV, I = cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["intermediate_size"]
    D = cfg.get("head_dim") or E // H
    # Larger than transformers' 0.02 init so attention is peaked and each feature visibly changes the logits.
    lin = lambda o, i: torch.randn(o, i, generator=gen) * (1.0 / math.sqrt(i))
    norm = lambda n: 1.0 + 0.1 * torch.randn(n, generator=gen)
    w = {"model.embed_tokens.weight": torch.randn(V, E, generator=gen)}
    for i in range(L):
        p = f"model.layers.{i}."
        w[p + "input_layernorm.weight"] = norm(E)
        w[p + "self_attn.q_proj.weight"] = lin(H * D, E) * 2.0
        w[p + "self_attn.k_proj.weight"] = lin(KV * D, E) * 2.0
        w[p + "self_attn.v_proj.weight"] = lin(KV * D, E)
        w[p + "self_attn.o_proj.weight"] = lin(E, H * D)
        if cfg["model_type"] == "qwen3":
            w[p + "self_attn.q_norm.weight"] = norm(D)
            w[p + "self_attn.k_norm.weight"] = norm(D)
        w[p + "post_attention_layernorm.weight"] = norm(E)
        w[p + "mlp.gate_proj.weight"] = lin(I, E)
        w[p + "mlp.up_proj.weight"] = lin(I, E)
        w[p + "mlp.down_proj.weight"] = lin(E, I)
    w["model.norm.weight"] = norm(E)
    if not cfg["tie_word_embeddings"]:
        w["lm_head.weight"] = lin(V, E)
    return w


BASE = {"hidden_act": "silu", "max_position_embeddings": 256, "rms_norm_eps": 1e-6, "torch_dtype": "float32",
        "bos_token_id": 1, "eos_token_id": 2, "vocab_size": 96, "hidden_size": 32, "intermediate_size": 64,
        "num_hidden_layers": 2, "attention_bias": False, "attention_dropout": 0.0, "initializer_range": 0.02}
CASES = {
    # head_dim 16 with 4 heads on a 32-wide model: q_proj is [64, 32], q_norm/k_norm are [16].
    "tiny-qwen3": dict(BASE, architectures=["Qwen3ForCausalLM"], model_type="qwen3", num_attention_heads=4,
                       num_key_value_heads=2, head_dim=16, rope_theta=1000000.0, tie_word_embeddings=True,
                       use_sliding_window=False, sliding_window=None, max_window_layers=2),
    # A window of 5 over 24 positions: every query past the 5th loses context.
    "tiny-mistral-sw": dict(BASE, architectures=["MistralForCausalLM"], model_type="mistral",
                            num_attention_heads=4, num_key_value_heads=1, rope_theta=10000.0,
                            tie_word_embeddings=False, sliding_window=5),
    # head_dim 16, theta 1e4: wavelengths 6.3 .. 19869 straddle both bands of an original context of 64.
    "tiny-llama3-rope": dict(BASE, architectures=["LlamaForCausalLM"], model_type="llama", num_attention_heads=2,
                             num_key_value_heads=1, rope_theta=10000.0, tie_word_embeddings=False,
                             rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                                           "high_freq_factor": 4.0, "original_max_position_embeddings": 64}),
}


def read_safetensors(path):
    import numpy as np
    blob = open(path, "rb").read()
    n = struct.unpack("<Q", blob[:8])[0]
    header, out = json.loads(blob[8:8 + n]), {}
    types = {"F32": np.float32, "I64": np.int64, "F16": np.float16}
    for name, v in header.items():
        if name != "__metadata__":
            s, e = v["data_offsets"]
            data = np.frombuffer(blob[8 + n + s:8 + n + e], dtype=types[v["dtype"]]).copy()
            out[name] = torch.from_numpy(data).reshape(v["shape"])
    return out


def check_port_against_transformers():
    """The port must reproduce the transformers-made tiny-llama fixture before its numbers are trusted."""
    d = os.path.join(HERE, "..", "..", "..", "..", "shared", "fixtures", "tiny-llama")
    if not os.path.isdir(d):
        raise SystemExit("fixtures not found at " + d + "; they validate this port")
    cfg = json.load(open(os.path.join(d, "config.json")))
    cfg.setdefault("rope_theta", (cfg.get("rope_parameters") or {}).get("rope_theta", 10000.0))
    w = {k: v.float() for k, v in read_safetensors(os.path.join(d, "model.safetensors")).items()}
    g = read_safetensors(os.path.join(d, "golden.safetensors"))
    with torch.no_grad():
        err = ((forward(cfg, w, g["input_ids"]) - g["logits"]).norm() / g["logits"].norm()).item()
    print("port vs transformers on tiny-llama: rel err %.2g" % err)
    assert err < 1e-5, err


def main():
    check_port_against_transformers()
    for seed, (name, cfg) in enumerate(CASES.items()):
        gen = torch.Generator().manual_seed(1000 + seed)
        w = make_weights(cfg, gen)
        ids = torch.randint(3, cfg["vocab_size"], (2, 24), generator=gen)
        mask = torch.ones(2, 24, dtype=torch.int64)
        mask[1, :5] = 0
        with torch.no_grad():
            logits = forward(cfg, w, ids)
            masked = forward(cfg, w, ids, mask)
        out = os.path.join(HERE, name)
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, "config.json"), "w") as f:
            json.dump(cfg, f, indent=2, sort_keys=True)
            f.write("\n")
        write_safetensors(os.path.join(out, "model.safetensors"), w)
        write_safetensors(os.path.join(out, "golden.safetensors"),
                          {"input_ids": ids, "attention_mask": mask, "logits": logits, "logits_masked": masked})
        print(name, "logits", tuple(logits.shape), "std %.3f" % logits.std().item())


if __name__ == "__main__":
    main()
