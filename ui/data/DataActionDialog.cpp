#include "data/DataActionDialog.h"

#include "jobs/FormFields.h"
#include "train/JobSpec.h"

#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QSettings>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QDoubleSpinBox>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QVBoxLayout>

namespace distillery::ui {

QString proposedOutput(const QString& source, const QString& suffix) {
  const QFileInfo info(source);
  const QDir dir = info.absoluteDir();
  const QString stem = info.completeBaseName();
  QString path = dir.filePath(stem + suffix);
  for (int n = 2; QFileInfo::exists(path); ++n) path = dir.filePath(QStringLiteral("%1-%2%3").arg(stem).arg(n).arg(suffix));
  return path;
}

QString proposedJobFolder(const QString& runsDir, const QString& op, const QString& source) {
  const QFileInfo info(source);
  const QDir dir(runsDir.isEmpty() ? info.absoluteDir().filePath(QStringLiteral("runs")) : runsDir);
  const QString stem = QStringLiteral("data-%1-%2-%3")
                           .arg(op, info.completeBaseName(),
                                QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss")));
  QString path = dir.filePath(stem);
  for (int n = 2; QFileInfo::exists(path); ++n) path = dir.filePath(QStringLiteral("%1-%2").arg(stem).arg(n));
  return path;
}

DataActionDialog::DataActionDialog(const QString& op, const QString& title, const QString& suffix, bool outputFolder,
                                   const DataActionInput& input, QWidget* parent)
    : QDialog(parent), op_(op), input_(input), jobFolder_(proposedJobFolder(input.runsDir, op, input.path)),
      form_(new QFormLayout), output_(new QLineEdit(this)), format_(nullptr), onBadRow_(nullptr),
      message_(new QLabel(this)) {
  setObjectName(op + QStringLiteral("Dialog"));
  setWindowTitle(title);
  auto* source = new QLabel(tr("Input: %1").arg(QDir::toNativeSeparators(input.path)), this);
  source->setObjectName(QStringLiteral("inputPath"));
  source->setWordWrap(true);
  source->setTextInteractionFlags(Qt::TextSelectableByMouse);

  output_->setObjectName(QStringLiteral("output"));
  output_->setText(QDir::toNativeSeparators(proposedOutput(input.path, suffix)));
  output_->setToolTip(outputFolder ? tr("Folder the splits are written to (train.jsonl, validation.jsonl, "
                                        "test.jsonl); proposed next to the input, never over an existing one.")
                                   : tr("JSONL file to write; proposed next to the input, never over an existing "
                                        "file. The input is never modified."));
  auto* browse = new QToolButton(this);
  browse->setText(tr("Browse…"));
  browse->setToolTip(outputFolder ? tr("Choose a folder") : tr("Choose a file"));
  connect(browse, &QToolButton::clicked, this, [this, outputFolder] {
    const QString picked = outputFolder
                               ? QFileDialog::getExistingDirectory(this, tr("Output folder"), output_->text())
                               : QFileDialog::getSaveFileName(this, tr("Output file"), output_->text(),
                                                              tr("JSON Lines (*.jsonl)"));
    if (!picked.isEmpty()) output_->setText(QDir::toNativeSeparators(picked));
  });
  auto* outRow = new QHBoxLayout;
  outRow->addWidget(output_, 1);
  outRow->addWidget(browse);
  auto* outLabel = new QLabel(outputFolder ? tr("&Output folder:") : tr("&Output file:"), this);
  outLabel->setBuddy(output_);
  form_->addRow(outLabel, outRow);

  message_->setObjectName(QStringLiteral("message"));
  message_->setWordWrap(true);
  message_->setStyleSheet(QStringLiteral("color: #b00020"));
  message_->hide();

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(source);
  layout->addLayout(form_);  // from here on the form's rows have this dialog as their parent
  format_ = addChoiceField(form_, QStringLiteral("format"), tr("Input &format:"),
                           {QStringLiteral("auto"), QStringLiteral("jsonl"), QStringLiteral("json"), QStringLiteral("csv"),
                            QStringLiteral("tsv"), QStringLiteral("text"), QStringLiteral("text_files")},
                           tr("How the input is read; auto decides by the file's extension (.jsonl, .json, .csv, "
                              ".tsv, .txt, a folder of text files). Usually auto."));
  format_->setCurrentText(DataOpSettings().format);
  onBadRow_ = addChoiceField(form_, QStringLiteral("on_bad_row"), tr("&Bad rows:"),
                             {QStringLiteral("skip"), QStringLiteral("fail")},
                             tr("An unreadable row is skipped and counted (skip, usual) or stops the job with its "
                                "line (fail)."));
  onBadRow_->setCurrentText(DataOpSettings().onBadRow);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("&Run as job"));
  buttons->button(QDialogButtonBox::Ok)->setToolTip(tr("Queue the action on the workspace's job runner; it shows "
                                                       "in the Jobs panel with its progress and log."));
  connect(buttons, &QDialogButtonBox::accepted, this, &DataActionDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &DataActionDialog::reject);

  layout->addWidget(message_);
  layout->addWidget(buttons);
}

QString DataActionDialog::output() const { return QDir::fromNativeSeparators(output_->text().trimmed()); }
QString DataActionDialog::message() const { return message_->isHidden() ? QString() : message_->text(); }

QString DataActionDialog::fieldName(const QWidget* w) const {
  return w == output_ ? QStringLiteral("output") : QStringLiteral("data_op.") + w->objectName();
}

QString DataActionDialog::validate(QWidget** field) const {
  QWidget* dummy = nullptr;
  QWidget** at = field ? field : &dummy;
  *at = nullptr;
  if (output().isEmpty()) {
    *at = output_;
    return tr("output: choose where to write");
  }
  if (QFileInfo(output()).absoluteFilePath() == QFileInfo(input_.path).absoluteFilePath()) {
    *at = output_;
    return tr("output: must differ from the input (the source is never modified)");
  }
  return check(at);
}

void DataActionDialog::accept() {
  QWidget* field = nullptr;
  const QString error = validate(&field);
  message_->setText(error);
  message_->setVisible(!error.isEmpty());
  if (!error.isEmpty()) {
    if (field) field->setFocus(Qt::OtherFocusReason);
    return;
  }
  remember();
  QDialog::accept();
}

JobSpec DataActionDialog::spec() const {
  JobSpec s;
  s.kind = JobKind::Data;
  s.name = QStringLiteral("%1 %2").arg(op_, QFileInfo(input_.path).fileName());
  s.output = jobFolder_;
  s.dataOp.op = op_;
  s.dataOp.input = input_.path;
  s.dataOp.output = output();
  s.dataOp.format = format_->currentText();
  s.dataOp.onBadRow = onBadRow_->currentText();
  fill(s);
  return s;
}

QJsonObject DataActionDialog::job() const { return spec().toJson(); }

// The fields the subclass made (not the output: it is proposed from each input anew).
QList<QWidget*> DataActionDialog::settingWidgets() const {
  QList<QWidget*> out;
  for (QWidget* w : findChildren<QWidget*>()) {
    if (w == output_ || w->objectName().isEmpty() || w->objectName().startsWith(QLatin1String("qt_"))) continue;
    if (qobject_cast<QSpinBox*>(w) || qobject_cast<QDoubleSpinBox*>(w) || qobject_cast<QCheckBox*>(w) ||
        qobject_cast<QComboBox*>(w) || qobject_cast<QLineEdit*>(w))
      out.append(w);
  }
  return out;
}

void DataActionDialog::remember() const {
  QSettings s;
  s.beginGroup(QStringLiteral("data/") + op_);
  for (QWidget* w : settingWidgets()) {
    const QString key = w->objectName();
    if (auto* spin = qobject_cast<QSpinBox*>(w)) s.setValue(key, spin->value());
    else if (auto* dspin = qobject_cast<QDoubleSpinBox*>(w)) s.setValue(key, dspin->value());
    else if (auto* check = qobject_cast<QCheckBox*>(w)) s.setValue(key, check->isChecked());
    else if (auto* combo = qobject_cast<QComboBox*>(w)) s.setValue(key, combo->currentText());
    else if (auto* edit = qobject_cast<QLineEdit*>(w); edit && !qobject_cast<QComboBox*>(w->parentWidget()))
      s.setValue(key, edit->text());
  }
}

void DataActionDialog::restore() {
  QSettings s;
  s.beginGroup(QStringLiteral("data/") + op_);
  for (QWidget* w : settingWidgets()) {
    const QString key = w->objectName();
    if (!s.contains(key)) continue;
    const QVariant v = s.value(key);
    if (auto* spin = qobject_cast<QSpinBox*>(w)) spin->setValue(v.toInt());
    else if (auto* dspin = qobject_cast<QDoubleSpinBox*>(w)) dspin->setValue(v.toDouble());
    else if (auto* check = qobject_cast<QCheckBox*>(w)) check->setChecked(v.toBool());
    else if (auto* combo = qobject_cast<QComboBox*>(w)) {
      // A remembered choice that this dataset or workspace does not offer (a field, a model) is not forced on it.
      const int index = combo->findText(v.toString());
      if (index >= 0) combo->setCurrentIndex(index);
      else if (combo->isEditable()) combo->setCurrentText(v.toString());
    } else if (auto* edit = qobject_cast<QLineEdit*>(w); edit && !qobject_cast<QComboBox*>(w->parentWidget()))
      edit->setText(v.toString());
  }
}

void DataActionDialog::finish() {
  restore();
  // Form order top to bottom, then the buttons: the fields in the order they were added.
  QWidget* previous = nullptr;
  for (int row = 0; row < form_->rowCount(); ++row) {
    QLayoutItem* item = form_->itemAt(row, QFormLayout::FieldRole);
    QWidget* w = item ? item->widget() : nullptr;
    if (!w && item && item->layout() && item->layout()->count() > 0) w = item->layout()->itemAt(0)->widget();
    if (!w) continue;
    if (previous) setTabOrder(previous, w);
    previous = w;
  }
}

}  // namespace distillery::ui
