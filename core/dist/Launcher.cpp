#include "dist/Launcher.h"

#include "common/Error.h"

#include <QtCore/QProcess>
#include <QtCore/QProcessEnvironment>
#include <QtCore/QTemporaryDir>

#include <csignal>
#include <memory>
#include <vector>

namespace distillery {

namespace {

struct Worker {
  int rank = 0;
  std::unique_ptr<QProcess> process;
  QByteArray pending;    // stderr bytes after the last newline
  QString lastLine;      // its last non-empty stderr line (the error when it fails)
  bool done = false;
  int exitCode = 0;
  bool crashed = false;
};

void drain(Worker& w, QTextStream& err, bool flushAll) {
  w.pending += w.process->readAllStandardError();
  qsizetype nl;
  while ((nl = w.pending.indexOf('\n')) >= 0 || (flushAll && !w.pending.isEmpty())) {
    const qsizetype end = nl >= 0 ? nl : w.pending.size();
    const QString line = QString::fromUtf8(w.pending.left(end)).trimmed();
    w.pending.remove(0, nl >= 0 ? nl + 1 : end);
    if (line.isEmpty()) continue;
    w.lastLine = line;
    err << "[rank " << w.rank << "] " << line << '\n';
  }
  err.flush();
}

}  // namespace

void checkLaunchOptions(const LaunchOptions& o) {
  if (o.nproc < 1 || o.nproc > 1024)
    throw Error(QString(), QStringLiteral("--nproc"), QString::number(o.nproc),
                QStringLiteral("must be between 1 and 1024"));
  if (o.nnodes < 1)
    throw Error(QString(), QStringLiteral("--nnodes"), QString::number(o.nnodes), QStringLiteral("must be ≥ 1"));
  if (o.nodeRank < 0 || o.nodeRank >= o.nnodes)
    throw Error(QString(), QStringLiteral("--node-rank"), QString::number(o.nodeRank),
                QStringLiteral("must be between 0 and --nnodes - 1 (%1)").arg(o.nnodes - 1));
  if (o.nnodes > 1 && o.master.isEmpty())
    throw Error(QString(), QStringLiteral("--master"), QString(),
                QStringLiteral("is required with --nnodes > 1: HOST:PORT of node 0, reachable from every machine"));
  if (!o.master.isEmpty()) {
    const qsizetype colon = o.master.lastIndexOf(QLatin1Char(':'));
    bool ok = false;
    const uint port = colon > 0 ? o.master.mid(colon + 1).toUInt(&ok) : 0;
    if (!ok || port == 0 || port > 65535)
      throw Error(QString(), QStringLiteral("--master"), o.master, QStringLiteral("must be HOST:PORT"));
  }
}

LaunchResult launchWorkers(const LaunchOptions& o, std::atomic_bool& interrupt, QTextStream& err) {
  checkLaunchOptions(o);
  const int world = o.nproc * o.nnodes;
  // One machine: the ranks meet in a file of a private folder, removed when the run ends.
  QTemporaryDir rendezvous;
  QString store;
  if (!o.master.isEmpty()) {
    store = QStringLiteral("tcp:") + o.master;
  } else {
    if (!rendezvous.isValid())
      throw Error(rendezvous.path(), QString(), QString(), QStringLiteral("cannot create the rendezvous folder"));
    store = QStringLiteral("file:") + rendezvous.filePath(QStringLiteral("store"));
  }

  std::vector<Worker> workers(size_t(o.nproc));
  for (int local = 0; local < o.nproc; ++local) {
    Worker& w = workers[size_t(local)];
    w.rank = o.nodeRank * o.nproc + local;
    w.process = std::make_unique<QProcess>();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DISTILLERY_RANK"), QString::number(w.rank));
    env.insert(QStringLiteral("DISTILLERY_WORLD_SIZE"), QString::number(world));
    env.insert(QStringLiteral("DISTILLERY_LOCAL_RANK"), QString::number(local));
    env.insert(QStringLiteral("DISTILLERY_STORE"), store);
    w.process->setProcessEnvironment(env);
    // Rank 0's stdout is the run's summary; the others' would repeat it.
    if (w.rank == 0)
      w.process->setProcessChannelMode(QProcess::ForwardedOutputChannel);
    else
      w.process->setStandardOutputFile(QProcess::nullDevice());
    w.process->setReadChannel(QProcess::StandardError);
    w.process->start(o.program, o.arguments);
  }

  LaunchResult result;
  bool forwarded = false, stopping = false;
  for (;;) {
    bool running = false;
    for (Worker& w : workers) {
      if (w.done) continue;
      if (w.process->state() != QProcess::NotRunning) w.process->waitForReadyRead(20);
      drain(w, err, false);
      if (w.process->state() != QProcess::NotRunning) {
        running = true;
        continue;
      }
      w.process->waitForFinished(0);
      drain(w, err, true);
      w.done = true;
      w.crashed = w.process->exitStatus() == QProcess::CrashExit || w.process->error() == QProcess::FailedToStart;
      w.exitCode = w.crashed ? 1 : w.process->exitCode();
      if (w.process->error() == QProcess::FailedToStart)
        w.lastLine = QStringLiteral("%1 could not be started: %2").arg(o.program, w.process->errorString());
      if (w.exitCode != 0 && result.exitCode == 0 && !(interrupt.load() && w.exitCode == 130)) {
        result.exitCode = w.exitCode == 130 ? 1 : w.exitCode;
        result.error = w.crashed ? QStringLiteral("rank %1 crashed: %2").arg(w.rank).arg(w.lastLine)
                                 : QStringLiteral("rank %1 exited with code %2: %3")
                                       .arg(w.rank)
                                       .arg(w.exitCode)
                                       .arg(w.lastLine);
      }
    }
    if (!running) break;
    if (interrupt.load() && !forwarded) {
      forwarded = true;
      for (Worker& w : workers)
        if (!w.done) ::kill(pid_t(w.process->processId()), SIGINT);
    }
    // A failed rank leaves the others waiting for it in their next all-reduce: stop them.
    if (result.exitCode != 0 && !stopping) {
      stopping = true;
      for (Worker& w : workers)
        if (!w.done) w.process->terminate();
    }
  }
  if (result.exitCode == 0 && interrupt.load()) {
    result.exitCode = 130;
    for (const Worker& w : workers)
      if (w.exitCode != 0 && w.exitCode != 130) result.exitCode = w.exitCode;
  }
  return result;
}

}  // namespace distillery
