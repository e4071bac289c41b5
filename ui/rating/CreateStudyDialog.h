// New study: a name, rubric or blind pairwise, items from a JSONL file ({"prompt", "outputs": {model: text}}) or
// from an evaluation job's stored outputs, and for rubric studies the criteria with their weights (relevance 0.4,
// accuracy 0.3, readability 0.3 by default) and scale. Accepting creates the study; an error stays in the dialog,
// naming the file, line or field, and nothing is stored.
#pragma once
#include "store/Store.h"

#include <QtWidgets/QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSpinBox;
class QTableWidget;

namespace distillery::ui {

class CreateStudyDialog : public QDialog {
  Q_OBJECT
 public:
  explicit CreateStudyDialog(const Store& store, QWidget* parent = nullptr);
  qint64 createdStudy() const { return created_; }  // 0 until accepted
  QString errorText() const;

  // For callers and tests that fill the form without the widgets' own input.
  void setName(const QString& name);
  void setPairwise(bool pairwise);
  void setJsonlFile(const QString& path);
  void setEvaluationJob(qint64 jobId);  // selects it when listed
  void setSeed(quint64 seed);

  void accept() override;

 private:
  void browse();
  void updateEnabled();
  void addCriterion(const QString& name, double weight);

  Store store_;
  qint64 created_ = 0;
  QLineEdit* name_;
  QComboBox* kind_;
  QRadioButton* fromFile_;
  QLineEdit* file_;
  QRadioButton* fromJob_;
  QComboBox* job_;
  QLineEdit* models_;
  QSpinBox* samples_;
  QCheckBox* fixedSeed_;
  QSpinBox* seed_;
  QCheckBox* shufflePerRater_;
  QTableWidget* criteria_;
  QSpinBox* minScore_;
  QSpinBox* maxScore_;
  QWidget* rubricBox_;
  QLabel* error_;
};

}  // namespace distillery::ui
