#!/usr/bin/env python3
"""Peer for `distillery-bench store`: metric inserts/s with Python's sqlite3 module.

Same schema, index and pragmas as Distillery's workspace (WAL, synchronous=NORMAL, foreign keys on), rows
inserted with executemany in transactions of BATCH rows. Usage: store_peer.py DB ROWS BATCH -> JSON on stdout.
"""
import json, os, sqlite3, sys, time

path, rows, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(os.path.dirname(path), exist_ok=True)
db = sqlite3.connect(path, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=NORMAL")
db.execute("PRAGMA foreign_keys=ON")
db.execute("CREATE TABLE jobs (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, config_json TEXT NOT NULL)")
db.execute("CREATE TABLE metrics (job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,"
           " step INTEGER NOT NULL, name TEXT NOT NULL, value REAL NOT NULL, wall_time REAL NOT NULL)")
db.execute("CREATE INDEX metrics_job_name_step ON metrics(job_id, name, step)")
db.execute("INSERT INTO jobs VALUES (1, 'lora', '{}')")
names = ["loss", "loss_ce", "loss_kd", "lr", "grad_norm"]
start = time.perf_counter()
for base in range(0, rows, batch):
    chunk = [(1, i // 5, names[i % 5], 1.0 / (i + 1), i * 1e-3) for i in range(base, min(rows, base + batch))]
    db.execute("BEGIN")
    db.executemany("INSERT INTO metrics VALUES (?, ?, ?, ?, ?)", chunk)
    db.execute("COMMIT")
elapsed = time.perf_counter() - start
print(json.dumps({"rows": rows, "seconds": elapsed, "rows_per_s": rows / elapsed}))
