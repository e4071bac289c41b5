// distillery-cli eval: placeholder until the command lands.
#include "cli/CliContext.h"
#include "common/Error.h"

namespace distillery::cli {

Command evalCommand() {
  return {QStringLiteral("eval"), QStringLiteral("JOB.json: evaluate several models on a dataset (perplexity, accuracy, generation scores, latency)"), [](Context&) -> int {
            throw Error(QStringLiteral("`eval` is not built yet"));
          }};
}

}  // namespace distillery::cli
