// distillery-cli audit verify|list|export: the workspace's hash-chained audit trail (core/audit/AuditLog.h).
#include "audit/AuditLog.h"
#include "cli/Cli.h"
#include "cli/CliContext.h"
#include "common/Error.h"
#include "store/Workspace.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

#include <optional>

namespace distillery::cli {

namespace {

// --since/--until accept an ISO-8601 date or date-time; compared as UTC text like the stored times.
QString isoTime(const QString& option, const QString& text) {
  if (text.isEmpty()) return {};
  QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
  if (!t.isValid()) t = QDateTime::fromString(text, Qt::ISODate);
  if (!t.isValid()) {
    const QDate d = QDate::fromString(text, Qt::ISODate);
    if (d.isValid()) t = QDateTime(d, QTime(0, 0), Qt::UTC);
  }
  if (!t.isValid())
    throw UsageError({}, option, text, QStringLiteral("is not an ISO-8601 date or time (e.g. 2026-01-31 or "
                                                      "2026-01-31T09:30:00Z)"));
  return t.toUTC().toString(Qt::ISODateWithMs);
}

struct FilterOptions {
  QCommandLineOption action{QStringLiteral("action"),
                            QStringLiteral("Only this action (e.g. job.finished), or a prefix ending in '.' (job.)."),
                            QStringLiteral("A")};
  QCommandLineOption object{QStringLiteral("object"), QStringLiteral("Only this object kind (model, dataset, job, ...)."),
                            QStringLiteral("KIND")};
  QCommandLineOption user{QStringLiteral("user"), QStringLiteral("Only rows by this OS user."), QStringLiteral("USER")};
  QCommandLineOption text{QStringLiteral("text"), QStringLiteral("Only rows whose object or parameters contain TEXT."),
                          QStringLiteral("TEXT")};
  QCommandLineOption since{QStringLiteral("since"), QStringLiteral("Only rows at or after T (ISO-8601)."),
                           QStringLiteral("T")};
  QCommandLineOption until{QStringLiteral("until"), QStringLiteral("Only rows before T (ISO-8601)."),
                           QStringLiteral("T")};
  void add(QCommandLineParser& p) const { p.addOptions({action, object, user, text, since, until}); }
  AuditFilter read(const QCommandLineParser& p) const {
    AuditFilter f;
    f.action = p.value(action);
    f.objectKind = p.value(object);
    f.user = p.value(user);
    f.text = p.value(text);
    f.since = isoTime(QStringLiteral("--since"), p.value(since));
    f.until = isoTime(QStringLiteral("--until"), p.value(until));
    return f;
  }
};

// The workspace's log and the filter the options give.
struct Filtered {
  AuditLog log;
  AuditFilter filter;
};

// Adds the filter options and --workspace to p, parses, checks the positional count; nullopt after --help.
std::optional<Filtered> parseFiltered(Context& ctx, QCommandLineParser& p, const QString& usage, int positionals) {
  const FilterOptions filter;
  filter.add(p);
  p.addOption(workspaceOption());
  if (!parseOrThrow(p, ctx, usage)) return std::nullopt;
  if (p.positionalArguments().size() != positionals)
    throw UsageError(QStringLiteral("expected %1 argument(s)\nusage: %2").arg(positionals).arg(usage));
  const AuditFilter f = filter.read(p);
  return Filtered{AuditLog(Workspace::open(p.value(QStringLiteral("workspace"))).store()), f};
}

int verify(Context& ctx) {
  const QString usage = QStringLiteral("distillery-cli audit verify [--workspace W]");
  QCommandLineParser p;
  p.addOption(workspaceOption());
  if (!parseOrThrow(p, ctx, usage)) return kOk;
  if (!p.positionalArguments().isEmpty()) throw UsageError(QStringLiteral("expected no arguments\nusage: ") + usage);
  const AuditVerdict v = AuditLog(Workspace::open(p.value(QStringLiteral("workspace"))).store()).verify();
  if (ctx.json) {
    ctx.print(v.toJson());
  } else if (v.ok) {
    ctx.out << "OK: " << v.rows << " rows, the hash chain is intact" << Qt::endl;
  } else {
    ctx.out << "BROKEN at row " << v.badId << " (" << v.check << "): " << v.detail << Qt::endl;
  }
  return v.ok ? kOk : kFailed;
}

int list(Context& ctx) {
  const QString usage = QStringLiteral("distillery-cli audit list [--action A] [--object KIND] [--user U] [--text T] "
                                       "[--since T] [--until T] [--workspace W] [--json]");
  QCommandLineParser p;
  const std::optional<Filtered> f = parseFiltered(ctx, p, usage, 0);
  if (!f) return kOk;
  const std::vector<AuditEntry> rows = f->log.list(f->filter);
  for (const AuditEntry& e : rows) {
    if (ctx.json)
      ctx.out << QJsonDocument(e.toJson()).toJson(QJsonDocument::Compact) << '\n';
    else
      ctx.out << e.id << "  " << e.time << "  " << e.user << "  " << e.action << "  " << e.objectKind << ' '
              << e.objectId << "  " << e.params << '\n';
  }
  ctx.out.flush();
  return kOk;
}

int exportLog(Context& ctx) {
  const QString usage = QStringLiteral("distillery-cli audit export FILE.csv|FILE.jsonl [filters as in list] "
                                       "[--workspace W]");
  QCommandLineParser p;
  p.addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("Where to write: .csv or .jsonl."));
  const std::optional<Filtered> f = parseFiltered(ctx, p, usage, 1);
  if (!f) return kOk;
  const QString file = p.positionalArguments().first();
  const qint64 n = f->log.exportTo(file, f->filter);
  ctx.print({{QStringLiteral("file"), file}, {QStringLiteral("rows"), n}});
  return kOk;
}

const Subcommand kSubcommands[] = {
    {"verify", "check the hash chain; exit 1 naming the first broken row", verify},
    {"list", "print the audit rows (oldest first), filtered", list},
    {"export", "write the rows to FILE.csv or FILE.jsonl", exportLog},
};

}  // namespace

Command auditCommand() {
  return {QStringLiteral("audit"), QStringLiteral("the workspace's audit trail: verify | list | export FILE"),
          [](Context& ctx) {
            return runSubcommand(ctx, kSubcommands, QStringLiteral("distillery-cli audit verify|list|export ..."));
          }};
}

}  // namespace distillery::cli
