// Field pickers the Data panel's action dialogs share: an editable combo of the dataset's columns, and one of the
// workspace's models (name shown, folder as data).
#pragma once
#include "data/DataActionDialog.h"

class QComboBox;
class QDoubleSpinBox;
class QFormLayout;

namespace distillery::ui {

// Editable: a column of fields, or any name typed. Empty text means `emptyMeaning` (the placeholder).
QComboBox* addDatasetFieldChoice(QFormLayout* form, const QString& key, const QString& label,
                                 const QStringList& fields, const QString& emptyMeaning, const QString& tooltip);
// The combo's field name ("" when none).
QString chosenField(const QComboBox* combo);

// The Jaccard threshold of near duplicates: 0..1 in the box, valid in (0, 1) (check with thresholdError); the
// caller sets the default.
QDoubleSpinBox* addThresholdField(QFormLayout* form, const QString& tooltip);
// Empty, or "data_op.threshold: ..." naming the bad value.
QString thresholdError(const QDoubleSpinBox* threshold);

}  // namespace distillery::ui
