#include "data/TeacherData.h"

#include "checkpoint/JsonFile.h"
#include "common/AtomicFile.h"
#include "common/Error.h"
#include "common/FileHash.h"
#include "data/Example.h"
#include "store/Store.h"

#include <torch/torch.h>

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

#include <cstdio>

namespace distillery {

namespace {

struct Prompt {
  int64_t line = 0;
  QJsonArray messages;
};

struct Prompts {
  std::vector<Prompt> list;
  int64_t skipped = 0;
  int64_t badRows = 0;
};

Prompts readPrompts(const QString& inPath, const TeacherDataOptions& o) {
  Prompts p;
  RowReader reader(inPath, o.read);
  Row row;
  while (reader.next(row) && (o.limit <= 0 || int64_t(p.list.size()) < o.limit)) {
    const QString where = QStringLiteral("%1:%2").arg(row.source).arg(row.line);
    const QJsonObject fields = applyFieldMap(row.fields, o.fields);
    const QString schema = o.schema.isEmpty() ? detectSchema(fields) : o.schema;
    try {
      if (schema.isEmpty())
        throw FormatError(where, QString(), QString(),
                          QStringLiteral("fits no schema (%1); name the fields with a field map")
                              .arg(dataSchemas().join(QStringLiteral(", "))));
      if (schema == QLatin1String("text")) {  // raw text has no prompt to answer
        ++p.skipped;
        continue;
      }
      p.list.push_back({row.line, promptMessages(fields, schema, where)});
    } catch (const FormatError&) {
      if (o.read.onBadRow == BadRowPolicy::Fail) throw;
      ++p.badRows;
    }
  }
  p.badRows += reader.badRows();
  return p;
}

QJsonObject generationJson(const GenerateOptions& g) {
  QJsonArray eos;
  for (int64_t id : g.eosTokenIds) eos.append(qint64(id));
  return {{QStringLiteral("greedy"), g.greedy},
          {QStringLiteral("temperature"), g.temperature},
          {QStringLiteral("top_p"), g.topP},
          {QStringLiteral("top_k"), qint64(g.topK)},
          {QStringLiteral("repetition_penalty"), g.repetitionPenalty},
          {QStringLiteral("max_new_tokens"), qint64(g.maxNewTokens)},
          {QStringLiteral("seed"), QString::number(g.seed)},  // a string: JSON numbers lose 64-bit seeds
          {QStringLiteral("eos_token_ids"), eos}};
}

// Everything that decides what the answers are: a partial file made with other settings cannot be continued.
QJsonObject settingsJson(const LoadedModel& teacher, const QString& inPath, const TeacherDataOptions& o,
                         const GenerateOptions& g) {
  QJsonObject fields;
  for (auto it = o.fields.begin(); it != o.fields.end(); ++it) fields.insert(it.key(), it.value());
  return {{QStringLiteral("operation"), QStringLiteral("generate")},
          {QStringLiteral("teacher"), QFileInfo(teacher.dir).absoluteFilePath()},
          {QStringLiteral("teacher_config_sha256"), fileSha256(QDir(teacher.dir).filePath(QStringLiteral("config.json")))},
          {QStringLiteral("source"), QFileInfo(inPath).absoluteFilePath()},
          {QStringLiteral("source_sha256"), QFileInfo(inPath).isFile() ? fileSha256(inPath) : QString()},
          {QStringLiteral("schema"), o.schema},
          {QStringLiteral("fields"), fields},
          {QStringLiteral("batch_size"), qint64(o.batchSize)},
          {QStringLiteral("limit"), qint64(o.limit)},
          {QStringLiteral("max_prompt_tokens"), qint64(o.maxPromptTokens)},
          {QStringLiteral("generation"), generationJson(g)}};
}

QString valueText(const QJsonValue& v) {
  if (v.isString()) return v.toString();
  if (v.isUndefined()) return QStringLiteral("(none)");
  return QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
}

struct Difference {
  QString key;          // dotted path of the first differing key (sorted order); empty: none
  QJsonValue was, now;  // its values in a and b
};

// The first key whose value differs between two settings objects, nested objects compared key by key.
Difference firstDifference(const QJsonObject& a, const QJsonObject& b, const QString& prefix = {}) {
  QStringList keys = a.keys() + b.keys();
  keys.removeDuplicates();
  keys.sort();
  for (const QString& k : keys) {
    const QJsonValue x = a.value(k), y = b.value(k);
    if (x == y) continue;
    if (x.isObject() && y.isObject()) return firstDifference(x.toObject(), y.toObject(), prefix + k + QLatin1Char('.'));
    return {prefix + k, x, y};
  }
  return {};
}

// Answers already in the partial file: whole lines that parse, in prompt order. A torn last line is cut off.
int64_t keepAnswered(const QString& partial, const std::vector<Prompt>& prompts, int64_t* unfinished) {
  QFile f(partial);
  if (!f.open(QIODevice::ReadWrite)) throw Error(partial, {}, {}, QStringLiteral("cannot open: ") + f.errorString());
  int64_t done = 0, goodBytes = 0;
  while (!f.atEnd()) {
    const QByteArray line = f.readLine();
    if (!line.endsWith('\n')) break;
    const QJsonDocument doc = QJsonDocument::fromJson(line);
    if (!doc.isObject()) break;
    const int64_t source = doc.object().value(QStringLiteral("source_line")).toInteger(-1);
    if (done >= int64_t(prompts.size()) || source != prompts[size_t(done)].line)
      throw FormatError(QStringLiteral("%1:%2").arg(partial).arg(done + 1), QStringLiteral("source_line"), source,
                        QStringLiteral("does not follow the input's prompts; delete %1 to start again").arg(partial));
    if (!doc.object().value(QStringLiteral("finished")).toBool()) ++*unfinished;
    goodBytes += line.size();
    ++done;
  }
  if (!f.resize(goodBytes)) throw Error(partial, {}, {}, QStringLiteral("cannot cut a torn last line: ") + f.errorString());
  return done;
}

void appendLines(const QString& partial, const QByteArray& lines) {
  QFile f(partial);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Append))
    throw Error(partial, {}, {}, QStringLiteral("cannot append: ") + f.errorString());
  if (f.write(lines) != lines.size() || !f.flush())
    throw Error(partial, {}, {}, QStringLiteral("write failed: ") + f.errorString());
}

}  // namespace

QJsonObject TeacherDataResult::toJson() const {
  return {{QStringLiteral("prompts"), qint64(prompts)},     {QStringLiteral("resumed"), qint64(resumed)},
          {QStringLiteral("generated"), qint64(generated)}, {QStringLiteral("unfinished"), qint64(unfinished)},
          {QStringLiteral("skipped"), qint64(skipped)},     {QStringLiteral("bad_rows"), qint64(badRows)},
          {QStringLiteral("complete"), complete}};
}

TeacherDataResult generateTeacherData(LoadedModel& teacher, const Tokenizer& tokenizer, const QString& inPath,
                                      const QString& outPath, const TeacherDataOptions& o) {
  if (o.batchSize < 1) throw Error({}, QStringLiteral("batch_size"), QString::number(o.batchSize), QStringLiteral("must be ≥ 1"));
  if (o.maxPromptTokens < 1)
    throw Error({}, QStringLiteral("max_prompt_tokens"), QString::number(o.maxPromptTokens), QStringLiteral("must be ≥ 1"));
  GenerateOptions g = o.generation;
  useModelTokenIds(g, teacher.config, teacher.generation);
  const ChatTemplate chat = modelChatTemplate(tokenizer, teacher.dir);

  TeacherDataResult r;
  Prompts prompts = readPrompts(inPath, o);
  r.badRows = prompts.badRows;
  // Render and tokenize up front: over-long prompts are skipped before batches are formed, so the batches (and
  // their seeds) depend on the input and settings only.
  std::vector<Prompt> usable;
  std::vector<std::vector<int64_t>> ids;
  r.skipped = prompts.skipped;
  for (Prompt& p : prompts.list) {
    const std::vector<int32_t> t = tokenizer.encode(chat.render(p.messages, true), false);
    if (t.empty() || int64_t(t.size()) > o.maxPromptTokens) {
      ++r.skipped;
      continue;
    }
    ids.emplace_back(t.begin(), t.end());
    usable.push_back(std::move(p));
  }
  r.prompts = int64_t(usable.size());

  const QString partial = outPath + QStringLiteral(".partial");
  const QString partialSettings = partial + QStringLiteral(".json");
  const QJsonObject settings = settingsJson(teacher, inPath, o, g);
  if (QFileInfo::exists(partial) && QFileInfo::exists(partialSettings)) {
    const QJsonObject before = readJsonObject(partialSettings);
    const Difference d = firstDifference(before, settings);
    if (!d.key.isEmpty())
      throw FormatError(partialSettings, d.key, valueText(d.was),
                        QStringLiteral("was used for the answers so far, this run has %1; run with the same settings "
                                       "to resume, or delete %2 to start again")
                            .arg(valueText(d.now), partial));
    r.resumed = keepAnswered(partial, usable, &r.unfinished);
  } else {
    QFile::remove(partial);
    writeFileAtomically(partialSettings, QJsonDocument(settings).toJson());
    appendLines(partial, {});
  }

  torch::NoGradGuard noGrad;
  const uint64_t seed = g.seed;
  int64_t done = r.resumed;
  if (o.progress && !o.progress(done, r.prompts)) return r;
  while (done < r.prompts) {
    if (o.cancel && o.cancel->load()) return r;
    const int64_t end = std::min(r.prompts, done + o.batchSize);
    g.seed = seed + uint64_t(done);
    g.cancel = o.cancel;
    const std::vector<std::vector<int64_t>> batch(ids.begin() + done, ids.begin() + end);
    const GenerateResult out = generate(teacher.model, batch, g);
    if (out.stopped) return r;
    QByteArray lines;
    for (int64_t i = done; i < end; ++i) {
      const size_t k = size_t(i - done);
      std::vector<int32_t> reply(out.newTokens[k].begin(), out.newTokens[k].end());
      if (out.finished[k] && !reply.empty()) reply.pop_back();  // the eos that ended it
      QJsonArray messages = usable[size_t(i)].messages;
      messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("assistant")},
                                  {QStringLiteral("content"), tokenizer.decode(reply, true)}});
      lines += QJsonDocument(QJsonObject{{QStringLiteral("messages"), messages},
                                         {QStringLiteral("source_line"), qint64(usable[size_t(i)].line)},
                                         {QStringLiteral("finished"), bool(out.finished[k])}})
                   .toJson(QJsonDocument::Compact);
      lines += '\n';
      if (!out.finished[k]) ++r.unfinished;
    }
    appendLines(partial, lines);
    r.generated += end - done;
    done = end;
    if (o.progress && !o.progress(done, r.prompts)) return r;
  }

  r.complete = true;
  r.provenance = settings;
  r.provenance.insert(QStringLiteral("result"), r.toJson());
  r.provenance.insert(QStringLiteral("created_at"), nowUtc());
  writeFileAtomically(outPath + QStringLiteral(".provenance.json"), QJsonDocument(r.provenance).toJson());
  // rename(2) replaces an existing OUT in one step; QFile::rename would refuse it.
  if (std::rename(QFile::encodeName(partial).constData(), QFile::encodeName(outPath).constData()) != 0)
    throw Error(outPath, {}, {}, QStringLiteral("cannot move %1 into place").arg(partial));
  QFile::remove(partialSettings);
  return r;
}

}  // namespace distillery
