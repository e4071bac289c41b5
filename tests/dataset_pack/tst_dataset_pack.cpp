// Packing, length bucketing and padding waste of the training data (core/data/Packing.h, TrainingData.h), the
// packed attention mask in the models, the job fields that turn them on, and jobs reading any dataset format.
//
// The key check: a packed row gives each of its examples exactly the logits (and the loss) the example has when
// run alone, on both fixture models, with and without a sliding window.
#include "common/Error.h"
#include "data/Packing.h"
#include "data/TrainingData.h"
#include "jobs/RunJob.h"
#include "jobs/TaskSupport.h"
#include "model/AttentionMask.h"
#include "model/ModelLoader.h"
#include "train/JobSpec.h"

#include "Fixtures.h"
#include "TestUtil.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

using namespace distillery;

Q_DECLARE_METATYPE(distillery::Truncation)

namespace {

using IntList = QList<int64_t>;

torch::Tensor longs(const IntList& values, int64_t rows) {
  return torch::tensor(std::vector<int64_t>(values.begin(), values.end()), torch::kInt64).view({rows, -1});
}

// An example of these ids, every token counted unless targets says otherwise.
Example example(const IntList& ids, const IntList& targets = {}) {
  Example e;
  for (qsizetype i = 0; i < ids.size(); ++i) {
    e.ids.push_back(int32_t(ids[i]));
    e.target.push_back(targets.isEmpty() ? 1 : uint8_t(targets[i]));
  }
  return e;
}

// `count` examples with random ids in [3, vocab) and random lengths in [minLen, maxLen], all tokens counted.
std::vector<Example> randomExamples(size_t count, int64_t minLen, int64_t maxLen, int64_t vocab, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Example> out;
  for (size_t i = 0; i < count; ++i) {
    Example e;
    const int64_t len = minLen + int64_t(rng() % uint64_t(maxLen - minLen + 1));
    for (int64_t s = 0; s < len; ++s) {
      e.ids.push_back(int32_t(3 + rng() % uint64_t(vocab - 3)));
      e.target.push_back(1);
    }
    e.line = int64_t(i) + 1;
    out.push_back(e);
  }
  return out;
}

// A copy of a fixture model (weights linked) whose config.json turns a sliding window of `window` tokens on:
// tiny-llama as a Mistral (every layer), tiny-qwen2 on its layers 1 and 2 (layer 0 keeps full attention).
QString windowedModel(const QTemporaryDir& dir, const QString& name, int64_t window) {
  const QString out = dir.filePath(name);
  QDir().mkpath(out);
  QFile in(fixture(name + "/config.json"));
  if (!in.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(in.fileName()));
  QJsonObject c = QJsonDocument::fromJson(in.readAll()).object();
  c.insert("sliding_window", qint64(window));
  if (name == QLatin1String("tiny-llama")) {
    c.insert("architectures", QJsonArray{"MistralForCausalLM"});
    c.insert("model_type", "mistral");
  } else {
    c.insert("use_sliding_window", true);
    c.insert("layer_types", QJsonArray{"full_attention", "sliding_attention", "sliding_attention"});
  }
  QFile config(out + "/config.json");
  if (!config.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(config.fileName()));
  config.write(QJsonDocument(c).toJson());
  config.close();
  QFile::link(fixture(name + "/model.safetensors"), out + "/model.safetensors");
  return out;
}

// What the examples of a packed batch must satisfy whatever the packing: row b, segment k holds example
// rows[b][k]'s tokens (cut to seqLen) in order at positions 0.., labels only inside the example.
void checkPackedBatch(const Batch& batch, const std::vector<std::vector<const Example*>>& rows, int64_t seqLen) {
  const auto I = batch.inputIds.accessor<int64_t, 2>();
  const auto L = batch.labels.accessor<int64_t, 2>();
  const auto P = batch.positionIds.accessor<int64_t, 2>();
  const auto G = batch.segmentIds.accessor<int64_t, 2>();
  const auto M = batch.attentionMask.accessor<int64_t, 2>();
  int64_t tokens = 0;
  for (size_t b = 0; b < rows.size(); ++b) {
    int64_t at = 0;
    for (size_t k = 0; k < rows[b].size(); ++k) {
      const Example& e = *rows[b][k];
      const int64_t len = std::min<int64_t>(int64_t(e.ids.size()), seqLen);
      for (int64_t s = 0; s < len; ++s, ++at) {
        QCOMPARE(I[int64_t(b)][at], int64_t(e.ids[size_t(s)]));
        QCOMPARE(G[int64_t(b)][at], int64_t(k + 1));
        QCOMPARE(P[int64_t(b)][at], s);
        QCOMPARE(M[int64_t(b)][at], int64_t(1));
        const bool counted = s + 1 < len && e.target[size_t(s + 1)];
        QCOMPARE(L[int64_t(b)][at], counted ? int64_t(e.ids[size_t(s + 1)]) : int64_t(-100));
        tokens += counted;
      }
    }
    for (; at < batch.inputIds.size(1); ++at) {
      QCOMPARE(G[int64_t(b)][at], int64_t(0));
      QCOMPARE(M[int64_t(b)][at], int64_t(0));
      QCOMPARE(L[int64_t(b)][at], int64_t(-100));
    }
  }
  QCOMPARE(batch.tokens, tokens);
}

// The rows of a batch as TrainingData built them.
std::vector<std::vector<const Example*>> rowsOf(const TrainingData& data, const std::vector<size_t>& rowIndices) {
  std::vector<std::vector<const Example*>> rows;
  for (size_t r : rowIndices) {
    rows.emplace_back();
    for (size_t i : data.rows()[r]) rows.back().push_back(&data.examples()[i]);
  }
  return rows;
}

// The identity of an example in these tests: its first two ids.
std::pair<int64_t, int64_t> keyOf(const Example& e) { return {e.ids[0], e.ids[1]}; }

// Every example of a batch, by the tokens of its segments (packed) or rows (plain).
std::vector<std::pair<int64_t, int64_t>> examplesIn(const Batch& b) {
  std::vector<std::pair<int64_t, int64_t>> out;
  const auto I = b.inputIds.accessor<int64_t, 2>();
  const auto M = b.attentionMask.accessor<int64_t, 2>();
  for (int64_t r = 0; r < b.inputIds.size(0); ++r) {
    for (int64_t s = 0; s + 1 < b.inputIds.size(1); ++s) {
      if (!M[r][s]) continue;
      const bool starts = b.segmentIds.defined() ? (s == 0 || b.segmentIds[r][s].item<int64_t>() !=
                                                                  b.segmentIds[r][s - 1].item<int64_t>())
                                                 : s == 0;
      if (starts) out.emplace_back(I[r][s], I[r][s + 1]);
    }
  }
  return out;
}

void writeFile(const QString& path, const QByteArray& bytes) {
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
  f.write(bytes);
}

class MessageSink : public MetricsSink {
 public:
  void message(const QString& text) override { messages << text; }
  QStringList messages;
};

}  // namespace

class TestDatasetPack : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { torch::set_num_threads(1); }

  // ---- Packing ----
  void packRowsBestFitDecreasing_data() {
    QTest::addColumn<IntList>("lengths");
    QTest::addColumn<int64_t>("seqLen");
    QTest::addColumn<QList<IntList>>("rows");
    // Longest first: 4 opens row 0 (2 left), 3 opens row 1 (3 left), 2 fits best into row 0.
    QTest::addRow("best fit") << IntList{3, 2, 4} << int64_t(6) << QList<IntList>{{2, 1}, {0}};
    // Too long for seq_len: cut to 6, fills a row alone; equal lengths keep their index order.
    QTest::addRow("cut and ties") << IntList{2, 9, 2, 2} << int64_t(6) << QList<IntList>{{1}, {0, 2, 3}};
    QTest::addRow("exact fits") << IntList{5, 1, 3, 3} << int64_t(6) << QList<IntList>{{0, 1}, {2, 3}};
    QTest::addRow("one each") << IntList{4, 4, 4} << int64_t(6) << QList<IntList>{{0}, {1}, {2}};
  }
  void packRowsBestFitDecreasing() {
    QFETCH(IntList, lengths);
    QFETCH(int64_t, seqLen);
    QFETCH(QList<IntList>, rows);
    const std::vector<PackedRow> packed = packRows(std::vector<int64_t>(lengths.begin(), lengths.end()), seqLen);
    QCOMPARE(packed.size(), size_t(rows.size()));
    for (size_t r = 0; r < packed.size(); ++r)
      QCOMPARE(IntList(packed[r].begin(), packed[r].end()), rows[qsizetype(r)]);
  }

  void collatePackedExact_data() {
    QTest::addColumn<QList<IntList>>("ids");      // per example
    QTest::addColumn<QList<IntList>>("targets");  // per example (empty: all counted)
    QTest::addColumn<QList<IntList>>("rows");     // example indices per row
    QTest::addColumn<int64_t>("seqLen");
    QTest::addColumn<IntList>("inputIds");
    QTest::addColumn<IntList>("segments");
    QTest::addColumn<IntList>("positions");
    QTest::addColumn<IntList>("labels");
    QTest::addColumn<IntList>("mask");
    // Three examples in one row and one alone with padding: the last token of each example predicts nothing.
    QTest::addRow("three and one") << QList<IntList>{{10, 11, 12}, {20, 21}, {30, 31, 32}, {40, 41}}
                                   << QList<IntList>{{}, {}, {}, {}} << QList<IntList>{{0, 1, 2}, {3}} << int64_t(8)
                                   << IntList{10, 11, 12, 20, 21, 30, 31, 32, 40, 41, 0, 0, 0, 0, 0, 0}
                                   << IntList{1, 1, 1, 2, 2, 3, 3, 3, 1, 1, 0, 0, 0, 0, 0, 0}
                                   << IntList{0, 1, 2, 0, 1, 0, 1, 2, 0, 1, 1, 1, 1, 1, 1, 1}
                                   << IntList{11, 12, -100, 21, -100, 31, 32, -100, 41, -100, -100, -100, -100, -100,
                                              -100, -100}
                                   << IntList{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0};
    // Prompt tokens (target 0) are not predicted; a cut example loses its tail, labels included.
    QTest::addRow("prompts and cut") << QList<IntList>{{5, 6, 7, 8}, {9, 10, 11, 12, 13, 14, 15}}
                                     << QList<IntList>{{0, 0, 1, 1}, {0, 1, 1, 1, 1, 1, 1}}
                                     << QList<IntList>{{0}, {1}} << int64_t(5)
                                     << IntList{5, 6, 7, 8, 0, 9, 10, 11, 12, 13}
                                     << IntList{1, 1, 1, 1, 0, 1, 1, 1, 1, 1}
                                     << IntList{0, 1, 2, 3, 3, 0, 1, 2, 3, 4}
                                     << IntList{-100, 7, 8, -100, -100, 10, 11, 12, 13, -100}
                                     << IntList{1, 1, 1, 1, 0, 1, 1, 1, 1, 1};
    QTest::addRow("two fill the row") << QList<IntList>{{1, 2}, {3, 4, 5}} << QList<IntList>{{}, {}}
                                      << QList<IntList>{{1, 0}} << int64_t(5) << IntList{3, 4, 5, 1, 2}
                                      << IntList{1, 1, 1, 2, 2} << IntList{0, 1, 2, 0, 1}
                                      << IntList{4, 5, -100, 2, -100} << IntList{1, 1, 1, 1, 1};
  }
  void collatePackedExact() {
    QFETCH(QList<IntList>, ids);
    QFETCH(QList<IntList>, targets);
    QFETCH(QList<IntList>, rows);
    QFETCH(int64_t, seqLen);
    QFETCH(IntList, inputIds);
    QFETCH(IntList, segments);
    QFETCH(IntList, positions);
    QFETCH(IntList, labels);
    QFETCH(IntList, mask);
    std::vector<Example> examples;
    for (qsizetype i = 0; i < ids.size(); ++i) examples.push_back(example(ids[i], targets[i]));
    std::vector<std::vector<const Example*>> packed;
    for (const IntList& row : rows) {
      packed.emplace_back();
      for (int64_t i : row) packed.back().push_back(&examples[size_t(i)]);
    }
    const Batch b = collateRows(packed, seqLen, 0, Padding::Right, /*packed=*/true);
    const int64_t n = int64_t(rows.size());
    QVERIFY(torch::equal(b.inputIds, longs(inputIds, n)));
    QVERIFY(torch::equal(b.segmentIds, longs(segments, n)));
    QVERIFY(torch::equal(b.positionIds, longs(positions, n)));
    QVERIFY(torch::equal(b.labels, longs(labels, n)));
    QVERIFY(torch::equal(b.attentionMask, longs(mask, n)));
    int64_t counted = 0;
    for (int64_t l : labels) counted += l != -100;
    QCOMPARE(b.tokens, counted);
    checkPackedBatch(b, packed, seqLen);
  }

  void packedDataHoldsEveryExampleOnce() {
    // 200 examples of 2..40 tokens (some cut at 32) packed into rows of 32: each appears exactly once per epoch,
    // whole and in order, and no label crosses a boundary (checkPackedBatch).
    const std::vector<Example> examples = randomExamples(200, 2, 40, 500, 7);
    TrainingDataOptions o;
    o.seqLen = 32;
    o.batchSize = 4;
    o.packing = true;
    o.seed = 3;
    TrainingData data(examples, "mem", o);
    // Packing shares rows: best-fit decreasing needs at most 11/9 of the optimum + 1 rows (≥ tokens / 32).
    const int64_t tokens = data.stats().value("tokens").toInteger();
    const double bound = 11.0 / 9.0 * std::ceil(double(tokens) / 32.0) + 1;
    QVERIFY2(double(data.rows().size()) <= bound,
             qPrintable(QStringLiteral("%1 rows for %2 tokens").arg(data.rows().size()).arg(tokens)));
    std::multiset<std::pair<int64_t, int64_t>> seen;
    std::vector<size_t> rowsSeen;
    for (int64_t i = 0; i < data.batchesPerEpoch(); ++i) {
      const Batch b = data.next();
      QVERIFY(b.inputIds.size(1) <= 32);
      for (const auto& k : examplesIn(b)) seen.insert(k);
    }
    std::multiset<std::pair<int64_t, int64_t>> expected;
    for (const Example& e : data.examples()) expected.insert(keyOf(e));
    QCOMPARE(data.examples().size(), size_t(200));
    QVERIFY(seen == expected);
    // Every row of the packing, batch by batch, passes the exact layout check.
    std::vector<size_t> all(data.rows().size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    for (size_t from = 0; from < all.size(); from += 7) {
      const std::vector<size_t> some(all.begin() + std::ptrdiff_t(from),
                                     all.begin() + std::ptrdiff_t(std::min(all.size(), from + 7)));
      const auto rows = rowsOf(data, some);
      checkPackedBatch(collateRows(rows, 32, 0, Padding::Right, true), rows, 32);
    }
  }

  // ---- The packed attention mask ----
  void packedMaskKeepsExamplesApart() {
    // Row 0: segments 1 1 2 2 2 0 (padding last); window 2.
    const torch::Tensor segments = longs({1, 1, 2, 2, 2, 0}, 1);
    const torch::Tensor padding = longs({1, 1, 1, 1, 1, 0}, 1);
    const AttentionMask m = makeAttentionMask(padding, 1, 0, 6, 0, torch::kCPU, segments);
    QVERIFY(m.kind == AttentionMask::Kind::Explicit);
    const torch::Tensor expected = torch::tensor({1, 0, 0, 0, 0, 0,  //
                                                  1, 1, 0, 0, 0, 0,  //
                                                  0, 0, 1, 0, 0, 0,  //
                                                  0, 0, 1, 1, 0, 0,  //
                                                  0, 0, 1, 1, 1, 0,  //
                                                  1, 1, 1, 1, 1, 1},  // padding query: all keys masked → all
                                                 torch::kBool)
                                       .view({1, 1, 6, 6});
    QVERIFY(torch::equal(m.allowed, expected));
    const AttentionMask w = makeAttentionMask(padding, 1, 0, 6, 2, torch::kCPU, segments);
    QVERIFY(torch::equal(w.allowed[0][0][4], torch::tensor({0, 0, 0, 1, 1, 0}, torch::kBool)));
    // Segment ids need the whole sequence in this call: never with a cache.
    QVERIFY(errorOf([&] { makeAttentionMask({}, 1, 2, 6, 0, torch::kCPU, segments); })
                .contains("segment ids (packed rows) cannot be used with a KV cache"));
  }

  void packedLogitsEqualAlone_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<int64_t>("window");  // 0: the fixture as it is
    for (const char* m : {"tiny-llama", "tiny-qwen2"}) {
      QTest::addRow("%s", m) << QString::fromLatin1(m) << int64_t(0);
      QTest::addRow("%s window 3", m) << QString::fromLatin1(m) << int64_t(3);
    }
  }
  void packedLogitsEqualAlone() {
    QFETCH(QString, model);
    QFETCH(int64_t, window);
    QTemporaryDir dir;
    const QString path = window > 0 ? windowedModel(dir, model, window) : fixture(model);
    LoadedModel m = loadModel(path, torch::kFloat32, torch::kCPU);
    QCOMPARE(m.config.slidingWindow, window);
    // Row 0 packs three examples (7 + 5 + 9 = 21 tokens), row 1 holds one (6 tokens) and padding.
    std::vector<Example> examples = randomExamples(4, 5, 9, m.config.vocabSize, 11);
    examples[0] = randomExamples(1, 7, 7, m.config.vocabSize, 1)[0];
    examples[1] = randomExamples(1, 5, 5, m.config.vocabSize, 2)[0];
    examples[2] = randomExamples(1, 9, 9, m.config.vocabSize, 3)[0];
    examples[3] = randomExamples(1, 6, 6, m.config.vocabSize, 4)[0];
    examples[1].target[1] = 0;  // a prompt token: its label is -100 in the row and alone
    const std::vector<std::vector<const Example*>> rows{{&examples[0], &examples[1], &examples[2]}, {&examples[3]}};
    const Batch packed = collateRows(rows, 24, 0, Padding::Right, /*packed=*/true);
    QCOMPARE(packed.inputIds.sizes(), (torch::IntArrayRef{2, 21}));

    torch::NoGradGuard noGrad;
    for (AttentionPath path : {AttentionPath::Explicit, AttentionPath::Sdpa}) {
      if (path == AttentionPath::Sdpa && !sdpaAvailable()) continue;
      m.model->setAttentionPath(path);
      const torch::Tensor logits = m.model->forward(packed.inputIds, forwardOptions(packed)).logits;
      double lossSum = 0;
      int64_t tokens = 0;
      bool windowMatters = false;
      for (int64_t r = 0; r < 2; ++r) {
        int64_t at = 0;
        for (const Example* e : rows[size_t(r)]) {
          const int64_t len = int64_t(e->ids.size());
          const Batch alone = collate({e}, 24, 0, Padding::Right);
          const torch::Tensor expected = m.model->forward(alone.inputIds, forwardOptions(alone)).logits[0];
          const torch::Tensor got = logits[r].narrow(0, at, len);
          const double err = (got - expected).abs().max().item<double>();
          QVERIFY2(err < 1e-5, qPrintable(QStringLiteral("row %1 at %2: max |Δlogit| %3").arg(r).arg(at).arg(err)));
          // The window is real: without it the longest example's last logits differ.
          if (window > 0 && len > window) {
            const torch::Tensor full = loadModel(fixture(model), torch::kFloat32, torch::kCPU)
                                           .model->forward(alone.inputIds)
                                           .logits[0];
            windowMatters = windowMatters || (full - expected).abs().max().item<double>() > 1e-3;
          }
          const LossParts l = causalLmLoss(m.model, alone);
          lossSum += l.total.item<double>() * double(l.tokens);
          tokens += l.tokens;
          at += len;
        }
      }
      QCOMPARE(window > 0, windowMatters);
      // The packed batch's loss is the token-weighted mean of the examples' losses alone.
      const LossParts l = causalLmLoss(m.model, packed);
      QCOMPARE(l.tokens, tokens);
      QCOMPARE(packed.tokens, tokens);
      const double expected = lossSum / double(tokens);
      QVERIFY2(std::abs(l.total.item<double>() - expected) < 1e-5 * expected,
               qPrintable(QStringLiteral("packed loss %1, examples alone %2").arg(l.total.item<double>()).arg(expected)));
    }
  }

  // ---- Bucketing and padding waste ----
  void paddingWasteExact_data() {
    QTest::addColumn<bool>("packing");
    QTest::addColumn<bool>("bucketing");
    QTest::addColumn<int64_t>("positions");
    QTest::addColumn<double>("waste");
    QTest::addColumn<QString>("mode");
    // Lengths 2 4 3 5 (14 tokens), batches of 2, file order.
    // plain: [2 4] → 2×4, [3 5] → 2×5: 18 positions, 4 of padding.
    QTest::addRow("plain") << false << false << int64_t(18) << 100.0 * 4 / 18 << "plain";
    // bucketed: sorted 5 4 3 2 → [5 4] → 2×5, [3 2] → 2×3: 16 positions.
    QTest::addRow("bucketed") << false << true << int64_t(16) << 100.0 * 2 / 16 << "bucketed";
    // packed into rows of 8: [5 3] (8) and [4 2] (6), one batch 2×8.
    QTest::addRow("packed") << true << false << int64_t(16) << 100.0 * 2 / 16 << "packed";
    QTest::addRow("packed+bucketed") << true << true << int64_t(16) << 100.0 * 2 / 16 << "packed+bucketed";
  }
  void paddingWasteExact() {
    QFETCH(bool, packing);
    QFETCH(bool, bucketing);
    QFETCH(int64_t, positions);
    QFETCH(double, waste);
    QFETCH(QString, mode);
    std::vector<Example> examples{example({1, 2}), example({3, 4, 5, 6}), example({7, 8, 9}),
                                  example({10, 11, 12, 13, 14})};
    TrainingDataOptions o;
    o.seqLen = 8;
    o.batchSize = 2;
    o.shuffle = false;
    o.packing = packing;
    o.bucketing = bucketing;
    TrainingData data(examples, "mem", o);
    const PaddingStats p = data.padding();
    QCOMPARE(p.tokens, int64_t(14));
    QCOMPARE(p.positions, positions);
    QCOMPARE(data.paddingWastePercent(), waste);
    // The batches next() gives hold exactly these positions.
    int64_t seen = 0;
    for (int64_t i = 0; i < data.batchesPerEpoch(); ++i) seen += data.next().inputIds.numel();
    QCOMPARE(seen, positions);
    const QJsonObject s = data.stats();
    QCOMPARE(s.value("mode").toString(), mode);
    QCOMPARE(s.value("examples").toInteger(), qint64(4));
    QCOMPARE(s.value("rows").toInteger(), qint64(packing ? 2 : 4));
    QCOMPARE(s.value("positions").toInteger(), qint64(positions));
    QCOMPARE(s.value("tokens").toInteger(), qint64(14));
    QCOMPARE(s.value("padding_waste_pct").toDouble(), waste);
  }

  // An example longer than seq_len: right keeps its start (here only prompt: left out), left keeps its end (the
  // reply), drop leaves it out. The short example passes untouched.
  void truncationPolicies_data() {
    QTest::addColumn<Truncation>("truncation");
    QTest::addColumn<IntList>("firstIds");
    QTest::addColumn<IntList>("firstLabels");
    QTest::addColumn<int64_t>("skipped");
    QTest::newRow("right") << Truncation::Right << IntList{11, 12, 13} << IntList{12, 13, -100} << int64_t(1);
    QTest::newRow("left") << Truncation::Left << IntList{7, 8, 9, 10} << IntList{-100, 9, 10, -100} << int64_t(0);
    QTest::newRow("drop") << Truncation::Drop << IntList{11, 12, 13} << IntList{12, 13, -100} << int64_t(1);
  }
  void truncationPolicies() {
    QFETCH(Truncation, truncation);
    QFETCH(IntList, firstIds);
    QFETCH(IntList, firstLabels);
    QFETCH(int64_t, skipped);
    // A: ten tokens, only the last two (the reply) counted. B: three tokens, all counted.
    std::vector<Example> examples{example({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, {0, 0, 0, 0, 0, 0, 0, 0, 1, 1}),
                                  example({11, 12, 13})};
    TrainingDataOptions o;
    o.seqLen = 4;
    o.batchSize = 1;
    o.shuffle = false;
    o.truncation = truncation;
    TrainingData data(examples, "mem", o);
    QCOMPARE(data.truncated(), int64_t(1));
    QCOMPARE(data.skipped(), skipped);
    QCOMPARE(int64_t(data.examples().size()), 2 - skipped);
    const Batch b = data.next();
    QVERIFY(torch::equal(b.inputIds, longs(firstIds, 1)));
    QVERIFY(torch::equal(b.labels, longs(firstLabels, 1)));
    QCOMPARE(data.stats().value("truncated").toInteger(), qint64(1));
    QCOMPARE(parseTruncation(QStringLiteral("left"), QStringLiteral("t")), Truncation::Left);
    QCOMPARE(errorOf([] { parseTruncation(QStringLiteral("middle"), QStringLiteral("data.truncation")); }),
             QStringLiteral("data.truncation=middle must be right, left or drop"));
  }

  void bucketingCutsPaddingOnSkewedLengths() {
    // 90% short rows (3..8 tokens), 10% long ones (40..60): plain batches pad most short rows to a long one.
    std::vector<Example> examples = randomExamples(360, 3, 8, 500, 21);
    const std::vector<Example> longOnes = randomExamples(40, 40, 60, 500, 22);
    examples.insert(examples.end(), longOnes.begin(), longOnes.end());
    TrainingDataOptions o;
    o.seqLen = 64;
    o.batchSize = 8;
    o.seed = 9;
    o.bucketWindow = 10;
    const double plain = TrainingData(examples, "mem", o).paddingWastePercent();
    o.bucketing = true;
    TrainingData bucketed(examples, "mem", o);
    const double withBuckets = bucketed.paddingWastePercent();
    o.bucketing = false;
    o.packing = true;
    const double packed = TrainingData(examples, "mem", o).paddingWastePercent();
    QVERIFY2(plain > 50, qPrintable(QString::number(plain)));
    QVERIFY2(withBuckets < plain / 3, qPrintable(QStringLiteral("%1 vs %2").arg(withBuckets).arg(plain)));
    QVERIFY2(packed < plain / 3, qPrintable(QStringLiteral("%1 vs %2").arg(packed).arg(plain)));
    // Each epoch's waste is what its batches hold.
    for (int64_t epoch = 0; epoch < 2; ++epoch) {
      int64_t positions = 0;
      for (int64_t i = 0; i < bucketed.batchesPerEpoch(); ++i) positions += bucketed.next().inputIds.numel();
      QCOMPARE(positions, bucketed.padding(epoch).positions);
    }
  }

  void bucketingIsDeterministicAndCoversTheEpoch_data() {
    QTest::addColumn<bool>("packing");
    QTest::addRow("bucketed") << false;
    QTest::addRow("packed+bucketed") << true;
  }
  void bucketingIsDeterministicAndCoversTheEpoch() {
    QFETCH(bool, packing);
    const std::vector<Example> examples = randomExamples(103, 2, 30, 500, 5);
    TrainingDataOptions o;
    o.seqLen = 32;
    o.batchSize = 4;
    o.seed = 17;
    o.bucketing = true;
    o.bucketWindow = 3;
    o.packing = packing;
    TrainingData a(examples, "mem", o), b(examples, "mem", o);
    o.seed = 18;
    TrainingData c(examples, "mem", o);
    std::multiset<std::pair<int64_t, int64_t>> expected;
    for (const Example& e : a.examples()) expected.insert(keyOf(e));
    QCOMPARE(a.batchesPerEpoch(), (int64_t(a.rows().size()) + 3) / 4);
    std::vector<torch::Tensor> firstEpoch;
    bool epochsDiffer = false;
    for (int64_t epoch = 0; epoch < 2; ++epoch) {
      std::multiset<std::pair<int64_t, int64_t>> seen;
      bool sameAsOtherSeed = true;
      for (int64_t i = 0; i < a.batchesPerEpoch(); ++i) {
        const Batch x = a.next(), y = b.next(), z = c.next();
        QVERIFY(torch::equal(x.inputIds, y.inputIds));  // same seed, same batches
        QVERIFY(torch::equal(x.labels, y.labels));
        sameAsOtherSeed = sameAsOtherSeed && x.inputIds.sizes() == z.inputIds.sizes() &&
                          torch::equal(x.inputIds, z.inputIds);
        for (const auto& k : examplesIn(x)) seen.insert(k);
        if (epoch == 0) firstEpoch.push_back(x.inputIds);
        else
          epochsDiffer = epochsDiffer || x.inputIds.sizes() != firstEpoch[size_t(i)].sizes() ||
                         !torch::equal(x.inputIds, firstEpoch[size_t(i)]);
      }
      QVERIFY(!sameAsOtherSeed);
      QVERIFY(seen == expected);  // every example exactly once per epoch
    }
    QVERIFY(epochsDiffer);  // each epoch reshuffles
  }

  void resumeIsExact_data() {
    QTest::addColumn<bool>("packing");
    QTest::addColumn<bool>("bucketing");
    QTest::addRow("plain") << false << false;
    QTest::addRow("bucketed") << false << true;
    QTest::addRow("packed") << true << false;
    QTest::addRow("packed+bucketed") << true << true;
  }
  void resumeIsExact() {
    QFETCH(bool, packing);
    QFETCH(bool, bucketing);
    const std::vector<Example> examples = randomExamples(61, 2, 20, 500, 8);
    TrainingDataOptions o;
    o.seqLen = 24;
    o.batchSize = 3;
    o.seed = 4;
    o.packing = packing;
    o.bucketing = bucketing;
    o.bucketWindow = 2;
    TrainingData a(examples, "mem", o);
    // Stop partway through the second epoch, resume a fresh source there, compare the next batches.
    const int64_t stop = a.batchesPerEpoch() + a.batchesPerEpoch() / 2;
    for (int64_t i = 0; i < stop; ++i) a.next();
    const QJsonObject at = a.position();
    QCOMPARE(at.value("epoch").toInteger(), qint64(1));
    TrainingData b(examples, "mem", o);
    b.restore(at);
    for (int64_t i = 0; i < a.batchesPerEpoch() + 2; ++i) {
      const Batch x = a.next(), y = b.next();
      QVERIFY(torch::equal(x.inputIds, y.inputIds));
      QVERIFY(torch::equal(x.labels, y.labels));
      QVERIFY(torch::equal(x.positionIds, y.positionIds));
      QCOMPARE(x.segmentIds.defined(), packing);
      if (packing) QVERIFY(torch::equal(x.segmentIds, y.segmentIds));
    }
    QCOMPARE(a.position(), b.position());
  }

  // ---- Job fields ----
  void jobSpecDataFields() {
    const QJsonObject json = QJsonDocument::fromJson(R"({"kind": "lora", "student": "/m/s", "output": "/o",
        "data": {"train": "/d/qa.csv", "format": "prompt_completion", "packing": true, "bucketing": true, "truncation": "left",
                 "fields": {"prompt": "question", "completion": "answer"}}})")
                                 .object();
    const JobSpec s = JobSpec::fromJson(json, "job.json");
    QVERIFY(s.data.packing);
    QVERIFY(s.data.bucketing);
    QCOMPARE(s.data.truncation, QStringLiteral("left"));
    QCOMPARE(s.data.fields, (QMap<QString, QString>{{"prompt", "question"}, {"completion", "answer"}}));
    QVERIFY(JobSpec::fromJson(s.toJson(), "job.json") == s);
    // Defaults: off, no mapping.
    const JobSpec d = JobSpec::fromJson(
        QJsonDocument::fromJson(R"({"kind": "lora", "student": "/m/s", "output": "/o", "data": {"train": "t"}})")
            .object(),
        "job.json");
    QVERIFY(!d.data.packing);
    QVERIFY(!d.data.bucketing);
    QCOMPARE(d.data.truncation, QStringLiteral("right"));
    QVERIFY(d.data.fields.isEmpty());
    QVERIFY(!d.toJson().value("data").toObject().contains("fields"));
  }

  void jobSpecDataFieldErrors_data() {
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("message");
    QTest::addRow("packing not bool") << QByteArray(R"({"train": "t", "packing": 1})")
                                      << "job.json: data.packing=1 must be true or false";
    QTest::addRow("bucketing string") << QByteArray(R"({"train": "t", "bucketing": "yes"})")
                                      << "job.json: data.bucketing=\"yes\" must be true or false";
    QTest::addRow("fields not object") << QByteArray(R"({"train": "t", "fields": ["question"]})")
                                       << "job.json: data.fields=[\"question\"] must be an object";
    QTest::addRow("fields unknown schema field")
        << QByteArray(R"({"train": "t", "fields": {"question": "q"}})")
        << "job.json: data.fields.question is not a schema field (expected one of: text, instruction, input, output, "
           "messages, conversations, prompt, completion)";
    QTest::addRow("fields value number") << QByteArray(R"({"train": "t", "fields": {"prompt": 3}})")
                                         << "job.json: data.fields.prompt=3 must be the name of a field of the source "
                                            "rows";
    QTest::addRow("fields value empty") << QByteArray(R"({"train": "t", "fields": {"prompt": ""}})")
                                        << "job.json: data.fields.prompt=\"\" must be the name of a field of the "
                                           "source rows";
    QTest::addRow("unknown data key") << QByteArray(R"({"train": "t", "max_length": 128})")
                                      << "job.json: data.max_length is not a known key (expected one of: train, "
                                         "validation, test, format, responses_only, packing, bucketing, fields, truncation)";
    QTest::addRow("truncation unknown") << QByteArray(R"({"train": "t", "truncation": "middle"})")
                                        << "job.json: data.truncation=\"middle\" must be one of: right, left, drop";
  }
  void jobSpecDataFieldErrors() {
    QFETCH(QByteArray, data);
    QFETCH(QString, message);
    QJsonObject json{{"kind", "lora"}, {"student", "/m/s"}, {"output", "/o"}};
    json.insert("data", QJsonDocument::fromJson(data).object());
    QCOMPARE(errorOf([&] { JobSpec::fromJson(json, "job.json"); }), message);
  }

  // ---- Jobs read any format ----
  void jobTrainsOnCsvWithFieldsPackedAndBucketed() {
    QTemporaryDir dir;
    const QString out = dir.filePath("out");
    QJsonObject job{{"kind", "lora"}, {"student", fixture("tiny-llama")}, {"output", out}, {"device", "cpu"}};
    QJsonObject fields;
    fields.insert("instruction", "question");
    fields.insert("output", "answer");
    job.insert("data", QJsonObject{{"train", QString(testDataDir() + "/dataset/pack/qa.csv")},
                                   {"format", "alpaca"},
                                   {"packing", true},
                                   {"bucketing", true},
                                   {"fields", fields}});
    job.insert("lora", QJsonObject{{"r", 4}, {"alpha", 8}, {"dropout", 0.0}});
    job.insert("train", QJsonObject{{"max_steps", 2}, {"batch_size", 2}, {"seq_len", 96}, {"warmup_steps", 0},
                                    {"eval_every", 0}, {"save_every", 0}});
    const JobSpec spec = JobSpec::fromJson(job, "job.json");
    MessageSink sink;
    JobContext ctx;
    ctx.extraSink = &sink;
    const TrainResult r = runJob(spec, ctx);
    QVERIFY2(r.status == TrainStatus::Finished, qPrintable(r.error));
    QCOMPARE(r.steps, int64_t(2));
    // The data line is logged once, before training, with the mode and the padding waste.
    const QStringList data = sink.messages.filter("training data:");
    QCOMPARE(data.size(), qsizetype(1));
    QVERIFY2(data[0].startsWith("training data: 6 examples in ") && data[0].contains("(packed+bucketed)") &&
                 data[0].contains("padding waste "),
             qPrintable(data[0]));
  }

  void jobFailsOnABadRowWithItsLine_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("where");    // FILE:LINE suffix
    QTest::addColumn<QString>("message");  // what follows it
    QTest::addRow("jsonl") << "d.jsonl" << QByteArray("{\"text\": \"fine\"}\n{\"text\": \"broken\n")
                           << ":2" << "invalid JSON";
    QTest::addRow("csv missing field") << "d.csv" << QByteArray("question,reply\nq1,a1\n") << ":2"
                                       << "output is missing";
  }
  void jobFailsOnABadRowWithItsLine() {
    QFETCH(QString, name);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, where);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const QString path = dir.filePath(name);
    writeFile(path, bytes);
    const QByteArray before = bytes;
    const bool csv = name.endsWith(".csv");
    QJsonObject data{{"train", path}, {"format", csv ? "alpaca" : "text"}};
    if (csv) data.insert("fields", QJsonObject{{"instruction", "question"}});
    const JobSpec spec = JobSpec::fromJson(QJsonObject{{"kind", "lora"},
                                                       {"student", fixture("tiny-llama")},
                                                       {"output", dir.filePath("out")},
                                                       {"data", data}},
                                           "job.json");
    JobContext ctx;
    const TrainResult r = runJob(spec, ctx);
    QVERIFY(r.status == TrainStatus::Failed);
    QVERIFY2(r.error.startsWith(path + where + ": ") && r.error.contains(message), qPrintable(r.error));
    // The source is only read.
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), before);
  }
};

QTEST_GUILESS_MAIN(TestDatasetPack)
#include "tst_dataset_pack.moc"
