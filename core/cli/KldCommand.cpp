// distillery-cli kld: placeholder until the command lands.
#include "cli/CliContext.h"
#include "common/Error.h"

namespace distillery::cli {

Command kldCommand() {
  return {QStringLiteral("kld"), QStringLiteral("BASE_DIR OTHER_DIR --data FILE.jsonl: KL divergence, perplexity ratio, same top-1 (llama.cpp statistics)"), [](Context&) -> int {
            throw Error(QStringLiteral("`kld` is not built yet"));
          }};
}

}  // namespace distillery::cli
