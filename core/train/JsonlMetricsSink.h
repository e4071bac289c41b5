// output/metrics.jsonl: one JSON object per logged step ({"step", "loss", "loss_ce", "lr", ...}) and per
// validation ({"step", "val_loss", ...}), appended and flushed line by line so a crash loses at most the line
// being written. On resume the lines of steps after the checkpoint are dropped first, so no step appears twice.
#pragma once
#include "train/Trainer.h"

#include <QtCore/QFile>

namespace distillery {

class JsonlMetricsSink : public MetricsSink {
 public:
  // Opens (creating) the file for appending; throws Error naming the path when it cannot.
  explicit JsonlMetricsSink(const QString& path);
  void stepMetrics(const StepMetrics& m) override;
  void validationMetrics(const ValidationMetrics& m) override;
  void resumed(int64_t step) override;  // rewrites the file (atomically) without lines whose step > step
  void finished() override;

 private:
  void writeLine(const QJsonObject& line);
  QString path_;
  QFile file_;
};

}  // namespace distillery
