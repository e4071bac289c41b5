#include "models/QuickPromptBox.h"

#include "worker/BackgroundTask.h"

#include <QtCore/QDir>
#include <QtCore/QJsonArray>
#include <QtCore/QTimer>
#include <QtGui/QKeySequence>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QDoubleSpinBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QVBoxLayout>

#include <mutex>

namespace distillery::ui {

// What the worker has written so far; the timer copies it out.
struct QuickPromptBox::Stream {
  std::mutex mutex;
  QString text;
  std::vector<int64_t> promptIds, newIds;
  bool changed = false;
};

namespace {

std::vector<int64_t> idsOf(const QJsonValue& v) {
  std::vector<int64_t> ids;
  for (const QJsonValue& x : v.toArray()) ids.push_back(x.toInteger());
  return ids;
}

QJsonArray toJson(const std::vector<int64_t>& ids) {
  QJsonArray a;
  for (int64_t id : ids) a.append(qint64(id));
  return a;
}

}  // namespace

QuickPromptBox::QuickPromptBox(QWidget* parent)
    : QWidget(parent),
      generator_(std::make_shared<QuickGenerator>()),
      stream_(std::make_shared<Stream>()),
      task_(new BackgroundTask(this)),
      timer_(new QTimer(this)),
      prompt_(new QPlainTextEdit(this)),
      output_(new QPlainTextEdit(this)),
      maxNew_(new QSpinBox(this)),
      temperature_(new QDoubleSpinBox(this)),
      topP_(new QDoubleSpinBox(this)),
      topK_(new QSpinBox(this)),
      penalty_(new QDoubleSpinBox(this)),
      greedy_(new QCheckBox(tr("&Greedy"), this)),
      idsMode_(new QCheckBox(tr("Prompt is token &ids"), this)),
      run_(new QPushButton(tr("&Generate"), this)),
      stop_(new QPushButton(tr("S&top"), this)),
      status_(new QLabel(this)) {
  setObjectName(QStringLiteral("quickPrompt"));
  prompt_->setObjectName(QStringLiteral("prompt"));
  prompt_->setPlaceholderText(tr("Prompt text (the model's tokenizer adds its special tokens)"));
  prompt_->setToolTip(tr("Text the selected model continues. Ctrl+Return generates."));
  prompt_->setTabChangesFocus(true);
  prompt_->setMaximumHeight(80);
  output_->setObjectName(QStringLiteral("completion"));
  output_->setReadOnly(true);
  output_->setToolTip(tr("The completion, shown as it is generated."));

  maxNew_->setObjectName(QStringLiteral("maxNewTokens"));
  maxNew_->setRange(1, 4096);
  maxNew_->setValue(64);
  maxNew_->setToolTip(
      tr("New tokens at most; generation also ends at the model's end-of-sequence token. "
         "Typical: 32–512."));
  temperature_->setObjectName(QStringLiteral("temperature"));
  temperature_->setRange(0.01, 5.0);
  temperature_->setSingleStep(0.05);
  temperature_->setValue(0.7);
  temperature_->setToolTip(
      tr("Divides the logits before sampling: below 1 sharper, above 1 more varied. "
         "Typical: 0.2–1.2. Unused when greedy."));
  topP_->setObjectName(QStringLiteral("topP"));
  topP_->setRange(0.01, 1.0);
  topP_->setSingleStep(0.05);
  topP_->setValue(0.9);
  topP_->setToolTip(
      tr("Nucleus sampling: keep the most likely tokens up to this probability mass; 1 turns it "
         "off. Typical: 0.8–0.95. Unused when greedy."));
  topK_->setObjectName(QStringLiteral("topK"));
  topK_->setRange(0, 100000);
  topK_->setValue(0);
  topK_->setSpecialValueText(tr("off"));
  topK_->setToolTip(tr("Keep only the k most likely tokens; 0 turns it off. Typical: 20–100. Unused when greedy."));
  penalty_->setObjectName(QStringLiteral("repetitionPenalty"));
  penalty_->setRange(0.5, 3.0);
  penalty_->setSingleStep(0.05);
  penalty_->setValue(1.0);
  penalty_->setToolTip(tr("Makes tokens already in the text less likely (1 off). Typical: 1.0–1.3."));
  greedy_->setObjectName(QStringLiteral("greedy"));
  greedy_->setToolTip(
      tr("Always take the most likely token (deterministic); temperature, top-p and top-k are "
         "then unused."));
  idsMode_->setObjectName(QStringLiteral("idsMode"));
  idsMode_->setToolTip(
      tr("Read the prompt as comma-separated token ids (like generate --ids), e.g. to reproduce "
         "a reference run exactly."));
  run_->setObjectName(QStringLiteral("generate"));
  run_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
  run_->setToolTip(tr("Load the selected model (once) and continue the prompt (Ctrl+Return)."));
  stop_->setObjectName(QStringLiteral("stop"));
  stop_->setToolTip(tr("Stop generating; the text so far stays."));
  status_->setObjectName(QStringLiteral("generationStatus"));
  status_->setWordWrap(true);

  auto* form = new QFormLayout;
  auto add = [&](const QString& label, QWidget* field) {
    auto* l = new QLabel(label, this);
    l->setBuddy(field);
    form->addRow(l, field);
  };
  add(tr("Max &new tokens:"), maxNew_);
  add(tr("T&emperature:"), temperature_);
  add(tr("Top-&p:"), topP_);
  add(tr("Top-&k:"), topK_);
  add(tr("&Repetition penalty:"), penalty_);
  form->addRow(QString(), greedy_);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(run_);
  buttons->addWidget(stop_);
  buttons->addStretch();
  auto* left = new QVBoxLayout;
  auto* promptLabel = new QLabel(tr("&Prompt:"), this);
  promptLabel->setBuddy(prompt_);
  left->addWidget(promptLabel);
  left->addWidget(prompt_);
  left->addWidget(idsMode_);
  left->addLayout(buttons);
  left->addWidget(output_, 1);
  left->addWidget(status_);
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(left, 1);
  layout->addLayout(form);
  setTabOrder(prompt_, idsMode_);
  setTabOrder(idsMode_, run_);
  setTabOrder(run_, stop_);
  setTabOrder(stop_, maxNew_);
  setTabOrder(maxNew_, temperature_);
  setTabOrder(temperature_, topP_);
  setTabOrder(topP_, topK_);
  setTabOrder(topK_, penalty_);
  setTabOrder(penalty_, greedy_);

  timer_->setInterval(50);  // 20 Hz
  connect(timer_, &QTimer::timeout, this, &QuickPromptBox::poll);
  connect(run_, &QPushButton::clicked, this, &QuickPromptBox::start);
  connect(stop_, &QPushButton::clicked, this, &QuickPromptBox::stop);
  connect(greedy_, &QCheckBox::toggled, this, &QuickPromptBox::updateEnabled);
  connect(task_, &BackgroundTask::finished, this, [this](bool ok, const QJsonObject& result, const QString& error) {
    timer_->stop();
    poll();
    if (ok) {
      loadedDir_ = result.value(QStringLiteral("dir")).toString();
      promptIds_ = idsOf(result.value(QStringLiteral("prompt_ids")));
      newIds_ = idsOf(result.value(QStringLiteral("new_ids")));
      output_->setPlainText(result.value(QStringLiteral("completion")).toString());
      status_->setText(result.value(QStringLiteral("finished")).toBool()
                           ? tr("%n token(s); ended at the end-of-sequence token.", nullptr, int(newIds_.size()))
                           : tr("%n token(s).", nullptr, int(newIds_.size())));
    } else {
      status_->setText(error.isEmpty() ? tr("Stopped after %n token(s).", nullptr, int(newIds_.size()))
                                       : tr("Generation failed: %1").arg(error));
    }
    updateEnabled();
    Q_EMIT finished(ok, error);
  });
  updateEnabled();
}

QuickPromptBox::~QuickPromptBox() { delete task_; }  // cancels and joins before the members go

void QuickPromptBox::setModelDir(const QString& dir) {
  dir_ = dir;
  if (!task_->isRunning() && !dir.isEmpty()) status_->setText(tr("Ready: %1").arg(QDir::toNativeSeparators(dir)));
  updateEnabled();
}

QuickSettings QuickPromptBox::settings() const {
  QuickSettings s;
  s.maxNewTokens = maxNew_->value();
  s.greedy = greedy_->isChecked();
  s.temperature = temperature_->value();
  s.topP = topP_->value();
  s.topK = topK_->value();
  s.repetitionPenalty = penalty_->value();
  return s;
}

void QuickPromptBox::setSettings(const QuickSettings& s) {
  maxNew_->setValue(int(s.maxNewTokens));
  greedy_->setChecked(s.greedy);
  temperature_->setValue(s.temperature);
  topP_->setValue(s.topP);
  topK_->setValue(int(s.topK));
  penalty_->setValue(s.repetitionPenalty);
}

void QuickPromptBox::setPrompt(const QString& text, bool tokenIds) {
  prompt_->setPlainText(text);
  idsMode_->setChecked(tokenIds);
}
QString QuickPromptBox::completion() const { return output_->toPlainText(); }
bool QuickPromptBox::isRunning() const { return task_->isRunning(); }

bool QuickPromptBox::start() {
  const QString text = prompt_->toPlainText();
  if (dir_.isEmpty() || text.isEmpty() || task_->isRunning()) return false;
  {
    std::lock_guard lock(stream_->mutex);
    stream_->text.clear();
    stream_->promptIds.clear();
    stream_->newIds.clear();
    stream_->changed = false;
  }
  std::vector<int64_t> givenIds;  // ids mode: parsed here so a typo is reported before anything loads
  if (idsMode_->isChecked()) {
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
      bool ok = false;
      const qlonglong id = part.trimmed().toLongLong(&ok);
      if (!ok || id < 0) {
        status_->setText(tr("Prompt: \"%1\" is not a token id; give ids separated by commas.").arg(part.trimmed()));
        return false;
      }
      givenIds.push_back(id);
    }
    if (givenIds.empty()) return false;
  }
  promptIds_.clear();
  newIds_.clear();
  output_->clear();
  status_->setText(generator_->isLoaded() && loadedDir_ == dir_ ? tr("Generating…") : tr("Loading the model…"));
  const QuickSettings s = settings();
  const bool load = !generator_->isLoaded() || loadedDir_ != dir_;
  task_->start([generator = generator_, stream = stream_, dir = dir_, load, text, givenIds, s](
                   const std::atomic_bool& cancel, const BackgroundTask::Progress& progress) {
    if (load) generator->load(dir);
    const std::vector<int64_t> promptIds = givenIds.empty() ? generator->encode(text) : givenIds;
    {
      std::lock_guard lock(stream->mutex);
      stream->promptIds = promptIds;
    }
    const QuickOutput out =
        generator->run(promptIds, s, &cancel, [&](const std::vector<int64_t>& ids, const QString& completion) {
          std::lock_guard lock(stream->mutex);
          stream->newIds = ids;
          stream->text = completion;
          stream->changed = true;
          progress(double(ids.size()) / double(s.maxNewTokens));
        });
    return QJsonObject{{QStringLiteral("dir"), dir},
                       {QStringLiteral("prompt_ids"), toJson(out.promptIds)},
                       {QStringLiteral("new_ids"), toJson(out.newIds)},
                       {QStringLiteral("completion"), out.completion},
                       {QStringLiteral("finished"), out.finished}};
  });
  timer_->start();
  updateEnabled();
  return true;
}

void QuickPromptBox::stop() { task_->cancel(); }

void QuickPromptBox::poll() {
  std::lock_guard lock(stream_->mutex);
  promptIds_ = stream_->promptIds;
  if (!stream_->changed) return;
  stream_->changed = false;
  newIds_ = stream_->newIds;
  output_->setPlainText(stream_->text);
  status_->setText(tr("Generating… %n token(s)", nullptr, int(newIds_.size())));
}

void QuickPromptBox::updateEnabled() {
  const bool running = task_->isRunning();
  run_->setEnabled(!dir_.isEmpty() && !running);
  stop_->setEnabled(running);
  const bool sampling = !greedy_->isChecked();
  temperature_->setEnabled(sampling);
  topP_->setEnabled(sampling);
  topK_->setEnabled(sampling);
  if (dir_.isEmpty() && !running) status_->setText(tr("Select a model to prompt it."));
}

}  // namespace distillery::ui
