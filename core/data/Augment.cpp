// Random insertion, swap and deletion of words, with provenance.
#include "data/Augment.h"

#include "common/Error.h"
#include "data/DataSchema.h"
#include "data/SeededRandom.h"
#include "data/TextFields.h"

#include <QtCore/QStringList>

#include <algorithm>
#include <cmath>

namespace distillery {

namespace {

// Operations for n words at rate: floor(rate·n), at least one when rate > 0.
int64_t operationsFor(double rate, int64_t n) {
  if (rate <= 0 || n == 0) return 0;
  return std::max<int64_t>(1, int64_t(std::floor(rate * double(n))));
}

uint64_t seedOf(uint64_t seed, int64_t line, int copy) {
  std::seed_seq seq{uint32_t(seed), uint32_t(seed >> 32), uint32_t(uint64_t(line)), uint32_t(uint64_t(line) >> 32),
                    uint32_t(copy)};
  std::array<uint32_t, 2> out{};
  seq.generate(out.begin(), out.end());
  return (uint64_t(out[0]) << 32) | out[1];
}

void checkOptions(const AugmentOptions& o) {
  if (!(o.deleteRate >= 0.0 && o.deleteRate < 1.0))
    throw UsageError({}, QStringLiteral("delete"), QString::number(o.deleteRate), QStringLiteral("must be in [0, 1)"));
  if (!(o.swapRate >= 0.0 && o.swapRate <= 1.0))
    throw UsageError({}, QStringLiteral("swap"), QString::number(o.swapRate), QStringLiteral("must be in [0, 1]"));
  if (!(o.insertRate >= 0.0 && o.insertRate <= 1.0))
    throw UsageError({}, QStringLiteral("insert"), QString::number(o.insertRate), QStringLiteral("must be in [0, 1]"));
  if (o.copies < 1) throw UsageError({}, QStringLiteral("copies"), QString::number(o.copies), QStringLiteral("must be >= 1"));
}

}  // namespace

QString augmentText(const QString& text, const AugmentOptions& o, std::mt19937_64& rng, AugmentCounts* counts) {
  // text = gaps[0] words[0] gaps[1] words[1] ... words[n-1] gaps[n]
  QStringList words, gaps;
  qsizetype i = 0;
  const qsizetype len = text.size();
  while (true) {
    const qsizetype gapStart = i;
    while (i < len && text.at(i).isSpace()) ++i;
    gaps << text.mid(gapStart, i - gapStart);
    if (i == len) break;
    const qsizetype wordStart = i;
    while (i < len && !text.at(i).isSpace()) ++i;
    words << text.mid(wordStart, i - wordStart);
  }
  const int64_t n = words.size();
  counts->words += n;
  if (n == 0) return text;

  const int64_t inserts = operationsFor(o.insertRate, n);
  const QStringList original = words;
  for (int64_t k = 0; k < inserts; ++k) {
    const QString& word = original.at(qsizetype(uniformBelow(rng, uint64_t(n))));
    const qsizetype at = qsizetype(uniformBelow(rng, uint64_t(words.size())));
    words.insert(at, word);
    gaps.insert(at + 1, QStringLiteral(" "));
  }
  counts->inserted += inserts;

  if (words.size() >= 2) {
    const int64_t swaps = operationsFor(o.swapRate, n);
    for (int64_t k = 0; k < swaps; ++k) {
      const qsizetype a = qsizetype(uniformBelow(rng, uint64_t(words.size())));
      qsizetype b = qsizetype(uniformBelow(rng, uint64_t(words.size() - 1)));
      if (b >= a) ++b;
      words.swapItemsAt(a, b);
    }
    counts->swapped += swaps;
  }

  if (o.deleteRate > 0) {
    std::vector<bool> drop(size_t(words.size()));
    qsizetype dropped = 0;
    for (size_t k = 0; k < drop.size(); ++k) dropped += (drop[k] = uniform01(rng) < o.deleteRate);
    if (dropped == words.size()) {
      drop[size_t(uniformBelow(rng, uint64_t(words.size())))] = false;
      --dropped;
    }
    // Backwards, so the indices still to visit do not move. A word leaves with the gap before it (the first
    // word with the gap after it), so the words around it keep one separator.
    for (qsizetype k = words.size() - 1; k >= 0; --k) {
      if (!drop[size_t(k)]) continue;
      words.removeAt(k);
      gaps.removeAt(k > 0 ? k : 1);
    }
    counts->deleted += dropped;
  }

  QString out;
  out.reserve(text.size() + 16 * inserts);
  for (qsizetype k = 0; k < words.size(); ++k) out += gaps.at(k) + words.at(k);
  out += gaps.last();
  return out;
}

QJsonObject AugmentReport::toJson() const {
  return {{QStringLiteral("rows"), qint64(rows)},           {QStringLiteral("bad_rows"), qint64(badRows)},
          {QStringLiteral("unchanged"), qint64(unchanged)}, {QStringLiteral("copies"), qint64(copies)},
          {QStringLiteral("written"), qint64(written)},     {QStringLiteral("words"), qint64(counts.words)},
          {QStringLiteral("inserted"), qint64(counts.inserted)}, {QStringLiteral("swapped"), qint64(counts.swapped)},
          {QStringLiteral("deleted"), qint64(counts.deleted)}};
}

AugmentReport augmentFile(const QString& in, const QString& out, const AugmentOptions& o) {
  checkOptions(o);
  RowReader reader(in, o.read);
  RowWriter writer(out);
  AugmentReport report;
  Row row;
  while (reader.next(row)) {
    QString schema;
    if (o.field.isEmpty()) {
      schema = detectSchema(row.fields);
      if (schema.isEmpty()) {
        const QString where = in + QLatin1Char(':') + QString::number(row.line);
        if (o.read.onBadRow == BadRowPolicy::Fail) throw FormatError(where, QString(), QString(), QStringLiteral("no known schema (use --field)"));
        ++report.badRows;
        continue;
      }
    } else if (!row.fields.value(o.field).isString()) {
      const QString where = in + QLatin1Char(':') + QString::number(row.line);
      if (o.read.onBadRow == BadRowPolicy::Fail) throw FormatError(where, o.field, QString(), QStringLiteral("missing or not a string"));
      ++report.badRows;
      continue;
    }
    ++report.rows;
    if (o.keepOriginals) {
      writer.write(row.fields);
      ++report.written;
    }
    for (int copy = 1; copy <= o.copies; ++copy) {
      std::mt19937_64 rng(seedOf(o.seed, row.line, copy));
      AugmentCounts c;
      QJsonObject augmented = row.fields;
      rewriteTextFields(augmented, schema, o.field, TextSide::Prompts,
                        [&](const QString& s) { return augmentText(s, o, rng, &c); });
      if (c.words == 0) {
        ++report.unchanged;
        break;
      }
      augmented.insert(QStringLiteral("augmented_from"), qint64(row.line));
      augmented.insert(QStringLiteral("augmentation"),
                       QJsonObject{{QStringLiteral("copy"), copy},
                                   {QStringLiteral("seed"), QString::number(o.seed)},
                                   {QStringLiteral("insert"), o.insertRate},
                                   {QStringLiteral("swap"), o.swapRate},
                                   {QStringLiteral("delete"), o.deleteRate},
                                   {QStringLiteral("inserted"), qint64(c.inserted)},
                                   {QStringLiteral("swapped"), qint64(c.swapped)},
                                   {QStringLiteral("deleted"), qint64(c.deleted)}});
      writer.write(augmented);
      ++report.copies;
      ++report.written;
      report.counts.words += c.words;
      report.counts.inserted += c.inserted;
      report.counts.swapped += c.swapped;
      report.counts.deleted += c.deleted;
    }
  }
  report.badRows += reader.badRows();
  writer.commit();
  return report;
}

}  // namespace distillery
