#include "shell/DemoBuild.h"

#include <exception>

namespace distillery::ui {

DemoBuild::DemoBuild(DemoOptions options, QObject* parent) : QObject(parent), options_(std::move(options)) {
  timer_.setInterval(200);
  connect(&timer_, &QTimer::timeout, this, &DemoBuild::poll);
}

DemoBuild::~DemoBuild() {
  cancel_.store(true);
  if (worker_.joinable()) worker_.join();
}

void DemoBuild::start() {
  if (running_) return;
  running_ = true;
  done_.store(false);
  cancel_.store(false);
  DemoOptions o = options_;
  o.cancel = &cancel_;
  o.progress = [this](const DemoProgress& p) {
    const std::lock_guard<std::mutex> lock(mutex_);
    progress_ = p;
  };
  worker_ = std::thread([this, o] {
    // Exceptions stop here and become the error text; the UI thread learns of the end through done_.
    try {
      const DemoResult r = buildDemo(o);
      const std::lock_guard<std::mutex> lock(mutex_);
      cancelled_ = r.cancelled;
    } catch (const std::exception& e) {
      const std::lock_guard<std::mutex> lock(mutex_);
      error_ = QString::fromUtf8(e.what());
    } catch (...) {
      const std::lock_guard<std::mutex> lock(mutex_);
      error_ = QStringLiteral("unknown error");
    }
    done_.store(true);
  });
  timer_.start();
}

DemoProgress DemoBuild::progress() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return progress_;
}

void DemoBuild::poll() {
  const DemoProgress p = progress();
  if (p.step > lastStep_) {
    for (int s = lastStep_; s < p.step; ++s)
      if (s > 0) Q_EMIT stepFinished(s);
    lastStep_ = p.step;
  }
  Q_EMIT progressChanged(p);
  if (!done_.load()) return;
  timer_.stop();
  worker_.join();
  running_ = false;
  QString error;
  bool cancelled = false;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    error = error_;
    cancelled = cancelled_;
  }
  if (error.isEmpty() && !cancelled && lastStep_ > 0) Q_EMIT stepFinished(lastStep_);
  Q_EMIT finished(error.isEmpty() && !cancelled, cancelled, error);
}

}  // namespace distillery::ui
