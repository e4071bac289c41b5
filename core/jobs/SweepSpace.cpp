#include "jobs/SweepSpace.h"

#include "common/Error.h"
#include "train/JobSpec.h"

#include <QtCore/QStringList>

#include <cmath>

namespace distillery {

bool isIntegerParam(const SweepParam& p) {
  static const QStringList integerKeys = {"kd.chunk_tokens",  "lora.r",        "train.max_steps",    "train.batch_size",
                                          "train.grad_accum", "train.seq_len", "train.warmup_steps", "train.seed"};
  return p.integer || integerKeys.contains(p.key);
}

std::vector<SweepPoint> gridPoints(const std::vector<SweepParam>& params) {
  size_t total = 1;
  for (const SweepParam& p : params) {
    if (p.values.empty())
      throw Error(
          {}, QStringLiteral("sweep.params"), p.key,
          QStringLiteral("has a range (min %1, max %2); a grid sweep needs a list of values").arg(p.min).arg(p.max));
    total *= p.values.size();
  }
  if (params.empty()) return {};
  std::vector<SweepPoint> points;
  points.reserve(total);
  // Odometer over the value indices, last parameter fastest.
  std::vector<size_t> index(params.size(), 0);
  for (size_t n = 0; n < total; ++n) {
    SweepPoint x(params.size());
    for (size_t i = 0; i < params.size(); ++i) x[i] = params[i].values[index[i]];
    points.push_back(std::move(x));
    for (size_t i = params.size(); i-- > 0;) {
      if (++index[i] < params[i].values.size()) break;
      index[i] = 0;
    }
  }
  return points;
}

void setDottedKey(QJsonObject& obj, const QString& key, const QJsonValue& value) {
  const qsizetype dot = key.indexOf(QLatin1Char('.'));
  if (dot < 0) {
    obj.insert(key, value);
    return;
  }
  const QString head = key.left(dot);
  QJsonObject child = obj.value(head).toObject();
  setDottedKey(child, key.mid(dot + 1), value);
  obj.insert(head, child);
}

QJsonValue paramJsonValue(const SweepParam& p, double x) {
  if (isIntegerParam(p)) return QJsonValue(qint64(std::llround(x)));
  return QJsonValue(x);
}

QJsonObject trialJson(const SweepSpec& sweep, const SweepPoint& point) {
  QJsonObject job = sweep.base;
  for (size_t i = 0; i < sweep.params.size() && i < point.size(); ++i)
    setDottedKey(job, sweep.params[i].key, paramJsonValue(sweep.params[i], point[i]));
  return job;
}

QJsonObject pointJson(const std::vector<SweepParam>& params, const SweepPoint& point) {
  QJsonObject o;
  for (size_t i = 0; i < params.size() && i < point.size(); ++i)
    o.insert(params[i].key, paramJsonValue(params[i], point[i]));
  return o;
}

QString describePoint(const std::vector<SweepParam>& params, const SweepPoint& point) {
  QStringList parts;
  for (size_t i = 0; i < params.size() && i < point.size(); ++i) {
    const QJsonValue v = paramJsonValue(params[i], point[i]);
    parts << params[i].key + QLatin1Char('=') +
                 (isIntegerParam(params[i]) ? QString::number(v.toInteger()) : QString::number(v.toDouble(), 'g', 6));
  }
  return parts.join(QStringLiteral(", "));
}

}  // namespace distillery
