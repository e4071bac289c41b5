// Command-line options that load or run a model, shared by `generate`, `data generate`, `data stats`:
// --device, --dtype and the sampling settings of GenerateOptions.
#pragma once
#include "model/Generate.h"

#include <torch/types.h>

#include <QtCore/QCommandLineOption>
#include <QtCore/QCommandLineParser>

namespace distillery::cli {

extern const QString kDeviceHelp;  // help text of --device
extern const QString kDtypeHelp;   // help text of --dtype

// "cpu" (or empty) | "cuda" | "cuda:N"; throws UsageError for anything else, Error when CUDA is unavailable.
torch::Device parseDevice(const QString& text);
// "f32" (or empty) | "bf16"; throws UsageError.
torch::ScalarType parseDtype(const QString& text);

// --max-new-tokens, --greedy, --temperature, --top-p, --top-k, --repetition-penalty, --seed.
struct SamplingOptions {
  QCommandLineOption maxNew, greedy, temperature, topP, topK, penalty, seed;
  SamplingOptions();
  void addTo(QCommandLineParser& p) const;
  // Fills o from what was given (defaults are o's own: temperature 0.7, top-p 0.9, 512 tokens, penalty 1.2 —
  // 1 with --greedy). Throws UsageError naming the option and the bad value.
  void apply(const QCommandLineParser& p, GenerateOptions& o) const;
};

}  // namespace distillery::cli
