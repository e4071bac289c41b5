// Placeholder until the subcommands land (issue 6); replaced by their implementation.
#include "cli/DataCli.h"
#include "common/Error.h"

namespace distillery::cli {

int dataInspect(Context&) { throw Error(QStringLiteral("data: this subcommand is not built yet")); }

int dataStats(Context&) { throw Error(QStringLiteral("data: this subcommand is not built yet")); }

int dataConvert(Context&) { throw Error(QStringLiteral("data: this subcommand is not built yet")); }

}  // namespace distillery::cli
