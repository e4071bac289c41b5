#include "Bench.h"

#include <cstring>

#ifdef DISTILLERY_BENCH_GUI
#include <QtWidgets/QApplication>
#endif

namespace distillery::bench {

std::unique_ptr<QCoreApplication> makeBenchApplication(int& argc, char** argv) {
#ifdef DISTILLERY_BENCH_GUI
  // The curves and ui-stall benchmarks draw widgets: they need a QApplication, offscreen unless a platform is
  // chosen.
  if (argc > 1 && (std::strcmp(argv[1], "curves") == 0 || std::strcmp(argv[1], "ui-stall") == 0)) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    return std::make_unique<QApplication>(argc, argv);
  }
#endif
  return std::make_unique<QCoreApplication>(argc, argv);
}

}  // namespace distillery::bench
