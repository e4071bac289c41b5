#include "cli/ModelOptions.h"

#include "common/Error.h"

#include <torch/cuda.h>

#include <cmath>

namespace distillery::cli {

const QString kDeviceHelp = QStringLiteral("cpu (default) or cuda[:N].");
const QString kDtypeHelp = QStringLiteral("f32 (default) or bf16: the dtype the weights are loaded and run in.");

torch::Device parseDevice(const QString& text) {
  if (text.isEmpty() || text == QLatin1String("cpu")) return torch::kCPU;
  if (text == QLatin1String("cuda") || text.startsWith(QLatin1String("cuda:"))) {
    if (!torch::cuda::is_available())
      throw Error({}, QStringLiteral("--device"), text, QStringLiteral("is not available: this machine or build has no CUDA"));
    int index = 0;
    if (text.contains(QLatin1Char(':'))) {
      bool ok = false;
      index = text.section(QLatin1Char(':'), 1).toInt(&ok);
      if (!ok || index < 0 || index >= static_cast<int>(torch::cuda::device_count()))
        throw UsageError({}, QStringLiteral("--device"), text,
                         QStringLiteral("names no CUDA device (there are %1)").arg(torch::cuda::device_count()));
    }
    return {torch::kCUDA, static_cast<c10::DeviceIndex>(index)};
  }
  throw UsageError({}, QStringLiteral("--device"), text, QStringLiteral("must be cpu or cuda[:N]"));
}

torch::ScalarType parseDtype(const QString& text) {
  if (text.isEmpty() || text == QLatin1String("f32")) return torch::kFloat32;
  if (text == QLatin1String("bf16")) return torch::kBFloat16;
  throw UsageError({}, QStringLiteral("--dtype"), text, QStringLiteral("must be f32 or bf16"));
}

namespace {

double number(const QCommandLineParser& p, const QCommandLineOption& o, double fallback) {
  if (!p.isSet(o)) return fallback;
  bool ok = false;
  const double v = p.value(o).toDouble(&ok);
  if (!ok) throw UsageError({}, QLatin1String("--") + o.names().first(), p.value(o), QStringLiteral("must be a number"));
  return v;
}

}  // namespace

SamplingOptions::SamplingOptions()
    : maxNew(QStringLiteral("max-new-tokens"), QStringLiteral("New tokens at most (default 512)."), QStringLiteral("N")),
      greedy(QStringLiteral("greedy"), QStringLiteral("Take the most likely token each step (repetition penalty 1 unless given).")),
      temperature(QStringLiteral("temperature"), QStringLiteral("Sampling temperature (default 0.7)."), QStringLiteral("T")),
      topP(QStringLiteral("top-p"), QStringLiteral("Nucleus sampling mass (default 0.9; 1 turns it off)."), QStringLiteral("P")),
      topK(QStringLiteral("top-k"), QStringLiteral("Sample among the K most likely tokens (default 0: off)."), QStringLiteral("K")),
      penalty(QStringLiteral("repetition-penalty"), QStringLiteral("Penalty on ids already seen (default 1.2 when sampling, 1 with --greedy)."), QStringLiteral("R")),
      seed(QStringLiteral("seed"), QStringLiteral("Sampler seed (default 0)."), QStringLiteral("S")) {}

void SamplingOptions::addTo(QCommandLineParser& p) const { p.addOptions({maxNew, greedy, temperature, topP, topK, penalty, seed}); }

void SamplingOptions::apply(const QCommandLineParser& p, GenerateOptions& o) const {
  if (p.isSet(greedy) && (p.isSet(temperature) || p.isSet(topP)))
    throw UsageError(QStringLiteral("--greedy takes no --temperature or --top-p"));
  o.greedy = p.isSet(greedy);
  o.temperature = number(p, temperature, o.temperature);
  o.topP = number(p, topP, o.topP);
  o.repetitionPenalty = number(p, penalty, o.greedy ? 1.0 : o.repetitionPenalty);
  const double k = number(p, topK, double(o.topK)), n = number(p, maxNew, double(o.maxNewTokens)),
               s = number(p, seed, double(o.seed));
  if (k < 0 || k != std::floor(k)) throw UsageError({}, QStringLiteral("--top-k"), p.value(topK), QStringLiteral("must be a whole number ≥ 0"));
  if (n < 1 || n != std::floor(n)) throw UsageError({}, QStringLiteral("--max-new-tokens"), p.value(maxNew), QStringLiteral("must be a whole number ≥ 1"));
  if (s < 0 || s != std::floor(s)) throw UsageError({}, QStringLiteral("--seed"), p.value(seed), QStringLiteral("must be a whole number ≥ 0"));
  o.topK = static_cast<int64_t>(k);
  o.maxNewTokens = static_cast<int64_t>(n);
  o.seed = static_cast<uint64_t>(s);
  if (!(o.temperature > 0)) throw UsageError({}, QStringLiteral("--temperature"), p.value(temperature), QStringLiteral("must be positive"));
  if (!(o.topP > 0 && o.topP <= 1)) throw UsageError({}, QStringLiteral("--top-p"), p.value(topP), QStringLiteral("must be in (0, 1]"));
  if (!(o.repetitionPenalty > 0)) throw UsageError({}, QStringLiteral("--repetition-penalty"), p.value(penalty), QStringLiteral("must be positive"));
}

}  // namespace distillery::cli
