// distillery-bench NAME [ARGS] [--json FILE]: runs one benchmark and prints a table; with --json also writes
// the numbers. Benchmarks: store, tokenizer, train, data, curves and ui-stall (GUI builds).
#include "Bench.h"
#include "common/AtomicFile.h"
#include "runtime/Runtime.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QJsonDocument>

#include <cstdio>
#include <functional>
#include <map>

using namespace distillery::bench;

int main(int argc, char** argv) {
  const auto app = makeBenchApplication(argc, argv);
  QTextStream out(stdout);
  QStringList args = QCoreApplication::arguments().mid(1);
  QString jsonPath;
  if (const int i = int(args.indexOf(QStringLiteral("--json"))); i >= 0 && i + 1 < args.size()) {
    jsonPath = args.at(i + 1);
    args.remove(i, 2);
  }
  const std::map<QString, std::function<int(BenchContext&)>> benches = {{QStringLiteral("store"), storeBench},
                                                                        {QStringLiteral("tokenizer"), tokenizerBench},
                                                                        {QStringLiteral("train"), trainBench},
                                                                        {QStringLiteral("data"), dataBench},
#ifdef DISTILLERY_BENCH_GUI
                                                                        {QStringLiteral("curves"), curvesBench},
                                                                        {QStringLiteral("ui-stall"), uiStallBench},
#endif
  };
  if (args.isEmpty() || !benches.count(args.first())) {
    out << "usage: distillery-bench NAME [ARGS] [--json FILE]\nbenchmarks:";
    for (const auto& [name, fn] : benches) out << ' ' << name;
    out << Qt::endl;
    return 2;
  }
  distillery::setComputeThreads(0);
  BenchContext ctx{args.mid(1), out, {}};
  const int rc = benches.at(args.first())(ctx);
  if (!jsonPath.isEmpty())
    distillery::writeFileAtomically(jsonPath, QJsonDocument(ctx.results).toJson(QJsonDocument::Indented));
  return rc;
}
