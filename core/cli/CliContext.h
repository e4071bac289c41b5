// What every distillery-cli command receives: its arguments (after the command name), the streams, and the
// global options. Commands throw UsageError for wrong use and Error for failures; Cli maps them to exit codes.
#pragma once
#include <QtCore/QCommandLineParser>
#include <QtCore/QJsonObject>
#include <QtCore/QStringList>
#include <QtCore/QTextStream>

#include <functional>
#include <span>

namespace distillery::cli {

struct Context {
  QStringList args;        // the command's own arguments, first one is the command path ("workspace init")
  QTextStream& out;
  QTextStream& err;
  QTextStream& in;
  bool json = false;       // --json: machine-readable output on stdout
  int threads = 0;         // --threads N (0: all usable cores)

  // Prints obj as one JSON line (with --json) or as "key: value" lines for people.
  void print(const QJsonObject& obj) const;
};

struct Command {
  QString name;                               // "workspace", "demo", ...
  QString summary;                            // one line for `distillery-cli --help`
  std::function<int(Context&)> run;
};

// Parses ctx.args with parser (adding --help); throws UsageError with the parser's message on bad input.
// Returns false when --help was asked and printed.
bool parseOrThrow(QCommandLineParser& parser, Context& ctx, const QString& usage);

// The --workspace PATH option of commands that work in a workspace (default: the demo workspace).
QCommandLineOption workspaceOption();

// One subcommand of a command with several ("data inspect", "study rate").
struct Subcommand {
  const char* name;
  const char* summary;  // one line for `COMMAND --help`
  int (*run)(Context&);
};

// Runs the subcommand that ctx.args[1] names, with ctx.args rewritten to start at "COMMAND SUB"; prints the
// list for -h/--help. An empty or unknown name is a UsageError that names it and shows usage.
int runSubcommand(Context& ctx, std::span<const Subcommand> subcommands, const QString& usage);

// All commands in the order `--help` lists them. Each lives in its own file under core/cli/.
QList<Command> commands();
Command workspaceCommand();
Command demoCommand();
Command versionCommand();
Command tokenizeCommand();
Command templateCommand();
Command inspectCommand();
Command logitsCommand();
Command generateCommand();
Command initStudentCommand();
Command preflightCommand();
Command trainCommand();
Command jobsCommand();
Command dataCommand();
Command agreementCommand();
Command rankCommand();
Command quantizeCommand();
Command kldCommand();
Command scoreCommand();
Command evalCommand();
Command studyCommand();
Command auditCommand();
Command lineageCommand();

}  // namespace distillery::cli
