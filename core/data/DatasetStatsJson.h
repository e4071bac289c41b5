// Dataset statistics as JSON, behind a header without torch (DataStats.h needs torch for perplexity), so the
// GUI's worker computes exactly what `distillery-cli data stats FILE [--tokenizer DIR] [--bins N]` prints.
#pragma once
#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <cstdint>
#include <functional>

namespace distillery {

// datasetStats(path, {tokenizerDir, bins, read.progress}).toJson(). progress(done, total bytes) returning false
// stops it with Cancelled (RowReader.h). Throws FormatError for an unreadable file or tokenizer.
QJsonObject datasetStatsJson(const QString& path, const QString& tokenizerDir, int bins = 20,
                             const std::function<bool(int64_t done, int64_t total)>& progress = {});

}  // namespace distillery
