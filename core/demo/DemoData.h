// The demo workspace's own material, made on the spot so the demo needs no download: a small English word task
// (plurals, capitals, word order) as prompt/completion rows, and a byte-level BPE tokenizer (every byte a token,
// no merges) with a tiny chat template, in the files transformers reads.
#pragma once
#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <cstdint>

namespace distillery {

struct DemoDataFiles {
  QString train;       // JSONL {"prompt", "completion"}
  QString validation;  // same words as train, other phrasing seeds
  QString test;        // words never seen in training (the plural and capital rules must generalise)
  int trainRows = 0, validationRows = 0, testRows = 0;
};

// Writes train.jsonl, validation.jsonl and test.jsonl into dir (created). Same seed, same bytes.
DemoDataFiles writeDemoData(const QString& dir, uint64_t seed);

// Vocabulary size of the demo tokenizer: <unk>, <s>, </s> and the 256 bytes.
constexpr int64_t kDemoVocab = 259;

// Writes tokenizer.json, tokenizer_config.json and generation_config.json into dir (created).
void writeDemoTokenizer(const QString& dir);

// config.json of a Llama-family model over the demo tokenizer: hidden, layers, heads (kv heads = heads / 2),
// intermediate size; 128 positions, untied embeddings, float32.
QJsonObject demoModelConfig(int64_t hidden, int64_t layers, int64_t heads, int64_t intermediate);

}  // namespace distillery
