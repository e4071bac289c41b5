#include "cli/Cli.h"

#include "BuildInfo.h"
#include "cli/CliContext.h"
#include "common/Error.h"
#include "runtime/Runtime.h"
#include "store/Workspace.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

namespace distillery::cli {

QList<Command> commands() {
  return {workspaceCommand(), demoCommand(), versionCommand(), tokenizeCommand(), templateCommand(),
          inspectCommand(), logitsCommand(), generateCommand(), initStudentCommand(), preflightCommand(),
          trainCommand(), jobsCommand(), dataCommand(), agreementCommand(), rankCommand(),
          quantizeCommand(), kldCommand(), scoreCommand(), evalCommand(), studyCommand(), auditCommand(),
          lineageCommand()};
}

void Context::print(const QJsonObject& obj) const {
  if (json) {
    out << QJsonDocument(obj).toJson(QJsonDocument::Compact) << Qt::endl;
    return;
  }
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    QString value;
    if (it->isObject() || it->isArray())
      value = QString::fromUtf8(it->isObject() ? QJsonDocument(it->toObject()).toJson(QJsonDocument::Compact)
                                               : QJsonDocument(it->toArray()).toJson(QJsonDocument::Compact));
    else
      value = it->toVariant().toString();
    out << it.key() << ": " << value << Qt::endl;
  }
}

bool parseOrThrow(QCommandLineParser& parser, Context& ctx, const QString& usage) {
  const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
  parser.addOption(help);
  parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
  if (!parser.parse(ctx.args)) throw UsageError(parser.errorText() + QStringLiteral("\nusage: ") + usage);
  if (parser.isSet(help)) {
    ctx.out << "usage: " << usage << "\n\n" << parser.helpText().section(QLatin1Char('\n'), 2);
    ctx.out.flush();
    return false;
  }
  return true;
}

QCommandLineOption workspaceOption() {
  return QCommandLineOption(
      QStringLiteral("workspace"),
      QStringLiteral("Workspace folder or its workspace.sqlite (default: %1).").arg(Workspace::demoPath()),
      QStringLiteral("PATH"), Workspace::demoPath());
}

int runSubcommand(Context& ctx, std::span<const Subcommand> subcommands, const QString& usage) {
  QStringList names;
  int width = 0;
  for (const Subcommand& s : subcommands) {
    names << QString::fromLatin1(s.name);
    width = std::max(width, int(names.back().size()) + 2);
  }
  const QString sub = ctx.args.value(1);
  if (sub.isEmpty())
    throw UsageError(QStringLiteral("expected one of %1\nusage: %2").arg(names.join(QStringLiteral(", ")), usage));
  if (sub == QLatin1String("-h") || sub == QLatin1String("--help")) {
    ctx.out << "usage: " << usage << "\n";
    for (const Subcommand& s : subcommands)
      ctx.out << "  " << QString::fromLatin1(s.name).leftJustified(width) << QString::fromUtf8(s.summary) << "\n";
    ctx.out.flush();
    return 0;
  }
  for (const Subcommand& s : subcommands) {
    if (sub != QLatin1String(s.name)) continue;
    ctx.args = QStringList{ctx.args.value(0) + QLatin1Char(' ') + sub} + ctx.args.mid(2);
    return s.run(ctx);
  }
  throw UsageError({}, QStringLiteral("SUBCOMMAND"), sub,
                   QStringLiteral("is not one of %1\nusage: %2").arg(names.join(QStringLiteral(", ")), usage));
}

static void printHelp(QTextStream& out) {
  out << "distillery-cli " << DISTILLERY_VERSION << " — distill and fine-tune LLMs from the command line\n\n"
      << "usage: distillery-cli [--json] [--threads N] COMMAND [ARGS...]\n\n"
      << "commands:\n";
  for (const Command& c : commands()) out << "  " << c.name.leftJustified(12) << c.summary << "\n";
  out << "\nglobal options:\n"
      << "  --json        print machine-readable JSON on stdout\n"
      << "  --threads N   LibTorch compute threads (default: all usable cores)\n"
      << "  -h, --help    show this help; COMMAND --help shows a command's\n"
      << "  -v, --version show the version\n\n"
      << "exit codes: 0 success, 1 failure, 2 wrong usage\n";
  out.flush();
}

int run(const QStringList& argv, QTextStream& out, QTextStream& err, QTextStream& in) {
  // Global options may stand anywhere; they are taken out before the command sees its arguments.
  QStringList rest;
  bool json = false;
  int threads = 0;
  try {
    for (int i = 1; i < argv.size(); ++i) {
      const QString& a = argv[i];
      if (a == QLatin1String("--json")) {
        json = true;
      } else if (a == QLatin1String("--threads") || a.startsWith(QLatin1String("--threads="))) {
        QString value;
        if (a.contains(QLatin1Char('='))) value = a.section(QLatin1Char('='), 1);
        else if (i + 1 < argv.size()) value = argv[++i];
        if (value.isEmpty()) throw UsageError(QStringLiteral("--threads needs a value: a whole number from 1 to 1024"));
        bool ok = false;
        threads = value.toInt(&ok);
        if (!ok || threads < 1 || threads > 1024)
          throw UsageError({}, QStringLiteral("--threads"), value, QStringLiteral("must be a whole number from 1 to 1024"));
      } else {
        rest << a;
      }
    }
    if (rest.isEmpty() || rest.first() == QLatin1String("-h") || rest.first() == QLatin1String("--help") ||
        rest.first() == QLatin1String("help")) {
      printHelp(out);
      return rest.isEmpty() ? kUsage : kOk;
    }
    if (rest.first() == QLatin1String("-v") || rest.first() == QLatin1String("--version")) {
      out << "distillery-cli " << DISTILLERY_VERSION << Qt::endl;
      return kOk;
    }
    setComputeThreads(threads);
    for (const Command& c : commands()) {
      if (c.name != rest.first()) continue;
      Context ctx{rest, out, err, in, json, threads};
      const int code = c.run(ctx);
      out.flush();
      return code;
    }
    throw UsageError({}, QStringLiteral("command"), rest.first(),
                     QStringLiteral("is not a command; `distillery-cli --help` lists them"));
  } catch (const UsageError& e) {
    out.flush();
    err << "distillery-cli: " << e.message() << Qt::endl;
    return kUsage;
  } catch (const Error& e) {
    out.flush();
    err << "distillery-cli: " << e.message() << Qt::endl;
    return kFailed;
  } catch (const std::exception& e) {
    out.flush();
    err << "distillery-cli: unexpected error: " << e.what() << Qt::endl;
    return kFailed;
  }
}

}  // namespace distillery::cli
