// distillery-cli quantize: placeholder until the command lands.
#include "cli/CliContext.h"
#include "common/Error.h"

namespace distillery::cli {

Command quantizeCommand() {
  return {QStringLiteral("quantize"), QStringLiteral("MODEL_DIR OUT_DIR --scheme int8|int4-g32|int4-g64|int4-g128: a quantized model folder"), [](Context&) -> int {
            throw Error(QStringLiteral("`quantize` is not built yet"));
          }};
}

}  // namespace distillery::cli
