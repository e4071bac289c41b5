// The demo workspace, built for real on the CPU in a few minutes and without any download: a teacher trained from
// scratch on a small word task, distilled into a 2-layer student, LoRA-tuned, quantized to INT8 and INT4,
// evaluated side by side, and a pairwise human-rating study of the outputs (rated by two simulated raters, so the
// results view has content; a rubric study is left for the user to rate). Every step is a real job or store row,
// so each panel of the workbench shows real content. `distillery --demo` runs it in a worker thread,
// `distillery-cli demo` headless; both call buildDemo.
//
//   DemoOptions o;  o.workspace = Workspace::demoPath();  o.cancel = &flag;  o.progress = report;
//   DemoResult r = buildDemo(o);      // throws Error when a step fails (the steps done so far stay done)
#pragma once
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <atomic>
#include <cstdint>
#include <functional>

namespace distillery {

class Workspace;

struct DemoProgress {
  int step = 0;          // 1-based index of the step running
  int steps = 0;         // steps in all
  QString title;         // "Training the teacher from scratch"
  int64_t done = 0;      // within the step: optimizer steps / samples done (0 while unknown)
  int64_t total = 0;     // within the step: their total (0 while unknown)
};

struct DemoOptions {
  QString workspace;              // folder; created (with the demo name) when missing
  // Measured on 2 cores: longer training (600/300/100 steps, lr 5e-3) overfits the training words and scores
  // worse on the held-out test words, in three times the time.
  int teacherSteps = 300;         // full fine-tuning steps of the from-scratch teacher
  int distillSteps = 150;         // distillation steps into the student
  int loraSteps = 60;             // LoRA steps on the distilled student
  int evalSamples = 24;           // test rows the evaluation scores (0: all 48)
  uint64_t seed = 0;              // data split, initialisation, training order
  std::atomic_bool* cancel = nullptr;                // set: stop within a training step; the demo stays resumable
  std::function<void(const DemoProgress&)> progress;  // from the calling thread, at most a few times a second

  // The quick demo (`distillery-cli demo --quick`, the GUI tests' demo): a few steps each, seconds instead of
  // minutes; the models learn little, every panel still gets real rows.
  static DemoOptions quick() {
    DemoOptions o;
    o.teacherSteps = 12;
    o.distillSteps = 8;
    o.loraSteps = 6;
    o.evalSamples = 6;
    return o;
  }
};

struct DemoResult {
  bool cancelled = false;
  bool alreadyBuilt = false;  // the workspace held a finished demo: nothing was run
  QStringList done;           // titles of the steps this call ran
  qint64 teacherJob = 0, distillJob = 0, loraJob = 0, evalJob = 0;
  qint64 pairwiseStudy = 0, rubricStudy = 0;
};

// Runs the steps the workspace does not have yet (each step records itself in the workspace's meta table once it
// finished, so a cancelled or failed demo continues where it stopped). Throws Error naming the failed step.
DemoResult buildDemo(const DemoOptions& options);

// Whether the workspace at path holds a finished demo.
bool demoBuilt(const Workspace& ws);

// The step titles in order (for progress displays).
QStringList demoStepTitles();

}  // namespace distillery
