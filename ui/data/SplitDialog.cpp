#include "data/SplitDialog.h"

#include "data/DataFieldChoice.h"
#include "jobs/FormFields.h"
#include "train/JobSpec.h"

#include <QtWidgets/QComboBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QSpinBox>

#include <cmath>

namespace distillery::ui {

SplitDialog::SplitDialog(const DataActionInput& in, QWidget* parent)
    : DataActionDialog(QStringLiteral("split"), tr("Split a dataset"), QStringLiteral("-split"), true, in, parent) {
  QFormLayout* f = form();
  const DataOpSettings d;  // the CLI's defaults
  train_ = addNumberField(f, QStringLiteral("ratios.train"), tr("T&rain share:"), 0.0, 1.0, 0.05,
                          tr("Share of the rows for training, 0–1; the three shares sum to 1. Typical 0.8–0.95."));
  train_->setValue(d.ratios[0]);
  validation_ = addNumberField(f, QStringLiteral("ratios.validation"), tr("&Validation share:"), 0.0, 1.0, 0.05,
                               tr("Share of the rows for validation during training, 0–1. Typical 0.05–0.1."));
  validation_->setValue(d.ratios[1]);
  test_ = addNumberField(f, QStringLiteral("ratios.test"), tr("T&est share:"), 0.0, 1.0, 0.05,
                         tr("Share of the rows held out for evaluation, 0–1 (0: no test split). Typical 0.05–0.1."));
  test_->setValue(d.ratios[2]);
  seed_ = addIntField(f, QStringLiteral("seed"), tr("&Seed:"), 0, 1 << 30,
                      tr("Shuffle seed: the same seed and input give the same splits. Default 0."));
  seed_->setValue(int(d.seed));
  stratify_ = addChoiceField(f, QStringLiteral("stratify"), tr("Stra&tify by:"), {},
                             tr("A field whose values (a label, a source) are each split by the ratios, so every "
                                "split holds them in the same proportions; none: one shuffle of all rows."));
  stratify_->addItem(tr("none"), QString());
  for (const QString& name : in.fields) stratify_->addItem(name, name);
  threshold_ = addThresholdField(f, tr("Rows at least this similar (Jaccard of character 5-grams, strictly between 0 "
                                       "and 1) land in the same split, so near duplicates never leak from train into "
                                       "test. Typical 0.8–0.95 (default 0.9)."));
  threshold_->setValue(d.threshold);
  field_ = addDatasetFieldChoice(f, QStringLiteral("field"), tr("Compared &field:"), in.fields,
                                 tr("the row's text by its schema"),
                                 tr("The string field near duplicates are found by; empty: the row's text by its "
                                    "schema."));
  finish();
}

QString SplitDialog::check(QWidget** field) const {
  const double sum = train_->value() + validation_->value() + test_->value();
  if (std::abs(sum - 1.0) > 1e-6) {  // core/data/DataSplit's tolerance
    *field = train_;
    return tr("data_op.ratios: %1 + %2 + %3 = %4; the train, validation and test shares must sum to 1")
        .arg(train_->value())
        .arg(validation_->value())
        .arg(test_->value())
        .arg(sum);
  }
  if (QString e = thresholdError(threshold_); !e.isEmpty()) {
    *field = threshold_;
    return e;
  }
  return {};
}

void SplitDialog::fill(JobSpec& spec) const {
  DataOpSettings& d = spec.dataOp;
  d.ratios = {train_->value(), validation_->value(), test_->value()};
  d.seed = uint64_t(seed_->value());
  d.stratify = stratify_->currentData().toString();
  d.threshold = threshold_->value();
  d.field = chosenField(field_);
}

}  // namespace distillery::ui
