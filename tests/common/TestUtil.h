// Small helpers the test executables share.
//
//   QCOMPARE(errorOf([&] { loadModel(dir, ...); }), QStringLiteral("dir: ... exact message"));
//   CliResult r = runCli({"inspect", dir});   QCOMPARE(r.code, 0);
#pragma once
#include "cli/Cli.h"

#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QTextStream>

#include <exception>
#include <functional>

// The text of what fn throws, or "(no error)".
inline QString errorOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    return QString::fromUtf8(e.what());
  }
  return QStringLiteral("(no error)");
}

struct CliResult {
  int code = 0;
  QString out, err;
};

// Runs `distillery-cli ARGS` in this process with empty stdin.
inline CliResult runCli(const QStringList& args) {
  CliResult r;
  QString input;
  QTextStream out(&r.out), err(&r.err), in(&input);
  r.code = distillery::cli::run(QStringList{QStringLiteral("distillery-cli")} + args, out, err, in);
  out.flush();
  err.flush();
  return r;
}
