#include "data/DatasetStatsJson.h"

#include "data/DataStats.h"

namespace distillery {

QJsonObject datasetStatsJson(const QString& path, const QString& tokenizerDir, int bins,
                             const std::function<bool(int64_t, int64_t)>& progress) {
  StatsOptions o;
  o.tokenizerDir = tokenizerDir;
  o.bins = bins;
  o.read.progress = progress;
  return datasetStats(path, o).toJson();
}

}  // namespace distillery
