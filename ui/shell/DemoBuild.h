// `distillery --demo`: builds the demo workspace (core/demo/DemoPipeline.h: data, a teacher trained from scratch,
// distillation, LoRA, quantization, evaluation, rating studies) in a worker thread while the window stays usable.
// The worker never touches a widget: it writes its progress under a mutex, and a timer on the UI thread reads it
// (5 Hz) and emits the signals below. cancel() sets an atomic flag the training loop reads each step; the demo
// continues where it stopped the next time.
#pragma once
#include "demo/DemoPipeline.h"

#include <QtCore/QObject>
#include <QtCore/QTimer>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

namespace distillery::ui {

class DemoBuild : public QObject {
  Q_OBJECT
 public:
  // options.workspace must be set; options.cancel and options.progress are replaced.
  explicit DemoBuild(DemoOptions options, QObject* parent = nullptr);
  ~DemoBuild() override;  // cancels and waits for the worker

  void start();
  void cancel() { cancel_.store(true); }
  bool isRunning() const { return running_; }
  DemoProgress progress() const;

 Q_SIGNALS:
  void progressChanged(const distillery::DemoProgress& progress);
  void stepFinished(int step);  // a step is done: the workspace has new rows to show
  // ok false: error says why (empty when cancelled).
  void finished(bool ok, bool cancelled, const QString& error);

 private:
  void poll();

  DemoOptions options_;
  std::atomic_bool cancel_{false};
  std::atomic_bool done_{false};
  mutable std::mutex mutex_;
  DemoProgress progress_;  // guarded by mutex_
  QString error_;          // guarded by mutex_
  bool cancelled_ = false; // guarded by mutex_
  std::thread worker_;
  QTimer timer_;
  bool running_ = false;
  int lastStep_ = 0;
};

}  // namespace distillery::ui
