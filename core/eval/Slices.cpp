#include "eval/Slices.h"

#include "common/Error.h"
#include "eval/Bleu.h"
#include "eval/Chrf.h"

#include <QtCore/QJsonArray>

#include <algorithm>
#include <cmath>
#include <map>

namespace distillery {

namespace {

const QString kFields = QStringLiteral("fields");

// Display order: the accuracies first, then the generation scores, then perplexity.
const QStringList kOrder = {"mc_accuracy", "exact_match", "next_token_accuracy", "token_f1", "bleu", "chrf", "rouge1",
                            "rouge2",      "rougeL",      "perplexity"};
const QStringList kMeans = {"exact_match", "token_f1", "rouge1", "rouge2", "rougeL"};

QString valueText(const QJsonValue& v) {
  if (v.isString()) return v.toString().isEmpty() ? kMissingSlice : v.toString();
  if (v.isDouble()) return QString::number(v.toDouble(), 'g', 15);  // 2024, 0.5: as a person writes them
  if (v.isBool()) return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
  return kMissingSlice;
}

bool has(const EvalSampleRow& s, const QString& key) {
  const QJsonValue v = s.scores.value(key);
  return v.isDouble() || v.isBool();
}

// metric → value over the given samples (only the metrics in `metrics`).
QMap<QString, double> aggregate(const std::vector<const EvalSampleRow*>& samples, const QStringList& metrics) {
  QMap<QString, double> out;
  for (const QString& m : metrics) {
    if (kMeans.contains(m) || m == QLatin1String("mc_accuracy")) {
      const QString key = m == QLatin1String("mc_accuracy") ? QStringLiteral("mc_correct") : m;
      double sum = 0;
      int64_t n = 0;
      for (const EvalSampleRow* s : samples)
        if (has(*s, key)) {
          const QJsonValue v = s->scores.value(key);
          sum += v.isBool() ? (v.toBool() ? 1.0 : 0.0) : v.toDouble();
          ++n;
        }
      if (n > 0) out.insert(m, sum / double(n));
    } else if (m == QLatin1String("next_token_accuracy") || m == QLatin1String("perplexity")) {
      const bool ppl = m == QLatin1String("perplexity");
      double sum = 0, tokens = 0;
      for (const EvalSampleRow* s : samples) {
        const double t = s->scores.value(QStringLiteral("tokens")).toDouble();
        if (!has(*s, m) || !(t > 0)) continue;
        const double v = s->scores.value(m).toDouble();
        sum += t * (ppl ? std::log(v) : v);
        tokens += t;
      }
      if (tokens > 0) out.insert(m, ppl ? std::exp(sum / tokens) : sum / tokens);
    } else if (m == QLatin1String("bleu") || m == QLatin1String("chrf")) {
      QStringList hyps, refs;
      for (const EvalSampleRow* s : samples)
        if (has(*s, m)) {
          hyps << s->output;
          refs << s->reference;
        }
      if (hyps.isEmpty()) continue;
      out.insert(m, m == QLatin1String("bleu") ? bleu(hyps, {refs}, {}).corpus.score : chrf(hyps, {refs}, {}).score);
    }
  }
  return out;
}

}  // namespace

QStringList sliceFieldNames(const std::vector<EvalSampleRow>& samples) {
  QStringList names;
  for (const EvalSampleRow& s : samples) {
    const QJsonObject fields = s.scores.value(kFields).toObject();
    for (auto it = fields.begin(); it != fields.end(); ++it)
      if (!names.contains(it.key())) names << it.key();
  }
  names.sort();
  return names;
}

SliceReport computeSlices(const std::vector<EvalSampleRow>& samples, const QString& field, const SliceOptions& o) {
  if (samples.empty())
    throw Error(o.source, QStringLiteral("samples"), QStringLiteral("0"),
                QStringLiteral("there are no samples to break down (the evaluation stored none)"));
  const QStringList names = sliceFieldNames(samples);
  if (!names.contains(field))
    throw Error(o.source, o.fieldKey, field,
                QStringLiteral("is not a field of the evaluated rows (fields: %1)")
                    .arg(names.isEmpty() ? QStringLiteral("none") : names.join(QStringLiteral(", "))));
  SliceReport r;
  r.field = field;
  r.minSize = o.minSize;
  r.samples = int64_t(samples.size());
  for (const QString& m : kOrder) {
    const QString key = m == QLatin1String("mc_accuracy") ? QStringLiteral("mc_correct") : m;
    if (std::any_of(samples.begin(), samples.end(), [&](const EvalSampleRow& s) { return has(s, key); }))
      r.metrics << m;
  }
  std::vector<const EvalSampleRow*> all;
  std::map<QString, std::vector<const EvalSampleRow*>> groups;
  bool numeric = true;
  for (const EvalSampleRow& s : samples) {
    all.push_back(&s);
    const QJsonValue v = s.scores.value(kFields).toObject().value(field);
    groups[valueText(v)].push_back(&s);
    if (!v.isDouble() && valueText(v) != kMissingSlice) numeric = false;
  }
  r.overall = aggregate(all, r.metrics);
  for (const auto& [value, members] : groups) {
    Slice s;
    s.value = value;
    s.count = int64_t(members.size());
    s.small = s.count < o.minSize;
    s.metrics = aggregate(members, r.metrics);
    for (auto it = s.metrics.begin(); it != s.metrics.end(); ++it)
      if (r.overall.contains(it.key())) s.gaps.insert(it.key(), it.value() - r.overall.value(it.key()));
    r.slices.push_back(std::move(s));
  }
  std::stable_sort(r.slices.begin(), r.slices.end(), [numeric](const Slice& a, const Slice& b) {
    const bool am = a.value == kMissingSlice, bm = b.value == kMissingSlice;
    if (am != bm) return bm;
    if (numeric) return a.value.toDouble() < b.value.toDouble();
    return a.value < b.value;
  });
  const bool anyLarge = std::any_of(r.slices.begin(), r.slices.end(), [](const Slice& s) { return !s.small; });
  for (const QString& m : r.metrics) {
    int best = -1;
    for (int i = 0; i < int(r.slices.size()); ++i) {
      const Slice& s = r.slices[size_t(i)];
      if ((anyLarge && s.small) || !s.gaps.contains(m)) continue;
      if (best < 0 || std::fabs(s.gaps.value(m)) > std::fabs(r.slices[size_t(best)].gaps.value(m))) best = i;
    }
    if (best >= 0) r.largestGap.insert(m, best);
  }
  return r;
}

namespace {

QJsonObject toObject(const QMap<QString, double>& m) {
  QJsonObject o;
  for (auto it = m.begin(); it != m.end(); ++it) o.insert(it.key(), it.value());
  return o;
}

QMap<QString, double> toMap(const QJsonObject& o) {
  QMap<QString, double> m;
  for (auto it = o.begin(); it != o.end(); ++it) m.insert(it.key(), it.value().toDouble());
  return m;
}

}  // namespace

QJsonObject SliceReport::toJson() const {
  QJsonArray list;
  for (const Slice& s : slices)
    list.append(QJsonObject{{QStringLiteral("value"), s.value},
                            {QStringLiteral("count"), qint64(s.count)},
                            {QStringLiteral("small"), s.small},
                            {QStringLiteral("metrics"), toObject(s.metrics)},
                            {QStringLiteral("gaps"), toObject(s.gaps)}});
  QJsonObject largest;
  for (auto it = largestGap.begin(); it != largestGap.end(); ++it) {
    const Slice& s = slices[size_t(it.value())];
    largest.insert(it.key(),
                   QJsonObject{{QStringLiteral("slice"), s.value}, {QStringLiteral("gap"), s.gaps.value(it.key())}});
  }
  return {{QStringLiteral("field"), field},
          {QStringLiteral("min_size"), qint64(minSize)},
          {QStringLiteral("samples"), qint64(samples)},
          {QStringLiteral("metrics"), QJsonArray::fromStringList(metrics)},
          {QStringLiteral("overall"), toObject(overall)},
          {QStringLiteral("slices"), list},
          {QStringLiteral("largest_gap"), largest}};
}

SliceReport SliceReport::fromJson(const QJsonObject& json) {
  SliceReport r;
  r.field = json.value(QStringLiteral("field")).toString();
  r.minSize = json.value(QStringLiteral("min_size")).toInteger(10);
  r.samples = json.value(QStringLiteral("samples")).toInteger();
  for (const QJsonValue& m : json.value(QStringLiteral("metrics")).toArray()) r.metrics << m.toString();
  r.overall = toMap(json.value(QStringLiteral("overall")).toObject());
  for (const QJsonValue& v : json.value(QStringLiteral("slices")).toArray()) {
    const QJsonObject o = v.toObject();
    Slice s;
    s.value = o.value(QStringLiteral("value")).toString();
    s.count = o.value(QStringLiteral("count")).toInteger();
    s.small = o.value(QStringLiteral("small")).toBool();
    s.metrics = toMap(o.value(QStringLiteral("metrics")).toObject());
    s.gaps = toMap(o.value(QStringLiteral("gaps")).toObject());
    r.slices.push_back(std::move(s));
  }
  const QJsonObject largest = json.value(QStringLiteral("largest_gap")).toObject();
  for (auto it = largest.begin(); it != largest.end(); ++it) {
    const QString value = it.value().toObject().value(QStringLiteral("slice")).toString();
    for (int i = 0; i < int(r.slices.size()); ++i)
      if (r.slices[size_t(i)].value == value) r.largestGap.insert(it.key(), i);
  }
  return r;
}

}  // namespace distillery
