#include "jobs/JobTableModel.h"

#include <QtCore/QDateTime>

#include <cmath>

namespace distillery::ui {

QString formatDuration(double seconds) {
  if (!(seconds >= 0) || !std::isfinite(seconds)) return {};
  const qint64 s = qint64(std::llround(seconds));
  if (s >= 3600) return JobTableModel::tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
  if (s >= 60) return JobTableModel::tr("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
  return JobTableModel::tr("%1 s").arg(s);
}

JobTableModel::JobTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void JobTableModel::setSource(std::optional<Store> store, JobRunner* runner) {
  store_ = std::move(store);
  runner_ = runner;
  logs_.clear();
  lastMessage_.clear();
  reload();
}

int JobTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(rows_.size()); }

int JobTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant JobTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
    return QAbstractTableModel::headerData(section, orientation, role);
  switch (section) {
    case Id:
      return tr("ID");
    case Kind:
      return tr("Kind");
    case Name:
      return tr("Name");
    case Status:
      return tr("Status");
    case Device:
      return tr("Device");
    case Progress:
      return tr("Progress");
    case Step:
      return tr("Step");
    case Loss:
      return tr("Loss");
    case TokensPerSecond:
      return tr("Tokens/s");
    case Eta:
      return tr("ETA");
    case Created:
      return tr("Created");
    default:
      return {};
  }
}

QVariant JobTableModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const Row& r = rows_[index.row()];
  const JobStatus status = r.live ? r.snap.status : r.job.status;
  const double progress = r.live ? r.snap.progress() : r.job.progress;
  if (role == IdRole) return r.job.id;
  if (role == ProgressRole) return progress;
  if (role == Qt::TextAlignmentRole && index.column() != Name && index.column() != Kind)
    return QVariant(Qt::AlignRight | Qt::AlignVCenter);
  if (role == Qt::ToolTipRole && status == JobStatus::Failed) return errorOf(r.job.id);
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case Id:
      return r.job.id;
    case Kind:
      return r.job.kind;
    case Name:
      return r.job.name;
    case Status:
      return jobStatusName(status);
    case Device:
      return r.live && !r.snap.device.isEmpty() ? r.snap.device : r.job.device;
    case Progress:
      return QStringLiteral("%1%").arg(std::floor(progress * 100.0), 0, 'f', 0);
    case Step:
      if (!r.live) return {};
      return r.snap.totalSteps > 0 ? QStringLiteral("%1 / %2").arg(r.snap.step).arg(r.snap.totalSteps)
                                   : QString::number(r.snap.step);
    case Loss:
      return r.live && std::isfinite(r.snap.loss) && r.snap.step > 0 ? QString::number(r.snap.loss, 'g', 4) : QString();
    case TokensPerSecond:
      return r.live && r.snap.tokensPerSecond > 0 ? QString::number(r.snap.tokensPerSecond, 'f', 0) : QString();
    case Eta:
      return r.live && status == JobStatus::Running ? formatDuration(r.snap.etaSeconds) : QString();
    case Created:
      return r.job.createdAt;
    default:
      return {};
  }
}

void JobTableModel::reload() {
  // Live state survives the reset: a finished job keeps its last step, loss and speed on screen.
  QHash<qint64, JobSnapshot> snaps;
  for (const Row& r : rows_)
    if (r.live) snaps.insert(r.job.id, r.snap);
  beginResetModel();
  rows_.clear();
  if (store_) {
    for (const JobRow& job : JobStore(*store_).list())
      rows_.append(Row{job, snaps.value(job.id), snaps.contains(job.id)});
  }
  endResetModel();
  poll();
}

bool JobTableModel::sameLiveState(const JobSnapshot& a, const JobSnapshot& b) {
  const auto same = [](double x, double y) { return x == y || (std::isnan(x) && std::isnan(y)); };
  return a.status == b.status && a.device == b.device && a.step == b.step && a.totalSteps == b.totalSteps &&
         same(a.loss, b.loss) && same(a.tokensPerSecond, b.tokensPerSecond) && same(a.etaSeconds, b.etaSeconds) &&
         a.trial == b.trial && a.trials == b.trials && a.message == b.message && a.error == b.error;
}

void JobTableModel::poll() {
  if (!runner_) return;
  const QList<qint64> queued = runner_->queued(), running = runner_->running();
  for (int i = 0; i < rows_.size(); ++i) {
    Row& r = rows_[i];
    // Finished rows keep what reload() read (or their last snapshot); only live jobs are asked.
    const bool active = queued.contains(r.job.id) || running.contains(r.job.id);
    if (!active && (!r.live || isFinished(r.snap.status))) continue;
    const JobSnapshot snap = runner_->snapshot(r.job.id);
    if (r.live && sameLiveState(r.snap, snap)) continue;
    if (!snap.message.isEmpty() && snap.message != lastMessage_.value(r.job.id)) {
      lastMessage_.insert(r.job.id, snap.message);
      addLog(r.job.id, snap.message);
    }
    r.snap = snap;
    r.live = true;
    Q_EMIT dataChanged(index(i, Status), index(i, Eta));
  }
}

int JobTableModel::rowOf(qint64 id) const {
  for (int i = 0; i < rows_.size(); ++i)
    if (rows_[i].job.id == id) return i;
  return -1;
}

qint64 JobTableModel::idAt(int row) const { return row >= 0 && row < rows_.size() ? rows_[row].job.id : 0; }

JobStatus JobTableModel::statusAt(int row) const {
  if (row < 0 || row >= rows_.size()) return JobStatus::Queued;
  return rows_[row].live ? rows_[row].snap.status : rows_[row].job.status;
}

QString JobTableModel::errorOf(qint64 id) const {
  const int row = rowOf(id);
  if (row < 0) return {};
  const Row& r = rows_[row];
  return !r.job.error.isEmpty() ? r.job.error : r.snap.error;
}

void JobTableModel::addLog(qint64 id, const QString& line) {
  logs_[id].append(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss ")) + line);
}

}  // namespace distillery::ui
