#include "eval/EvalModels.h"

#include "checkpoint/JsonFile.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtGui/QBrush>
#include <QtGui/QColor>

#include <cmath>
#include <set>

namespace distillery::ui {

namespace {

QString translated(const char* text) { return QCoreApplication::translate("EvalModels", text); }

// Every metric an evaluation may carry (core/eval/EvalRun.h), in the order the table shows them.
const std::vector<MetricColumn>& allMetrics() {
  static const std::vector<MetricColumn> columns = {
      {"perplexity", QT_TRANSLATE_NOOP("EvalModels", "Perplexity"), 3},
      {"next_token_accuracy", QT_TRANSLATE_NOOP("EvalModels", "Next-token acc."), 1, true},
      {"mc_accuracy", QT_TRANSLATE_NOOP("EvalModels", "Multiple choice"), 1, true},
      {"mc_accuracy_norm", QT_TRANSLATE_NOOP("EvalModels", "Multiple choice (norm.)"), 1, true},
      {"exact_match", QT_TRANSLATE_NOOP("EvalModels", "Exact match"), 1, true},
      {"token_f1", QT_TRANSLATE_NOOP("EvalModels", "Token F1"), 1, true},
      {"bleu", QT_TRANSLATE_NOOP("EvalModels", "BLEU"), 2},
      {"chrf", QT_TRANSLATE_NOOP("EvalModels", "chrF"), 2},
      {"rouge1", QT_TRANSLATE_NOOP("EvalModels", "ROUGE-1"), 1, true},
      {"rouge2", QT_TRANSLATE_NOOP("EvalModels", "ROUGE-2"), 1, true},
      {"rougeL", QT_TRANSLATE_NOOP("EvalModels", "ROUGE-L"), 1, true},
      {"first_token_ms", QT_TRANSLATE_NOOP("EvalModels", "First token (ms)"), 2},
      {"ms_per_token", QT_TRANSLATE_NOOP("EvalModels", "ms / token"), 2},
      {"tokens_per_s", QT_TRANSLATE_NOOP("EvalModels", "Tokens / s"), 1},
      {"size_on_disk_bytes", QT_TRANSLATE_NOOP("EvalModels", "Size on disk"), 1, false, true},
      {"memory_bytes", QT_TRANSLATE_NOOP("EvalModels", "Memory"), 1, false, true},
      {"fidelity.kld.mean", QT_TRANSLATE_NOOP("EvalModels", "KLD mean"), 5},
      {"fidelity.same_top1", QT_TRANSLATE_NOOP("EvalModels", "Same top-1"), 2, true},
      {"fidelity.accuracy_drop", QT_TRANSLATE_NOOP("EvalModels", "Accuracy drop"), 2, true},
  };
  return columns;
}

QVariant passCell(const QJsonObject& fidelity, int role) {
  if (!fidelity.contains(QStringLiteral("pass")) || fidelity.value(QStringLiteral("pass")).isNull()) return {};
  const bool pass = fidelity.value(QStringLiteral("pass")).toBool();
  if (role == Qt::DisplayRole) return pass ? translated(QT_TRANSLATE_NOOP("EvalModels", "pass")) : translated(QT_TRANSLATE_NOOP("EvalModels", "FAIL"));
  if (role == Qt::ForegroundRole) return QBrush(pass ? QColor(0x1a, 0x7f, 0x37) : QColor(0xb3, 0x26, 0x1e));
  if (role == Qt::ToolTipRole)
    return translated(QT_TRANSLATE_NOOP("EvalModels", "Pass when the accuracy drop against the baseline (%1) is below %2."))
        .arg(fidelity.value(QStringLiteral("accuracy_metric")).toString())
        .arg(fidelity.value(QStringLiteral("max_accuracy_drop")).toDouble());
  return {};
}

}  // namespace

double metricValue(const QJsonObject& o, const QString& dottedKey) {
  const QStringList parts = dottedKey.split(QLatin1Char('.'));
  QJsonValue v = o;
  for (const QString& p : parts) {
    if (!v.isObject()) return std::nan("");
    v = v.toObject().value(p);
  }
  return v.isDouble() ? v.toDouble() : std::nan("");
}

QString formatMetric(double v, const MetricColumn& c) {
  if (!std::isfinite(v)) return QStringLiteral("—");
  if (c.percent) return QStringLiteral("%1%").arg(v * 100.0, 0, 'f', c.decimals);
  if (c.bytes) return QStringLiteral("%1 MiB").arg(v / (1024.0 * 1024.0), 0, 'f', 2);
  return QString::number(v, 'f', c.decimals);
}

// ---- EvalMetricsModel --------------------------------------------------------------------------------------

void EvalMetricsModel::setEvaluations(const QList<EvaluationRow>& rows) {
  beginResetModel();
  rows_ = rows;
  columns_.clear();
  for (const MetricColumn& c : allMetrics())
    for (const EvaluationRow& r : rows_)
      if (std::isfinite(metricValue(r.metrics, c.key))) {
        columns_.push_back(c);
        break;
      }
  endResetModel();
}

int EvalMetricsModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }
// Label, the metrics, and the pass rule.
int EvalMetricsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(columns_.size()) + 2; }

QVariant EvalMetricsModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount()) return {};
  const EvaluationRow& r = rows_[index.row()];
  if (index.column() == 0) {
    if (role == Qt::DisplayRole) return r.modelLabel;
    if (role == Qt::ToolTipRole) return r.metrics.value(QStringLiteral("path")).toString();
    return {};
  }
  if (index.column() == columnCount() - 1) return passCell(r.metrics.value(QStringLiteral("fidelity")).toObject(), role);
  const MetricColumn& c = columns_[size_t(index.column() - 1)];
  const double v = metricValue(r.metrics, c.key);
  if (role == Qt::DisplayRole) return formatMetric(v, c);
  if (role == Qt::UserRole) return v;
  if (role == Qt::TextAlignmentRole) return int(Qt::AlignRight | Qt::AlignVCenter);
  return {};
}

QVariant EvalMetricsModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= columnCount()) return {};
  if (section == 0) return translated(QT_TRANSLATE_NOOP("EvalModels", "Model"));
  if (section == columnCount() - 1) return translated(QT_TRANSLATE_NOOP("EvalModels", "Pass rule"));
  return translated(columns_[size_t(section - 1)].title);
}

// ---- EvalSamplesModel --------------------------------------------------------------------------------------

void EvalSamplesModel::setSamples(const QStringList& labels, const std::vector<std::vector<EvalSampleRow>>& samples) {
  beginResetModel();
  labels_ = labels;
  byModel_.assign(samples.size(), {});
  std::set<qint64> indices;
  for (size_t m = 0; m < samples.size(); ++m)
    for (const EvalSampleRow& s : samples[m]) {
      byModel_[m][s.index] = s;
      indices.insert(s.index);
    }
  indices_.assign(indices.begin(), indices.end());
  endResetModel();
}

int EvalSamplesModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(indices_.size()); }
int EvalSamplesModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : 2 + int(labels_.size()); }

const EvalSampleRow* EvalSamplesModel::sample(int row, int model) const {
  if (row < 0 || row >= rowCount() || model < 0 || model >= int(byModel_.size())) return nullptr;
  const auto& m = byModel_[size_t(model)];
  const auto it = m.find(indices_[size_t(row)]);
  return it == m.end() ? nullptr : &it->second;
}

bool EvalSamplesModel::disagree(int row) const {
  std::set<QString> outputs;
  for (int m = 0; m < int(byModel_.size()); ++m)
    if (const EvalSampleRow* s = sample(row, m)) outputs.insert(s->output.trimmed());
  return outputs.size() > 1;
}

QVariant EvalSamplesModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount()) return {};
  // Input and reference are the same for every model: take them from the first that has the sample.
  const EvalSampleRow* any = nullptr;
  for (int m = 0; m < int(byModel_.size()) && !any; ++m) any = sample(index.row(), m);
  if (index.column() < 2) {
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
    return any ? (index.column() == 0 ? any->input : any->reference) : QString();
  }
  const EvalSampleRow* s = sample(index.row(), index.column() - 2);
  if (!s) return {};
  const bool exact = s->output.trimmed() == s->reference.trimmed() && !s->reference.trimmed().isEmpty();
  switch (role) {
    case Qt::DisplayRole: return s->output;
    case Qt::ToolTipRole: return s->output;
    case Qt::BackgroundRole:
      if (s->reference.isEmpty()) return {};
      return QBrush(exact ? QColor(0xd8, 0xf3, 0xdc) : QColor(0xff, 0xe8, 0xcc));
    case Qt::UserRole: return s->scores;
    default: return {};
  }
}

QVariant EvalSamplesModel::headerData(int section, Qt::Orientation o, int role) const {
  if (role != Qt::DisplayRole) return {};
  if (o == Qt::Vertical) return section >= 0 && section < rowCount() ? QVariant(indices_[size_t(section)] + 1) : QVariant();
  if (section == 0) return translated(QT_TRANSLATE_NOOP("EvalModels", "Input"));
  if (section == 1) return translated(QT_TRANSLATE_NOOP("EvalModels", "Reference"));
  return section - 2 < labels_.size() ? QVariant(labels_[section - 2]) : QVariant();
}

// ---- EvalSamplesFilter -------------------------------------------------------------------------------------

void EvalSamplesFilter::setText(const QString& text) {
  text_ = text;
  invalidateFilter();
}

void EvalSamplesFilter::setOnlyDisagreements(bool on) {
  onlyDisagreements_ = on;
  invalidateFilter();
}

bool EvalSamplesFilter::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
  const auto* m = qobject_cast<const EvalSamplesModel*>(sourceModel());
  if (!m) return true;
  if (onlyDisagreements_ && !m->disagree(sourceRow)) return false;
  if (text_.isEmpty()) return true;
  for (int c = 0; c < m->columnCount(); ++c)
    if (m->index(sourceRow, c, sourceParent).data().toString().contains(text_, Qt::CaseInsensitive)) return true;
  return false;
}

// ---- FidelityModel -----------------------------------------------------------------------------------------

QString schemeOfModelFolder(const QString& dir) {
  const QString config = QDir(dir).filePath(QStringLiteral("config.json"));
  if (!QFileInfo::exists(config)) return QStringLiteral("float");
  try {
    const QJsonValue q = readJsonObject(config).value(QStringLiteral("quantization_config"));
    return q.isObject() ? q.toObject().value(QStringLiteral("scheme")).toString(QStringLiteral("?")) : QStringLiteral("float");
  } catch (const std::exception&) {
    return QStringLiteral("?");
  }
}

const std::vector<MetricColumn>& FidelityModel::columns() {
  static const std::vector<MetricColumn> columns = {
      {"fidelity.kld.mean", QT_TRANSLATE_NOOP("EvalModels", "KLD mean"), 5},
      {"fidelity.kld.median", QT_TRANSLATE_NOOP("EvalModels", "KLD median"), 5},
      {"fidelity.kld.p99", QT_TRANSLATE_NOOP("EvalModels", "KLD p99"), 5},
      {"fidelity.kld.max", QT_TRANSLATE_NOOP("EvalModels", "KLD max"), 5},
      {"fidelity.same_top1", QT_TRANSLATE_NOOP("EvalModels", "Same top-1"), 2, true},
      {"fidelity.delta_p.mean", QT_TRANSLATE_NOOP("EvalModels", "Δp mean"), 3, true},
      {"fidelity.delta_p.rms", QT_TRANSLATE_NOOP("EvalModels", "RMS Δp"), 3, true},
      {"fidelity.ppl_ratio", QT_TRANSLATE_NOOP("EvalModels", "PPL ratio"), 4},
      {"size_on_disk_bytes", QT_TRANSLATE_NOOP("EvalModels", "Size on disk"), 1, false, true},
      {"memory_bytes", QT_TRANSLATE_NOOP("EvalModels", "Memory"), 1, false, true},
      {"fidelity.accuracy_drop", QT_TRANSLATE_NOOP("EvalModels", "Accuracy drop"), 2, true},
  };
  return columns;
}

void FidelityModel::setEvaluations(const QList<EvaluationRow>& rows) {
  beginResetModel();
  rows_.clear();
  schemes_.clear();
  for (const EvaluationRow& r : rows) {
    if (!r.metrics.value(QStringLiteral("fidelity")).isObject()) continue;
    rows_.push_back(r);
    schemes_.push_back(schemeOfModelFolder(r.metrics.value(QStringLiteral("path")).toString()));
  }
  endResetModel();
}

int FidelityModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }
// Label, scheme, baseline, the statistics, pass.
int FidelityModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : 3 + int(columns().size()) + 1; }

QVariant FidelityModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount()) return {};
  const EvaluationRow& r = rows_[size_t(index.row())];
  const QJsonObject f = r.metrics.value(QStringLiteral("fidelity")).toObject();
  const int c = index.column();
  if (c == 0) return role == Qt::DisplayRole ? QVariant(r.modelLabel) : QVariant();
  if (c == 1) return role == Qt::DisplayRole ? QVariant(schemes_[size_t(index.row())]) : QVariant();
  if (c == 2) return role == Qt::DisplayRole ? QVariant(f.value(QStringLiteral("baseline")).toString()) : QVariant();
  if (c == columnCount() - 1) return passCell(f, role);
  const MetricColumn& m = columns()[size_t(c - 3)];
  const double v = metricValue(r.metrics, m.key);
  if (role == Qt::DisplayRole) return formatMetric(v, m);
  if (role == Qt::UserRole) return v;
  if (role == Qt::TextAlignmentRole) return int(Qt::AlignRight | Qt::AlignVCenter);
  if (role == Qt::ToolTipRole && f.contains(QStringLiteral("kld_skipped"))) return f.value(QStringLiteral("kld_skipped")).toString();
  return {};
}

QVariant FidelityModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= columnCount()) return {};
  if (section == 0) return translated(QT_TRANSLATE_NOOP("EvalModels", "Model"));
  if (section == 1) return translated(QT_TRANSLATE_NOOP("EvalModels", "Scheme"));
  if (section == 2) return translated(QT_TRANSLATE_NOOP("EvalModels", "Baseline"));
  if (section == columnCount() - 1) return translated(QT_TRANSLATE_NOOP("EvalModels", "Accuracy drop < limit"));
  return translated(columns()[size_t(section - 3)].title);
}

}  // namespace distillery::ui
