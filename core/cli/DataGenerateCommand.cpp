// Placeholder until the subcommands land (issue 6); replaced by their implementation.
#include "cli/DataCli.h"
#include "common/Error.h"

namespace distillery::cli {

int dataGenerate(Context&) { throw Error(QStringLiteral("data: this subcommand is not built yet")); }

}  // namespace distillery::cli
