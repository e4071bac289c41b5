#include "jobs/JobMarkers.h"

#include "common/AtomicFile.h"
#include "common/Error.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QLockFile>

namespace distillery {

namespace {

std::unique_ptr<QLockFile> makeLock(const QString& outputDir) {
  auto lock = std::make_unique<QLockFile>(JobLock::lockPath(outputDir));
  // QLockFile's default treats a lock older than 30 s as stale even when its process is alive; a job runs for
  // hours, so only a dead holder (pid gone on this host) makes the lock stale.
  lock->setStaleLockTime(0);
  return lock;
}

}  // namespace

JobLock::JobLock(QString outputDir) : dir_(std::move(outputDir)) {}

JobLock::~JobLock() { unlock(); }

QString JobLock::lockPath(const QString& outputDir) { return QDir(outputDir).filePath(QStringLiteral(".job.lock")); }

bool JobLock::tryLock() {
  if (lock_ && lock_->isLocked()) return true;
  if (!QDir().mkpath(dir_)) throw Error(dir_, {}, {}, QStringLiteral("cannot create the job's output folder"));
  lock_ = makeLock(dir_);
  if (lock_->tryLock(0)) return true;
  if (lock_->error() == QLockFile::PermissionError || lock_->error() == QLockFile::UnknownError)
    throw Error(lockPath(dir_), {}, {}, QStringLiteral("cannot create the job's lock file (permissions?)"));
  return false;
}

void JobLock::unlock() {
  if (lock_ && lock_->isLocked()) lock_->unlock();
}

QString JobLock::holder() const {
  qint64 pid = 0;
  QString host, app;
  QLockFile probe(lockPath(dir_));
  if (!probe.getLockInfo(&pid, &host, &app)) return {};
  return QStringLiteral("pid %1 on host %2 (%3)").arg(pid).arg(host, app);
}

bool JobLock::isHeld(const QString& outputDir) {
  if (outputDir.isEmpty() || !QFileInfo::exists(lockPath(outputDir))) return false;
  auto probe = makeLock(outputDir);
  if (probe->tryLock(0)) {  // nobody alive held it (a stale lock is removed on the way)
    probe->unlock();
    return false;
  }
  return probe->error() == QLockFile::LockFailedError;
}

QString cancelFilePath(const QString& outputDir) { return QDir(outputDir).filePath(QStringLiteral("CANCEL")); }

void requestCancel(const QString& outputDir, const QString& reason) {
  if (!QDir().mkpath(outputDir))
    throw Error(outputDir, {}, {}, QStringLiteral("cannot create the job's output folder to leave a CANCEL request"));
  writeFileAtomically(cancelFilePath(outputDir), reason.toUtf8() + '\n');
}

bool cancelRequested(const QString& outputDir) {
  return !outputDir.isEmpty() && QFileInfo::exists(cancelFilePath(outputDir));
}

QString cancelReason(const QString& outputDir) {
  QFile f(cancelFilePath(outputDir));
  if (!f.open(QIODevice::ReadOnly)) return {};
  return QString::fromUtf8(f.readAll()).trimmed();
}

void clearCancelRequest(const QString& outputDir) {
  if (!outputDir.isEmpty()) QFile::remove(cancelFilePath(outputDir));
}

CancelFileWatch::CancelFileWatch(QString outputDir, std::atomic_bool& cancel, std::chrono::milliseconds interval)
    : dir_(std::move(outputDir)), cancel_(cancel) {
  thread_ = std::thread([this, interval] {
    const QString path = cancelFilePath(dir_);
    std::unique_lock lock(mutex_);
    while (!stop_.load()) {
      if (QFileInfo::exists(path)) {
        fired_ = true;
        cancel_ = true;
        return;
      }
      wake_.wait_for(lock, interval, [this] { return stop_.load(); });
    }
  });
}

CancelFileWatch::~CancelFileWatch() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace distillery
