// Data cleaning throughput: clean + exact/near dedup + tokenize over a generated JSONL, rows/s per stage.
//   distillery-bench data [--rows 1000000] [--tokenizer MODEL_DIR] [--words 50] [--threads N]
// The rows are seeded synthetic text (words drawn from a random 50,000-word vocabulary, 10–90 words each) with
// planted duplicates: 4% exact copies of an earlier row (whitespace changed), 4% near copies (one word of an
// earlier row replaced: Jaccard of the 5-gram sets ≈ 0.93–0.99 for rows of 30+ words, below the 0.9 threshold
// for rows under ~20 words, so fewer than planted are removed), 1% empty rows and 1% of 1–3 words (those under
// 20 characters are dropped by the min_chars 20 filter). The one streaming pass (cleanFile: parse once, filters and MinHash on the thread pool, dedup
// decisions in order, tokenize the kept rows, write) reports its wall time per stage; rows/s per stage is the
// rows read over that stage's time. No peer is measured yet (datasketch + tokenizers in Python would be the one).
#include "Bench.h"
#include "common/Error.h"
#include "data/DataClean.h"
#include "runtime/Runtime.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QTemporaryDir>
#include <QtCore/QThreadPool>

#include <random>

namespace distillery::bench {

namespace {

QString optionValue(const QStringList& args, const QString& name, const QString& fallback) {
  const int i = int(args.indexOf(name));
  return i >= 0 && i + 1 < args.size() ? args.at(i + 1) : fallback;
}

QString defaultTokenizer() {
  const QString fixtures = qEnvironmentVariableIsSet("DISTILLERY_FIXTURES") ? qEnvironmentVariable("DISTILLERY_FIXTURES")
                                                                           : QStringLiteral(DISTILLERY_BENCH_FIXTURES);
  return fixtures + QStringLiteral("/tiny-llama");
}

struct Planted {
  int64_t exact = 0, near = 0, empty = 0, tiny = 0;
  int64_t bytes = 0;
};

// Writes `rows` JSONL rows {"id", "text"} to path.
Planted generate(const QString& path, int64_t rows) {
  std::mt19937_64 rng(20251123);
  std::vector<QByteArray> vocab;
  vocab.reserve(50000);
  for (int i = 0; i < 50000; ++i) {
    QByteArray w;
    const int len = 2 + int(rng() % 9);
    for (int k = 0; k < len; ++k) w += char('a' + rng() % 26);
    vocab.push_back(w);
  }
  auto pick = [&] { return vocab[size_t(rng() % vocab.size())]; };
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly)) throw Error(path, {}, {}, f.errorString());
  Planted planted;
  std::vector<QList<QByteArray>> recent;   // a window of earlier rows' words to copy from
  QByteArray line;
  for (int64_t i = 0; i < rows; ++i) {
    const int kind = int(rng() % 100);
    QList<QByteArray> words;
    QByteArray text;
    if (kind < 4 && !recent.empty()) {
      words = recent[size_t(rng() % recent.size())];
      text = "  " + words.join("  ") + " ";
      ++planted.exact;
    } else if (kind < 8 && !recent.empty()) {
      words = recent[size_t(rng() % recent.size())];
      words[qsizetype(rng() % uint64_t(words.size()))] = pick();
      text = words.join(' ');
      ++planted.near;
    } else if (kind < 9) {
      ++planted.empty;
    } else if (kind < 10) {
      for (int k = 1 + int(rng() % 3); k > 0; --k) words << pick();
      text = words.join(' ');
      ++planted.tiny;
    } else {
      for (int k = 10 + int(rng() % 81); k > 0; --k) words << pick();
      text = words.join(' ');
      if (recent.size() < 4096) recent.push_back(words);
      else recent[size_t(rng() % recent.size())] = words;
    }
    line = "{\"id\":" + QByteArray::number(qint64(i)) + ",\"text\":\"" + text + "\"}\n";
    f.write(line);
    planted.bytes += line.size();
  }
  return planted;
}

}  // namespace

int dataBench(BenchContext& ctx) {
  const int64_t rows = optionValue(ctx.args, QStringLiteral("--rows"), QStringLiteral("1000000")).toLongLong();
  const QString tokenizerDir = optionValue(ctx.args, QStringLiteral("--tokenizer"), defaultTokenizer());
  const int threads = optionValue(ctx.args, QStringLiteral("--threads"), QStringLiteral("0")).toInt();
  if (rows < 1) {
    ctx.out << "data: --rows must be >= 1\n";
    return 2;
  }
  if (threads > 0) QThreadPool::globalInstance()->setMaxThreadCount(threads);
  QTemporaryDir dir;
  const QString in = dir.filePath(QStringLiteral("rows.jsonl")), out = dir.filePath(QStringLiteral("clean.jsonl"));
  CleanOptions o;
  CleanReport r;
  Planted planted;
  double generateSeconds = 0, totalSeconds = 0;
  try {
    o.tokenizer = Tokenizer::fromDirectory(tokenizerDir);
    QElapsedTimer timer;
    timer.start();
    planted = generate(in, rows);
    generateSeconds = double(timer.nsecsElapsed()) * 1e-9;
    o.minChars = 20;
    o.unicode = UnicodeForm::NFC;
    o.countTokens = true;
    o.dedup = DedupOptions{};
    timer.restart();
    r = cleanFile(in, out, o);
    totalSeconds = double(timer.nsecsElapsed()) * 1e-9;
  } catch (const Error& e) {
    ctx.out << "data: " << e.message() << "\n";
    return 1;
  }

  const double mb = double(planted.bytes) / 1e6;
  ctx.out << QStringLiteral("data: clean + dedup + tokenize, %1 rows (%2 MB JSONL, generated in %3 s), %4 threads, tokenizer %5\n")
                 .arg(rows).arg(mb, 0, 'f', 1).arg(generateSeconds, 0, 'f', 1)
                 .arg(QThreadPool::globalInstance()->maxThreadCount()).arg(QFileInfo(tokenizerDir).fileName());
  const char* const stages[] = {"read (parse)", "filter (NFC, controls, length)", "dedup (exact + MinHash LSH)",
                                "tokenize (kept rows)", "write"};
  const char* const keys[] = {"read", "filter", "dedup", "tokenize", "write"};
  QJsonObject results, perStage;
  ctx.out << QStringLiteral("  %1 %2 %3\n").arg(QStringLiteral("stage"), -32).arg(QStringLiteral("s"), 8).arg(QStringLiteral("rows/s"), 12);
  for (size_t i = 0; i < r.seconds.size(); ++i) {
    const double s = r.seconds[i];
    ctx.out << QStringLiteral("  %1 %2 %3\n").arg(QLatin1String(stages[i]), -32).arg(s, 8, 'f', 2).arg(s > 0 ? double(rows) / s : 0, 12, 'f', 0);
    perStage.insert(QLatin1String(keys[i]), QJsonObject{{QStringLiteral("seconds"), s}, {QStringLiteral("rows_per_s"), s > 0 ? double(rows) / s : 0}});
  }
  ctx.out << QStringLiteral("  %1 %2 %3   (%4 MB/s)\n").arg(QStringLiteral("overall"), -32).arg(totalSeconds, 8, 'f', 2)
                 .arg(double(rows) / totalSeconds, 12, 'f', 0).arg(mb / totalSeconds, 0, 'f', 1);
  ctx.out << QStringLiteral("  kept %1, exact duplicates %2 (planted %3), near duplicates %4 (planted %5), empty %6 (planted %7), "
                            "too short %8 (planted %9), kept tokens %10\n")
                 .arg(r.kept).arg(r.removedOf(RemoveReason::ExactDuplicate)).arg(planted.exact)
                 .arg(r.removedOf(RemoveReason::NearDuplicate)).arg(planted.near)
                 .arg(r.removedOf(RemoveReason::Empty)).arg(planted.empty)
                 .arg(r.removedOf(RemoveReason::TooShortChars)).arg(planted.tiny).arg(r.keptTokens);
  ctx.out.flush();
  results.insert(QStringLiteral("rows"), qint64(rows));
  results.insert(QStringLiteral("mb"), mb);
  results.insert(QStringLiteral("threads"), QThreadPool::globalInstance()->maxThreadCount());
  results.insert(QStringLiteral("stages"), perStage);
  results.insert(QStringLiteral("overall_rows_per_s"), double(rows) / totalSeconds);
  results.insert(QStringLiteral("planted"), QJsonObject{{QStringLiteral("exact"), qint64(planted.exact)},
                                                        {QStringLiteral("near"), qint64(planted.near)},
                                                        {QStringLiteral("empty"), qint64(planted.empty)},
                                                        {QStringLiteral("too_short"), qint64(planted.tiny)}});
  QJsonObject report = r.toJson();
  report.remove(QStringLiteral("lines"));
  results.insert(QStringLiteral("report"), report);
  ctx.results.insert(QStringLiteral("data"), results);
  return 0;
}

}  // namespace distillery::bench
