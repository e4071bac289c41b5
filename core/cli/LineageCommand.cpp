// distillery-cli lineage PATH: the chain from an artefact (model/adapter folder, dataset file) back to its sources.
#include "audit/Lineage.h"
#include "cli/Cli.h"
#include "cli/CliContext.h"
#include "common/Error.h"
#include "store/Workspace.h"

#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>

#include <optional>

namespace distillery::cli {

namespace {

void printTree(QTextStream& out, const LineageNode& n, const QString& indent) {
  out << indent << (n.role.isEmpty() ? QString() : n.role + QStringLiteral(": ")) << n.kind << ' ' << n.path;
  if (!n.how.isEmpty()) out << "  [" << n.how << ']';
  if (!n.sha256.isEmpty()) out << "  sha256 " << n.sha256.left(12);
  out << '\n';
  for (const LineageNode& s : n.sources) printTree(out, s, indent + QStringLiteral("  "));
}

int lineage(Context& ctx) {
  const QString usage = QStringLiteral("distillery-cli lineage PATH [--workspace W] [--json]");
  QCommandLineParser p;
  const QCommandLineOption workspace(QStringLiteral("workspace"),
                                     QStringLiteral("Workspace whose datasets table links derived datasets to their "
                                                    "parents (default: none; provenance.json files are followed "
                                                    "either way)."),
                                     QStringLiteral("PATH"));
  p.addOption(workspace);
  p.addPositionalArgument(QStringLiteral("PATH"), QStringLiteral("Model or adapter folder, or dataset file."));
  if (!parseOrThrow(p, ctx, usage)) return kOk;
  if (p.positionalArguments().size() != 1) throw UsageError(QStringLiteral("expected one PATH\nusage: ") + usage);
  std::optional<Workspace> ws;
  if (p.isSet(workspace)) ws = Workspace::open(p.value(workspace));
  const LineageNode root = lineageOf(ws ? &ws->store() : nullptr, p.positionalArguments().first());
  if (ctx.json)
    ctx.out << QJsonDocument(root.toJson()).toJson(QJsonDocument::Compact) << Qt::endl;
  else
    printTree(ctx.out, root, QString());
  ctx.out.flush();
  return kOk;
}

}  // namespace

Command lineageCommand() {
  return {QStringLiteral("lineage"),
          QStringLiteral("PATH: the chain from a model folder or dataset back to its models and datasets"), lineage};
}

}  // namespace distillery::cli
