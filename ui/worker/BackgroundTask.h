// One piece of heavy work at a time (loading a model, statistics, cleaning a dataset) on its own thread, for a
// panel that must not block the UI. The work gets an atomic cancel flag to read each step and a progress setter;
// the panel polls progress() with its QTimer (no signal per step) and gets finished() on its own thread. The
// work never touches a widget; its exceptions stop at the thread's boundary and arrive as the error text.
//
//   task_->start([dir](const std::atomic_bool& cancel, const BackgroundTask::Progress& progress) {
//     return inspectModel(dir);                 // runs on the worker
//   });
//   connect(task_, &BackgroundTask::finished, this, [this](bool ok, const QJsonObject& r, const QString& error) {...});
#pragma once
#include <QtCore/QJsonObject>
#include <QtCore/QObject>
#include <QtCore/QString>

#include <atomic>
#include <functional>
#include <thread>

namespace distillery::ui {

class BackgroundTask : public QObject {
  Q_OBJECT
 public:
  using Progress = std::function<void(double fraction)>;  // 0..1, callable from the worker
  using Work = std::function<QJsonObject(const std::atomic_bool& cancel, const Progress& progress)>;

  explicit BackgroundTask(QObject* parent = nullptr);
  // Cancels the work and waits for it (every step reads the flag, so this is one step's wait).
  ~BackgroundTask() override;

  // Starts work on a new thread; false (and nothing started) while another is running.
  bool start(Work work);
  void cancel() { cancel_ = true; }
  bool isRunning() const { return running_; }
  double progress() const { return progress_; }

 Q_SIGNALS:
  // On this object's thread. ok: the work returned (result); cancelled: !ok and error empty.
  void finished(bool ok, const QJsonObject& result, const QString& error);

 private:
  std::thread thread_;
  std::atomic_bool cancel_ = false;
  std::atomic<double> progress_ = 0;
  bool running_ = false;  // UI thread only
};

}  // namespace distillery::ui
