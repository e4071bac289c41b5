// distillery-cli: everything happens in core/cli; this only connects argv and the standard streams.
#include "cli/Cli.h"

#include <QtCore/QCoreApplication>

#include <cstdio>

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  QCoreApplication::setOrganizationName(QStringLiteral("Distillery"));
  QCoreApplication::setApplicationName(QStringLiteral("distillery"));
  QTextStream out(stdout), err(stderr), in(stdin);
  return distillery::cli::run(QCoreApplication::arguments(), out, err, in);
}
