#include "eval/Rouge.h"

#include "common/Error.h"

// Placeholder until the implementation lands.
namespace distillery {
RougeScores rougeScore(const QString&, const QString&, const RougeOptions&) { throw Error(QStringLiteral("ROUGE is not built yet")); }
RougeResult rouge(const QStringList&, const QList<QStringList>&, const RougeOptions&) { throw Error(QStringLiteral("ROUGE is not built yet")); }
}  // namespace distillery
