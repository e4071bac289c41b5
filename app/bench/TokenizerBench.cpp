// Encode MB/s of the fixture tokenizers (llama2, llama3, qwen3) on their case texts, one thread, beside the
// peer: the JavaScript port of HF tokenizers (@lenml/tokenizers, run by ../shared/bench/tokenizer_peer.mjs)
// on the same texts, same machine, same minute. Both encode each text with its own call, over and over, so
// both run with warm word caches; ours is also shown for the first pass of a freshly loaded tokenizer.
#include "Bench.h"
#include "common/Error.h"
#include "tokenizer/Tokenizer.h"

#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QStandardPaths>

#include <map>

namespace distillery::bench {

namespace {

const char* const kPeerPackage = "@lenml/tokenizers@3.7.2";

QString fixturesDir(const QStringList& args) {
  if (!args.isEmpty()) return args.first();
  if (qEnvironmentVariableIsSet("DISTILLERY_FIXTURES")) return qEnvironmentVariable("DISTILLERY_FIXTURES");
  return QStringLiteral(DISTILLERY_BENCH_FIXTURES);
}

// The folder that has node_modules/@lenml/tokenizers: $DISTILLERY_TOKENIZER_PEER_DIR, else the git-ignored
// build-peers/tokenizers-js in the source tree.
QString peerDir() {
  if (qEnvironmentVariableIsSet("DISTILLERY_TOKENIZER_PEER_DIR")) return qEnvironmentVariable("DISTILLERY_TOKENIZER_PEER_DIR");
  return QStringLiteral(DISTILLERY_SOURCE_DIR "/build-peers/tokenizers-js");
}

// MB/s per tokenizer name from the peer script, or an empty map with *why set.
std::map<QString, double> runPeer(const QString& fixtures, QString* why) {
  const QString node = QStandardPaths::findExecutable(QStringLiteral("node"));
  const QString dir = peerDir();
  const QString script = QFileInfo(fixtures + QStringLiteral("/../bench/tokenizer_peer.mjs")).absoluteFilePath();
  if (node.isEmpty()) {
    *why = QStringLiteral("node is not installed");
    return {};
  }
  if (!QFileInfo::exists(dir + QStringLiteral("/node_modules/@lenml/tokenizers/package.json"))) {
    *why = QStringLiteral("the peer package is not installed; install it (once, into a git-ignored folder) with\n"
                          "    mkdir -p %1 && (cd %1 && npm install %2)").arg(dir, QLatin1String(kPeerPackage));
    return {};
  }
  if (!QFileInfo::exists(script)) {
    *why = script + QStringLiteral(" is missing");
    return {};
  }
  // Node resolves the package from the script's folder, so the script runs from beside node_modules.
  const QString local = dir + QStringLiteral("/tokenizer_peer.mjs");
  QFile::remove(local);
  if (!QFile::copy(script, local)) {
    *why = QStringLiteral("cannot copy %1 to %2").arg(script, local);
    return {};
  }
  QProcess p;
  p.start(node, {local, QFileInfo(fixtures + QStringLiteral("/..")).absoluteFilePath()});
  if (!p.waitForFinished(600000) || p.exitCode() != 0) {
    *why = QString::fromUtf8(p.readAllStandardError()).trimmed();
    if (why->isEmpty()) *why = p.errorString();
    return {};
  }
  std::map<QString, double> out;
  static const QRegularExpression line(QStringLiteral("^(\\S+) ([0-9.]+) MB/s"), QRegularExpression::MultilineOption);
  for (auto it = line.globalMatch(QString::fromUtf8(p.readAllStandardOutput())); it.hasNext();) {
    const auto m = it.next();
    out[m.captured(1)] = m.captured(2).toDouble();
  }
  if (out.empty()) *why = QStringLiteral("the peer printed no figures");
  return out;
}

struct Ours {
  double firstPass = 0;  // MB/s of the first pass over the texts, freshly loaded
  double warm = 0;       // MB/s over ~2 MB of repeated texts, best of three
  double loadSeconds = 0;
  qint64 textBytes = 0;
  qint64 tokens = 0;
};

Ours measure(const QString& dir, const QStringList& texts) {
  Ours r;
  for (const QString& t : texts) r.textBytes += t.toUtf8().size();
  QElapsedTimer timer;
  timer.start();
  const Tokenizer tok = Tokenizer::fromDirectory(dir);
  r.loadSeconds = double(timer.nsecsElapsed()) * 1e-9;
  timer.restart();
  for (const QString& t : texts) r.tokens += qint64(tok.encode(t).size());
  r.firstPass = double(r.textBytes) / (double(timer.nsecsElapsed()) * 1e-9) / 1e6;
  const int reps = int(std::max<qint64>(1, (2 << 20) / std::max<qint64>(1, r.textBytes)));
  for (int round = 0; round < 3; ++round) {
    timer.restart();
    for (int k = 0; k < reps; ++k)
      for (const QString& t : texts) tok.encode(t);
    r.warm = std::max(r.warm, double(r.textBytes) * reps / (double(timer.nsecsElapsed()) * 1e-9) / 1e6);
  }
  return r;
}

}  // namespace

int tokenizerBench(BenchContext& ctx) {
  const QString fixtures = fixturesDir(ctx.args);
  QFile f(fixtures + QStringLiteral("/tokenizers/cases.json"));
  if (!f.open(QIODevice::ReadOnly)) {
    ctx.out << "tokenizer: cannot read " << f.fileName() << " (pass the fixtures folder as an argument)\n";
    return 1;
  }
  const QJsonObject cases = QJsonDocument::fromJson(f.readAll()).object();
  const QStringList names{QStringLiteral("llama2"), QStringLiteral("llama3"), QStringLiteral("qwen3")};

  std::map<QString, Ours> ours;
  for (const QString& name : names) {
    QStringList texts;
    for (const QJsonValue& row : cases.value(name).toArray()) texts << row[QStringLiteral("text")].toString();
    try {
      ours[name] = measure(fixtures + QStringLiteral("/tokenizers/") + name, texts);
    } catch (const Error& e) {
      ctx.out << "tokenizer: " << e.message() << "\n";
      return 1;
    }
  }
  QString peerWhy;
  const std::map<QString, double> peer = runPeer(fixtures, &peerWhy);

  ctx.out << "tokenizer: encode MB/s, 1 thread, each case text one call (add_special_tokens off), ~2 MB per round\n"
          << QStringLiteral("  %1 %2 %3 %4 %5 %6\n")
                 .arg(QStringLiteral("tokenizer"), -10).arg(QStringLiteral("load s"), 7)
                 .arg(QStringLiteral("1st pass"), 9).arg(QStringLiteral("ours"), 8)
                 .arg(QStringLiteral("JS peer"), 8).arg(QStringLiteral("ours/peer"), 10);
  QJsonObject results;
  for (const QString& name : names) {
    const Ours& o = ours[name];
    const double p = peer.count(name) ? peer.at(name) : 0;
    ctx.out << QStringLiteral("  %1 %2 %3 %4 %5 %6\n")
                   .arg(name, -10).arg(o.loadSeconds, 7, 'f', 2).arg(o.firstPass, 9, 'f', 2).arg(o.warm, 8, 'f', 2)
                   .arg(p > 0 ? QString::number(p, 'f', 2) : QStringLiteral("-"), 8)
                   .arg(p > 0 ? QString::number(o.warm / p, 'f', 1) + QLatin1Char('x') : QStringLiteral("-"), 10);
    results.insert(name, QJsonObject{{QStringLiteral("text_bytes"), o.textBytes},
                                     {QStringLiteral("tokens"), o.tokens},
                                     {QStringLiteral("load_s"), o.loadSeconds},
                                     {QStringLiteral("ours_first_pass_mb_s"), o.firstPass},
                                     {QStringLiteral("ours_mb_s"), o.warm},
                                     {QStringLiteral("peer_mb_s"), p},
                                     {QStringLiteral("ratio"), p > 0 ? o.warm / p : 0}});
  }
  if (peer.empty()) ctx.out << "  peer not measured: " << peerWhy << "\n";
  else ctx.out << "  peer: " << kPeerPackage << " (transformers.js port of HF tokenizers) under node\n";
  ctx.out.flush();
  ctx.results.insert(QStringLiteral("tokenizer"), results);
  return 0;
}

}  // namespace distillery::bench
