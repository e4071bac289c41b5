// The workspace's jobs as a table: the rows come from the store (JobStore::list, newest first), the live columns
// (status, progress, step, loss, tokens/s, ETA) from the runner's snapshots, which poll() copies in on the panel's
// timer (10 Hz) — never a signal per step. reload() re-reads the rows (on a status change, a new job).
// Each job's messages (status changes, JobSnapshot.message) are kept as a log while the model lives.
#pragma once
#include "jobs/JobRunner.h"
#include "jobs/JobStore.h"

#include <QtCore/QAbstractTableModel>
#include <QtCore/QHash>
#include <QtCore/QStringList>

#include <optional>

namespace distillery::ui {

class JobTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  // ID, Kind and Name come first, then Status: the same first columns as the store's jobs table.
  enum Column { Id, Kind, Name, Status, Device, Progress, Step, Loss, TokensPerSecond, Eta, Created, ColumnCount };
  static constexpr int ProgressRole = Qt::UserRole + 1;  // double 0..1 (the progress-bar delegate draws it)
  static constexpr int IdRole = Qt::UserRole + 2;        // qint64 job id

  explicit JobTableModel(QObject* parent = nullptr);
  // Reads jobs from store (nullopt: none, the model empties) and live state from runner (may be null).
  void setSource(std::optional<Store> store, JobRunner* runner);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  // Re-reads the rows from the store (model reset).
  void reload();
  // Copies the runner's snapshots of the unfinished jobs in; emits dataChanged for the rows that changed.
  void poll();

  int rowOf(qint64 id) const;  // -1 when absent
  qint64 idAt(int row) const;
  JobStatus statusAt(int row) const;
  // The job's error text (failed jobs), from the store row or the last snapshot.
  QString errorOf(qint64 id) const;
  QStringList logOf(qint64 id) const { return logs_.value(id); }
  // Notes a line in a job's log (e.g. a status change heard from the runner).
  void addLog(qint64 id, const QString& line);

 private:
  struct Row {
    JobRow job;
    JobSnapshot snap;
    bool live = false;  // snap holds a runner snapshot
  };
  static bool sameLiveState(const JobSnapshot& a, const JobSnapshot& b);
  std::optional<Store> store_;
  JobRunner* runner_ = nullptr;
  QList<Row> rows_;
  QHash<qint64, QStringList> logs_;
  QHash<qint64, QString> lastMessage_;
};

// "1 h 02 min", "3 min 05 s", "12 s"; empty for a negative value (unknown).
QString formatDuration(double seconds);

}  // namespace distillery::ui
