// Placeholder until the subcommands land (issue 6); replaced by their implementation.
#include "cli/DataCli.h"
#include "common/Error.h"

namespace distillery::cli {

int dataClean(Context&) { throw Error(QStringLiteral("data: this subcommand is not built yet")); }

int dataDedup(Context&) { throw Error(QStringLiteral("data: this subcommand is not built yet")); }

int dataSplit(Context&) { throw Error(QStringLiteral("data: this subcommand is not built yet")); }

int dataAugment(Context&) { throw Error(QStringLiteral("data: this subcommand is not built yet")); }

}  // namespace distillery::cli
