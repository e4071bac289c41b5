// A study's results: per-model rubric means with intervals, or win/tie/loss with Elo and Bradley-Terry and their
// intervals (tables and an error-bar chart), rater agreement, and the correlation of human scores with the
// automatic per-sample metrics. Computed by studyResults() in a worker thread (the bootstrap takes a moment);
// before the study is revealed the models are the blinded "model 1", "model 2" studyResults gives.
//
// The settings row above the tables feeds StudyResultOptions: bootstrap rounds and confidence level (both kinds),
// Elo K-factor and initial rating (pairwise), Krippendorff's α level and Cohen's κ weights (rubric agreement);
// a change recomputes after a short pause (so typing 2000 computes once) and is remembered (QSettings
// "rating/results/...").
#pragma once
#include "eval/StudyResults.h"

#include <QtCore/QPointer>
#include <QtWidgets/QWidget>

#include <optional>
#include <vector>

class QComboBox;
class QCustomPlot;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;
class QTimer;
class QTableView;
class QThread;

namespace distillery::ui {

class ResultTableModel;

class ResultsView : public QWidget {
  Q_OBJECT
 public:
  explicit ResultsView(QWidget* parent = nullptr);
  ~ResultsView() override;

  // The study to show (nullopt: none, everything cleared); computes its results in the background.
  void setStudy(std::optional<Store> store, const std::optional<StudyInfo>& study);
  // Recomputes (after new ratings, an import or the reveal).
  void refresh();
  bool busy() const { return busy_; }

  ResultTableModel* modelsTable() const { return models_; }
  ResultTableModel* headToHeadTable() const { return headToHead_; }
  ResultTableModel* agreementTable() const { return agreement_; }
  ResultTableModel* correlationTable() const { return correlation_; }
  QCustomPlot* plot() const { return plot_; }
  QString summaryText() const;

  // The settings widgets, and the options they make (seed 1, as every request uses).
  QSpinBox* roundsBox() const { return rounds_; }
  QDoubleSpinBox* confidenceBox() const { return confidence_; }  // percent
  QDoubleSpinBox* eloKBox() const { return eloK_; }
  QDoubleSpinBox* eloInitialBox() const { return eloInitial_; }
  QComboBox* levelBox() const { return level_; }
  QComboBox* weightsBox() const { return weights_; }
  StudyResultOptions options() const;

 Q_SIGNALS:
  void computed();  // the tables show the latest results (or the error)

 private:
  void showResults(const StudyResults& r);
  void showError(const QString& message);
  void clearTables();
  void settingChanged();
  void updateSettingsEnabled();
  void plotIntervals(const QStringList& names, const std::vector<double>& value, const std::vector<double>& low,
                     const std::vector<double>& high, const QString& axisLabel);

  std::optional<Store> store_;
  std::optional<StudyInfo> study_;
  quint64 generation_ = 0;  // results of an older request are dropped
  bool busy_ = false;
  std::vector<QPointer<QThread>> threads_;

  QLabel* summary_;
  QSpinBox* rounds_;
  QDoubleSpinBox* confidence_;
  QDoubleSpinBox* eloK_;
  QDoubleSpinBox* eloInitial_;
  QComboBox* level_;
  QComboBox* weights_;
  QTimer* recompute_;  // the pause after a setting changed
  ResultTableModel* models_;
  ResultTableModel* headToHead_;
  ResultTableModel* agreement_;
  ResultTableModel* correlation_;
  QCustomPlot* plot_;
};

}  // namespace distillery::ui
