#!/usr/bin/env python3
"""Writes dtypes.safetensors: one small tensor of every dtype Distillery supports, laid out byte for byte as the
reference `safetensors` library (huggingface/safetensors, Rust `serialize`) writes it:

  * tensors sorted by the reference Dtype enum order, largest first (I64, F64, F32, I32, BF16, F16, I16, I8,
    U8, BOOL), then by name compared as UTF-8 bytes;
  * header = serde_json compact output: {"__metadata__":{...},"name":{"dtype":..,"shape":[..],"data_offsets":[b,e]},..}
    (Python's json.dumps with separators=(",", ":") and ensure_ascii=False escapes strings the same way);
  * header padded with spaces to a multiple of 8 bytes; u64 little-endian length in front.

The `safetensors` Python package is not installed here, so the rules are applied by hand; tst_checkpoint checks
them against the fixtures, which the real library wrote. The reference keeps __metadata__ in a HashMap (random
order for more than one key); Distillery writes metadata keys sorted, and so does this script.

Values are exact in every dtype; tst_checkpoint.cpp builds the same tensors (expectedDtypeTensors()).
Run with Debian's python3-torch:  /usr/bin/python3 make_dtypes.py   (writes dtypes.safetensors beside it)
"""
import json
import os
import struct

import torch

ORDER = {"BOOL": 0, "U8": 1, "I8": 2, "I16": 5, "F16": 7, "BF16": 8, "I32": 9, "F32": 11, "F64": 12, "I64": 13}
NAMES = {torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
         torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8",
         torch.bool: "BOOL"}

tensors = {
    "f64": (torch.arange(6, dtype=torch.float64) - 2.5).mul(0.375).reshape(2, 3),
    "f32": (torch.arange(6, dtype=torch.float32) * 1.25 - 3).reshape(3, 2),
    "f16": torch.tensor([0.5, -1.5, 1024.0, -0.25], dtype=torch.float16),
    "bf16": torch.tensor([[1.0, -3.0], [0.15625, 256.0]], dtype=torch.bfloat16),
    "i64": torch.tensor([-(2 ** 62), 0, 2 ** 62 + 5], dtype=torch.int64),
    "i32": torch.tensor([[-2147483648, 2147483647], [0, 7]], dtype=torch.int32),
    "i16": torch.tensor([-32768, 32767, 12], dtype=torch.int16),
    "i8": torch.tensor([-128, 127, 0, -1], dtype=torch.int8),
    "u8": torch.tensor([0, 255], dtype=torch.uint8),
    "bool": torch.tensor([True, False, True], dtype=torch.bool),
    "scalar": torch.tensor(3.5, dtype=torch.float32),
    "empty": torch.zeros(0, 4, dtype=torch.float32),
    "weird \"name\"\t\x01/ü权": torch.tensor([7, 9], dtype=torch.uint8),
}
metadata = {"format": "pt", "note": "a \"quoted\"\nline"}


def raw(t):
    t = t.contiguous()
    if t.dtype in (torch.float16, torch.bfloat16):
        t = t.view(torch.int16)
    return t.numpy().tobytes() if t.numel() else b""


items = sorted(tensors.items(), key=lambda kv: (-ORDER[NAMES[kv[1].dtype]], kv[0].encode("utf-8")))
header = {"__metadata__": dict(sorted(metadata.items()))}
offset = 0
for name, t in items:
    n = t.numel() * t.element_size()
    header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + n]}
    offset += n
text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
text += b" " * ((8 - len(text) % 8) % 8)
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dtypes.safetensors")
with open(out, "wb") as f:
    f.write(struct.pack("<Q", len(text)))
    f.write(text)
    for _, t in items:
        f.write(raw(t))
print(out, 8 + len(text) + offset, "bytes")
