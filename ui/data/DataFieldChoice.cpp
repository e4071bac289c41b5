#include "data/DataFieldChoice.h"

#include "jobs/FormFields.h"

#include <QtCore/QCoreApplication>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QLineEdit>

namespace distillery::ui {

QComboBox* addDatasetFieldChoice(QFormLayout* form, const QString& key, const QString& label,
                                 const QStringList& fields, const QString& emptyMeaning, const QString& tooltip) {
  QComboBox* combo = addChoiceField(form, key, label, QStringList{QString()} + fields, tooltip);
  combo->setEditable(true);
  combo->setInsertPolicy(QComboBox::NoInsert);
  combo->lineEdit()->setPlaceholderText(emptyMeaning);
  return combo;
}

QString chosenField(const QComboBox* combo) { return combo->currentText().trimmed(); }

QDoubleSpinBox* addThresholdField(QFormLayout* form, const QString& tooltip) {
  // 0 is in the box's range so that a threshold of 0 can be typed and refused with a message, not silently
  // clamped to something else.
  NumberSpinBox* box = addNumberField(form, QStringLiteral("threshold"),
                                      QCoreApplication::translate("distillery::ui::DataActionDialog", "&Threshold:"),
                                      0.0, 1.0, 0.05, tooltip);
  return box;
}

QString thresholdError(const QDoubleSpinBox* threshold) {
  const double t = threshold->value();
  if (t > 0 && t < 1) return {};  // core/data/Dedup.cpp refuses 1 too: every pair would have to be identical
  return QCoreApplication::translate("distillery::ui::DataActionDialog",
                                     "data_op.threshold: %1 is outside (0, 1); the Jaccard similarity that makes a near "
                                     "duplicate lies strictly between 0 and 1 (typical 0.8–0.95)")
      .arg(t);
}

}  // namespace distillery::ui
