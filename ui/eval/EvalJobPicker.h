// The combo box that picks one of the workspace's evaluation jobs (newest first), shared by the Evaluation,
// Quantization and Compare panels.
#pragma once
#include <QtCore/QList>
#include <QtCore/QString>

class QComboBox;

namespace distillery {
class Store;
}

namespace distillery::ui {

// Refills combo with the eval jobs of store ("#id name (status)", job id as item data), keeping the selected job
// when it is still there. Returns the job ids in combo order.
QList<qint64> fillEvalJobs(QComboBox* combo, const Store* store);
// The selected job id (0: none).
qint64 selectedJob(const QComboBox* combo);

}  // namespace distillery::ui
