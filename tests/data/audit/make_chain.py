#!/usr/bin/python3
"""Reference hash chain for tests/audit/tst_audit.cpp, computed independently of Distillery's C++.

Canonical serialisation of an audit row (core/audit/AuditLog.h): the fields id, time, user, action, object_kind,
object_id, params, prev_hash in this order, each as a netstring b"<UTF-8 byte length>:<UTF-8 bytes>,"; the row's
hash is the lower-case hex SHA-256 of those bytes; the first row's prev_hash is 64 zeros. params is the stored
compact JSON text (keys sorted, no spaces), hashed verbatim.

Run: /usr/bin/python3 make_chain.py > chain.json
"""
import hashlib
import json

GENESIS = "0" * 64


def netstring(s: str) -> bytes:
    b = s.encode("utf-8")
    return str(len(b)).encode("ascii") + b":" + b + b","


def canonical(row: dict) -> bytes:
    return b"".join(netstring(str(row[k])) for k in
                    ("id", "time", "user", "action", "object_kind", "object_id", "params", "prev_hash"))


def params_text(obj: dict) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


ACTIONS = [
    ("2026-01-05T09:00:00.000Z", "alice", "workspace.created", "workspace", "/data/ws", {"name": "ws"}),
    ("2026-01-05T09:01:12.345Z", "alice", "model.added", "model", "/models/tiny-llama",
     {"id": 1, "name": "tiny-llama", "role": "teacher"}),
    ("2026-01-05T09:02:00.001Z", "bob", "dataset.derived", "dataset", "/data/clean,1:2.jsonl",
     {"id": 2, "parent_id": 1, "settings": {"operation": "dedup", "threshold": 0.875}}),
    ("2026-01-05T09:03:30.500Z", "bob", "job.created", "job", "3",
     {"kind": "lora", "name": "数据 → 模型 ünïcode"}),
    ("2026-01-05T09:04:00.000Z", "carol", "study.revealed", "study", "4", {}),
]

rows = []
prev = GENESIS
for i, (time, user, action, kind, oid, params) in enumerate(ACTIONS, start=1):
    row = {"id": i, "time": time, "user": user, "action": action, "object_kind": kind, "object_id": oid,
           "params": params_text(params), "prev_hash": prev}
    row["hash"] = hashlib.sha256(canonical(row)).hexdigest()
    rows.append(row)
    prev = row["hash"]

print(json.dumps({"genesis": GENESIS, "rows": rows}, indent=2, ensure_ascii=False))
