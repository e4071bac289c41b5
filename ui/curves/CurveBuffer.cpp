#include "curves/CurveBuffer.h"

#include <algorithm>
#include <cmath>

namespace distillery::ui {

static bool isTokenCount(const QString& name) { return name == QLatin1String("tokens"); }
static bool isTokenRate(const QString& name) { return name == QLatin1String("tokens_per_s"); }

void CurveBuffer::noteTokens(const MetricRow& r) {
  if (isTokenCount(r.name)) {
    if (!hasTokensMetric_) tokensByStep_.clear();  // the exact count replaces any estimate from the rate
    hasTokensMetric_ = true;
    tokensByStep_[r.step] = r.value;
  } else if (isTokenRate(r.name) && !hasTokensMetric_) {
    // The rate covers the time since the previous rate row (since the start for the first one).
    derivedTokens_ += r.value * std::max(0.0, r.wallTime - lastRateWall_);
    lastRateWall_ = r.wallTime;
    tokensByStep_[r.step] = derivedTokens_;
  }
}

double CurveBuffer::tokensAt(qint64 step) const {
  auto it = tokensByStep_.upper_bound(step);
  return it == tokensByStep_.begin() ? 0.0 : std::prev(it)->second;
}

CurveBuffer::Change CurveBuffer::append(const std::vector<MetricRow>& rows) {
  Change change;
  // Token counts first: a step's `tokens` row is logged after its `loss` row (the columns are alphabetical).
  for (const MetricRow& r : rows)
    if (isTokenCount(r.name) || isTokenRate(r.name)) noteTokens(r);
  for (const MetricRow& r : rows) {
    auto [it, created] = series_.try_emplace(r.name);
    CurveSeries& s = it->second;
    if (created) s.name = r.name;
    const double step = double(r.step);
    if (!s.step.empty() && step <= s.step.back()) {
      // A resumed job logs the steps after its checkpoint again: drop them and rewrite the series.
      const auto keep = std::lower_bound(s.step.begin(), s.step.end(), step) - s.step.begin();
      for (auto* v : {&s.step, &s.wallTime, &s.tokens, &s.raw, &s.smoothed}) v->resize(size_t(keep));
      s.emaLast = 0;
      s.emaPower = 1;
      smoothFrom(s, 0);
      if (!change.rewritten.contains(s.name)) change.rewritten << s.name;
      if (auto g = change.grown.find(s.name); g != change.grown.end()) g->second = std::min<qsizetype>(g->second, keep);
    }
    if (!change.grown.count(s.name)) change.grown[s.name] = s.size();
    s.step.push_back(step);
    s.wallTime.push_back(r.wallTime);
    s.tokens.push_back(tokensAt(r.step));
    s.raw.push_back(r.value);
    s.smoothed.push_back(r.value);
  }
  for (const auto& [name, from] : change.grown) smoothFrom(series_[name], from);
  for (const QString& name : change.rewritten) change.grown.erase(name);
  return change;
}

// Continues the EMA from point `from` (its state holds the points before it).
void CurveBuffer::smoothFrom(CurveSeries& s, qsizetype from) const {
  const double w = smoothing_;
  if (w <= 0) {
    std::copy(s.raw.begin() + from, s.raw.end(), s.smoothed.begin() + from);
    return;
  }
  for (size_t i = size_t(from); i < s.raw.size(); ++i) {
    const double x = s.raw[i];
    if (!std::isfinite(x)) {
      s.smoothed[i] = x;
      continue;
    }
    s.emaLast = w * s.emaLast + (1 - w) * x;
    s.emaPower *= w;
    s.smoothed[i] = s.emaLast / (1 - s.emaPower);
  }
}

void CurveBuffer::setSmoothing(double w) {
  smoothing_ = std::clamp(w, 0.0, 0.999);
  for (auto& [name, s] : series_) {
    s.emaLast = 0;
    s.emaPower = 1;
    s.smoothed.resize(s.raw.size());
    smoothFrom(s, 0);
  }
}

void CurveBuffer::clear() {
  series_.clear();
  tokensByStep_.clear();
  hasTokensMetric_ = false;
  derivedTokens_ = lastRateWall_ = 0;
}

QStringList CurveBuffer::names() const {
  QStringList list;
  for (const auto& [name, s] : series_) list << name;
  return list;
}

const CurveSeries* CurveBuffer::series(const QString& name) const {
  auto it = series_.find(name);
  return it == series_.end() ? nullptr : &it->second;
}

std::vector<double> CurveBuffer::smooth(const std::vector<double>& values, double w) {
  CurveBuffer b(w);
  std::vector<MetricRow> rows;
  for (size_t i = 0; i < values.size(); ++i) rows.push_back({qint64(i), QStringLiteral("x"), values[i], 0.0});
  b.append(rows);
  return b.series(QStringLiteral("x"))->smoothed;
}

}  // namespace distillery::ui
