// How a data operation records its files in the datasets table, shared by `distillery-cli data ... --workspace`
// and the Data panel: the input once (by path and content hash), the output as derived from it.
#pragma once
#include "store/Store.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <cstdint>

namespace distillery {

// Registers `input` (addOrFind; skipped when empty or the same file as output) and `output` with its parent, the
// settings that made it and its statistics; returns the output's dataset id. Throws StoreError.
qint64 registerDatasetFile(const Store& store, const QString& input, const QString& output, const QString& schema,
                           int64_t rows, const QJsonObject& settings, const QJsonObject& stats);

}  // namespace distillery
