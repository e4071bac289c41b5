// Cluster-aware, optionally stratified, seeded train/validation/test splits in two streaming passes.
#include "data/DataSplit.h"

#include "common/Error.h"
#include "data/DataClean.h"
#include "data/Parallel.h"
#include "data/SeededRandom.h"

#include <QtCore/QDir>
#include <QtCore/QJsonDocument>
#include <QtCore/QStringList>

#include <cmath>
#include <exception>
#include <map>
#include <memory>
#include <numeric>
#include <random>

namespace distillery {

const std::array<QString, 3>& splitNames() {
  static const std::array<QString, 3> names{QStringLiteral("train"), QStringLiteral("validation"), QStringLiteral("test")};
  return names;
}

namespace {

void checkRatios(const std::array<double, 3>& r, const QString& where, const QString& text) {
  for (const double v : r)
    if (!(v >= 0.0)) throw UsageError({}, where, text, QStringLiteral("must be three numbers >= 0: train,validation,test"));
  if (std::abs(r[0] + r[1] + r[2] - 1.0) > 1e-6) throw UsageError({}, where, text, QStringLiteral("must sum to 1"));
}

}  // namespace

std::array<double, 3> parseRatios(const QString& text, const QString& where) {
  const QStringList parts = text.split(QLatin1Char(','));
  std::array<double, 3> r{};
  bool ok = parts.size() == 3;
  for (int i = 0; ok && i < 3; ++i) r[size_t(i)] = parts.at(i).trimmed().toDouble(&ok);
  if (!ok) throw UsageError({}, where, text, QStringLiteral("must be three numbers >= 0: train,validation,test"));
  checkRatios(r, where, text);
  return r;
}

QJsonObject SplitReport::toJson() const {
  QJsonObject o{{QStringLiteral("rows"), qint64(rows)},
                {QStringLiteral("bad_rows"), qint64(badRows)},
                {QStringLiteral("clusters"), qint64(clusters)},
                {QStringLiteral("clustered_rows"), qint64(clusteredRows)}};
  for (size_t k = 0; k < 3; ++k) o.insert(splitNames()[k], qint64(counts[k]));
  if (!strata.isEmpty()) o.insert(QStringLiteral("strata"), strata);
  return o;
}

namespace {

// Union-find over row indices; the root of a set is its smallest index (the cluster's first row).
class Clusters {
 public:
  uint32_t add() {
    parent_.push_back(uint32_t(parent_.size()));
    return parent_.back();
  }
  uint32_t find(uint32_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void unite(uint32_t a, uint32_t b) {
    a = find(a), b = find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }
  size_t size() const { return parent_.size(); }

 private:
  std::vector<uint32_t> parent_;
};

// Largest-remainder rounding of ratios · total (ties to the earlier split).
std::array<int64_t, 3> targetsOf(const std::array<double, 3>& ratios, int64_t total) {
  std::array<int64_t, 3> t{};
  std::array<double, 3> rest{};
  int64_t sum = 0;
  for (size_t k = 0; k < 3; ++k) {
    const double exact = ratios[k] * double(total);
    t[k] = int64_t(std::floor(exact));
    rest[k] = exact - double(t[k]);
    sum += t[k];
  }
  while (sum < total) {
    size_t best = 3;
    for (size_t k = 0; k < 3; ++k)
      if (ratios[k] > 0 && (best == 3 || rest[k] > rest[best])) best = k;
    ++t[best];
    rest[best] = -1;
    ++sum;
  }
  return t;
}

QString stratumOf(const QJsonObject& row, const QString& field, const QString& where) {
  const auto v = row.constFind(field);
  if (v == row.constEnd() || v->isNull() || v->isUndefined())
    throw FormatError(where, field, QString(), QStringLiteral("missing (the stratify field)"));
  if (v->isString()) return v->toString();
  if (v->isDouble()) return QString::number(v->toDouble(), 'g', 17);
  if (v->isBool()) return v->toBool() ? QStringLiteral("true") : QStringLiteral("false");
  throw FormatError(where, field, QString(), QStringLiteral("must be a string, number or bool to stratify by"));
}

struct Pending {
  Row row;
  QString text, stratum, why;
  Deduplicator::Prepared prepared;
};

}  // namespace

SplitReport splitFile(const QString& in, const QString& outDir, const SplitOptions& options) {
  checkRatios(options.ratios, QStringLiteral("ratios"),
              QStringLiteral("%1,%2,%3").arg(options.ratios[0]).arg(options.ratios[1]).arg(options.ratios[2]));
  DedupOptions dedupOptions = options.dedup;
  dedupOptions.exact = true;
  Deduplicator dedup(dedupOptions);
  SplitReport report;

  // Pass 1: texts → links → clusters; strata by first appearance.
  Clusters clusters;
  std::vector<uint8_t> bad;             // per good row of the reader
  std::vector<int32_t> stratumOfRow;
  std::map<QString, int32_t> strataIds;
  QStringList strataNames;
  {
    RowReader reader(in, options.read);
    std::vector<Pending> batch(4096);
    std::vector<int64_t> links;
    for (bool more = true; more;) {
      size_t n = 0;
      std::exception_ptr readError;   // thrown after the rows before it (DataClean.cpp does the same)
      try {
        while (n < batch.size() && (more = reader.next(batch[n].row))) ++n;
      } catch (const FormatError&) {
        readError = std::current_exception();
      }
      parallelForEach(batch, n, [&](Pending& p) {
        const QString where = in + QLatin1Char(':') + QString::number(p.row.line);
        p.why.clear();
        try {
          QString schema;
          p.text = comparedText(p.row.fields, options.field, where, &schema);
          if (!options.stratify.isEmpty()) p.stratum = stratumOf(p.row.fields, options.stratify, where);
          dedup.prepare(p.text, p.prepared);
        } catch (const FormatError& e) {
          if (options.read.onBadRow == BadRowPolicy::Fail) throw;
          p.why = e.message();
        }
      });
      if (readError) std::rethrow_exception(readError);
      for (size_t i = 0; i < n; ++i) {
        const Pending& p = batch[i];
        const uint32_t id = clusters.add();
        bad.push_back(!p.why.isEmpty());
        if (bad.back()) {
          stratumOfRow.push_back(-1);
          continue;
        }
        auto [it, fresh] = strataIds.emplace(p.stratum, int32_t(strataNames.size()));
        if (fresh) strataNames << p.stratum;
        stratumOfRow.push_back(it->second);
        dedup.link(p.prepared, int64_t(id), links);
        for (const int64_t other : links) clusters.unite(id, uint32_t(other));
      }
    }
    report.issues = reader.report();
    report.badRows = reader.badRows();
  }

  // Clusters per stratum in order of their first row, sizes, then the seeded assignment.
  const size_t rows = clusters.size();
  std::vector<uint32_t> size(rows, 0);
  for (uint32_t i = 0; i < rows; ++i)
    if (!bad[i]) ++size[clusters.find(i)];
  std::vector<std::vector<uint32_t>> roots(size_t(strataNames.size()));
  std::vector<int64_t> strataRows(size_t(strataNames.size()), 0);
  for (uint32_t i = 0; i < rows; ++i) {
    if (bad[i]) {
      ++report.badRows;
      continue;
    }
    ++report.rows;
    if (clusters.find(i) != i) continue;
    ++report.clusters;
    if (size[i] > 1) report.clusteredRows += size[i];
    roots[size_t(stratumOfRow[i])].push_back(i);
    strataRows[size_t(stratumOfRow[i])] += size[i];
  }
  std::vector<int8_t> splitOfRoot(rows, -1);
  std::mt19937_64 rng(options.seed);
  for (size_t s = 0; s < roots.size(); ++s) {
    std::vector<uint32_t>& order = roots[s];
    shuffleInPlace(order, rng);
    const std::array<int64_t, 3> target = targetsOf(options.ratios, strataRows[s]);
    // Split k holds the positions [target_0 + ... + target_{k-1}, ... + target_k) of the laid-out rows.
    int64_t position = 0;
    for (const uint32_t root : order) {
      int8_t k = 0;
      int64_t end = target[0];
      while (k < 2 && position >= end) end += target[size_t(++k)];
      splitOfRoot[root] = k;
      position += size[root];
    }
  }

  // Pass 2: the same rows again, each to its cluster's split.
  QDir().mkpath(outDir);
  std::array<std::unique_ptr<RowWriter>, 3> writers;
  for (size_t k = 0; k < 3; ++k)
    if (options.ratios[k] > 0) writers[k] = std::make_unique<RowWriter>(outDir + QLatin1Char('/') + splitNames()[k] + QStringLiteral(".jsonl"));
  std::map<int32_t, std::array<int64_t, 3>> perStratum;
  {
    RowReader reader(in, options.read);
    Row row;
    for (uint32_t i = 0; reader.next(row); ++i) {
      if (i >= rows) throw Error(in, {}, {}, QStringLiteral("changed while it was being split"));
      if (bad[i]) continue;
      const int8_t k = splitOfRoot[clusters.find(i)];
      writers[size_t(k)]->write(row.fields);
      ++report.counts[size_t(k)];
      ++perStratum[stratumOfRow[i]][size_t(k)];
    }
  }
  for (auto& w : writers)
    if (w) w->commit();
  if (!options.stratify.isEmpty()) {
    for (const auto& [id, counts] : perStratum) {
      QJsonObject c;
      for (size_t k = 0; k < 3; ++k) c.insert(splitNames()[k], qint64(counts[k]));
      report.strata.insert(strataNames.at(id), c);
    }
  }
  return report;
}

}  // namespace distillery
