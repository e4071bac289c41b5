// The Models panel's prompt box: a prompt, the sampling settings (max new tokens, temperature, top-p, top-k,
// greedy, repetition penalty) and the completion, which grows while the model writes it. Loading the model and
// generating run in a worker (BackgroundTask); the worker writes the text so far into a locked buffer that a
// 20 Hz timer copies into the view, so no widget is touched off the UI thread and there is no signal per token.
#pragma once
#include "model/QuickGenerator.h"

#include <QtWidgets/QWidget>

#include <memory>
#include <vector>

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTimer;

namespace distillery::ui {

class BackgroundTask;

class QuickPromptBox : public QWidget {
  Q_OBJECT
 public:
  explicit QuickPromptBox(QWidget* parent = nullptr);
  ~QuickPromptBox() override;

  // The model folder prompts go to (loaded on the first run); empty disables the box.
  void setModelDir(const QString& dir);
  QuickSettings settings() const;
  void setSettings(const QuickSettings& s);
  // tokenIds: text is comma-separated token ids ("1, 415, 2936"), not text for the tokenizer.
  void setPrompt(const QString& text, bool tokenIds = false);
  QString completion() const;  // what the view shows
  const std::vector<int64_t>& lastPromptIds() const { return promptIds_; }
  const std::vector<int64_t>& lastNewIds() const { return newIds_; }  // of the last run, also when stopped
  bool isRunning() const;

 public Q_SLOTS:
  bool start();  // false when no model is set, the prompt is empty or a run is going on
  void stop();

 Q_SIGNALS:
  // ok: ran to the end (max tokens or eos); cancelled: !ok and error empty.
  void finished(bool ok, const QString& error);

 private:
  struct Stream;
  void poll();
  void updateEnabled();
  QString dir_;
  QString loadedDir_;  // the folder the generator holds (generator_ is only read by the UI while idle)
  std::shared_ptr<QuickGenerator> generator_;  // shared with the worker, which may outlive a run's start
  std::shared_ptr<Stream> stream_;
  std::vector<int64_t> promptIds_, newIds_;
  BackgroundTask* task_;
  QTimer* timer_;
  QPlainTextEdit* prompt_;
  QPlainTextEdit* output_;
  QSpinBox* maxNew_;
  QDoubleSpinBox* temperature_;
  QDoubleSpinBox* topP_;
  QSpinBox* topK_;
  QDoubleSpinBox* penalty_;
  QCheckBox* greedy_;
  QCheckBox* idsMode_;
  QPushButton* run_;
  QPushButton* stop_;
  QLabel* status_;
};

}  // namespace distillery::ui
