#include "worker/BackgroundTask.h"

#include "common/Error.h"
#include "data/RowReader.h"

namespace distillery::ui {

BackgroundTask::BackgroundTask(QObject* parent) : QObject(parent) {}

BackgroundTask::~BackgroundTask() {
  cancel_ = true;
  if (thread_.joinable()) thread_.join();  // the queued finished() is dropped with this object
}

bool BackgroundTask::start(Work work) {
  if (running_) return false;
  if (thread_.joinable()) thread_.join();  // the previous run has posted its result already
  cancel_ = false;
  progress_ = 0;
  running_ = true;
  thread_ = std::thread([this, work = std::move(work)] {
    QJsonObject result;
    QString error;
    bool ok = false;
    try {
      result = work(cancel_, [this](double f) { progress_ = f; });
      ok = !cancel_;
    } catch (const Cancelled&) {
    } catch (const std::exception& e) {  // Error, FormatError, c10::Error, bad_alloc: all carry their text
      error = QString::fromUtf8(e.what());
    } catch (...) {
      error = tr("unexpected failure in the worker thread");
    }
    QMetaObject::invokeMethod(
        this,
        [this, ok, result, error] {
          if (thread_.joinable()) thread_.join();
          running_ = false;
          Q_EMIT finished(ok, result, error);
        },
        Qt::QueuedConnection);
  });
  return true;
}

}  // namespace distillery::ui
