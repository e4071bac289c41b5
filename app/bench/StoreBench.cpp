// Metric inserts/s into the indexed metrics table through MetricWriter (1000-row transactions, WAL), beside
// the peer: Python's sqlite3 module with the same schema, pragmas and batch size (peers/store_peer.py).
#include "Bench.h"
#include "store/MetricWriter.h"
#include "store/Workspace.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtSql/QSqlQuery>

namespace distillery::bench {

static double oursRowsPerSecond(const QString& dir, qint64 rows, int batch) {
  const Workspace ws = Workspace::init(dir);
  ws.store().exec(QStringLiteral("INSERT INTO jobs (id, kind, config_json, created_at) VALUES (1, 'lora', '{}', 'now')"));
  static const char* names[] = {"loss", "loss_ce", "loss_kd", "lr", "grad_norm"};
  QElapsedTimer timer;
  timer.start();
  {
    MetricWriter writer(ws.store(), batch);
    for (qint64 i = 0; i < rows; ++i) writer.add(1, i / 5, names[i % 5], 1.0 / double(i + 1), double(i) * 1e-3);
    writer.flush();
  }
  return double(rows) / (double(timer.nsecsElapsed()) * 1e-9);
}

static double peerRowsPerSecond(const QString& dir, qint64 rows, int batch, QString* error) {
  QProcess python;
  python.start(QStringLiteral("python3"), {QStringLiteral(DISTILLERY_BENCH_PEERS "/store_peer.py"),
                                           dir + QStringLiteral("/peer.sqlite"), QString::number(rows),
                                           QString::number(batch)});
  if (!python.waitForFinished(600000) || python.exitCode() != 0) {
    *error = QString::fromUtf8(python.readAllStandardError()).trimmed();
    if (error->isEmpty()) *error = python.errorString();
    return 0;
  }
  return QJsonDocument::fromJson(python.readAllStandardOutput())[QStringLiteral("rows_per_s")].toDouble();
}

int storeBench(BenchContext& ctx) {
  const qint64 rows = ctx.args.value(0, QStringLiteral("1000000")).toLongLong();
  const int batch = 1000;
  QTemporaryDir tmp;
  double best = 0, peerBest = 0;
  QString peerError;
  for (int round = 0; round < 3; ++round) {  // best of three, alternating, so neither gets a warmer cache
    best = std::max(best, oursRowsPerSecond(tmp.filePath(QStringLiteral("ours%1").arg(round)), rows, batch));
    peerBest = std::max(peerBest, peerRowsPerSecond(tmp.path() + QStringLiteral("/p%1").arg(round), rows, batch, &peerError));
  }
  ctx.out << QStringLiteral("store: %1 metric rows, %2-row transactions, WAL, index (job_id, name, step)\n")
                 .arg(rows).arg(batch);
  ctx.out << QStringLiteral("  %1 %2\n").arg(QStringLiteral("distillery MetricWriter"), -28).arg(best, 12, 'f', 0)
          << QStringLiteral("  %1 %2\n").arg(QStringLiteral("python3 sqlite3 (peer)"), -28).arg(peerBest, 12, 'f', 0);
  if (peerBest > 0) ctx.out << QStringLiteral("  ratio ours/peer: %1\n").arg(best / peerBest, 0, 'f', 2);
  else ctx.out << "  peer not measured: " << peerError << "\n";
  ctx.out.flush();
  ctx.results.insert(QStringLiteral("store"), QJsonObject{{QStringLiteral("rows"), rows},
                                                          {QStringLiteral("ours_rows_per_s"), best},
                                                          {QStringLiteral("peer_rows_per_s"), peerBest},
                                                          {QStringLiteral("ratio"), peerBest > 0 ? best / peerBest : 0}});
  return 0;
}

}  // namespace distillery::bench
