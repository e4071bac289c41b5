#include "data/Redact.h"

#include "common/Error.h"
#include "data/PiiChecks.h"

#include <QtCore/QJsonArray>

#include <algorithm>
#include <functional>

namespace distillery {

namespace {

using Check = std::function<bool(QStringView)>;

struct Detector {
  QString type;
  QRegularExpression regex;
  Check check;
};

QRegularExpression re(const char* pattern) { return QRegularExpression(QString::fromLatin1(pattern)); }

bool digitsBetween(QStringView s, int lo, int hi) {
  const int n = pii::digitCount(s);
  return n >= lo && n <= hi;
}

// The built-in detectors, in the order they claim text. Lookarounds keep a match from starting or ending inside a
// longer word or digit run ("\d[ -]" behind: not the tail of a longer spaced number).
const std::vector<Detector>& builtins() {
  static const std::vector<Detector> kDetectors = [] {
    std::vector<Detector> d;
    d.push_back({QStringLiteral("EMAIL"),
                 re("(?<![\\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]*[A-Za-z0-9_%+-])?@"
                    "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,24}(?![\\w-]|\\.[A-Za-z0-9])"),
                 [](QStringView s) { return !s.contains(QLatin1String("..")) && !s.contains(QLatin1String(".@")); }});
    d.push_back({QStringLiteral("CN_ID"), re("(?<![0-9A-Za-z])\\d{17}[0-9Xx](?![0-9A-Za-z])"), pii::cnIdValid});
    // IBAN: the candidate is cut to its country's length in find(); the regex only finds where one may start.
    d.push_back({QStringLiteral("IBAN"), re("(?<![A-Za-z0-9])[A-Z]{2}\\d{2}"), pii::ibanValid});
    d.push_back({QStringLiteral("CARD"), re("(?<![\\w+]|\\d[ .-])\\d(?:[ -]?\\d){12,18}(?![\\w]|[ .-]\\d)"),
                 [](QStringView s) { return digitsBetween(s, 13, 19) && pii::luhnValid(s); }});
    d.push_back({QStringLiteral("CN_MOBILE"),
                 re("(?<![\\w+]|\\d[ -])(?:(?:\\+86|0086)[ -]?)?1[3-9]\\d(?:[ -]?\\d{4}){2}(?![\\w]|[ .-]\\d)"),
                 [](QStringView) { return true; }});
    d.push_back({QStringLiteral("IP"),
                 re("(?<![\\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\\d{1,3}\\.){3}\\d{1,3})?"
                    "(?![\\w:]|\\.\\d)"),
                 pii::ipv6Valid});
    d.push_back({QStringLiteral("IP"), re("(?<![\\w.])(?:\\d{1,3}\\.){3}\\d{1,3}(?![\\w]|\\.\\d)"), pii::ipv4Valid});
    // International: +CC then 1-6 groups, 8-15 digits in all (E.164 allows at most 15).
    d.push_back({QStringLiteral("PHONE"),
                 re("(?<![\\w+])\\+[1-9]\\d{0,2}(?:[ .-]?\\(?\\d{1,5}\\)?){1,6}(?![\\w:]|[ .-]\\d)"),
                 [](QStringView s) { return digitsBetween(s, 8, 15); }});
    // National: an area part "(030) " or "030-" then groups; 9-12 digits so dates and short numbers are left alone.
    d.push_back({QStringLiteral("PHONE"),
                 re("(?<![\\w+.-]|\\d[ .-])(?:\\(\\d{2,5}\\) ?|\\d{2,5}[ .-])\\d{2,8}(?:[ .-]\\d{2,8}){0,4}"
                    "(?![\\w:]|[ .-]\\d)"),
                 [](QStringView s) { return digitsBetween(s, 9, 12); }});
    return d;
  }();
  return kDetectors;
}

bool isAlnumAscii(QChar c) {
  return (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) ||
         (c >= QLatin1Char('a') && c <= QLatin1Char('z'));
}

// The IBAN starting at start, as long as its country says (single spaces between characters allowed); length 0
// when the text ends early or the IBAN runs on into more letters or digits.
qsizetype ibanSpan(const QString& text, qsizetype start) {
  const int want = pii::ibanLength(QStringView(text).mid(start, 2));
  if (want == 0) return 0;
  int got = 0;
  qsizetype i = start;
  while (i < text.size() && got < want) {
    const QChar c = text[i];
    if ((c >= QLatin1Char('A') && c <= QLatin1Char('Z')) || (c >= QLatin1Char('0') && c <= QLatin1Char('9'))) {
      ++got;
      ++i;
    } else if (c == QLatin1Char(' ') && i + 1 < text.size() && isAlnumAscii(text[i + 1]) && got >= 4) {
      ++i;
    } else {
      break;
    }
  }
  if (got != want) return 0;
  if (i < text.size() && isAlnumAscii(text[i])) return 0;
  return i - start;
}

bool overlaps(const std::vector<PiiFinding>& taken, qsizetype start, qsizetype length) {
  for (const PiiFinding& f : taken)
    if (start < f.start + f.length && f.start < start + length) return true;
  return false;
}

}  // namespace

QString redactModeName(RedactMode m) {
  switch (m) {
    case RedactMode::Mask: return QStringLiteral("mask");
    case RedactMode::Tag: return QStringLiteral("tag");
    case RedactMode::Drop: return QStringLiteral("drop");
  }
  return {};
}

RedactMode parseRedactMode(const QString& name, const QString& where) {
  for (RedactMode m : {RedactMode::Mask, RedactMode::Tag, RedactMode::Drop})
    if (name == redactModeName(m)) return m;
  throw UsageError({}, where, name, QStringLiteral("must be mask, tag or drop"));
}

const QStringList& builtinPiiTypes() {
  static const QStringList kTypes{QStringLiteral("EMAIL"),     QStringLiteral("CN_ID"), QStringLiteral("IBAN"),
                                  QStringLiteral("CARD"),      QStringLiteral("CN_MOBILE"), QStringLiteral("IP"),
                                  QStringLiteral("PHONE")};
  return kTypes;
}

PiiPattern parsePiiPattern(const QString& spec) {
  const qsizetype eq = spec.indexOf(QLatin1Char('='));
  const QString name = eq < 0 ? spec : spec.left(eq);
  static const QRegularExpression kName(QStringLiteral("^[A-Za-z][A-Za-z0-9_]*$"));
  if (eq < 0 || eq + 1 == spec.size())
    throw UsageError({}, QStringLiteral("--pattern"), spec, QStringLiteral("must be NAME=REGEX"));
  if (!kName.match(name).hasMatch())
    throw UsageError({}, QStringLiteral("--pattern"), spec,
                     QStringLiteral("name \"%1\" must start with a letter and hold only letters, digits and _").arg(name));
  if (builtinPiiTypes().contains(name.toUpper()))
    throw UsageError({}, QStringLiteral("--pattern"), spec,
                     QStringLiteral("name \"%1\" is a built-in type (%2)").arg(name, builtinPiiTypes().join(QLatin1Char(' '))));
  PiiPattern p{name, QRegularExpression(spec.mid(eq + 1))};
  if (!p.regex.isValid())
    throw UsageError({}, QStringLiteral("--pattern"), spec,
                     QStringLiteral("pattern \"%1\": invalid regular expression: %2 at offset %3")
                         .arg(name, p.regex.errorString())
                         .arg(p.regex.patternErrorOffset()));
  p.regex.optimize();
  return p;
}

Redactor::Redactor(RedactOptions options) : options_(std::move(options)) {}

std::vector<PiiFinding> Redactor::find(const QString& text) const {
  std::vector<PiiFinding> taken;
  auto offer = [&](const QString& type, qsizetype start, qsizetype length) {
    if (length > 0 && !overlaps(taken, start, length)) taken.push_back({start, length, type});
  };
  for (const Detector& d : builtins()) {
    for (auto it = d.regex.globalMatch(text); it.hasNext();) {
      const QRegularExpressionMatch m = it.next();
      qsizetype start = m.capturedStart(), length = m.capturedLength();
      if (d.type == QLatin1String("IBAN")) length = ibanSpan(text, start);
      if (length > 0 && d.check(QStringView(text).mid(start, length))) offer(d.type, start, length);
    }
  }
  for (const PiiPattern& p : options_.patterns)
    for (auto it = p.regex.globalMatch(text); it.hasNext();) {
      const QRegularExpressionMatch m = it.next();
      offer(p.name, m.capturedStart(), m.capturedLength());
    }
  std::sort(taken.begin(), taken.end(), [](const PiiFinding& a, const PiiFinding& b) { return a.start < b.start; });
  return taken;
}

QString Redactor::redact(const QString& text, std::map<QString, int64_t>* counts) const {
  const std::vector<PiiFinding> found = find(text);
  if (found.empty()) return text;
  QString out;
  out.reserve(text.size());
  qsizetype at = 0;
  for (const PiiFinding& f : found) {
    if (counts) ++(*counts)[f.type];
    out += QStringView(text).mid(at, f.start - at);
    if (options_.mode == RedactMode::Mask) {
      for (QChar c : QStringView(text).mid(f.start, f.length)) out += c.isLetterOrNumber() ? QLatin1Char('*') : c;
    } else {
      out += QLatin1Char('[') + f.type + QLatin1Char(']');
    }
    at = f.start + f.length;
  }
  out += QStringView(text).mid(at);
  return out;
}

QJsonObject RedactReport::toJson() const {
  QJsonObject c;
  for (const auto& [type, n] : counts) c.insert(type, qint64(n));
  return {{QStringLiteral("rows"), qint64(rows)},         {QStringLiteral("bad_rows"), qint64(badRows)},
          {QStringLiteral("written"), qint64(written)},   {QStringLiteral("rows_changed"), qint64(changed)},
          {QStringLiteral("rows_dropped"), qint64(dropped)}, {QStringLiteral("counts"), c}};
}

namespace {

// Redacts every string inside v; returns whether anything was found.
bool redactValue(QJsonValue& v, const Redactor& r, std::map<QString, int64_t>& counts) {
  if (v.isString()) {
    std::map<QString, int64_t> here;
    const QString redacted = r.redact(v.toString(), &here);
    for (const auto& [type, n] : here) counts[type] += n;
    if (here.empty()) return false;
    v = redacted;
    return true;
  }
  bool found = false;
  if (v.isArray()) {
    QJsonArray a = v.toArray();
    for (qsizetype i = 0; i < a.size(); ++i) {
      QJsonValue item = a.at(i);
      if (redactValue(item, r, counts)) {
        a.replace(i, item);
        found = true;
      }
    }
    if (found) v = a;
  } else if (v.isObject()) {
    QJsonObject o = v.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
      QJsonValue item = it.value();
      if (redactValue(item, r, counts)) {
        it.value() = item;
        found = true;
      }
    }
    if (found) v = o;
  }
  return found;
}

}  // namespace

RedactReport redactFile(const QString& in, const QString& out, const RedactFileOptions& options) {
  const Redactor redactor(options.redact);
  RedactReport report;
  for (const QString& t : builtinPiiTypes()) report.counts[t] = 0;
  for (const PiiPattern& p : options.redact.patterns) report.counts[p.name] = 0;
  RowReader reader(in, options.read);
  RowWriter writer(out);
  Row row;
  while (reader.next(row)) {
    bool found = false;
    if (options.field.isEmpty()) {
      QJsonValue v(row.fields);
      found = redactValue(v, redactor, report.counts);
      if (found) row.fields = v.toObject();
    } else if (row.fields.contains(options.field)) {
      QJsonValue v = row.fields.value(options.field);
      found = redactValue(v, redactor, report.counts);
      if (found) row.fields.insert(options.field, v);
    }
    if (found) ++report.changed;
    if (found && options.redact.mode == RedactMode::Drop) {
      ++report.dropped;
      continue;
    }
    writer.write(row.fields);
  }
  report.rows = reader.rows();
  report.badRows = reader.badRows();
  report.written = writer.rows();
  writer.commit();
  return report;
}

}  // namespace distillery
