// The cleaning pass: batches of rows, per-row work in parallel, decisions in file order.
#include "data/DataClean.h"

#include "common/Error.h"
#include "data/DataSchema.h"
#include "data/Parallel.h"
#include "data/TextFields.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonArray>

#include <algorithm>
#include <exception>
#include <map>
#include <optional>

namespace distillery {

QString reasonName(RemoveReason r) {
  static const char* const names[kRemoveReasons] = {"empty", "too_short_chars", "too_long_chars", "script",
                                                    "too_short_tokens", "too_long_tokens", "exact_duplicate",
                                                    "near_duplicate", "bad_row"};
  return QString::fromLatin1(names[int(r)]);
}

QJsonObject CleanReport::toJson() const {
  QJsonObject removedJson, lines;
  for (int r = 0; r < kRemoveReasons; ++r) {
    const QString name = reasonName(RemoveReason(r));
    removedJson.insert(name, qint64(removed[size_t(r)]));
    QJsonArray list;
    for (const RemovedRow& row : examples[size_t(r)]) {
      QJsonObject o{{QStringLiteral("line"), qint64(row.line)}};
      if (row.duplicateOf) o.insert(QStringLiteral("duplicate_of"), qint64(row.duplicateOf));
      if (!row.why.isEmpty()) o.insert(QStringLiteral("reason"), row.why);
      list.append(o);
    }
    lines.insert(name, list);
  }
  QJsonObject out{{QStringLiteral("rows"), qint64(rows)},   {QStringLiteral("kept"), qint64(kept)},
                  {QStringLiteral("removed"), removedJson}, {QStringLiteral("lines"), lines},
                  {QStringLiteral("schema"), schema}};
  if (keptTokens >= 0) out.insert(QStringLiteral("kept_tokens"), qint64(keptTokens));
  const char* const stages[] = {"read", "filter", "dedup", "tokenize", "write"};
  QJsonObject s;
  for (size_t i = 0; i < seconds.size(); ++i) s.insert(QLatin1String(stages[i]), seconds[i]);
  out.insert(QStringLiteral("seconds"), s);
  return out;
}

QString comparedText(const QJsonObject& row, const QString& field, const QString& where, QString* schema) {
  if (field.isEmpty()) {
    if (schema->isEmpty()) *schema = detectSchema(row);
    if (schema->isEmpty()) throw FormatError(where, QString(), QString(), QStringLiteral("no known schema (use --field)"));
    return rowText(row, *schema, where);
  }
  const auto v = row.constFind(field);
  if (v == row.constEnd()) throw FormatError(where, field, QString(), QStringLiteral("missing"));
  if (!v->isString()) throw FormatError(where, field, QString(), QStringLiteral("is not a string"));
  return v->toString();
}

namespace {

enum Stage { Read, Filter, DedupStage, Tokenize, Write };

// One row on its way through a batch.
struct Item {
  Row row;
  QString schema;
  QString text;                          // the compared text
  std::optional<RemoveReason> removed;
  QString why;                           // bad row: the reason
  int64_t tokens = -1;
  Deduplicator::Prepared prepared;
  DedupHit hit;
};

void checkOptions(const CleanOptions& o) {
  if ((o.minTokens > 0 || o.maxTokens > 0 || o.countTokens) && o.tokenizer.isNull())
    throw UsageError({}, QStringLiteral("tokenizer"), {}, QStringLiteral("the token filters and token counts need a tokenizer"));
  if (o.minChars < 0 || o.maxChars < 0 || o.minTokens < 0 || o.maxTokens < 0)
    throw UsageError({}, QStringLiteral("min/max"), {}, QStringLiteral("length limits must be >= 0"));
  if (!(o.minScriptShare >= 0.0 && o.minScriptShare <= 1.0))
    throw UsageError({}, QStringLiteral("min_script_share"), QString::number(o.minScriptShare), QStringLiteral("must be in [0, 1]"));
  if (o.batchRows < 1) throw UsageError({}, QStringLiteral("batch_rows"), QString::number(o.batchRows), QStringLiteral("must be >= 1"));
}

class Cleaner {
 public:
  Cleaner(const QString& in, const CleanOptions& o) : in_(in), o_(o) {
    const bool anyDedup = o.dedup.exact || o.dedup.near;
    if (anyDedup) dedup_.emplace(o.dedup);
  }

  // Rewriting, the compared text and every filter but the duplicate ones. Runs on pool threads.
  void filter(Item& it) const {
    QJsonObject& row = it.row.fields;
    const QString where = in_ + QLatin1Char(':') + QString::number(it.row.line);
    try {
      if (o_.field.isEmpty()) {
        it.schema = detectSchema(row);
        if (it.schema.isEmpty()) throw FormatError(where, QString(), QString(), QStringLiteral("no known schema (use --field)"));
      }
      if (o_.unicode != UnicodeForm::None || o_.stripControls)
        rewriteTextFields(row, it.schema, o_.field, TextSide::All,
                          [this](const QString& s) { return cleanText(s, o_.unicode, o_.stripControls); });
      it.text = comparedText(row, o_.field, where, &it.schema);
    } catch (const FormatError& e) {
      if (o_.read.onBadRow == BadRowPolicy::Fail) throw;
      it.removed = RemoveReason::BadRow;
      it.why = e.detail().isEmpty() ? e.message() : (e.field().isEmpty() ? e.detail() : e.field() + QLatin1Char(' ') + e.detail());
      return;
    }
    it.removed = firstFailing(it);
  }

  std::optional<RemoveReason> firstFailing(Item& it) const {
    const QString& t = it.text;
    if (o_.dropEmpty && t.trimmed().isEmpty()) return RemoveReason::Empty;
    if (o_.minChars > 0 || o_.maxChars > 0) {
      const int64_t chars = codePoints(t);
      if (o_.minChars > 0 && chars < o_.minChars) return RemoveReason::TooShortChars;
      if (o_.maxChars > 0 && chars > o_.maxChars) return RemoveReason::TooLongChars;
    }
    if (!o_.scripts.isEmpty() && scriptShare(t, o_.scripts) < o_.minScriptShare) return RemoveReason::Script;
    if (o_.minTokens > 0 || o_.maxTokens > 0) {
      it.tokens = int64_t(o_.tokenizer.encode(t).size());
      if (o_.minTokens > 0 && it.tokens < o_.minTokens) return RemoveReason::TooShortTokens;
      if (o_.maxTokens > 0 && it.tokens > o_.maxTokens) return RemoveReason::TooLongTokens;
    }
    return std::nullopt;
  }

  void prepare(Item& it) const {
    if (!it.removed && dedup_) dedup_->prepare(it.text, it.prepared);
  }

  // Duplicate decisions in file order.
  void decide(Item& it) {
    if (it.removed || !dedup_) return;
    it.hit = dedup_->insert(it.prepared, it.row.line);
    if (it.hit.kind == DedupHit::Exact) it.removed = RemoveReason::ExactDuplicate;
    if (it.hit.kind == DedupHit::Near) it.removed = RemoveReason::NearDuplicate;
  }

  void count(const Item& it, CleanReport& r) {
    ++r.rows;
    if (!it.removed) {
      ++r.kept;
      if (o_.countTokens) r.keptTokens += it.tokens;
      ++schemas_[it.schema];
      return;
    }
    const size_t k = size_t(*it.removed);
    ++r.removed[k];
    if (int(r.examples[k].size()) < o_.maxExamples) r.examples[k].push_back({it.row.line, it.hit.of, it.why});
  }

  QString majoritySchema() const {
    QString best;
    int64_t n = -1;
    for (const auto& [schema, count] : schemas_)
      if (count > n) best = schema, n = count;
    return best;
  }

 private:
  QString in_;
  const CleanOptions& o_;
  std::optional<Deduplicator> dedup_;
  std::map<QString, int64_t> schemas_;
};

}  // namespace

CleanReport cleanFile(const QString& in, const QString& out, const CleanOptions& options) {
  checkOptions(options);
  Cleaner cleaner(in, options);
  RowReader reader(in, options.read);
  RowWriter writer(out);
  CleanReport report;
  if (options.countTokens) report.keptTokens = 0;
  std::vector<Item> items(size_t(options.batchRows));
  QElapsedTimer timer;
  auto lap = [&](Stage s) {
    report.seconds[size_t(s)] += double(timer.nsecsElapsed()) * 1e-9;
    timer.restart();
  };
  for (bool more = true; more;) {
    timer.start();
    size_t n = 0;
    // A bad row the reader throws at (Fail policy) comes after the rows read before it: those are filtered
    // first, so the error reported is the first in file order.
    std::exception_ptr readError;
    try {
      while (n < items.size() && (more = reader.next(items[n].row))) {
        Item& it = items[n++];
        it.removed.reset();
        it.schema.clear();
        it.why.clear();
        it.tokens = -1;
        it.hit = {};
      }
    } catch (const FormatError&) {
      readError = std::current_exception();
    }
    lap(Read);
    parallelForEach(items, n, [&cleaner](Item& it) { cleaner.filter(it); });
    if (readError) std::rethrow_exception(readError);
    if (n == 0) break;
    lap(Filter);
    parallelForEach(items, n, [&cleaner](Item& it) { cleaner.prepare(it); });
    for (size_t i = 0; i < n; ++i) cleaner.decide(items[i]);
    lap(DedupStage);
    if (options.countTokens)
      parallelForEach(items, n, [&options](Item& it) {
        if (!it.removed && it.tokens < 0) it.tokens = int64_t(options.tokenizer.encode(it.text).size());
      });
    lap(Tokenize);
    for (size_t i = 0; i < n; ++i) {
      cleaner.count(items[i], report);
      if (!items[i].removed) writer.write(items[i].row.fields);
    }
    lap(Write);
  }
  writer.commit();
  lap(Write);
  // The reader's own bad rows (malformed lines): counted, and merged into the examples by line.
  const size_t bad = size_t(RemoveReason::BadRow);
  report.rows += reader.badRows();
  report.removed[bad] += reader.badRows();
  for (const RowIssue& issue : reader.issues()) report.examples[bad].push_back({issue.line, 0, issue.reason});
  std::sort(report.examples[bad].begin(), report.examples[bad].end(),
            [](const RemovedRow& a, const RemovedRow& b) { return a.line < b.line; });
  if (int(report.examples[bad].size()) > options.maxExamples) report.examples[bad].resize(size_t(options.maxExamples));
  report.schema = options.field.isEmpty() ? cleaner.majoritySchema() : QString();
  return report;
}

}  // namespace distillery
