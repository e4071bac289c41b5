#include "eval/Bleu.h"

#include "common/Error.h"

// Placeholder until the implementation lands.
namespace distillery {
BleuResult bleu(const QStringList&, const QList<QStringList>&, const BleuOptions&) { throw Error(QStringLiteral("BLEU is not built yet")); }
QString bleuTokenize(const QString&, const QString&) { throw Error(QStringLiteral("BLEU is not built yet")); }
}  // namespace distillery
