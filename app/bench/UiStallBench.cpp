// distillery-bench ui-stall [--steps N] [--seconds S]: how long the UI thread's event loop is held up while a
// training job runs, measured the way a user feels it. A probe timer asks to fire every 5 ms; each late firing is a
// stall of (gap − 5 ms). The window shows the Curves panel (timer-driven replots of the running job) and the Jobs
// panel polls the runner. Reported: p50 / p99 / max stall while idle (the baseline) and while a real CPU training
// job (full fine-tuning of the demo's 4-layer model) runs in the JobRunner's worker thread. Goal: p99 < 16 ms.
#include "Bench.h"
#include "demo/DemoData.h"
#include "jobs/JobRunner.h"
#include "model/StudentInit.h"
#include "shell/MainWindow.h"
#include "store/Workspace.h"
#include "train/JobSpec.h"

#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonArray>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>
#include <QtWidgets/QApplication>

#include <algorithm>
#include <vector>

namespace distillery::bench {

namespace {

struct Stalls {
  double p50 = 0, p99 = 0, max = 0;
  int over16 = 0, samples = 0;
  QJsonObject toJson() const {
    return {{"p50_ms", p50}, {"p99_ms", p99}, {"max_ms", max}, {"over_16ms", over16}, {"samples", samples}};
  }
};

Stalls summarise(std::vector<double> stalls) {
  Stalls s;
  s.samples = int(stalls.size());
  if (stalls.empty()) return s;
  std::sort(stalls.begin(), stalls.end());
  const auto at = [&](double q) { return stalls[size_t(q * double(stalls.size() - 1))]; };
  s.p50 = at(0.5);
  s.p99 = at(0.99);
  s.max = stalls.back();
  s.over16 = int(std::count_if(stalls.begin(), stalls.end(), [](double x) { return x > 16.0; }));
  return s;
}

// Runs the event loop until done() or the time limit, probing every 5 ms; returns the stalls in ms.
std::vector<double> probe(const std::function<bool()>& done, int limitMs) {
  constexpr int kInterval = 5;
  std::vector<double> stalls;
  QElapsedTimer clock;
  clock.start();
  qint64 last = clock.nsecsElapsed();
  QTimer timer;
  timer.setTimerType(Qt::PreciseTimer);
  timer.setInterval(kInterval);
  QEventLoop loop;
  QObject::connect(&timer, &QTimer::timeout, &loop, [&] {
    const qint64 now = clock.nsecsElapsed();
    stalls.push_back(std::max(0.0, double(now - last) / 1e6 - kInterval));
    last = now;
    if (done() || clock.elapsed() > limitMs) loop.quit();
  });
  timer.start();
  loop.exec();
  return stalls;
}

}  // namespace

int uiStallBench(BenchContext& ctx) {
  int steps = 200, seconds = 60;
  for (int i = 0; i + 1 < ctx.args.size(); i += 2) {
    if (ctx.args[i] == QLatin1String("--steps")) steps = ctx.args[i + 1].toInt();
    if (ctx.args[i] == QLatin1String("--seconds")) seconds = ctx.args[i + 1].toInt();
  }
  QTemporaryDir dir;
  const QString data = dir.filePath(QStringLiteral("data")), model = dir.filePath(QStringLiteral("model"));
  const DemoDataFiles files = writeDemoData(data, 0);
  writeDemoTokenizer(model);
  createFreshModel(demoModelConfig(128, 4, 4, 352), model, QString(), 0);
  Workspace::init(dir.filePath(QStringLiteral("ws")));

  ui::MainWindow window;
  window.resize(1280, 800);
  window.show();
  window.openWorkspace(dir.filePath(QStringLiteral("ws")));
  window.showPanel(QStringLiteral("curves"));
  QApplication::processEvents();

  const Stalls idle = summarise(probe([] { return false; }, 3000));

  const QJsonObject job{{"kind", "full_ft"},
                        {"name", "ui-stall bench"},
                        {"student", model},
                        {"data", QJsonObject{{"train", files.train}, {"format", "prompt_completion"}}},
                        {"train", QJsonObject{{"max_steps", steps}, {"batch_size", 16}, {"seq_len", 48}, {"lr", 3e-3},
                                              {"log_every", 1}, {"eval_every", 0}, {"save_every", 0}}},
                        {"device", "cpu"},
                        {"output", dir.filePath(QStringLiteral("run"))}};
  const JobSpec spec = JobSpec::fromJson(job, dir.filePath(QStringLiteral("job.json")));
  const qint64 id = window.jobRunner()->enqueue(spec, job);
  QElapsedTimer wall;
  wall.start();
  const Stalls busy = summarise(probe([&] { return window.jobRunner()->isIdle(); }, seconds * 1000));
  const double trainSeconds = double(wall.elapsed()) / 1000.0;
  const JobSnapshot s = window.jobRunner()->snapshot(id);

  ctx.out << "UI event-loop stalls (probe every 5 ms; Curves panel live)\n"
          << QStringLiteral("%1 %2 %3 %4 %5\n").arg(QStringLiteral("state"), -22).arg(QStringLiteral("p50 ms"), 8)
                 .arg(QStringLiteral("p99 ms"), 8).arg(QStringLiteral("max ms"), 8).arg(QStringLiteral(">16 ms"), 8);
  for (const auto& [name, st] : {std::pair{QStringLiteral("idle"), idle}, std::pair{QStringLiteral("training job running"), busy}})
    ctx.out << QStringLiteral("%1 %2 %3 %4 %5\n").arg(name, -22).arg(st.p50, 8, 'f', 2).arg(st.p99, 8, 'f', 2)
                   .arg(st.max, 8, 'f', 2).arg(st.over16, 8);
  ctx.out << QStringLiteral("job: %1 steps in %2 s, status %3; goal p99 < 16 ms: %4\n")
                 .arg(s.step).arg(trainSeconds, 0, 'f', 1).arg(jobStatusName(s.status),
                                                                busy.p99 < 16.0 ? QStringLiteral("met") : QStringLiteral("NOT met"));
  ctx.out.flush();
  ctx.results.insert(QStringLiteral("ui_stall"), QJsonObject{{"idle", idle.toJson()},
                                                             {"training", busy.toJson()},
                                                             {"steps", qint64(s.step)},
                                                             {"train_seconds", trainSeconds},
                                                             {"goal_p99_ms", 16.0}});
  window.closeWorkspace();
  return busy.samples > 0 ? 0 : 1;
}

}  // namespace distillery::bench
