// The job configuration form: distillation, LoRA, full fine-tuning and sweeps over them (grid values or TPE
// ranges), evaluations and quantizations, with the common train.* and data.* settings (rarely used ones folded
// under Advanced). It edits a JobSpec; the JSON it shows, saves and enqueues is JobSpec::toJson() of that spec
// (the format `distillery-cli train JOB.json` / `eval JOB.json` reads; kind data is not edited here), and
// JobSpec::fromJson is the only validator: its error text is shown under the form and the field it names is
// highlighted (every field's objectName is its key).
#pragma once
#include "jobs/JobPresets.h"
#include "train/JobSpec.h"

#include <QtCore/QJsonObject>
#include <QtCore/QPointer>
#include <QtWidgets/QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTableWidget;
class QTimer;

namespace distillery {
class Workspace;
}

namespace distillery::ui {

class AdvancedTraining;
class DistillSection;
class EvalSection;
class QuantizeSection;
class NumberSpinBox;
class SchedulePreview;

class JobForm : public QWidget {
  Q_OBJECT
 public:
  explicit JobForm(QWidget* parent = nullptr);

  // The job as the form describes it (not validated).
  JobSpec spec() const;
  // What is saved and enqueued: the spec's JSON, or for a sweep the sweep job around it.
  QJsonObject json() const;
  // Fills every field from the spec (a sweep: its base job plus the sweep settings).
  void setSpec(const JobSpec& spec);
  void applyPreset(JobPreset preset);
  // Device choices: cpu and cuda:N for each GPU the runtime reports.
  void setDevices(const QStringList& devices);
  void setStartEnabled(bool enabled);
  // The workspace whose registered models the evaluation page offers (nullptr: none).
  void setWorkspace(const Workspace* ws);

  // Builds the JSON and runs JobSpec::fromJson on it; shows the error under the form (empty text: valid),
  // highlights the field it names and refreshes the JSON view and the schedule preview. Returns the error text.
  QString validate();
  QString errorText() const;
  // The objectName (job key) of the highlighted field; empty when none.
  QString errorField() const;

  // Writes json() atomically (refused while the form is invalid). False with *error set on failure.
  bool saveTo(const QString& path, QString* error);
  // Reads a job file as the CLI does (relative paths resolve against its folder) into the form.
  bool loadFrom(const QString& path, QString* error);

  SchedulePreview* schedulePreview() const;

 Q_SIGNALS:
  // Start pressed on a valid form: the spec and the JSON to enqueue verbatim.
  void startRequested(const distillery::JobSpec& spec, const QJsonObject& json);

 private:
  struct Problem {
    QString key, message;  // a field the form itself cannot read (e.g. "x" in a number list)
  };
  JobSpec readForm(Problem* problem) const;
  QJsonObject buildJson(Problem* problem) const;
  QWidget* fieldFor(QString key) const;
  void highlight(QWidget* field);
  void scheduleUpdate();
  void updateKindPages();
  void readSweepParams(SweepSpec& sweep, Problem* problem) const;
  void fillSweepParams(const std::vector<SweepParam>& params);
  void appendSweepRow(const SweepParam& p);
  void refreshTargetModules();
  QStringList checkedModules() const;
  void setCheckedModules(const QStringList& modules);
  void start();
  void saveDialog();
  void loadDialog();

  JobSpec base_;  // the last job set: keys without a field keep its values
  QTabWidget* tabs_;
  QComboBox* preset_;
  QComboBox* kind_;
  QLineEdit *name_, *student_, *teacher_, *output_;
  QComboBox* device_;
  QLineEdit *train_, *validation_, *test_;
  QTableWidget* dataFields_;
  QComboBox *format_, *truncation_;
  QCheckBox *responsesOnly_, *packing_, *bucketing_;
  QSpinBox *maxSteps_, *batchSize_, *gradAccum_, *seqLen_, *warmup_, *seed_, *evalEvery_, *saveEvery_, *logEvery_;
  NumberSpinBox* lr_;
  QComboBox *scheduler_, *dtype_, *qat_;
  AdvancedTraining* advanced_;
  QLineEdit* trainable_;
  QSpinBox* loraR_;
  NumberSpinBox *loraAlpha_, *loraDropout_;
  QListWidget* targetModules_;
  QLabel* modulesNote_;
  QCheckBox* rslora_;
  QString modulesScannedFor_;  // the student folder the module list was read from
  DistillSection* distill_;
  EvalSection* eval_;
  QuantizeSection* quantize_;
  // tabs_'s pages
  QWidget *dataPage_, *trainPage_, *loraPage_, *fullFtPage_, *kdPage_, *evalPage_, *quantizePage_, *sweepPage_;
  QGroupBox* sweep_;
  QComboBox *sweepMethod_, *sweepMetric_;
  QSpinBox* sweepTrials_;
  QTableWidget* sweepParams_;
  QLabel* error_;
  QPlainTextEdit* jsonView_;
  QPushButton* start_;
  QTimer* updateTimer_;
  QPointer<QWidget> highlighted_;
  QString errorText_;
};

}  // namespace distillery::ui
