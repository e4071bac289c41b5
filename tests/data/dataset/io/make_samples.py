#!/usr/bin/python3
"""Writes the small dataset samples tst_dataset_io reads (every format, encoding and schema, plus bad input).

Run from anywhere: /usr/bin/python3 tests/data/dataset/io/make_samples.py. Bytes are written exactly (CRLF,
BOMs, invalid UTF-8), so the samples are reproducible; the tests state their expected rows by hand.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, data):
    path = os.path.join(HERE, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def line(obj):
    return json.dumps(obj, ensure_ascii=False) + "\n"


# alpaca, JSONL with a blank line (line numbers must still count it)
write("alpaca.jsonl",
      line({"instruction": "Add 2 and 3.", "input": "", "output": "5"}) + "\n" +
      line({"instruction": "Translate to French.", "input": "cheese", "output": "fromage"}) +
      line({"instruction": "Name a colour.", "output": "blue"}))

# sharegpt, a pretty-printed JSON array: elements span lines
write("sharegpt.json", json.dumps([
    {"conversations": [{"from": "system", "value": "Be brief."}, {"from": "human", "value": "Hi"},
                       {"from": "gpt", "value": "Hello!"}]},
    {"conversations": [{"from": "human", "value": "2+2, [in] {braces}?"}, {"from": "gpt", "value": "4 \"quoted\""}]},
], indent=2, ensure_ascii=False) + "\n")

# OpenAI messages, UTF-8 with a BOM, CRLF line ends
write("messages_bom.jsonl", b"\xef\xbb\xbf" + (
    line({"messages": [{"role": "user", "content": "Grüß dich"}, {"role": "assistant", "content": "Servus"}]}) +
    line({"messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "Q"},
                       {"role": "assistant", "content": "A"}, {"role": "user", "content": "Q2"}]})
).replace("\n", "\r\n").encode("utf-8"))

# prompt/completion in UTF-16LE and UTF-16BE with BOMs
pc = line({"prompt": "Capital of Japan?", "completion": "東京"}) + line({"prompt": "1+1=", "completion": "2"})
write("prompt_completion_utf16le.jsonl", b"\xff\xfe" + pc.encode("utf-16-le"))
write("prompt_completion_utf16be.jsonl", b"\xfe\xff" + pc.encode("utf-16-be"))
write("prompt_completion_utf32le.jsonl", b"\xff\xfe\x00\x00" + pc.encode("utf-32-le"))

# plain text: every non-blank line a document
write("lines.txt", "First document.\n\n  \nSecond one, with ünïcode.\r\nThird\n")

# a folder of documents: .txt and .md recursively, sorted by relative path; other files ignored
write("docs/b.txt", "Bee\nline two\n")
write("docs/a.md", "# A\r\n\r\nmarkdown")
write("docs/sub/c.txt", "Sea")
write("docs/empty.txt", "  \n")
write("docs/notes.bin", "not a document")

# CSV: quotes, an embedded newline, a doubled quote, CRLF, an empty cell
write("qa.csv", 'question,answer,source\r\n'
                '"What is 2+2?",4,math\r\n'
                '"Say ""hi""","hi,\r\nthere",\r\n'
                'plain,"multi\nline\nanswer",wiki\r\n')

# TSV with a quoted cell holding a tab
write("qa.tsv", "question\tanswer\nWhy?\tBecause\n\"tab\there\"\tyes\n")

# JSONL with one bad row of every kind (lines 2-6); line 7 is over the 200 byte limit the test sets
write("bad.jsonl", b"".join([
    line({"text": "good one"}).encode(),                 # 1
    b'{"text": "unterminated}\n',                        # 2 invalid JSON
    b'["an", "array"]\n',                                # 3 not an object
    b'{"text": "bad \xff\xfe utf8"}\n',                  # 4 invalid UTF-8
    b'42\n',                                             # 5 not an object
    b'{"text": "trailing"} x\n',                         # 6 invalid JSON
    line({"text": "x" * 300}).encode(),                  # 7 too long (maxLineBytes 200)
    line({"prompt": "missing completion"}).encode(),     # 8 a good row without a schema's fields
    line({"text": "good two"}).encode(),                 # 9
]))

# CSV with a wrong cell count (line 3) and an unterminated quote (line 5, runs to the end)
write("bad.csv", 'a,b\n1,2\n3,4,5\n6,7\n"8,9\n10,11\n')

# JSON array with problems: a non-object, invalid JSON, and a missing ','
write("bad_array.json", '[\n  {"text": "ok"},\n  7,\n  {"text": nope},\n  {"text": "b"}\n  {"text": "c"}\n]\n')

# CSV headers that are refused
write("dup_header.csv", "question,answer,question\n1,2,3\n")
write("empty_header.csv", "question,,answer\n1,2,3\n")
