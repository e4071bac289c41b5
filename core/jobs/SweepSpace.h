// The search space of a sweep (SweepSpec::params) and how a point in it becomes a trial's job: a point holds one
// value per parameter, in the spec's order; a trial is the base job with each dotted key set to its value.
//
//   for (const SweepPoint& x : gridPoints(spec.sweep.params))              // the cartesian product, last key fastest
//     JobSpec trial = JobSpec::fromJson(trialJson(spec.sweep, x), "trial");
#pragma once
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QString>

#include <vector>

namespace distillery {

struct SweepParam;
struct SweepSpec;

using SweepPoint = std::vector<double>;  // one value per SweepParam, in spec order

// Whether samples of p are rounded to whole numbers: p.integer, or a key that only takes integers (lora.r,
// train.batch_size, train.warmup_steps, ...).
bool isIntegerParam(const SweepParam& p);

// Every combination of the parameters' values, in lexicographic order (the first parameter varies slowest).
// Throws Error naming the parameter when one has a range instead of values (a grid needs values).
std::vector<SweepPoint> gridPoints(const std::vector<SweepParam>& params);

// Sets a dotted key ("train.lr") inside obj, creating the objects on the way.
void setDottedKey(QJsonObject& obj, const QString& key, const QJsonValue& value);
// The JSON value a parameter takes at x: an integer for integer parameters, else a double.
QJsonValue paramJsonValue(const SweepParam& p, double x);

// The trial's job: sweep.base with every key of the point set (values rounded for integer parameters).
QJsonObject trialJson(const SweepSpec& sweep, const SweepPoint& point);
// {"train.lr": 3e-05, "train.batch_size": 16}: the point by key, for rows, logs and sweep.json.
QJsonObject pointJson(const std::vector<SweepParam>& params, const SweepPoint& point);
// "train.lr=3e-05, train.batch_size=16", for the trial's name.
QString describePoint(const std::vector<SweepParam>& params, const SweepPoint& point);

}  // namespace distillery
