// distillery-cli study: placeholder until the command lands.
#include "cli/CliContext.h"
#include "common/Error.h"

namespace distillery::cli {

Command studyCommand() {
  return {QStringLiteral("study"), QStringLiteral("human evaluation studies: create, rate, reveal, results, import, export"), [](Context&) -> int {
            throw Error(QStringLiteral("`study` is not built yet"));
          }};
}

}  // namespace distillery::cli
