// distillery-cli score: placeholder until the command lands.
#include "cli/CliContext.h"
#include "common/Error.h"

namespace distillery::cli {

Command scoreCommand() {
  return {QStringLiteral("score"), QStringLiteral("bleu|chrf|rouge --hyp HYP --ref REF: sacreBLEU / rouge-score compatible scores"), [](Context&) -> int {
            throw Error(QStringLiteral("`score` is not built yet"));
          }};
}

}  // namespace distillery::cli
