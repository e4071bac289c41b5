#include "data/GenerateDialog.h"

#include "data/DataFieldChoice.h"
#include "jobs/FormFields.h"
#include "train/JobSpec.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QSpinBox>

namespace distillery::ui {

GenerateDialog::GenerateDialog(const DataActionInput& in, QWidget* parent)
    : DataActionDialog(QStringLiteral("generate"), tr("Generate answers with a teacher"),
                       QStringLiteral(".teacher.jsonl"), false, in, parent) {
  QFormLayout* f = form();
  const DataGenerateSettings g;  // the CLI's defaults
  teacher_ = addChoiceField(f, QStringLiteral("teacher"), tr("&Teacher:"), {},
                            tr("The model that answers each prompt with its chat template: one of the workspace's "
                               "models, or a model folder (Hugging Face layout) chosen with Folder…"));
  for (const auto& [name, folder] : in.models) teacher_->addItem(name, folder);
  teacher_->addItem(tr("Folder…"), QString());
  folderItem_ = teacher_->count() - 1;
  greedy_ = addCheckField(f, QStringLiteral("greedy"), tr("&Greedy decoding"),
                          tr("Take the most likely token each step (deterministic; temperature, top-p and top-k "
                             "unused; set the repetition penalty to 1 for plain greedy). Off: sampling."));
  greedy_->setChecked(g.greedy);
  temperature_ = addNumberField(f, QStringLiteral("temperature"), tr("Te&mperature:"), 0.0, 10.0, 0.1,
                                tr("Divides the logits before sampling: lower is more focused, higher more varied. "
                                   "Must be above 0. Typical 0.5–1.0 (default 0.7)."));
  temperature_->setValue(g.temperature);
  topP_ = addNumberField(f, QStringLiteral("top_p"), tr("Top-&p:"), 0.0, 1.0, 0.05,
                         tr("Sample among the most likely tokens up to this probability mass, in (0, 1]; 1 turns it "
                            "off. Typical 0.8–0.95 (default 0.9)."));
  topP_->setValue(g.topP);
  topK_ = addIntField(f, QStringLiteral("top_k"), tr("Top-&k:"), 0, 100000,
                      tr("Sample among the K most likely tokens; 0 turns it off (default). Typical 20–100."));
  topK_->setValue(int(g.topK));
  maxNew_ = addIntField(f, QStringLiteral("max_new_tokens"), tr("Max &new tokens:"), 1, 1000000,
                        tr("Tokens per answer at most; longer answers are cut and counted as unfinished. Typical "
                           "128–1024 (default 512)."));
  maxNew_->setValue(int(g.maxNewTokens));
  penalty_ = addNumberField(f, QStringLiteral("repetition_penalty"), tr("&Repetition penalty:"), 0.0, 10.0, 0.05,
                            tr("Divides the scores of tokens already in the row (prompt included); 1 turns it off. "
                               "Must be above 0. Typical 1.0–1.3 (default 1.2)."));
  penalty_->setValue(g.repetitionPenalty);
  seed_ = addIntField(f, QStringLiteral("seed"), tr("S&eed:"), 0, 1 << 30,
                      tr("Sampler seed: the same seed, teacher and prompts give the same answers. Default 0."));
  seed_->setValue(int(g.seed));
  promptField_ = addDatasetFieldChoice(f, QStringLiteral("map.prompt"), tr("&Prompt field:"), in.fields,
                                       tr("the prompt by the row's schema"),
                                       tr("The column that holds the prompt; empty: the prompt by the row's schema "
                                          "(prompt, instruction, the user turns of messages...)."));
  answerField_ = addDatasetFieldChoice(f, QStringLiteral("map.completion"), tr("Reference &answer field:"),
                                       in.fields, tr("none"),
                                       tr("With a prompt field: the column with a reference answer, if the dataset "
                                          "has one (it is replaced by the teacher's). Empty: the rows hold prompts "
                                          "only."));
  batch_ = addIntField(f, QStringLiteral("batch"), tr("&Batch:"), 1, 4096,
                       tr("Prompts answered together (one KV cache, left padding). Typical 4–32 on a GPU, 1–8 on the "
                          "CPU (default 8)."));
  batch_->setValue(int(g.batch));
  limit_ = addIntField(f, QStringLiteral("limit"), tr("&Limit:"), 0, 1 << 30,
                       tr("Answer only the first N prompts (0: all). Useful for a quick look before the full run."));
  limit_->setValue(int(g.limit));
  device_ = addChoiceField(f, QStringLiteral("device"), tr("&Device:"), in.devices,
                           tr("Where the teacher runs: cpu, or cuda:N for a GPU the runtime reports."));
  dtype_ = addChoiceField(f, QStringLiteral("dtype"), tr("Teacher d&type:"), {QStringLiteral("f32"), QStringLiteral("bf16")},
                          tr("The teacher's weights in float32 (f32, exact, usual on the CPU) or bfloat16 (bf16, half "
                             "the memory, for a GPU)."));
  dtype_->setCurrentText(g.dtype);
  connect(greedy_, &QCheckBox::toggled, this, [this](bool on) {
    // As the CLI: greedy decoding defaults to no repetition penalty, sampling to DataGenerateSettings' 1.2; a
    // value the user chose is left alone.
    const double sampling = DataGenerateSettings().repetitionPenalty;
    if (on && penalty_->value() == sampling) penalty_->setValue(1.0);
    else if (!on && penalty_->value() == 1.0) penalty_->setValue(sampling);
    updateEnabled();
  });
  connect(teacher_, &QComboBox::activated, this, [this](int index) {
    if (index != folderItem_) return;
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Teacher model folder"));
    if (dir.isEmpty()) teacher_->setCurrentIndex(0);
    else setTeacherFolder(dir);
  });
  finish();
  if (teacher_->currentIndex() == folderItem_ && folderItem_ > 0) teacher_->setCurrentIndex(0);
  updateEnabled();
}

void GenerateDialog::setTeacherFolder(const QString& folder) {
  const QString path = QDir(folder).absolutePath();
  int index = teacher_->findData(path);
  if (index < 0) {
    teacher_->insertItem(folderItem_, QFileInfo(path).fileName(), path);
    index = folderItem_++;
  }
  teacher_->setCurrentIndex(index);
}

QString GenerateDialog::teacher() const { return teacher_->currentData().toString(); }

void GenerateDialog::updateEnabled() {
  for (QWidget* w : std::initializer_list<QWidget*>{temperature_, topP_, topK_}) w->setEnabled(!greedy_->isChecked());
}

QString GenerateDialog::check(QWidget** field) const {
  if (teacher().isEmpty()) {
    *field = teacher_;
    return tr("teacher: choose a workspace model or a model folder");
  }
  if (!QFileInfo::exists(teacher() + QStringLiteral("/config.json"))) {
    *field = teacher_;
    return tr("teacher: %1 has no config.json (not a model folder)").arg(QDir::toNativeSeparators(teacher()));
  }
  if (!greedy_->isChecked() && !(temperature_->value() > 0)) {
    *field = temperature_;
    return tr("%1: %2 must be above 0 (typical 0.5–1.0)").arg(fieldName(temperature_)).arg(temperature_->value());
  }
  if (!greedy_->isChecked() && !(topP_->value() > 0)) {
    *field = topP_;
    return tr("%1: %2 must be in (0, 1] (typical 0.8–0.95)").arg(fieldName(topP_)).arg(topP_->value());
  }
  if (!(penalty_->value() > 0)) {
    *field = penalty_;
    return tr("%1: %2 must be above 0 (1: off)").arg(fieldName(penalty_)).arg(penalty_->value());
  }
  return {};
}

void GenerateDialog::fill(JobSpec& spec) const {
  spec.teacher = teacher();
  spec.device = device_->currentText();
  DataOpSettings& d = spec.dataOp;
  // The schema prompt_completion needs both fields; a prompts-only dataset maps its prompt column to both, as
  // only what comes before the last assistant turn is the prompt (data/DataSchema.h promptMessages) and the
  // teacher's answer replaces the rest.
  if (const QString prompt = chosenField(promptField_); !prompt.isEmpty()) {
    const QString answer = chosenField(answerField_);
    d.map = {{QStringLiteral("prompt"), prompt}, {QStringLiteral("completion"), answer.isEmpty() ? prompt : answer}};
  }
  DataGenerateSettings& g = d.generate;
  g.greedy = greedy_->isChecked();
  g.temperature = temperature_->value();
  g.topP = topP_->value();
  g.topK = topK_->value();
  g.maxNewTokens = maxNew_->value();
  g.repetitionPenalty = penalty_->value();
  g.seed = uint64_t(seed_->value());
  g.batch = batch_->value();
  g.limit = limit_->value();
  g.dtype = dtype_->currentText();
}

}  // namespace distillery::ui
