#include "data/DedupDialog.h"

#include "data/DataFieldChoice.h"
#include "jobs/FormFields.h"
#include "train/JobSpec.h"

#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QSpinBox>

namespace distillery::ui {

DedupDialog::DedupDialog(const DataActionInput& in, QWidget* parent)
    : DataActionDialog(QStringLiteral("dedup"), tr("Deduplicate a dataset"), QStringLiteral(".dedup.jsonl"), false,
                       in, parent) {
  QFormLayout* f = form();
  const DataOpSettings d;  // the CLI's defaults
  field_ = addDatasetFieldChoice(f, QStringLiteral("field"), tr("Compared &field:"), in.fields,
                                 tr("the row's text by its schema"),
                                 tr("The string field duplicates are compared by; empty: the row's text by its schema "
                                    "(prompt and answer, messages...)."));
  threshold_ = addThresholdField(f, tr("Jaccard similarity of character 5-gram sets that makes a near duplicate, "
                                       "strictly between 0 and 1. Typical 0.8–0.95 (default 0.9)."));
  threshold_->setValue(d.threshold);
  numPerm_ = addIntField(f, QStringLiteral("num_perm"), tr("&Permutations:"), 1, 4096,
                         tr("MinHash permutations per row: more estimate the similarity better but cost time. "
                            "Typical 64–256 (default 128)."));
  numPerm_->setValue(d.numPerm);
  shingle_ = addIntField(f, QStringLiteral("shingle"), tr("S&hingle:"), 1, 1000,
                         tr("Characters per shingle (any script, CJK included). Typical 3–9 (default 5)."));
  shingle_->setValue(d.shingle);
  seed_ = addIntField(f, QStringLiteral("minhash_seed"), tr("MinHash s&eed:"), 0, 1 << 30,
                      tr("Seed of the MinHash permutations; the same seed gives the same result. Default 1."));
  seed_->setValue(int(d.minhashSeed));
  casefold_ = addCheckField(f, QStringLiteral("casefold"), tr("Compare case-&folded"),
                            tr("Duplicates are compared ignoring letter case. Off by default."));
  casefold_->setChecked(d.casefold);
  finish();
}

QString DedupDialog::check(QWidget** field) const {
  if (QString e = thresholdError(threshold_); !e.isEmpty()) {
    *field = threshold_;
    return e;
  }
  return {};
}

void DedupDialog::fill(JobSpec& spec) const {
  DataOpSettings& d = spec.dataOp;
  d.field = chosenField(field_);
  d.threshold = threshold_->value();
  d.numPerm = numPerm_->value();
  d.shingle = shingle_->value();
  d.minhashSeed = uint64_t(seed_->value());
  d.casefold = casefold_->isChecked();
}

}  // namespace distillery::ui
