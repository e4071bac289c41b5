// distillery-bench: benchmarks that print numbers (never timed tests). Each measures ours beside a peer on the
// same machine in the same run and reports the ratio.
#pragma once
#include <QtCore/QCoreApplication>
#include <QtCore/QJsonObject>
#include <QtCore/QStringList>
#include <QtCore/QTextStream>

#include <memory>

namespace distillery::bench {

struct BenchContext {
  QStringList args;  // the benchmark's own arguments
  QTextStream& out;
  QJsonObject results;  // written to --json FILE at the end
};

// Metric inserts per second into the indexed metrics table, beside Python's sqlite3 module.
int storeBench(BenchContext& ctx);
// Tokenizer encode MB/s (llama2, llama3, qwen3 fixtures), beside the JavaScript port of HF tokenizers.
int tokenizerBench(BenchContext& ctx);
// LoRA SFT and KD training tokens/s through the real tasks and Trainer, beside peer_bench.py's PEFT / HF KD.
int trainBench(BenchContext& ctx);
// Data cleaning rows/s: clean + exact/near dedup + tokenize over a generated JSONL (DataBench.cpp).
int dataBench(BenchContext& ctx);
// Curve panel replot with smoothing and live appends beside bare QCustomPlot (GUI builds only, CurvesBench.cpp).
int curvesBench(BenchContext& ctx);
// UI event-loop stalls (p50/p99/max) while idle and while a CPU training job runs (GUI builds only, UiStallBench.cpp).
int uiStallBench(BenchContext& ctx);

// The application object: a QApplication (offscreen) for the curves benchmark in GUI builds, else QCoreApplication.
std::unique_ptr<QCoreApplication> makeBenchApplication(int& argc, char** argv);

}  // namespace distillery::bench
