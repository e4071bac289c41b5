// distillery-cli's engine: app/cli/main.cpp only forwards argv and the standard streams here, so tests drive
// the exact same code.
#pragma once
#include <QtCore/QStringList>
#include <QtCore/QTextStream>

namespace distillery::cli {

enum ExitCode { kOk = 0, kFailed = 1, kUsage = 2 };

// argv[0] is the program name. Returns the process exit code.
int run(const QStringList& argv, QTextStream& out, QTextStream& err, QTextStream& in);

}  // namespace distillery::cli
