#include "jobs/JobStore.h"

#include "audit/AuditLog.h"
#include "common/Error.h"
#include "jobs/JobMarkers.h"
#include "store/Sql.h"
#include "train/JobSpec.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtSql/QSqlQuery>

#include <algorithm>
#include <array>

namespace distillery {

namespace {

using sql::exec;
using sql::prepare;

constexpr std::array<const char*, 7> kStatusNames = {"queued", "running",   "paused",     "succeeded",
                                                     "failed", "cancelled", "interrupted"};

const QString kColumns = QStringLiteral(
    "id, kind, name, config_json, status, parent_id, device, progress, output_dir, error, created_at, started_at, "
    "finished_at");

JobRow readRow(const Store& store, const QSqlQuery& q) {
  JobRow r;
  r.id = q.value(0).toLongLong();
  r.kind = q.value(1).toString();
  r.name = q.value(2).toString();
  r.config = QJsonDocument::fromJson(q.value(3).toString().toUtf8()).object();
  const QString status = q.value(4).toString();
  try {
    r.status = parseJobStatus(status);
  } catch (const Error&) {
    throw StoreError(store.path(), QStringLiteral("jobs.status"), status,
                     QStringLiteral("of job %1 is not a known status").arg(r.id));
  }
  r.parentId = q.value(5).isNull() ? 0 : q.value(5).toLongLong();
  r.device = q.value(6).toString();
  r.progress = q.value(7).toDouble();
  r.outputDir = q.value(8).toString();
  r.error = q.value(9).toString();
  r.createdAt = q.value(10).toString();
  r.startedAt = q.value(11).toString();
  r.finishedAt = q.value(12).toString();
  return r;
}

QList<JobRow> readRows(const Store& store, QSqlQuery& q) {
  QList<JobRow> rows;
  while (q.next()) rows.append(readRow(store, q));
  return rows;
}

CheckpointRow readCheckpoint(const QSqlQuery& q) {
  CheckpointRow c;
  c.id = q.value(0).toLongLong();
  c.jobId = q.value(1).toLongLong();
  c.step = q.value(2).toLongLong();
  c.path = q.value(3).toString();
  if (!q.value(4).isNull()) c.valLoss = q.value(4).toDouble();
  c.isBest = q.value(5).toInt() != 0;
  c.createdAt = q.value(6).toString();
  return c;
}

const QString kCheckpointColumns = QStringLiteral("id, job_id, step, path, val_loss, is_best, created_at");

}  // namespace

QString jobStatusName(JobStatus s) { return QString::fromLatin1(kStatusNames[size_t(s)]); }

JobStatus parseJobStatus(const QString& name) {
  for (size_t i = 0; i < kStatusNames.size(); ++i)
    if (name == QLatin1String(kStatusNames[i])) return JobStatus(i);
  throw Error({}, QStringLiteral("status"), name,
              QStringLiteral("is not a job status (queued, running, paused, succeeded, failed, cancelled, "
                             "interrupted)"));
}

bool isFinished(JobStatus s) {
  return s == JobStatus::Succeeded || s == JobStatus::Failed || s == JobStatus::Cancelled ||
         s == JobStatus::Interrupted;
}

bool isResumable(JobStatus s) {
  return s == JobStatus::Failed || s == JobStatus::Cancelled || s == JobStatus::Interrupted;
}

QJsonObject JobRow::toJson() const {
  QJsonObject o{{QStringLiteral("id"), id},
                {QStringLiteral("kind"), kind},
                {QStringLiteral("name"), name},
                {QStringLiteral("status"), jobStatusName(status)},
                {QStringLiteral("device"), device},
                {QStringLiteral("progress"), progress},
                {QStringLiteral("output_dir"), outputDir},
                {QStringLiteral("created_at"), createdAt},
                {QStringLiteral("config"), config}};
  if (parentId) o.insert(QStringLiteral("parent_id"), parentId);
  if (!error.isEmpty()) o.insert(QStringLiteral("error"), error);
  if (!startedAt.isEmpty()) o.insert(QStringLiteral("started_at"), startedAt);
  if (!finishedAt.isEmpty()) o.insert(QStringLiteral("finished_at"), finishedAt);
  return o;
}

qint64 JobStore::create(const JobSpec& spec, const QJsonObject& configJson, qint64 parentId) const {
  const QJsonObject config = configJson.isEmpty() ? spec.toJson() : configJson;
  QString name = spec.name;
  if (name.isEmpty())
    name = jobKindName(spec.kind) +
           (spec.student.isEmpty() ? QString() : QLatin1Char(' ') + QFileInfo(spec.student).fileName());
  QSqlDatabase db = store_.connection();
  if (!db.transaction()) throw StoreError(store_.path(), {}, {}, QStringLiteral("cannot start a transaction"));
  try {
    QSqlQuery q = prepare(store_, QStringLiteral("INSERT INTO jobs (kind, name, config_json, status, parent_id, "
                                                 "device, output_dir, created_at) VALUES (?, ?, ?, 'queued', ?, ?, "
                                                 "?, ?)"));
    q.addBindValue(jobKindName(spec.kind));
    q.addBindValue(name);
    q.addBindValue(QString::fromUtf8(QJsonDocument(config).toJson(QJsonDocument::Compact)));
    q.addBindValue(parentId ? QVariant(parentId) : QVariant(QMetaType(QMetaType::LongLong)));
    q.addBindValue(spec.device);
    q.addBindValue(spec.output);
    q.addBindValue(nowUtc());
    exec(store_, q, QStringLiteral("cannot insert a job"));
    const qint64 id = q.lastInsertId().toLongLong();
    if (spec.output.isEmpty()) {
      // The workspace folder holds runs/<id> for jobs that name no output folder of their own.
      const QString dir = QFileInfo(store_.path()).absolutePath() + QStringLiteral("/runs/") + QString::number(id);
      QSqlQuery u = prepare(store_, QStringLiteral("UPDATE jobs SET output_dir = ? WHERE id = ?"));
      u.addBindValue(dir);
      u.addBindValue(id);
      exec(store_, u, QStringLiteral("cannot set the output folder of job %1").arg(id));
    }
    recordAudit(store_, QStringLiteral("job.created"), QStringLiteral("job"), QString::number(id), {{"kind", jobKindName(spec.kind)}, {"name", name}, {"config", config}});
    if (!db.commit()) throw StoreError(store_.path(), {}, {}, QStringLiteral("cannot commit the new job"));
    return id;
  } catch (...) {
    db.rollback();
    throw;
  }
}

std::optional<JobRow> JobStore::find(qint64 id) const {
  QSqlQuery q = prepare(store_, QStringLiteral("SELECT %1 FROM jobs WHERE id = ?").arg(kColumns));
  q.addBindValue(id);
  exec(store_, q, QStringLiteral("cannot read job %1").arg(id));
  if (!q.next()) return std::nullopt;
  return readRow(store_, q);
}

JobRow JobStore::job(qint64 id) const {
  if (auto row = find(id)) return *row;
  throw StoreError(store_.path(), QStringLiteral("job"), QString::number(id), QStringLiteral("does not exist"));
}

QList<JobRow> JobStore::list(std::optional<JobStatus> status) const {
  QSqlQuery q =
      prepare(store_, status ? QStringLiteral("SELECT %1 FROM jobs WHERE status = ? ORDER BY id DESC").arg(kColumns)
                             : QStringLiteral("SELECT %1 FROM jobs ORDER BY id DESC").arg(kColumns));
  if (status) q.addBindValue(jobStatusName(*status));
  exec(store_, q, QStringLiteral("cannot list jobs"));
  return readRows(store_, q);
}

QList<JobRow> JobStore::children(qint64 parentId) const {
  QSqlQuery q = prepare(store_, QStringLiteral("SELECT %1 FROM jobs WHERE parent_id = ? ORDER BY id").arg(kColumns));
  q.addBindValue(parentId);
  exec(store_, q, QStringLiteral("cannot list the trials of job %1").arg(parentId));
  return readRows(store_, q);
}

// UPDATE jobs to `status` (times and error as setStatus documents); with `expected`, only while the row still has
// that status — one statement, so it is atomic against a writer in another process. Returns the rows changed.
static int updateStatus(const Store& store, qint64 id, JobStatus status, const std::optional<QString>& error,
                        std::optional<JobStatus> expected) {
  QString sql = QStringLiteral("UPDATE jobs SET status = ?");
  if (status == JobStatus::Running)
    sql += QStringLiteral(", started_at = COALESCE(started_at, ?), finished_at = NULL");
  else if (isFinished(status))
    sql += QStringLiteral(", finished_at = ?");
  else if (status == JobStatus::Queued)
    sql += QStringLiteral(", finished_at = NULL");
  if (error) sql += QStringLiteral(", error = ?");
  sql += expected ? QStringLiteral(" WHERE id = ? AND status = ?") : QStringLiteral(" WHERE id = ?");
  QSqlQuery q = prepare(store, sql);
  q.addBindValue(jobStatusName(status));
  if (status == JobStatus::Running || isFinished(status)) q.addBindValue(nowUtc());
  if (error) q.addBindValue(error->isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(*error));
  q.addBindValue(id);
  if (expected) q.addBindValue(jobStatusName(*expected));
  exec(store, q, QStringLiteral("cannot set the status of job %1").arg(id));
  const int changed = q.numRowsAffected();
  if (changed > 0) recordAudit(store, audit::jobStatusAction(jobStatusName(status)), QStringLiteral("job"), QString::number(id), error && !error->isEmpty() ? QJsonObject{{"error", *error}} : QJsonObject{});
  return changed;
}

void JobStore::setStatus(qint64 id, JobStatus status, const std::optional<QString>& error) const {
  if (updateStatus(store_, id, status, error, std::nullopt) == 0)
    throw StoreError(store_.path(), QStringLiteral("job"), QString::number(id), QStringLiteral("does not exist"));
}

bool JobStore::setStatusIf(qint64 id, JobStatus expected, JobStatus status, const std::optional<QString>& error) const {
  return updateStatus(store_, id, status, error, expected) > 0;
}

void JobStore::setProgress(qint64 id, double progress) const {
  QSqlQuery q = prepare(store_, QStringLiteral("UPDATE jobs SET progress = ? WHERE id = ?"));
  q.addBindValue(std::clamp(progress, 0.0, 1.0));
  q.addBindValue(id);
  exec(store_, q, QStringLiteral("cannot set the progress of job %1").arg(id));
}

void JobStore::setOutputDir(qint64 id, const QString& dir) const {
  QSqlQuery q = prepare(store_, QStringLiteral("UPDATE jobs SET output_dir = ? WHERE id = ?"));
  q.addBindValue(dir);
  q.addBindValue(id);
  exec(store_, q, QStringLiteral("cannot set the output folder of job %1").arg(id));
}

std::vector<MetricPoint> JobStore::metric(qint64 id, const QString& name) const {
  QSqlQuery q = prepare(store_, QStringLiteral("SELECT step, value, wall_time FROM metrics WHERE job_id = ? AND "
                                               "name = ? ORDER BY step, rowid"));
  q.setForwardOnly(true);
  q.addBindValue(id);
  q.addBindValue(name);
  exec(store_, q, QStringLiteral("cannot read metric %1 of job %2").arg(name).arg(id));
  std::vector<MetricPoint> points;
  while (q.next()) points.push_back({q.value(0).toLongLong(), q.value(1).toDouble(), q.value(2).toDouble()});
  return points;
}

QStringList JobStore::metricNames(qint64 id) const {
  QSqlQuery q = prepare(store_, QStringLiteral("SELECT DISTINCT name FROM metrics WHERE job_id = ? ORDER BY name"));
  q.addBindValue(id);
  exec(store_, q, QStringLiteral("cannot list the metrics of job %1").arg(id));
  QStringList names;
  while (q.next()) names << q.value(0).toString();
  return names;
}

QJsonObject JobStore::lastMetrics(qint64 id) const {
  // The metrics_job_name_step index makes MAX(step) per name cheap; ties on a step keep the last row written.
  QSqlQuery q = prepare(store_, QStringLiteral("SELECT m.name, m.step, m.value FROM metrics m JOIN (SELECT name, "
                                               "MAX(step) AS step FROM metrics WHERE job_id = ? "
                                               "GROUP BY name) last ON m.name = last.name AND m.step = last.step WHERE "
                                               "m.job_id = ? ORDER BY m.name, m.rowid"));
  q.addBindValue(id);
  q.addBindValue(id);
  exec(store_, q, QStringLiteral("cannot read the metrics of job %1").arg(id));
  QJsonObject out;
  while (q.next())
    out.insert(q.value(0).toString(), QJsonObject{{QStringLiteral("step"), q.value(1).toLongLong()},
                                                  {QStringLiteral("value"), q.value(2).toDouble()}});
  return out;
}

qint64 JobStore::addCheckpoint(qint64 jobId, qint64 step, const QString& path, std::optional<double> valLoss,
                               bool isBest) const {
  QSqlQuery q = prepare(store_, QStringLiteral("INSERT INTO checkpoints (job_id, step, path, val_loss, is_best, "
                                               "created_at) VALUES (?, ?, ?, ?, ?, ?)"));
  q.addBindValue(jobId);
  q.addBindValue(step);
  q.addBindValue(path);
  q.addBindValue(valLoss ? QVariant(*valLoss) : QVariant(QMetaType(QMetaType::Double)));
  q.addBindValue(isBest ? 1 : 0);
  q.addBindValue(nowUtc());
  exec(store_, q, QStringLiteral("cannot record a checkpoint of job %1").arg(jobId));
  const qint64 id = q.lastInsertId().toLongLong();
  if (isBest) markBestCheckpoint(jobId, id);
  return id;
}

QList<CheckpointRow> JobStore::checkpoints(qint64 jobId) const {
  QSqlQuery q = prepare(
      store_, QStringLiteral("SELECT %1 FROM checkpoints WHERE job_id = ? ORDER BY step, id").arg(kCheckpointColumns));
  q.addBindValue(jobId);
  exec(store_, q, QStringLiteral("cannot list the checkpoints of job %1").arg(jobId));
  QList<CheckpointRow> rows;
  while (q.next()) rows.append(readCheckpoint(q));
  return rows;
}

std::optional<CheckpointRow> JobStore::lastCheckpoint(qint64 jobId) const {
  QSqlQuery q = prepare(store_, QStringLiteral("SELECT %1 FROM checkpoints WHERE job_id = ? ORDER BY step DESC, id "
                                               "DESC LIMIT 1")
                                    .arg(kCheckpointColumns));
  q.addBindValue(jobId);
  exec(store_, q, QStringLiteral("cannot read the checkpoints of job %1").arg(jobId));
  if (!q.next()) return std::nullopt;
  return readCheckpoint(q);
}

void JobStore::markBestCheckpoint(qint64 jobId, qint64 checkpointId) const {
  QSqlQuery q = prepare(store_, QStringLiteral("UPDATE checkpoints SET is_best = (id = ?) WHERE job_id = ?"));
  q.addBindValue(checkpointId);
  q.addBindValue(jobId);
  exec(store_, q, QStringLiteral("cannot mark the best checkpoint of job %1").arg(jobId));
}

QList<qint64> markInterruptedJobs(const Store& store) {
  const JobStore jobs(store);
  QList<qint64> changed;
  for (const JobStatus s : {JobStatus::Running, JobStatus::Paused}) {
    for (const JobRow& row : jobs.list(s)) {
      if (JobLock::isHeld(row.outputDir)) continue;  // another live process runs it
      // Compare-and-set: the process that ran it may have finished it between the list and here.
      if (jobs.setStatusIf(row.id, s, JobStatus::Interrupted,
                           QStringLiteral("interrupted: the process running it ended while the job was %1; resume "
                                          "continues from its last checkpoint")
                               .arg(jobStatusName(s))))
        changed << row.id;
    }
  }
  return changed;
}

}  // namespace distillery
