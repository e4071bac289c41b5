#include "jobs/QuantizeSection.h"

#include "jobs/FormFields.h"

#include <QtWidgets/QComboBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QSpinBox>

#include <algorithm>
#include <limits>

namespace distillery::ui {

QuantizeSection::QuantizeSection(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("pageQuantize"));
  auto* form = new QFormLayout(this);
  model_ = addPathField(form, QStringLiteral("model"), tr("&Model:"), true,
                        tr("The float model folder that is quantized (it is only read; the result goes to Output)."));
  scheme_ = addChoiceField(form, QStringLiteral("quantize.scheme"), tr("&Scheme:"), QuantizeSettings::schemes(),
                           tr("int8: per-channel 8-bit weights; int4-gN: 4-bit weights in groups of N (smaller N: "
                              "closer to float, larger file); f16/bf16: a plain half-precision export. Typical: "
                              "int8 or int4-g32."));
  activations_ = addChoiceField(form, QStringLiteral("quantize.activations"), tr("&Activations:"),
                                {QStringLiteral("none"), QStringLiteral("int8")},
                                tr("int8: also quantize the Linear inputs (W8A8, simulated) — int8/int4 schemes "
                                   "only. Usually none."));
  adapter_ = addPathField(form, QStringLiteral("quantize.adapter"), tr("A&dapter:"), true,
                          tr("Optional PEFT LoRA adapter folder merged into the model before quantizing (no "
                             "fidelity check then)."));
  auto* check = new QGroupBox(tr("Fidelity check against the float model (optional)"), this);
  check->setObjectName(QStringLiteral("quantizeCheck"));
  auto* cf = new QFormLayout(check);
  test_ = addPathField(cf, QStringLiteral("quantize.check.data.test"), tr("&Test rows:"), false,
                       tr("Dataset of {\"text\"} rows on which the quantized model is compared with the float one "
                          "(KLD, same top-1, perplexity ratio); empty: no check."));
  seqLen_ = addIntField(cf, QStringLiteral("quantize.check.eval.seq_len"), tr("&Window length:"), 0, 1 << 20,
                        tr("Tokens per window of the check, ≥ 2 and at most the model's max_position_embeddings; "
                           "typical 256–2048."));
  stride_ = addIntField(cf, QStringLiteral("quantize.check.eval.stride"), tr("Window st&ride:"), 0, 1 << 20,
                        tr("Tokens the window moves by, 1..window length; typical half the window."));
  maxSamples_ = addIntField(cf, QStringLiteral("quantize.check.eval.max_samples"), tr("Max sam&ples:"), 0,
                            std::numeric_limits<int>::max(),
                            tr("Checks only the first N rows (0: all); typical 100–1000."));
  form->addRow(check);
  setSpec(JobSpec{});
}

void QuantizeSection::setSpec(const JobSpec& in) {
  const bool mine = in.kind == JobKind::Quantize;
  const QuantizeSettings q = mine ? in.quantize : QuantizeSettings{};
  const EvalSpec e = mine ? in.eval : EvalSpec{};
  model_->setText(mine ? in.model : QString());
  scheme_->setCurrentText(q.scheme);
  activations_->setCurrentText(q.activations);
  adapter_->setText(q.adapter);
  test_->setText(mine ? in.data.test : QString());
  seqLen_->setValue(int(std::min<int64_t>(e.seqLen, 1 << 20)));
  stride_->setValue(int(std::min<int64_t>(e.stride, 1 << 20)));
  maxSamples_->setValue(int(std::min<int64_t>(e.maxSamples, std::numeric_limits<int>::max())));
}

void QuantizeSection::read(JobSpec& s) const {
  s.model = model_->text().trimmed();
  s.quantize.scheme = scheme_->currentText();
  s.quantize.activations = activations_->currentText();
  s.quantize.adapter = adapter_->text().trimmed();
  s.data = DataSpec{};
  s.data.test = test_->text().trimmed();
  s.eval = EvalSpec{};
  s.eval.seqLen = seqLen_->value();
  s.eval.stride = stride_->value();
  s.eval.maxSamples = maxSamples_->value();
}

}  // namespace distillery::ui
