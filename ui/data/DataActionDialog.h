// The settings dialog of one Data panel action (clean, dedup, split, generate): its fields are the options of the
// `distillery-cli data ...` command, its result is the job JSON (kind "data") the panel enqueues on the workspace's
// JobRunner. Every field's objectName is its key inside the job's "data_op" section (FormFields.h), so tests set a
// field by its key and an error names it. Accept validates first and shows what is wrong inline, next to the
// buttons, naming the field; the values are remembered (QSettings, one group per action) for the next opening.
//
//   CleanDialog d(input, this);
//   if (d.exec() == QDialog::Accepted) runner->enqueue(JobSpec::fromJson(d.job(), {}), d.job());
#pragma once
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QPair>
#include <QtCore/QStringList>
#include <QtWidgets/QDialog>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;

namespace distillery {
struct JobSpec;
}

namespace distillery::ui {

// What a dialog is opened on.
struct DataActionInput {
  QString path;                          // the selected dataset's file
  QStringList fields;                    // its columns (the preview's), offered for field settings
  QList<QPair<QString, QString>> models; // the workspace's models: name, folder (teachers, tokenizers)
  QStringList devices{QStringLiteral("cpu")};  // where a job may run
  QString runsDir;                       // where job folders go (the workspace's runs/); empty: next to the input
};

class DataActionDialog : public QDialog {
  Q_OBJECT
 public:
  // The job for the current values (core/train/JobSpec.h, kind data): "output" is the job's folder (state.json),
  // data_op.output the file written (split: the folder). Built as a JobSpec and written by its toJson(), so it is
  // exactly what JobSpec::fromJson reads back; what the dialog does not show keeps DataOpSettings' defaults.
  JobSpec spec() const;
  QJsonObject job() const;
  // Empty when the values can run, else what is wrong, naming the field (and *field set to its widget).
  QString validate(QWidget** field = nullptr) const;
  QString message() const;         // the inline message shown (empty: none)
  QString op() const { return op_; }
  QString output() const;          // the output path (file, or folder for split)
  QString jobFolder() const { return jobFolder_; }  // the job's own folder (state.json, its lock)
  QLineEdit* outputEdit() const { return output_; }
  // Validates; invalid values keep the dialog open with the message shown and the field focused.
  void accept() override;

 protected:
  // op: the action ("clean", ...), the settings group and the JSON's data_op.op; suffix: the proposed output's
  // ending after the input's name (".clean.jsonl"; a folder's "-split").
  DataActionDialog(const QString& op, const QString& title, const QString& suffix, bool outputFolder,
                   const DataActionInput& input, QWidget* parent);
  QFormLayout* form() const { return form_; }
  const DataActionInput& input() const { return input_; }
  // The subclass's own checks (empty: fine).
  virtual QString check(QWidget** field) const = 0;
  // Writes the subclass's fields into the spec (its dataOp, and teacher/device for generate).
  virtual void fill(JobSpec& spec) const = 0;
  // After the subclass made its fields: restores the remembered values and sets the tab order.
  void finish();
  QString fieldName(const QWidget* w) const;  // "data_op.<objectName>" as an error names it

 private:
  void remember() const;
  void restore();
  QList<QWidget*> settingWidgets() const;

  QString op_;
  DataActionInput input_;
  QString jobFolder_;
  QFormLayout* form_;
  QLineEdit* output_;
  QComboBox* format_;
  QComboBox* onBadRow_;
  QLabel* message_;
};

// <folder of source>/<source name without extension><suffix>, numbered (-2, -3...) when taken so nothing is
// overwritten.
QString proposedOutput(const QString& source, const QString& suffix);
// <runsDir>/data-<op>-<source name>-<UTC time>, numbered when taken (runsDir empty: <folder of source>/runs).
QString proposedJobFolder(const QString& runsDir, const QString& op, const QString& source);

}  // namespace distillery::ui
