#include "data/DedupDialog.h"

#include "data/DataFieldChoice.h"
#include "jobs/FormFields.h"

#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QSpinBox>

namespace distillery::ui {

DedupDialog::DedupDialog(const DataActionInput& in, QWidget* parent)
    : DataActionDialog(QStringLiteral("dedup"), tr("Deduplicate a dataset"), QStringLiteral(".dedup.jsonl"), false,
                       in, parent) {
  QFormLayout* f = form();
  field_ = addDatasetFieldChoice(f, QStringLiteral("field"), tr("Compared &field:"), in.fields,
                                 tr("the row's text by its schema"),
                                 tr("The string field duplicates are compared by; empty: the row's text by its schema "
                                    "(prompt and answer, messages...)."));
  threshold_ = addThresholdField(f, tr("Jaccard similarity of character 5-gram sets that makes a near duplicate, "
                                       "strictly between 0 and 1. Typical 0.8–0.95 (default 0.9)."));
  numPerm_ = addIntField(f, QStringLiteral("num_perm"), tr("&Permutations:"), 1, 4096,
                         tr("MinHash permutations per row: more estimate the similarity better but cost time. "
                            "Typical 64–256 (default 128)."));
  numPerm_->setValue(128);
  shingle_ = addIntField(f, QStringLiteral("shingle"), tr("S&hingle:"), 1, 1000,
                         tr("Characters per shingle (any script, CJK included). Typical 3–9 (default 5)."));
  shingle_->setValue(5);
  seed_ = addIntField(f, QStringLiteral("minhash_seed"), tr("MinHash s&eed:"), 0, 1 << 30,
                      tr("Seed of the MinHash permutations; the same seed gives the same result. Default 1."));
  seed_->setValue(1);
  casefold_ = addCheckField(f, QStringLiteral("casefold"), tr("Compare case-&folded"),
                            tr("Duplicates are compared ignoring letter case. Off by default."));
  finish();
}

QString DedupDialog::check(QWidget** field) const {
  if (QString e = thresholdError(threshold_); !e.isEmpty()) {
    *field = threshold_;
    return e;
  }
  return {};
}

QJsonObject DedupDialog::job() const {
  QJsonObject j = baseJob();
  QJsonObject op = j.value(QStringLiteral("data_op")).toObject();
  op.insert(QStringLiteral("field"), chosenField(field_));
  op.insert(QStringLiteral("threshold"), threshold_->value());
  op.insert(QStringLiteral("num_perm"), numPerm_->value());
  op.insert(QStringLiteral("shingle"), shingle_->value());
  op.insert(QStringLiteral("minhash_seed"), seed_->value());
  op.insert(QStringLiteral("casefold"), casefold_->isChecked());
  j.insert(QStringLiteral("data_op"), op);
  return j;
}

}  // namespace distillery::ui
