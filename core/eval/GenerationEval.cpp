#include "eval/GenerationEval.h"

#include "eval/Bleu.h"
#include "eval/Chrf.h"
#include "eval/Fidelity.h"
#include "eval/Rouge.h"
#include "eval/TextMatch.h"
#include "tokenizer/Tokenizer.h"

#include <chrono>
#include <cmath>
#include <limits>

namespace distillery {

namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

bool wants(const QStringList& metrics, const char* name) { return metrics.contains(QLatin1String(name)); }

void insertRouge(QJsonObject& out, const RougeScores& s) {
  for (auto it = s.begin(); it != s.end(); ++it) out.insert(it.key(), it.value().fmeasure);
}

double mean(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x;
  return v.empty() ? 0.0 : sum / double(v.size());
}

}  // namespace

double TimedAnswer::msPerToken() const {
  return newTokens >= 2 ? (totalMs - firstTokenMs) / double(newTokens - 1) : std::numeric_limits<double>::quiet_NaN();
}

TimedAnswer generateTimed(CausalLM& lm, const Tokenizer& tokenizer, const std::vector<int64_t>& prompt,
                          GenerateOptions o) {
  TimedAnswer a;
  const Clock::time_point start = Clock::now();
  // generate() calls progress after each step, once the step's token is on the CPU (the device has synchronised):
  // the first call marks the first token.
  o.progress = [&](int step, int) {
    if (step == 1) a.firstTokenMs = msSince(start);
    return true;
  };
  const GenerateResult r = generate(lm, {prompt}, o);
  a.totalMs = msSince(start);
  std::vector<int32_t> reply(r.newTokens[0].begin(), r.newTokens[0].end());
  a.newTokens = int64_t(reply.size());
  a.finished = r.finished[0];
  a.stopped = r.stopped;
  if (a.finished && !reply.empty()) reply.pop_back();  // the EOS that ended it
  a.text = tokenizer.decode(reply, /*skipSpecialTokens=*/true);
  return a;
}

QJsonObject sampleGenerationScores(const QString& output, const QString& reference, const QStringList& metrics) {
  QJsonObject s;
  if (wants(metrics, "exact_match")) s.insert(QStringLiteral("exact_match"), exactMatch(output, {reference}));
  if (wants(metrics, "token_f1")) s.insert(QStringLiteral("token_f1"), tokenF1(output, {reference}));
  if (wants(metrics, "bleu")) s.insert(QStringLiteral("bleu"), bleu({output}, {{reference}}, {}).lines.at(0).score);
  if (wants(metrics, "chrf")) s.insert(QStringLiteral("chrf"), chrf({output}, {{reference}}, {}).lines.at(0));
  if (wants(metrics, "rouge")) insertRouge(s, rougeScore(reference, output, {}));
  return s;
}

QJsonObject corpusGenerationScores(const QStringList& outputs, const QStringList& references,
                                   const QStringList& metrics) {
  QJsonObject s;
  if (outputs.isEmpty()) return s;
  std::vector<double> em, f1;
  for (qsizetype i = 0; i < outputs.size(); ++i) {
    em.push_back(exactMatch(outputs[i], {references[i]}));
    f1.push_back(tokenF1(outputs[i], {references[i]}));
  }
  if (wants(metrics, "exact_match")) s.insert(QStringLiteral("exact_match"), mean(em));
  if (wants(metrics, "token_f1")) s.insert(QStringLiteral("token_f1"), mean(f1));
  if (wants(metrics, "bleu")) s.insert(QStringLiteral("bleu"), bleu(outputs, {references}, {}).corpus.score);
  if (wants(metrics, "chrf")) s.insert(QStringLiteral("chrf"), chrf(outputs, {references}, {}).score);
  if (wants(metrics, "rouge")) insertRouge(s, rouge(outputs, {references}, {}).mean);
  return s;
}

QJsonObject latencySummary(const std::vector<TimedAnswer>& answers) {
  std::vector<double> first, perToken;
  double decodeMs = 0, totalMs = 0;
  int64_t decoded = 0, tokens = 0;
  for (const TimedAnswer& a : answers) {
    if (a.newTokens == 0) continue;
    first.push_back(a.firstTokenMs);
    if (std::isfinite(a.msPerToken())) perToken.push_back(a.msPerToken());
    if (a.newTokens >= 2) {
      decodeMs += a.totalMs - a.firstTokenMs;
      decoded += a.newTokens - 1;
    }
    totalMs += a.totalMs;
    tokens += a.newTokens;
  }
  QJsonObject s{{QStringLiteral("new_tokens"), qint64(tokens)}, {QStringLiteral("generation_s"), totalMs / 1000.0}};
  if (!first.empty()) {
    s.insert(QStringLiteral("first_token_ms"), mean(first));
    s.insert(QStringLiteral("first_token_ms_p50"), percentile(first, 0.5));
    s.insert(QStringLiteral("first_token_ms_p99"), percentile(first, 0.99));
  }
  if (decoded > 0) {
    s.insert(QStringLiteral("ms_per_token"), decodeMs / double(decoded));
    s.insert(QStringLiteral("ms_per_token_p99"), percentile(perToken, 0.99));
  }
  if (totalMs > 0) s.insert(QStringLiteral("tokens_per_s"), double(tokens) / (totalMs / 1000.0));
  return s;
}

}  // namespace distillery
