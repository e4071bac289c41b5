#include "eval/EvalJobPicker.h"

#include "jobs/JobStore.h"

#include <QtWidgets/QComboBox>

namespace distillery::ui {

QList<qint64> fillEvalJobs(QComboBox* combo, const Store* store) {
  const qint64 keep = selectedJob(combo);
  QList<qint64> ids;
  const QSignalBlocker block(combo);
  combo->clear();
  if (store) {
    QList<JobRow> rows = JobStore(*store).list();
    std::sort(rows.begin(), rows.end(), [](const JobRow& a, const JobRow& b) { return a.id > b.id; });
    for (const JobRow& j : rows) {
      if (j.kind != QLatin1String("eval")) continue;
      combo->addItem(QStringLiteral("#%1 %2 (%3)").arg(j.id).arg(j.name, jobStatusName(j.status)), j.id);
      ids << j.id;
    }
  }
  const int at = combo->findData(keep);
  combo->setCurrentIndex(at >= 0 ? at : (combo->count() ? 0 : -1));
  return ids;
}

qint64 selectedJob(const QComboBox* combo) { return combo->currentIndex() < 0 ? 0 : combo->currentData().toLongLong(); }

}  // namespace distillery::ui
