// "Is B better than A?" for two models of an evaluation job, by a per-sample score: wins, losses and ties, the
// Bayesian P(B better) with its credible interval beside the sign test and a bootstrap interval, and the verdict in
// words (core/eval/BayesAB.h, what `eval compare` prints). showComparison() shows any result, so a pairwise study's
// head-to-head (studyPairCounts) can be shown in it too.
#pragma once
#include "eval/BayesAB.h"
#include "store/Store.h"

#include <QtWidgets/QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;

namespace distillery::ui {

class AbComparisonView : public QWidget {
  Q_OBJECT
 public:
  explicit AbComparisonView(QWidget* parent = nullptr);
  void setStore(const Store* store);
  // Fills the pickers from the job's models and their numeric per-sample scores (0: none).
  void showJob(qint64 jobId);
  // Compares the picked models by the picked score; false (with the reason shown) when it cannot.
  bool compare();
  void showComparison(const AbComparison& c, const QString& a, const QString& b);

  QComboBox* modelA() const { return a_; }
  QComboBox* modelB() const { return b_; }
  QComboBox* metric() const { return metric_; }
  QString verdictText() const;

 private:
  std::optional<Store> store_;
  qint64 jobId_ = 0;
  QComboBox* a_;
  QComboBox* b_;
  QComboBox* metric_;
  QCheckBox* lowerIsBetter_;
  QPushButton* run_;
  QLabel* verdict_;
  QLabel* numbers_;
};

}  // namespace distillery::ui
