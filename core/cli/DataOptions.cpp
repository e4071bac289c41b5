// The options data subcommands share (DataCli.h).
#include "cli/DataCli.h"

#include "common/Error.h"

namespace distillery::cli {

void DataInputOptions::addTo(QCommandLineParser& p) const { p.addOptions({format, map, onBadRow}); }

ReadOptions DataInputOptions::read(const QCommandLineParser& p) const {
  ReadOptions o;
  o.format = parseSourceFormat(p.value(format), QStringLiteral("--format"));
  const QString policy = p.value(onBadRow);
  if (policy != QLatin1String("skip") && policy != QLatin1String("fail"))
    throw UsageError(QString(), QStringLiteral("--on-bad-row"), policy, QStringLiteral("must be skip or fail"));
  o.onBadRow = policy == QLatin1String("fail") ? BadRowPolicy::Fail : BadRowPolicy::Skip;
  return o;
}

FieldMap DataInputOptions::fieldMap(const QCommandLineParser& p) const {
  return parseFieldMap(p.value(map), QStringLiteral("--map"));
}

QString flagName(const QString& snakeKey) {
  QString flag = snakeKey;
  flag.replace(QLatin1Char('_'), QLatin1Char('-'));
  flag.prepend(QStringLiteral("--"));
  return flag;
}

QCommandLineOption schemaOption(const QString& what) {
  return QCommandLineOption(QStringLiteral("schema"),
                            what + QStringLiteral(": ") + dataSchemas().join(QStringLiteral(", ")) +
                                QStringLiteral(" (default: detected)."),
                            QStringLiteral("SCHEMA"));
}

QString schemaValue(const QCommandLineParser& p) {
  const QString s = p.value(QStringLiteral("schema"));
  if (!s.isEmpty() && !dataSchemas().contains(s))
    throw UsageError(QString(), QStringLiteral("--schema"), s,
                     QStringLiteral("must be one of: ") + dataSchemas().join(QStringLiteral(", ")));
  return s;
}

int64_t wholeNumberOption(const QCommandLineParser& p, const QString& name, int64_t fallback, int64_t lo, int64_t hi) {
  if (!p.isSet(name)) return fallback;
  const QString text = p.value(name);
  bool ok = false;
  const qlonglong v = text.toLongLong(&ok);
  if (!ok || v < lo || v > hi)
    throw UsageError(QString(), QStringLiteral("--") + name, text,
                     hi == std::numeric_limits<int64_t>::max()
                         ? QStringLiteral("must be a whole number >= %1").arg(lo)
                         : QStringLiteral("must be a whole number in [%1, %2]").arg(lo).arg(hi));
  return v;
}

double numberOption(const QCommandLineParser& p, const QString& name, double fallback, double lo, double hi) {
  if (!p.isSet(name)) return fallback;
  const QString text = p.value(name);
  bool ok = false;
  const double v = text.toDouble(&ok);
  if (!ok || !(v >= lo && v <= hi))
    throw UsageError(QString(), QStringLiteral("--") + name, text,
                     QStringLiteral("must be a number in [%1, %2]").arg(lo).arg(hi));
  return v;
}

QStringList positionals(const QCommandLineParser& p, int n, const QString& usage) {
  const QStringList args = p.positionalArguments();
  if (args.size() != n)
    throw UsageError(QStringLiteral("expected %1 argument%2\nusage: %3").arg(n).arg(n > 1 ? "s" : "", usage));
  return args;
}

}  // namespace distillery::cli
