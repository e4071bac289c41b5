#include "tokenizer/Tokenizer.h"

#include "tokenizer/AddedVocabulary.h"
#include "tokenizer/BpeModel.h"
#include "tokenizer/Decoder.h"
#include "tokenizer/Normalizer.h"
#include "tokenizer/PostProcessor.h"
#include "tokenizer/PreTokenizer.h"
#include "tokenizer/Unicode.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>

namespace distillery {

using namespace tokenizer;

struct Tokenizer::Impl {
  QString path;
  QJsonObject config;
  std::unique_ptr<Normalizer> normalizer;
  std::unique_ptr<PreTokenizer> preTokenizer;
  std::unique_ptr<BpeModel> model;
  std::unique_ptr<Decoder> decoder;
  AddedVocabulary added;
  PostProcessor post;
  QString bos, eos, pad, unk;
  QString chatTemplate;
  QJsonObject pipeline;  // component descriptions for summary()
  bool byteLevel = false;
};

namespace {

QByteArray readFile(const QString& path) {
  QFile f(path);
  if (!f.exists()) throw Error(path, {}, {}, QStringLiteral("does not exist"));
  if (!f.open(QIODevice::ReadOnly)) throw Error(path, {}, {}, QStringLiteral("cannot be read: ") + f.errorString());
  return f.readAll();
}

QJsonObject readJsonObject(const QString& path) {
  QJsonParseError err{};
  const QJsonDocument doc = QJsonDocument::fromJson(readFile(path), &err);
  if (err.error != QJsonParseError::NoError)
    throw FormatError(path, {}, {}, QStringLiteral("is not valid JSON: %1 at byte %2").arg(err.errorString()).arg(err.offset));
  if (!doc.isObject()) throw FormatError(path, {}, {}, QStringLiteral("must hold a JSON object"));
  return doc.object();
}

bool containsType(const QJsonValue& v, const QString& type) {
  if (v.isArray()) {
    for (const QJsonValue& x : v.toArray())
      if (containsType(x, type)) return true;
    return false;
  }
  if (!v.isObject()) return false;
  const QJsonObject o = v.toObject();
  if (o.value(QStringLiteral("type")).toString() == type) return true;
  for (auto it = o.begin(); it != o.end(); ++it)
    if (it.value().isArray() && containsType(it.value(), type)) return true;
  return false;
}

// "NFC", "Sequence[Split, ByteLevel]", "none".
QString describe(const QJsonValue& v) {
  if (!v.isObject()) return QStringLiteral("none");
  const QJsonObject o = v.toObject();
  QString s = o.value(QStringLiteral("type")).toString();
  for (const char* key : {"normalizers", "pretokenizers", "decoders", "processors"}) {
    const QJsonArray list = o.value(QLatin1String(key)).toArray();
    if (list.isEmpty()) continue;
    QStringList parts;
    for (const QJsonValue& x : list) parts << describe(x);
    s += QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
  }
  return s;
}

// A special token in tokenizer_config.json: "<s>", {"content": "<s>", ...} or null.
QString configToken(const JsonAt& j) {
  if (j.isMissing()) return {};
  if (j.value().isObject()) return j[QStringLiteral("content")].string();
  return j.string();
}

}  // namespace

Tokenizer::Tokenizer() = default;

const Tokenizer::Impl& Tokenizer::impl() const {
  if (!d_) throw Error(QStringLiteral("no tokenizer is loaded"));
  return *d_;
}

Tokenizer Tokenizer::fromDirectory(const QString& dir) {
  if (!QFileInfo(dir).isDir()) throw Error(dir, {}, {}, QStringLiteral("is not a folder"));
  const QDir d(dir);
  const QString config = d.filePath(QStringLiteral("tokenizer_config.json"));
  return load(d.filePath(QStringLiteral("tokenizer.json")), QFileInfo::exists(config) ? config : QString(),
              d.filePath(QStringLiteral("chat_template.jinja")));
}

Tokenizer Tokenizer::fromFiles(const QString& tokenizerJson, const QString& tokenizerConfigJson) {
  return load(tokenizerJson, tokenizerConfigJson, QString());
}

Tokenizer Tokenizer::load(const QString& tokenizerJson, const QString& tokenizerConfigJson,
                          const QString& chatTemplateFile) {
  auto d = std::make_shared<Impl>();
  d->path = tokenizerJson;
  const JsonAt root(tokenizerJson, {}, readJsonObject(tokenizerJson));
  if (!tokenizerConfigJson.isEmpty()) d->config = readJsonObject(tokenizerConfigJson);
  const JsonAt config(tokenizerConfigJson, {}, d->config);

  d->normalizer = Normalizer::fromJson(root[QStringLiteral("normalizer")]);
  d->preTokenizer = PreTokenizer::fromJson(root[QStringLiteral("pre_tokenizer")]);
  d->byteLevel = containsType(root[QStringLiteral("pre_tokenizer")].value(), QStringLiteral("ByteLevel"));
  d->model = BpeModel::fromJson(root[QStringLiteral("model")], d->byteLevel);
  d->decoder = Decoder::fromJson(root[QStringLiteral("decoder")]);
  d->added = AddedVocabulary(root[QStringLiteral("added_tokens")], d->normalizer.get());
  d->post = PostProcessor::fromJson(root[QStringLiteral("post_processor")]);

  d->bos = configToken(config[QStringLiteral("bos_token")]);
  d->eos = configToken(config[QStringLiteral("eos_token")]);
  d->pad = configToken(config[QStringLiteral("pad_token")]);
  d->unk = configToken(config[QStringLiteral("unk_token")]);
  if (d->unk.isEmpty()) d->unk = d->model->unkToken();

  Tokenizer t;
  t.d_ = d;
  // transformers' Llama-style tokenizers rebuild the post-processor from add_bos_token/add_eos_token; a flag
  // the config leaves out keeps what tokenizer.json's post-processor does.
  const JsonAt addBos = config[QStringLiteral("add_bos_token")], addEos = config[QStringLiteral("add_eos_token")];
  if (!addBos.isMissing() || !addEos.isMissing()) {
    const std::optional<int32_t> bos = t.bosId(), eos = t.eosId();
    const bool wantBos = addBos.boolOr(bos && d->post.startsWith(*bos));
    const bool wantEos = addEos.boolOr(eos && d->post.endsWith(*eos));
    if (wantBos && !bos) addBos.fail(QStringLiteral("needs a bos_token that the vocabulary has"));
    if (wantEos && !eos) addEos.fail(QStringLiteral("needs an eos_token that the vocabulary has"));
    d->post = PostProcessor::bosEos(wantBos ? bos : std::nullopt, wantEos ? eos : std::nullopt);
  }

  const JsonAt chat = config[QStringLiteral("chat_template")];
  if (chat.value().isString()) {
    d->chatTemplate = chat.string();
  } else if (chat.value().isArray()) {
    for (qsizetype i = 0; i < chat.array().size(); ++i) {
      const QString name = chat[i][QStringLiteral("name")].stringOr({});
      if (name == QLatin1String("default") || (i == 0))
        d->chatTemplate = chat[i][QStringLiteral("template")].string();
      if (name == QLatin1String("default")) break;
    }
  } else if (!chat.isMissing()) {
    chat.fail(QStringLiteral("must be a string or a list of {name, template}"));
  }
  if (d->chatTemplate.isEmpty() && !chatTemplateFile.isEmpty() && QFileInfo::exists(chatTemplateFile))
    d->chatTemplate = QString::fromUtf8(readFile(chatTemplateFile));

  d->pipeline = QJsonObject{
      {QStringLiteral("normalizer"), describe(root[QStringLiteral("normalizer")].value())},
      {QStringLiteral("pre_tokenizer"), describe(root[QStringLiteral("pre_tokenizer")].value())},
      {QStringLiteral("decoder"), describe(root[QStringLiteral("decoder")].value())},
      {QStringLiteral("post_processor"), d->post.describe([&t](int32_t id) { return t.idToToken(id); })},
  };
  return t;
}

std::vector<int32_t> Tokenizer::encode(const QString& text, bool addSpecialTokens) const {
  const Impl& d = impl();
  std::vector<int32_t> ids;
  ids.reserve(size_t(text.size() / 3 + 8));
  PieceStore store;
  std::vector<AddedVocabulary::Match> outer, inner;
  std::vector<Piece> pieces;
  thread_local std::string utf8;
  d.added.split(text, false, outer);
  for (const AddedVocabulary::Match& m : outer) {
    if (m.id >= 0) {
      ids.push_back(m.id);
      continue;
    }
    QStringView segment = QStringView(text).mid(m.begin, m.end - m.begin);
    if (d.normalizer) {
      store.push_back(segment.toString());
      d.normalizer->normalize(store.back());
      segment = store.back();
    }
    inner.clear();
    d.added.split(segment, true, inner);
    for (const AddedVocabulary::Match& n : inner) {
      if (n.id >= 0) {
        ids.push_back(n.id);
        continue;
      }
      pieces.clear();
      pieces.push_back({segment.mid(n.begin, n.end - n.begin), false, m.begin == 0 && n.begin == 0});
      if (d.preTokenizer) d.preTokenizer->apply(pieces, store);
      for (const Piece& p : pieces) {
        utf8.clear();
        appendUtf8(utf8, p.text);
        d.model->encode(utf8, p.byteLevel, ids);
      }
    }
  }
  if (addSpecialTokens) d.post.addSpecialTokens(ids);
  return ids;
}

QString Tokenizer::decode(const std::vector<int32_t>& ids, bool skipSpecialTokens) const {
  const Impl& d = impl();
  std::vector<QString> tokens;
  tokens.reserve(ids.size());
  for (int32_t id : ids) {
    const AddedToken* a = d.added.byId(id);
    QString t = a ? a->content : d.model->idToToken(id);
    if (t.isNull()) continue;
    if (skipSpecialTokens && d.added.isSpecialContent(t)) continue;
    tokens.push_back(std::move(t));
  }
  if (d.decoder) return d.decoder->decode(std::move(tokens));
  QStringList parts;
  for (const QString& t : tokens) parts << t;
  return parts.join(QLatin1Char(' '));
}

int Tokenizer::vocabSize() const {
  const Impl& d = impl();
  int32_t limit = d.model->idLimit();
  for (const AddedToken& a : d.added.tokens()) limit = std::max(limit, a.id + 1);
  return int(limit);
}

std::optional<int32_t> Tokenizer::tokenToId(const QString& token) const {
  const Impl& d = impl();
  if (auto id = d.added.idOf(token)) return id;
  return d.model->tokenToId(token);
}

QString Tokenizer::idToToken(int32_t id) const {
  const Impl& d = impl();
  if (const AddedToken* a = d.added.byId(id)) return a->content;
  return d.model->idToToken(id);
}

QString Tokenizer::bosToken() const { return impl().bos; }
QString Tokenizer::eosToken() const { return impl().eos; }
QString Tokenizer::padToken() const { return impl().pad; }
QString Tokenizer::unkToken() const { return impl().unk; }
std::optional<int32_t> Tokenizer::bosId() const { return bosToken().isEmpty() ? std::nullopt : tokenToId(bosToken()); }
std::optional<int32_t> Tokenizer::eosId() const { return eosToken().isEmpty() ? std::nullopt : tokenToId(eosToken()); }
std::optional<int32_t> Tokenizer::padId() const { return padToken().isEmpty() ? std::nullopt : tokenToId(padToken()); }
std::optional<int32_t> Tokenizer::unkId() const { return unkToken().isEmpty() ? std::nullopt : tokenToId(unkToken()); }

QStringList Tokenizer::specialTokens() const {
  std::vector<const AddedToken*> special;
  for (const AddedToken& a : impl().added.tokens())
    if (a.special) special.push_back(&a);
  std::sort(special.begin(), special.end(), [](const AddedToken* a, const AddedToken* b) { return a->id < b->id; });
  QStringList out;
  for (const AddedToken* a : special) out << a->content;
  return out;
}

bool Tokenizer::isSpecial(int32_t id) const {
  const AddedToken* a = impl().added.byId(id);
  return a && a->special;
}

QString Tokenizer::chatTemplate() const { return impl().chatTemplate; }
QJsonObject Tokenizer::config() const { return impl().config; }
QString Tokenizer::path() const { return impl().path; }

QJsonObject Tokenizer::summary() const {
  const Impl& d = impl();
  QJsonObject s = d.pipeline;
  s.insert(QStringLiteral("tokenizer"), d.path);
  s.insert(QStringLiteral("model"), d.model->byteFallback() ? QStringLiteral("BPE (byte fallback)")
                                    : d.byteLevel          ? QStringLiteral("BPE (byte-level)")
                                                           : QStringLiteral("BPE"));
  s.insert(QStringLiteral("vocab_size"), vocabSize());
  s.insert(QStringLiteral("model_tokens"), qint64(d.model->tokenCount()));
  s.insert(QStringLiteral("merges"), qint64(d.model->mergeCount()));
  s.insert(QStringLiteral("added_tokens"), qint64(d.added.tokens().size()));
  s.insert(QStringLiteral("special_tokens"), QJsonArray::fromStringList(specialTokens()));
  const auto token = [&](const QString& t, std::optional<int32_t> id) -> QJsonValue {
    if (t.isEmpty()) return QJsonValue::Null;
    return id ? QStringLiteral("%1 (%2)").arg(t).arg(*id) : t + QStringLiteral(" (not in vocabulary)");
  };
  s.insert(QStringLiteral("bos_token"), token(d.bos, bosId()));
  s.insert(QStringLiteral("eos_token"), token(d.eos, eosId()));
  s.insert(QStringLiteral("pad_token"), token(d.pad, padId()));
  s.insert(QStringLiteral("unk_token"), token(d.unk, unkId()));
  s.insert(QStringLiteral("chat_template"), !d.chatTemplate.isEmpty());
  return s;
}

}  // namespace distillery
