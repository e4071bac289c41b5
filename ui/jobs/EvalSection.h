// The job form's evaluation page (kind eval): the models scored — each a label, a model folder and an optional
// LoRA adapter, added from the workspace's registered models or from a folder — and the eval.* settings: tasks and
// metrics as check lists, generation and window lengths, the multiple-choice fields, the baseline (picked from the
// labels) with its accuracy-drop rule, and the dtype. Fields are named by their job keys ("models", "eval.stride")
// so a validation error from JobSpec::fromJson finds its widget.
#pragma once
#include "train/JobSpec.h"

#include <QtWidgets/QWidget>

#include <vector>

class QComboBox;
class QLineEdit;
class QListWidget;
class QMenu;
class QSpinBox;
class QTableWidget;

namespace distillery {
class Workspace;
}

namespace distillery::ui {

class NumberSpinBox;

class EvalSection : public QWidget {
  Q_OBJECT
 public:
  // Table columns of the models list.
  enum Column { Label, Path, Adapter };

  explicit EvalSection(QWidget* parent = nullptr);
  // The workspace whose registered models the "From workspace" menu offers (nullptr: none).
  void setWorkspace(const Workspace* ws);
  void setEval(const std::vector<EvalModelSpec>& models, const EvalSpec& eval);
  std::vector<EvalModelSpec> models() const;
  // The section's settings (every eval.* key has a field).
  EvalSpec eval() const;
  // Appends a model row; an empty or taken label becomes the folder's name, made unique with "-2", "-3"...
  void addModel(QString label, const QString& path, const QString& adapter = {});
  QStringList labels() const;
  // The "From workspace" menu, rebuilt from the workspace's models table (one action per registered model, or a
  // disabled line saying there are none); tests trigger its actions.
  QMenu* workspaceMenu();

 private:
  QListWidget* checkList(const QString& key, const QStringList& items, const QString& tooltip);
  static QStringList checked(const QListWidget* list);
  static void setChecked(QListWidget* list, const QStringList& names);
  void refreshBaselines();
  void addFolder();
  void pickAdapter();

  const Workspace* ws_ = nullptr;
  QTableWidget* models_;
  QMenu* workspaceMenu_;
  QListWidget *tasks_, *metrics_;
  QSpinBox *maxNewTokens_, *maxSamples_, *seqLen_, *stride_;
  QLineEdit *choicesField_, *answerField_;
  QComboBox *baseline_, *dtype_;
  NumberSpinBox* maxAccuracyDrop_;
};

}  // namespace distillery::ui
