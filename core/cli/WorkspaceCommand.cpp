// distillery-cli workspace init|info PATH
#include "cli/CliContext.h"
#include "common/Error.h"
#include "store/Workspace.h"

#include <QtCore/QFileInfo>

namespace distillery::cli {

QJsonObject workspaceSummary(const Workspace& ws) {
  const Store& store = ws.store();
  QJsonObject counts;
  const auto c = store.counts();
  for (auto it = c.begin(); it != c.end(); ++it) counts.insert(it.key(), it.value());
  return QJsonObject{
      {QStringLiteral("path"), ws.root()},
      {QStringLiteral("database"), store.path()},
      {QStringLiteral("name"), ws.name()},
      {QStringLiteral("schema_version"), store.version()},
      {QStringLiteral("created_at"), store.meta(QStringLiteral("created_at"))},
      {QStringLiteral("size_bytes"), QFileInfo(store.path()).size()},
      {QStringLiteral("counts"), counts},
  };
}

static int init(Context& ctx) {
  const QString usage = QStringLiteral("distillery-cli workspace init PATH [--name NAME]");
  QCommandLineParser p;
  const QCommandLineOption name(QStringLiteral("name"), QStringLiteral("Display name (default: folder name)."),
                                QStringLiteral("NAME"));
  p.addOption(name);
  p.addPositionalArgument(QStringLiteral("PATH"), QStringLiteral("Folder to create the workspace in."));
  if (!parseOrThrow(p, ctx, usage)) return 0;
  if (p.positionalArguments().size() != 1) throw UsageError(QStringLiteral("expected one PATH\nusage: ") + usage);
  const Workspace ws = Workspace::init(p.positionalArguments().first(), p.value(name));
  QJsonObject summary = workspaceSummary(ws);
  summary.insert(QStringLiteral("created"), true);
  ctx.print(summary);
  return 0;
}

static int info(Context& ctx) {
  const QString usage = QStringLiteral("distillery-cli workspace info PATH");
  QCommandLineParser p;
  p.addPositionalArgument(QStringLiteral("PATH"), QStringLiteral("Workspace folder or its workspace.sqlite."));
  if (!parseOrThrow(p, ctx, usage)) return 0;
  if (p.positionalArguments().size() != 1) throw UsageError(QStringLiteral("expected one PATH\nusage: ") + usage);
  ctx.print(workspaceSummary(Workspace::open(p.positionalArguments().first())));
  return 0;
}

Command workspaceCommand() {
  return {QStringLiteral("workspace"), QStringLiteral("create or describe a workspace: init PATH | info PATH"),
          [](Context& ctx) {
            const QString usage = QStringLiteral("distillery-cli workspace init|info PATH");
            const QString sub = ctx.args.value(1);
            if (sub == QLatin1String("-h") || sub == QLatin1String("--help")) {
              ctx.out << "usage: " << usage << "\n  init PATH [--name NAME]  create a workspace folder\n"
                      << "  info PATH                 schema version, counts and size of a workspace\n";
              return 0;
            }
            // The sub-command's parser sees "workspace init ..." as its program name plus arguments.
            ctx.args = QStringList{ctx.args.value(0) + QLatin1Char(' ') + sub} + ctx.args.mid(2);
            if (sub == QLatin1String("init")) return init(ctx);
            if (sub == QLatin1String("info")) return info(ctx);
            throw UsageError({}, QStringLiteral("workspace"), sub.isEmpty() ? QStringLiteral("(none)") : sub,
                             QStringLiteral("is not a sub-command\nusage: ") + usage);
          }};
}

}  // namespace distillery::cli
