#include "eval/Chrf.h"

#include "common/Error.h"

// Placeholder until the implementation lands.
namespace distillery {
ChrfResult chrf(const QStringList&, const QList<QStringList>&, const ChrfOptions&) { throw Error(QStringLiteral("chrF is not built yet")); }
}  // namespace distillery
