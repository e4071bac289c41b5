#include "data/CleanDialog.h"

#include "common/Error.h"
#include "data/DataFieldChoice.h"
#include "data/TextClean.h"
#include "jobs/FormFields.h"
#include "train/JobSpec.h"

#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QSpinBox>

namespace distillery::ui {

CleanDialog::CleanDialog(const DataActionInput& in, QWidget* parent)
    : DataActionDialog(QStringLiteral("clean"), tr("Clean a dataset"), QStringLiteral(".clean.jsonl"), false, in,
                       parent) {
  QFormLayout* f = form();
  const DataOpSettings d;  // the CLI's defaults
  unicode_ = addChoiceField(f, QStringLiteral("unicode"), tr("&Unicode form:"),
                            {QStringLiteral("none"), QStringLiteral("nfc"), QStringLiteral("nfkc")},
                            tr("Rewrite text fields to this normal form. NFC composes accents (safe, usual); NFKC "
                               "also folds compatibility forms (full-width letters, ligatures); none keeps the text."));
  unicode_->setCurrentText(d.unicode);
  keepControl_ = addCheckField(f, QStringLiteral("keep_control"), tr("Keep &control characters"),
                               tr("Off (usual): control characters (C0, DEL, C1) are deleted from text fields, "
                                  "newlines and tabs kept. On: text is left as it is."));
  keepControl_->setChecked(d.keepControl);
  keepEmpty_ = addCheckField(f, QStringLiteral("keep_empty"), tr("Keep &empty rows"),
                             tr("Off (usual): rows whose text is empty or whitespace only are dropped."));
  keepEmpty_->setChecked(d.keepEmpty);
  lengthUnit_ = addChoiceField(f, QStringLiteral("length_unit"), tr("&Length in:"), {}, 
                               tr("Whether the length limits count characters (code points) or tokens of the chosen "
                                  "tokenizer."));
  lengthUnit_->addItem(tr("characters"), QStringLiteral("chars"));
  lengthUnit_->addItem(tr("tokens"), QStringLiteral("tokens"));
  minLength_ = addIntField(f, QStringLiteral("min_length"), tr("Mi&nimum length:"), 0, 100000000,
                           tr("Drop rows shorter than this (0: no minimum). Typical: 1–20 characters, 4–16 tokens."));
  maxLength_ = addIntField(f, QStringLiteral("max_length"), tr("Ma&ximum length:"), 0, 100000000,
                           tr("Drop rows longer than this (0: no maximum). Typical: the training sequence length in "
                              "tokens (512–4096), or 2000–20000 characters."));
  tokenizer_ = addChoiceField(f, QStringLiteral("tokenizer"), tr("To&kenizer:"), {},
                              tr("The workspace model whose tokenizer counts tokens for the length limits in "
                                 "tokens."));
  for (const auto& [name, folder] : in.models) tokenizer_->addItem(name, folder);
  scripts_ = addTextField(f, QStringLiteral("scripts"), tr("&Scripts:"),
                          tr("Keep rows whose letters are mostly in these scripts, comma-separated Unicode script "
                             "names: latin, han, cyrillic, arabic... (cjk = han, hiragana, katakana, hangul). "
                             "Empty: no script filter."));
  scripts_->setPlaceholderText(tr("any script"));
  minScriptShare_ = addNumberField(f, QStringLiteral("min_script_share"), tr("Minimum script s&hare:"), 0.0, 1.0, 0.05,
                                   tr("Share of a row's letters that must be in the scripts above, 0–1. Typical "
                                      "0.5–0.9."));
  minScriptShare_->setValue(d.minScriptShare);
  exact_ = addCheckField(f, QStringLiteral("exact_dedup"), tr("Drop e&xact duplicates"),
                         tr("Drop rows whose text (whitespace-normalised) repeats an earlier kept row. Usually on."));
  exact_->setChecked(d.exactDedup);
  near_ = addCheckField(f, QStringLiteral("near_dedup"), tr("Drop &near duplicates"),
                        tr("Drop rows whose MinHash Jaccard similarity to an earlier kept row reaches the threshold "
                           "(slower: 128 permutations per row)."));
  near_->setChecked(d.nearDedup);
  threshold_ = addThresholdField(f, tr("Jaccard similarity of character 5-gram sets that makes a near duplicate, "
                                       "strictly between 0 and 1. Typical 0.8–0.95 (default 0.9)."));
  threshold_->setValue(d.threshold);
  casefold_ = addCheckField(f, QStringLiteral("casefold"), tr("Compare case-&folded"),
                            tr("Duplicates are compared ignoring letter case. Off by default."));
  casefold_->setChecked(d.casefold);
  field_ = addDatasetFieldChoice(f, QStringLiteral("field"), tr("Compared &field:"), in.fields,
                                 tr("the row's text by its schema"),
                                 tr("The string field whose text is filtered and compared; empty: the row's text by "
                                    "its schema (prompt and answer, messages...)."));
  connect(lengthUnit_, &QComboBox::currentIndexChanged, this, [this] { updateEnabled(); });
  connect(scripts_, &QLineEdit::textChanged, this, [this] { updateEnabled(); });
  connect(near_, &QCheckBox::toggled, this, [this] { updateEnabled(); });
  connect(exact_, &QCheckBox::toggled, this, [this] { updateEnabled(); });
  finish();
  updateEnabled();
}

void CleanDialog::updateEnabled() {
  tokenizer_->setEnabled(lengthUnit_->currentData().toString() == QLatin1String("tokens"));
  minScriptShare_->setEnabled(!scripts_->text().trimmed().isEmpty());
  threshold_->setEnabled(near_->isChecked());
  casefold_->setEnabled(near_->isChecked() || exact_->isChecked());
}

QString CleanDialog::check(QWidget** field) const {
  const bool tokens = lengthUnit_->currentData().toString() == QLatin1String("tokens");
  if (maxLength_->value() > 0 && maxLength_->value() < minLength_->value()) {
    *field = maxLength_;
    return tr("%1: %2 is below the minimum length %3").arg(fieldName(maxLength_)).arg(maxLength_->value()).arg(minLength_->value());
  }
  if (tokens && (minLength_->value() > 0 || maxLength_->value() > 0) && tokenizer_->currentData().toString().isEmpty()) {
    *field = tokenizer_;
    return tr("%1: length limits in tokens need a tokenizer; add a model to the workspace or count characters")
        .arg(fieldName(tokenizer_));
  }
  if (!scripts_->text().trimmed().isEmpty()) {
    try {
      parseScripts(scripts_->text().trimmed(), fieldName(scripts_));
    } catch (const Error& e) {
      *field = scripts_;
      return e.message();
    }
  }
  if (near_->isChecked()) {
    if (QString e = thresholdError(threshold_); !e.isEmpty()) {
      *field = threshold_;
      return e;
    }
  }
  return {};
}

void CleanDialog::fill(JobSpec& spec) const {
  DataOpSettings& d = spec.dataOp;
  const bool tokens = lengthUnit_->currentData().toString() == QLatin1String("tokens");
  d.unicode = unicode_->currentText();
  d.keepControl = keepControl_->isChecked();
  d.keepEmpty = keepEmpty_->isChecked();
  (tokens ? d.minTokens : d.minChars) = minLength_->value();
  (tokens ? d.maxTokens : d.maxChars) = maxLength_->value();
  if (tokens) d.tokenizer = tokenizer_->currentData().toString();
  d.scripts = splitList(scripts_->text());
  d.minScriptShare = minScriptShare_->value();
  d.exactDedup = exact_->isChecked();
  d.nearDedup = near_->isChecked();
  d.threshold = threshold_->value();
  d.casefold = casefold_->isChecked();
  d.field = chosenField(field_);
}

}  // namespace distillery::ui
