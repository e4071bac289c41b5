// Metrics into the workspace's metrics table through this thread's connection (MetricWriter): one row per
// (step, name), written in batches of `flushEvery` rows and at every validation and at the end, so the UI
// (its own connection, WAL) sees them within a batch. On resume the job's rows for later steps are deleted.
#pragma once
#include "store/MetricWriter.h"
#include "train/Trainer.h"

#include <memory>

namespace distillery {

class Store;

class StoreMetricsSink : public MetricsSink {
 public:
  // The store must outlive the sink; the sink is used from one thread (the job's).
  StoreMetricsSink(const Store& store, qint64 jobId, int flushEvery = 200);
  ~StoreMetricsSink() override;
  void stepMetrics(const StepMetrics& m) override;
  void validationMetrics(const ValidationMetrics& m) override;
  void resumed(int64_t step) override;
  void finished() override;

 private:
  void addAll(const QJsonObject& row, qint64 step, double wallTime);
  const Store& store_;
  qint64 jobId_;
  std::unique_ptr<MetricWriter> writer_;
};

}  // namespace distillery
