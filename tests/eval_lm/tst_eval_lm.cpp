// Language-model metrics and fidelity statistics (core/eval/LmMetrics.h, Fidelity.h, the kld command):
//  - llama.cpp's KL-divergence statistics on small hand-computed distributions, its percentile rule, the pass rule;
//  - perplexity of the fixtures on their golden inputs = exp(mean CE) of golden.safetensors' logits;
//  - sliding-window perplexity / next-token accuracy and lm-eval log-likelihoods against
//    tests/data/eval_lm/reference.json, made by make_reference.py with an independent PyTorch Llama forward;
//  - multiple-choice accuracy against log-likelihoods computed here one unpadded sequence at a time;
//  - `distillery-cli kld`: a model against itself (0, 1, 1), in bfloat16 (small positive), refusals.
#include "checkpoint/JsonFile.h"
#include "checkpoint/Safetensors.h"
#include "common/Error.h"
#include "data/Perplexity.h"
#include "eval/Fidelity.h"
#include "eval/LmMetrics.h"
#include "model/ModelLoader.h"
#include "tokenizer/Tokenizer.h"

#include "Fixtures.h"
#include "TestUtil.h"

#include <torch/torch.h>

#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

using namespace distillery;

Q_DECLARE_METATYPE(DropMode)

namespace {

double relErr(double a, double b) { return std::abs(a - b) / std::max(std::abs(b), 1e-300); }

const QJsonObject& reference() {
  static const QJsonObject r = readJsonObject(testDataDir() + QStringLiteral("/eval_lm/reference.json"));
  return r;
}

std::vector<int32_t> idsOf(const QJsonValue& v) {
  std::vector<int32_t> ids;
  for (const QJsonValue& x : v.toArray()) ids.push_back(int32_t(x.toInt()));
  return ids;
}

std::vector<std::vector<int32_t>> referenceTexts() {
  std::vector<std::vector<int32_t>> texts;
  for (const QJsonValue& t : reference()[QStringLiteral("texts")].toArray()) texts.push_back(idsOf(t));
  return texts;
}

CausalLM& model(const QString& name) {
  static std::map<QString, LoadedModel> loaded;
  auto it = loaded.find(name);
  if (it == loaded.end()) it = loaded.emplace(name, loadModel(fixture(name), torch::kFloat32, torch::kCPU)).first;
  return it->second.model;
}

// [T, 4] logits whose softmax is exactly the given probabilities (log p: the normaliser is 1).
torch::Tensor logitsOf(const std::vector<std::vector<double>>& probs) {
  std::vector<double> flat;
  for (const auto& row : probs)
    for (double p : row) flat.push_back(std::log(p));
  return torch::tensor(flat, torch::kFloat64).view({int64_t(probs.size()), -1});
}

// log p(cont | ctx) summed, from one unpadded forward pass of ctx + cont (no batching, no padding).
double singleLogLikelihood(CausalLM& lm, const std::vector<int32_t>& ctx, const std::vector<int32_t>& cont) {
  torch::NoGradGuard noGrad;
  std::vector<int64_t> whole(ctx.begin(), ctx.end());
  whole.insert(whole.end(), cont.begin(), cont.end());
  const torch::Tensor ids = torch::tensor(whole, torch::kInt64).unsqueeze(0);
  const torch::Tensor logp = torch::log_softmax(lm->forward(ids).logits[0].to(torch::kFloat64), -1);  // [S, V]
  double sum = 0;
  for (size_t j = 0; j < cont.size(); ++j) sum += logp[int64_t(ctx.size() + j) - 1][cont[j]].item<double>();
  return sum;
}

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& content) {
  const QString path = dir.filePath(name);
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
  f.write(content);
  return path;
}

}  // namespace

class TestEvalLm : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // ---- statistics ----
  void percentiles_data() {
    QTest::addColumn<double>("fraction");
    QTest::addColumn<double>("expected");
    // Values 1..10 given out of order; llama.cpp/numpy "linear": position f·(n−1) = 9f between ranks.
    QTest::newRow("0 is the minimum") << 0.0 << 1.0;
    QTest::newRow("0.1%: 1 + 0.009") << 0.001 << 1.009;
    QTest::newRow("25%: 3 + 0.25") << 0.25 << 3.25;
    QTest::newRow("median: 5 + 0.5") << 0.5 << 5.5;
    QTest::newRow("99%: 9 + 0.91") << 0.99 << 9.91;
    QTest::newRow("1 is the maximum") << 1.0 << 10.0;
  }
  void percentiles() {
    QFETCH(double, fraction);
    QFETCH(double, expected);
    const std::vector<double> values{7, 1, 10, 3, 5, 2, 9, 4, 8, 6};
    QVERIFY2(std::abs(percentile(values, fraction) - expected) < 1e-12,
             qPrintable(QString::number(percentile(values, fraction), 'g', 17)));
  }

  void describeFollowsLlamaCpp() {
    // 1..12: mean 6.5; population variance (n²−1)/12 = 143/12; llama.cpp's uncertainty sqrt(var/(n−1)).
    std::vector<double> v;
    for (int i = 12; i >= 1; --i) v.push_back(i);
    const Distribution d = describe(v);
    QCOMPARE(d.mean, 6.5);
    QVERIFY(std::abs(d.stddevOfMean - std::sqrt(143.0 / 12.0 / 11.0)) < 1e-12);
    QCOMPARE(d.median, 6.5);  // even count: mean of the two middle values
    QCOMPARE(d.min, 1.0);
    QCOMPARE(d.max, 12.0);
    QVERIFY(std::abs(d.p99 - (11 + 0.89)) < 1e-12);  // 0.99·11 = 10.89 → 11 + 0.89·(12 − 11)
    // Ten values or fewer: no uncertainty, as llama.cpp (count > 10).
    QCOMPARE(describe({1, 2, 3}).stddevOfMean, 0.0);
    QCOMPARE(describe({1, 2, 3}).median, 2.0);
    QCOMPARE(describe({}).max, 0.0);
  }

  void fidelityHandComputed() {
    // Three tokens, four-token vocabulary; logits = log p, so the softmaxes are exactly these probabilities.
    //   row 0: base (.5 .25 .125 .125), other (.25 .5 .125 .125), target 0
    //          KL = .5·ln(.5/.25) + .25·ln(.25/.5) = .25·ln 2; top-1 0 vs 1 (differ); Δp = .25 − .5 = −.25
    //   row 1: both (.1 .2 .3 .4), target 3: KL 0, same top-1, Δp 0
    //   row 2: base (.7 .1 .1 .1), other (.6 .2 .1 .1), target 1
    //          KL = .7·ln(.7/.6) + .1·ln(.1/.2); same top-1 (0); Δp = .2 − .1 = .1
    const torch::Tensor base = logitsOf({{.5, .25, .125, .125}, {.1, .2, .3, .4}, {.7, .1, .1, .1}});
    const torch::Tensor other = logitsOf({{.25, .5, .125, .125}, {.1, .2, .3, .4}, {.6, .2, .1, .1}});
    const torch::Tensor targets = torch::tensor({0, 3, 1}, torch::kInt64);
    FidelityAccumulator acc;
    acc.add(base.slice(0, 0, 2), other.slice(0, 0, 2), targets.slice(0, 0, 2));  // in two parts: same result
    acc.add(base.slice(0, 2), other.slice(0, 2), targets.slice(0, 2));
    const FidelitySummary s = acc.summary();
    const double k0 = 0.25 * std::log(2.0), k2 = 0.7 * std::log(0.7 / 0.6) + 0.1 * std::log(0.5);
    const double tol = 1e-12;
    QCOMPARE(s.tokens, int64_t(3));
    QVERIFY(std::abs(s.kld.mean - (k0 + 0 + k2) / 3) < tol);
    QVERIFY(std::abs(s.kld.median - k2) < tol);                      // sorted (0, k2, k0)
    QVERIFY(std::abs(s.kld.max - k0) < tol);
    QVERIFY(std::abs(s.kld.min) < tol);
    QVERIFY(std::abs(s.kld.p99 - (0.02 * k2 + 0.98 * k0)) < tol);    // 0.99·2 = 1.98 → between ranks 1 and 2
    QVERIFY(std::abs(s.sameTop1 - 2.0 / 3.0) < tol);
    QVERIFY(std::abs(s.deltaP.mean - (-0.25 + 0 + 0.1) / 3) < tol);
    QVERIFY(std::abs(s.deltaP.median - 0.0) < tol);
    QVERIFY(std::abs(s.deltaP.min + 0.25) < tol);
    QVERIFY(std::abs(s.rmsDeltaP - std::sqrt((0.0625 + 0 + 0.01) / 3)) < tol);
    // ppl = exp(mean −ln p(target)): base (.5, .4, .1), other (.25, .4, .2); the ratio is exactly 1 here
    // (ln(.5/.25) + ln(.1/.2) = 0) although the distributions differ: why KL is reported beside it.
    QVERIFY(relErr(s.pplBase, std::exp(-(std::log(.5) + std::log(.4) + std::log(.1)) / 3)) < tol);
    QVERIFY(relErr(s.pplOther, std::exp(-(std::log(.25) + std::log(.4) + std::log(.2)) / 3)) < tol);
    QVERIFY(std::abs(s.pplRatio - 1.0) < tol);
    QVERIFY(std::abs(s.lnPplRatio) < tol);
  }

  void fidelityRejectsBadInput() {
    FidelityAccumulator acc;
    const torch::Tensor a = torch::zeros({3, 4});
    QCOMPARE(errorOf([&] { acc.add(a, torch::zeros({3, 5}), torch::zeros({3}, torch::kInt64)); }),
             QStringLiteral("fidelity: logits must be [T, V] of the same shape with targets [T]; got base [3, 4], "
                            "other [3, 5], targets [3]"));
    QCOMPARE(errorOf([&] { acc.add(a, a, torch::tensor({0, 4, 1}, torch::kInt64)); }),
             QStringLiteral("fidelity: target token 4 outside the vocabulary [0, 4)"));
    QCOMPARE(acc.tokens(), int64_t(0));
    QCOMPARE(acc.summary().pplRatio, 0.0);  // nothing added: all zero
  }

  void accuracyDrop_data() {
    QTest::addColumn<double>("base");
    QTest::addColumn<double>("other");
    QTest::addColumn<double>("threshold");
    QTest::addColumn<DropMode>("mode");
    QTest::addColumn<double>("drop");
    QTest::addColumn<bool>("pass");
    QTest::newRow("1 point absolute passes 2") << 0.5 << 0.49 << 0.02 << DropMode::Absolute << 0.01 << true;
    QTest::newRow("exactly the threshold fails (strict <)") << 0.5 << 0.25 << 0.25 << DropMode::Absolute << 0.25 << false;
    QTest::newRow("better other: negative drop") << 0.75 << 0.875 << 0.02 << DropMode::Absolute << -0.125 << true;
    QTest::newRow("relative 20% of base passes 25%") << 0.5 << 0.4 << 0.25 << DropMode::Relative << 0.2 << true;
    QTest::newRow("relative 25% fails 25%") << 0.5 << 0.375 << 0.25 << DropMode::Relative << 0.25 << false;
    QTest::newRow("relative with base 0") << 0.0 << 0.0 << 0.02 << DropMode::Relative << 0.0 << true;
  }
  void accuracyDrop() {
    QFETCH(double, base);
    QFETCH(double, other);
    QFETCH(double, threshold);
    QFETCH(DropMode, mode);
    QFETCH(double, drop);
    QFETCH(bool, pass);
    const AccuracyCheck c = checkAccuracyDrop(base, other, threshold, mode);
    QVERIFY2(std::abs(c.drop - drop) < 1e-12, qPrintable(QString::number(c.drop, 'g', 17)));
    QCOMPARE(c.pass, pass);
    QCOMPARE(c.threshold, threshold);
    QVERIFY(checkAccuracyDrop(0.80, 0.79).pass);   // the default: absolute, 2 points
    QVERIFY(!checkAccuracyDrop(0.80, 0.77).pass);
  }

  // ---- windows ----
  void windows_data() {
    QTest::addColumn<int>("length");
    QTest::addColumn<int>("window");
    QTest::addColumn<int>("stride");
    QTest::addColumn<QString>("expected");  // "begin-end@scoreFrom ..."
    QTest::newRow("overlapping") << 10 << 4 << 2 << "0-4@1 2-6@4 4-8@6 6-10@8";
    QTest::newRow("disjoint skips each window's first") << 10 << 4 << 4 << "0-4@1 4-8@5 8-10@9";
    QTest::newRow("short text, one window") << 3 << 8 << 4 << "0-3@1";
    QTest::newRow("exact fit") << 8 << 8 << 3 << "0-8@1";
    QTest::newRow("stride 1") << 5 << 3 << 1 << "0-3@1 1-4@3 2-5@4";
    QTest::newRow("one token: nothing") << 1 << 4 << 2 << "";
  }
  void windows() {
    QFETCH(int, length);
    QFETCH(int, window);
    QFETCH(int, stride);
    QFETCH(QString, expected);
    QStringList got;
    int64_t scored = 0;
    for (const TextWindow& w : slidingWindows(7, length, window, stride)) {
      QCOMPARE(w.text, int64_t(7));
      got << QStringLiteral("%1-%2@%3").arg(w.begin).arg(w.end).arg(w.scoreFrom);
      scored += w.end - w.scoreFrom;
    }
    QCOMPARE(got.join(QLatin1Char(' ')), expected);
    if (stride < window) QCOMPARE(scored, int64_t(std::max(0, length - 1)));  // every token but the first, once
  }
  void windowsRejectBadSizes() {
    QCOMPARE(errorOf([] { slidingWindows(0, 10, 4, 0); }), QStringLiteral("stride=0 must lie in 1..window (4)"));
    QCOMPARE(errorOf([] { slidingWindows(0, 10, 4, 5); }), QStringLiteral("stride=5 must lie in 1..window (4)"));
    QCOMPARE(errorOf([] { slidingWindows(0, 10, 1, 1); }), QStringLiteral("window=1 must be at least 2"));
  }

  // ---- perplexity and next-token accuracy ----
  void goldenPerplexity_data() {
    QTest::addColumn<QString>("name");
    QTest::newRow("tiny-llama") << "tiny-llama";
    QTest::newRow("tiny-qwen2") << "tiny-qwen2";
  }
  void goldenPerplexity() {
    QFETCH(QString, name);
    const SafetensorsFile golden(fixture(name + QStringLiteral("/golden.safetensors")));
    const torch::Tensor ids = golden.tensor("input_ids")[0];               // [24], row 0 unpadded
    const torch::Tensor logits = golden.tensor("logits")[0].to(torch::kFloat64);  // [24, V]
    // exp(mean CE): positions 0..22 predict tokens 1..23.
    const torch::Tensor ce = torch::nn::functional::cross_entropy(logits.slice(0, 0, -1), ids.slice(0, 1));
    const double expected = std::exp(ce.item<double>());
    const int64_t expectedCorrect = (logits.slice(0, 0, -1).argmax(-1) == ids.slice(0, 1)).sum().item<int64_t>();
    std::vector<int32_t> row;
    for (int64_t i = 0; i < ids.size(0); ++i) row.push_back(int32_t(ids[i].item<int64_t>()));
    const LmScores s = scoreTexts(model(name), {row}, {.window = 64});
    QCOMPARE(s.total.tokens, int64_t(23));
    QVERIFY2(relErr(s.total.perplexity(), expected) < 1e-5,
             qPrintable(QStringLiteral("%1 vs %2").arg(s.total.perplexity(), 0, 'g', 12).arg(expected, 0, 'g', 12)));
    QCOMPARE(s.total.correct, expectedCorrect);
    QCOMPARE(s.texts.size(), size_t(1));
    QCOMPARE(s.texts[0].tokens, int64_t(23));
  }

  void slidingWindowPerplexity_data() {
    QTest::addColumn<int>("window");
    QTest::addColumn<int>("stride");
    QTest::addColumn<double>("nll");
    QTest::addColumn<int>("tokens");
    QTest::addColumn<int>("correct");
    for (const QJsonValue& v : reference()[QStringLiteral("windows")].toArray()) {
      const QJsonObject c = v.toObject();
      const int w = c[QStringLiteral("window")].toInt(), s = c[QStringLiteral("stride")].toInt();
      QTest::addRow("W%d S%d", w, s) << w << s << c[QStringLiteral("nll")].toDouble()
                                     << c[QStringLiteral("tokens")].toInt() << c[QStringLiteral("correct")].toInt();
    }
  }
  void slidingWindowPerplexity() {
    QFETCH(int, window);
    QFETCH(int, stride);
    QFETCH(double, nll);
    QFETCH(int, tokens);
    QFETCH(int, correct);
    // batchSize 3: windows of different lengths share a padded forward pass.
    const LmScores s = scoreTexts(model(QStringLiteral("tiny-llama")), referenceTexts(),
                                  {.window = window, .stride = stride, .batchSize = 3});
    QCOMPARE(s.total.tokens, int64_t(tokens));
    QCOMPARE(s.total.correct, int64_t(correct));
    QVERIFY2(relErr(s.total.nll, nll) < 1e-5, qPrintable(QStringLiteral("nll %1 vs %2").arg(s.total.nll).arg(nll)));
    QVERIFY(relErr(s.total.perplexity(), std::exp(nll / tokens)) < 1e-5);
    TokenStats sum;
    for (const TokenStats& t : s.texts) sum += t;
    QCOMPARE(sum.tokens, s.total.tokens);
    QCOMPARE(sum.correct, s.total.correct);
  }

  void wholeWindowEqualsRowPerplexity() {
    // A window at least as long as every text: each text in one pass, so the token-weighted total equals the
    // per-row perplexities of data/Perplexity.h combined by their token counts.
    const auto texts = referenceTexts();
    CausalLM& lm = model(QStringLiteral("tiny-llama"));
    const LmScores s = scoreTexts(lm, texts, {.window = 256});
    const std::vector<double> rows = rowPerplexities(lm, texts);
    double nll = 0;
    int64_t n = 0;
    for (size_t i = 0; i < texts.size(); ++i) {
      const int64_t k = int64_t(texts[i].size()) - 1;
      QVERIFY(relErr(s.texts[i].perplexity(), rows[i]) < 1e-6);
      nll += double(k) * std::log(rows[i]);
      n += k;
    }
    QCOMPARE(s.total.tokens, n);
    QVERIFY(relErr(s.total.perplexity(), std::exp(nll / double(n))) < 1e-6);
  }

  void progressCancels() {
    int calls = 0;
    LmEvalOptions o{.window = 16, .stride = 8, .batchSize = 2};
    o.progress = [&](int64_t done, int64_t total) {
      ++calls;
      return done < total && calls < 2;
    };
    const LmScores s = scoreTexts(model(QStringLiteral("tiny-llama")), referenceTexts(), o);
    QVERIFY(s.cancelled);
    QCOMPARE(calls, 2);
    QVERIFY(s.total.tokens > 0);
    QVERIFY(s.total.tokens < int64_t(117));  // the full set scores 117 tokens (reference.json)
  }

  void rejectsIdsOutsideVocabulary() {
    QCOMPARE(errorOf([] { scoreTexts(model(QStringLiteral("tiny-llama")), {{1, 2}, {1, 512}}, {.window = 8}); }),
             QStringLiteral("text[1]=512 token id outside the model's vocabulary [0, 512)"));
  }

  // ---- fidelity over models ----
  void modelAgainstItself() {
    CausalLM& lm = model(QStringLiteral("tiny-llama"));
    const FidelityRun r = compareModels(lm, lm, referenceTexts(), {.window = 16, .stride = 8});
    QVERIFY(!r.cancelled);
    QCOMPARE(r.summary.tokens, int64_t(117));
    QCOMPARE(r.summary.kld.max, 0.0);
    QCOMPARE(r.summary.sameTop1, 1.0);
    QCOMPARE(r.summary.pplRatio, 1.0);
    QCOMPARE(r.summary.rmsDeltaP, 0.0);
    // ... and its perplexity is the sliding-window one.
    const double nll = reference()[QStringLiteral("windows")].toArray()[1].toObject()[QStringLiteral("nll")].toDouble();
    QVERIFY(relErr(r.summary.pplBase, std::exp(nll / 117)) < 1e-5);
    QVERIFY(errorOf([] { compareModels(model(QStringLiteral("tiny-llama")), model(QStringLiteral("tiny-qwen2")), {{1, 2}}); })
                .contains(QStringLiteral("vocab_size=640")));
  }

  // ---- lm-eval log-likelihoods and multiple choice ----
  void logLikelihoodsMatchReference() {
    std::vector<std::pair<std::vector<int32_t>, std::vector<int32_t>>> requests;
    std::vector<double> expected;
    std::vector<bool> greedy;
    for (const QJsonValue& v : reference()[QStringLiteral("requests")].toArray()) {
      const QJsonObject r = v.toObject();
      requests.emplace_back(idsOf(r[QStringLiteral("context")]), idsOf(r[QStringLiteral("continuation")]));
      expected.push_back(r[QStringLiteral("loglikelihood")].toDouble());
      greedy.push_back(r[QStringLiteral("greedy")].toBool());
    }
    QVERIFY(std::find(greedy.begin(), greedy.end(), true) != greedy.end());  // both outcomes are covered
    const LoglikelihoodResult got = logLikelihoods(model(QStringLiteral("tiny-llama")), requests, {.batchSize = 2});
    QCOMPARE(got.logLikelihood.size(), requests.size());
    for (size_t i = 0; i < requests.size(); ++i) {
      QVERIFY2(relErr(got.logLikelihood[i], expected[i]) < 1e-5,
               qPrintable(QStringLiteral("request %1: %2 vs %3").arg(i).arg(got.logLikelihood[i]).arg(expected[i])));
      QCOMPARE(got.greedy[i], greedy[i]);
    }
    // A window shorter than context + continuation cuts the context from the left, as lm-eval:
    // ([1, 7, 9], [11, 13, 17]) with window 4 → input (7, 9, 11, 13) scoring 11, 13, 17.
    CausalLM& lm = model(QStringLiteral("tiny-llama"));
    const LoglikelihoodResult cut = logLikelihoods(lm, {{{1, 7, 9}, {11, 13, 17}}}, {.window = 4});
    QVERIFY(relErr(cut.logLikelihood[0], singleLogLikelihood(lm, {7, 9}, {11, 13, 17})) < 1e-6);
  }

  void encodePairFollowsLmEval() {
    const Tokenizer tok = Tokenizer::fromDirectory(fixture(QStringLiteral("tiny-llama")));
    // Trailing whitespace of the context moves to the continuation; the continuation is what encoding the
    // whole adds after the context's tokens.
    const auto [ctx, cont] = encodePair(tok, QStringLiteral("Question: where?\nAnswer: "), QStringLiteral("Paris"));
    QCOMPARE(ctx, tok.encode(QStringLiteral("Question: where?\nAnswer:")));
    std::vector<int32_t> whole = ctx;
    whole.insert(whole.end(), cont.begin(), cont.end());
    QCOMPARE(whole, tok.encode(QStringLiteral("Question: where?\nAnswer: Paris")));
    // An empty context conditions on BOS (id 1 in tiny-llama's tokenizer).
    const auto [bos, alone] = encodePair(tok, QString(), QStringLiteral(" hello"));
    QCOMPARE(bos, std::vector<int32_t>{1});
    QCOMPARE(alone, tok.encode(QStringLiteral(" hello")));
    QCOMPARE(errorOf([&] { encodePair(tok, QStringLiteral("abc"), QString()); }),
             QStringLiteral("continuation encodes to no token of its own after the context"));
  }

  void multipleChoice() {
    const Tokenizer tok = Tokenizer::fromDirectory(fixture(QStringLiteral("tiny-llama")));
    CausalLM& lm = model(QStringLiteral("tiny-llama"));
    std::vector<ChoiceQuestion> questions{
        {QStringLiteral("The capital of France is"), {QStringLiteral("Paris"), QStringLiteral("Rome"), QStringLiteral("a very long answer")}, 0},
        {QStringLiteral("2 + 2 ="), {QStringLiteral("4"), QStringLiteral("five"), QStringLiteral("22")}, 0},
        {QStringLiteral("Colour of the sky:"), {QStringLiteral("blue"), QStringLiteral("green")}, 0},
        {QStringLiteral("Distillation makes models"), {QStringLiteral("smaller"), QStringLiteral("larger"), QStringLiteral("x")}, 0},
    };
    // Expected predictions from log-likelihoods computed here, one unpadded sequence each; gold set so that
    // questions 0 and 2 are right and 1 and 3 wrong for acc.
    std::vector<int> expectPred, expectNorm;
    for (ChoiceQuestion& q : questions) {
      int best = 0, bestNorm = 0;
      double bestV = 0, bestN = 0;
      for (int c = 0; c < q.choices.size(); ++c) {
        const auto [ctx, cont] = encodePair(tok, q.context, QStringLiteral(" ") + q.choices[c]);
        const double v = singleLogLikelihood(lm, ctx, cont);
        const double n = v / double(q.choices[c].size());  // ASCII: characters = bytes
        if (c == 0 || v > bestV) {
          bestV = v;
          best = c;
        }
        if (c == 0 || n > bestN) {
          bestN = n;
          bestNorm = c;
        }
      }
      expectPred.push_back(best);
      expectNorm.push_back(bestNorm);
    }
    questions[0].gold = expectPred[0];
    questions[1].gold = (expectPred[1] + 1) % 3;
    questions[2].gold = expectPred[2];
    questions[3].gold = (expectPred[3] + 1) % 3;
    const ChoiceScores s = scoreChoices(lm, tok, questions, {.batchSize = 4});
    QCOMPARE(s.questions.size(), questions.size());
    int normRight = 0;
    for (size_t i = 0; i < questions.size(); ++i) {
      QCOMPARE(s.questions[i].predicted, expectPred[i]);
      QCOMPARE(s.questions[i].predictedNorm, expectNorm[i]);
      normRight += expectNorm[i] == questions[i].gold;
    }
    QCOMPARE(s.acc, 0.5);
    QCOMPARE(s.accNorm, normRight / 4.0);
    QVERIFY(!s.cancelled);

    questions[1].gold = 3;
    QCOMPARE(errorOf([&] { scoreChoices(lm, tok, questions); }),
             QStringLiteral("question[1].gold=3 must index one of its 3 choices"));
  }

  // ---- distillery-cli kld ----
  void kldCliAgainstItself() {
    const QString llama = fixture(QStringLiteral("tiny-llama"));
    const QString data = testDataDir() + QStringLiteral("/eval_lm/texts.jsonl");
    const CliResult r = runCli({"--json", "kld", llama, llama, "--data", data, "--seq-len", "16"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(o[QStringLiteral("kld")].toObject()[QStringLiteral("mean")].toDouble(), 0.0);
    QCOMPARE(o[QStringLiteral("kld")].toObject()[QStringLiteral("max")].toDouble(), 0.0);
    QCOMPARE(o[QStringLiteral("same_top1")].toDouble(), 1.0);
    QCOMPARE(o[QStringLiteral("ppl_ratio")].toDouble(), 1.0);
    QCOMPARE(o[QStringLiteral("delta_p")].toObject()[QStringLiteral("rms")].toDouble(), 0.0);
    QCOMPARE(o[QStringLiteral("rows")].toInt(), 5);
    QCOMPARE(o[QStringLiteral("stride")].toInt(), 8);
    QVERIFY(o[QStringLiteral("tokens")].toInt() > 50);
    QVERIFY(o[QStringLiteral("ppl_base")].toDouble() > 1);
    QCOMPARE(o[QStringLiteral("size")].toObject()[QStringLiteral("base")].toDouble(),
             double(QFileInfo(llama + QStringLiteral("/model.safetensors")).size()));

    // The same model in bfloat16 (8 significant bits: weights and activations move by up to 2^-9 relative):
    // KL strictly positive yet tiny — this random model's distributions are nearly flat, so its logit noise costs
    // ~5e-7 nats a token (measured) — far below 1e-4; only near-tied top-1 tokens may flip.
    const CliResult b = runCli({"--json", "kld", llama, llama, "--data", data, "--seq-len", "16", "--dtype", "bf16"});
    QVERIFY2(b.code == 0, qPrintable(b.err));
    const QJsonObject bo = QJsonDocument::fromJson(b.out.toUtf8()).object();
    const QJsonObject k = bo[QStringLiteral("kld")].toObject();
    QVERIFY2(k[QStringLiteral("mean")].toDouble() > 0 && k[QStringLiteral("mean")].toDouble() < 1e-4,
             qPrintable(b.out));
    QVERIFY2(bo[QStringLiteral("same_top1")].toDouble() > 0.9, qPrintable(b.out));
    QVERIFY(std::abs(bo[QStringLiteral("ppl_ratio")].toDouble() - 1) < 1e-3);
    QVERIFY(k[QStringLiteral("max")].toDouble() >= k[QStringLiteral("p99")].toDouble());
    QVERIFY(k[QStringLiteral("p99")].toDouble() >= k[QStringLiteral("median")].toDouble());
  }

  void kldCliRefuses() {
    QTemporaryDir dir;
    const QString llama = fixture(QStringLiteral("tiny-llama"));
    const QString data = testDataDir() + QStringLiteral("/eval_lm/texts.jsonl");
    const CliResult v = runCli({"kld", llama, fixture(QStringLiteral("tiny-qwen2")), "--data", data});
    QVERIFY(v.code != 0);
    QVERIFY2(v.err.contains(fixture(QStringLiteral("tiny-qwen2/config.json")) + QStringLiteral(": vocab_size=640 differs from ") +
                            fixture(QStringLiteral("tiny-llama/config.json")) + QStringLiteral("'s 512")),
             qPrintable(v.err));

    const QString empty = writeFile(dir, QStringLiteral("empty.jsonl"), "");
    const CliResult e = runCli({"kld", llama, llama, "--data", empty});
    QVERIFY(e.code != 0);
    QVERIFY2(e.err.contains(empty + QStringLiteral(": rows=0 has no rows to score")), qPrintable(e.err));

    const QString noText = writeFile(dir, QStringLiteral("bad.jsonl"), "{\"text\": \"fine\"}\n{\"prompt\": \"no text\"}\n");
    const CliResult t = runCli({"kld", llama, llama, "--data", noText});
    QVERIFY(t.code != 0);
    QVERIFY2(t.err.contains(noText + QStringLiteral(":2: text is missing")), qPrintable(t.err));

    const CliResult u = runCli({"kld", llama, llama});
    QVERIFY(u.code != 0);
    QVERIFY2(u.err.contains(QStringLiteral("--data FILE.jsonl is required")), qPrintable(u.err));
  }
};

QTEST_GUILESS_MAIN(TestEvalLm)
#include "tst_eval_lm.moc"
