// Coordination between processes sharing a workspace, through files in the job's output folder:
//   <output>/.job.lock  held (QLockFile: pid + host) by whichever process runs the job, so a GUI starting up beside
//                       a running `distillery-cli train` does not mark that job interrupted, and no two processes
//                       run one job at once;
//   <output>/CANCEL     written by `distillery-cli jobs cancel ID`; the running process polls for it (CancelFileWatch,
//                       4 times a second) and sets its TrainControl's cancel flag, so it stops within a step.
// Files rather than a jobs column: a stat() costs nothing per poll, needs no store connection in the polling
// thread, and works while the database is busy with a metrics transaction.
#pragma once
#include <QtCore/QString>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

class QLockFile;

namespace distillery {

class JobLock {
 public:
  // outputDir is created if missing (by tryLock).
  explicit JobLock(QString outputDir);
  ~JobLock();  // unlocks
  JobLock(const JobLock&) = delete;
  JobLock& operator=(const JobLock&) = delete;

  // false when another live process (or another JobLock in this one) holds it; a lock left by a dead process is
  // taken over. Throws Error when the folder cannot be created.
  bool tryLock();
  void unlock();
  // pid, host and program of the holder, for messages ("held by pid 4242 on host x (distillery-cli)").
  QString holder() const;

  static QString lockPath(const QString& outputDir);
  // Whether a live process holds the lock of outputDir now (without taking it).
  static bool isHeld(const QString& outputDir);

 private:
  QString dir_;
  std::unique_ptr<QLockFile> lock_;
};

QString cancelFilePath(const QString& outputDir);
// Writes <output>/CANCEL (atomically) with the reason; throws Error when the folder is not writable.
void requestCancel(const QString& outputDir, const QString& reason);
bool cancelRequested(const QString& outputDir);
// The reason written by requestCancel, empty when there is no request.
QString cancelReason(const QString& outputDir);
void clearCancelRequest(const QString& outputDir);

// Polls cancelFilePath(outputDir) on a small thread of its own and sets `cancel` when the file appears.
class CancelFileWatch {
 public:
  CancelFileWatch(QString outputDir, std::atomic_bool& cancel,
                  std::chrono::milliseconds interval = std::chrono::milliseconds(250));
  ~CancelFileWatch();  // stops the thread (within one interval)
  CancelFileWatch(const CancelFileWatch&) = delete;
  CancelFileWatch& operator=(const CancelFileWatch&) = delete;

  // Whether the file was seen (the job was cancelled from outside, not by this process).
  bool fired() const { return fired_.load(); }

 private:
  QString dir_;
  std::atomic_bool& cancel_;
  std::atomic_bool stop_{false};
  std::atomic_bool fired_{false};
  std::mutex mutex_;  // with wake_: lets the destructor stop the poll without waiting an interval
  std::condition_variable wake_;
  std::thread thread_;
};

}  // namespace distillery
