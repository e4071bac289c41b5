#include "demo/DemoData.h"

#include "common/AtomicFile.h"
#include "common/Error.h"

#include <QtCore/QDir>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QStringList>

#include <random>

namespace distillery {

namespace {

// Regular English nouns (no irregular plurals), so the plural rule is learnable from examples.
const char* const kWords[] = {
    "apple",  "river",  "cloud",  "window", "garden", "bridge", "candle", "forest", "pencil", "rocket", "basket",
    "bottle", "button", "camera", "castle", "carpet", "dragon", "engine", "finger", "flower", "guitar", "hammer",
    "island", "jacket", "kitten", "ladder", "lemon",  "magnet", "mirror", "needle", "orange", "parrot", "pillow",
    "planet", "puzzle", "rabbit", "saddle", "signal", "spider", "statue", "ticket", "tunnel", "violin", "wallet",
    "wizard", "anchor", "banner", "cactus", "desk",   "fox",    "box",    "bus",    "glass",  "dish",   "brush",
    "church", "watch",  "bench",  "torch",  "match",  "city",   "party",  "story",  "berry",  "puppy",  "lady",
    "baby",   "pony",   "cherry", "daisy",  "key",    "toy",    "day",    "boy",    "tray",   "cat",    "dog",
    "hat",    "map",    "pen",    "cup",    "bag",    "bed",    "car",    "door",   "lamp",   "book",   "ship",
    "tree",   "road",   "star",   "coin",   "bell",   "kite",   "nest",   "ring",   "shoe",   "sock",   "wall",
    "boat",   "horse",  "mouse_pad", "crown", "fence", "glove", "heart", "lake", "moon", "nose", "plate", "queen",
    "robot",  "snake",  "table",  "tiger",  "wheel",  "zebra",  "sandwich", "peach", "class", "tax", "buzz",
};

bool isVowel(QChar c) { return QStringLiteral("aeiou").contains(c); }

QString plural(const QString& w) {
  if (w.endsWith(QLatin1Char('s')) || w.endsWith(QLatin1Char('x')) || w.endsWith(QLatin1Char('z')) ||
      w.endsWith(QLatin1String("ch")) || w.endsWith(QLatin1String("sh")))
    return w + QStringLiteral("es");
  if (w.endsWith(QLatin1Char('y')) && w.size() > 1 && !isVowel(w.at(w.size() - 2))) return w.chopped(1) + QStringLiteral("ies");
  return w + QLatin1Char('s');
}

// The three relations of the task, as (relation, prompt, completion). The relation is kept as a row field so the
// Evaluation and Compare panels have something to slice the demo's scores by.
struct DemoRow {
  QString relation, prompt, completion;
};
QList<DemoRow> rowsFor(const QString& raw) {
  const QString w = QString(raw).replace(QLatin1Char('_'), QLatin1Char(' '));
  return {{QStringLiteral("plural"), QStringLiteral("Q: plural of %1\nA:").arg(w), QLatin1Char(' ') + plural(w)},
          {QStringLiteral("upper_case"), QStringLiteral("Q: upper case of %1\nA:").arg(w),
           QLatin1Char(' ') + w.toUpper()},
          {QStringLiteral("first_letter"), QStringLiteral("Q: first letter of %1\nA:").arg(w),
           QLatin1Char(' ') + w.left(1)}};
}

int writeRows(const QString& path, const QStringList& words) {
  QByteArray out;
  int rows = 0;
  for (const QString& w : words)
    for (const DemoRow& r : rowsFor(w)) {
      out += QJsonDocument(QJsonObject{{QStringLiteral("prompt"), r.prompt},
                                       {QStringLiteral("completion"), r.completion},
                                       {QStringLiteral("relation"), r.relation}})
                 .toJson(QJsonDocument::Compact) +
             '\n';
      ++rows;
    }
  writeFileAtomically(path, out);
  return rows;
}

// GPT-2's bytes_to_unicode: printable bytes map to themselves, the others to U+0100 onwards, in byte order.
QString byteToUnicode(int b) {
  const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  if (printable) return QString(QChar(b));
  int n = 0;
  for (int x = 0; x < b; ++x)
    if (!((x >= 33 && x <= 126) || (x >= 161 && x <= 172) || (x >= 174 && x <= 255))) ++n;
  return QString(QChar(256 + n));
}

void writeJson(const QString& path, const QJsonObject& o) {
  writeFileAtomically(path, QJsonDocument(o).toJson(QJsonDocument::Indented));
}

}  // namespace

DemoDataFiles writeDemoData(const QString& dir, uint64_t seed) {
  if (!QDir().mkpath(dir)) throw Error(dir, QString(), QString(), QStringLiteral("cannot create the folder"));
  QStringList words;
  for (const char* w : kWords) words << QString::fromLatin1(w);
  // Fisher–Yates with a fixed engine, so a seed gives the same split everywhere.
  std::mt19937_64 rng(seed);
  for (qsizetype i = words.size() - 1; i > 0; --i) words.swapItemsAt(i, qsizetype(rng() % uint64_t(i + 1)));
  const qsizetype test = 16, validation = 8;
  DemoDataFiles f;
  f.test = QDir(dir).filePath(QStringLiteral("test.jsonl"));
  f.validation = QDir(dir).filePath(QStringLiteral("validation.jsonl"));
  f.train = QDir(dir).filePath(QStringLiteral("train.jsonl"));
  f.testRows = writeRows(f.test, words.mid(0, test));
  f.validationRows = writeRows(f.validation, words.mid(test, validation));
  f.trainRows = writeRows(f.train, words.mid(test + validation));
  return f;
}

void writeDemoTokenizer(const QString& dir) {
  if (!QDir().mkpath(dir)) throw Error(dir, QString(), QString(), QStringLiteral("cannot create the folder"));
  const QStringList specials = {QStringLiteral("<unk>"), QStringLiteral("<s>"), QStringLiteral("</s>")};
  QJsonObject vocab;
  QJsonArray added;
  for (int i = 0; i < specials.size(); ++i) {
    vocab.insert(specials[i], i);
    added.append(QJsonObject{{"id", i},
                             {"content", specials[i]},
                             {"single_word", false},
                             {"lstrip", false},
                             {"rstrip", false},
                             {"normalized", false},
                             {"special", true}});
  }
  for (int b = 0; b < 256; ++b) vocab.insert(byteToUnicode(b), int(specials.size()) + b);
  const QJsonObject byteLevel{{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true},
                              {"use_regex", true}};
  const QJsonObject tokenizer{
      {"version", "1.0"},
      {"truncation", QJsonValue()},
      {"padding", QJsonValue()},
      {"added_tokens", added},
      {"normalizer", QJsonValue()},
      {"pre_tokenizer", byteLevel},
      {"post_processor",
       QJsonObject{{"type", "TemplateProcessing"},
                   {"single", QJsonArray{QJsonObject{{"SpecialToken", QJsonObject{{"id", "<s>"}, {"type_id", 0}}}},
                                         QJsonObject{{"Sequence", QJsonObject{{"id", "A"}, {"type_id", 0}}}}}},
                   {"pair", QJsonArray{QJsonObject{{"SpecialToken", QJsonObject{{"id", "<s>"}, {"type_id", 0}}}},
                                       QJsonObject{{"Sequence", QJsonObject{{"id", "A"}, {"type_id", 0}}}},
                                       QJsonObject{{"Sequence", QJsonObject{{"id", "B"}, {"type_id", 1}}}}}},
                   {"special_tokens",
                    QJsonObject{{"<s>", QJsonObject{{"id", "<s>"}, {"ids", QJsonArray{1}}, {"tokens", QJsonArray{"<s>"}}}}}}}},
      {"decoder", byteLevel},
      {"model", QJsonObject{{"type", "BPE"},
                            {"dropout", QJsonValue()},
                            {"unk_token", QJsonValue()},
                            {"continuing_subword_prefix", QJsonValue()},
                            {"end_of_word_suffix", QJsonValue()},
                            {"fuse_unk", false},
                            {"byte_fallback", false},
                            {"ignore_merges", false},
                            {"vocab", vocab},
                            {"merges", QJsonArray()}}}};
  writeJson(QDir(dir).filePath(QStringLiteral("tokenizer.json")), tokenizer);
  writeJson(QDir(dir).filePath(QStringLiteral("tokenizer_config.json")),
            QJsonObject{{"tokenizer_class", "PreTrainedTokenizerFast"},
                        {"model_max_length", 128},
                        {"bos_token", "<s>"},
                        {"eos_token", "</s>"},
                        {"pad_token", "</s>"},
                        {"add_bos_token", true},
                        {"add_eos_token", false},
                        {"chat_template",
                         "{{ bos_token }}{% for message in messages %}{{ '[' + message['role'] + '] ' + "
                         "message['content'] + eos_token }}{% endfor %}{% if add_generation_prompt %}{{ "
                         "'[assistant] ' }}{% endif %}"}});
  writeJson(QDir(dir).filePath(QStringLiteral("generation_config.json")),
            QJsonObject{{"bos_token_id", 1}, {"eos_token_id", 2}, {"do_sample", false}});
}

QJsonObject demoModelConfig(int64_t hidden, int64_t layers, int64_t heads, int64_t intermediate) {
  return {{"architectures", QJsonArray{"LlamaForCausalLM"}},
          {"model_type", "llama"},
          {"attention_bias", false},
          {"attention_dropout", 0.0},
          {"bos_token_id", 1},
          {"eos_token_id", 2},
          {"dtype", "float32"},
          {"hidden_act", "silu"},
          {"hidden_size", qint64(hidden)},
          {"initializer_range", 0.02},
          {"intermediate_size", qint64(intermediate)},
          {"max_position_embeddings", 128},
          {"mlp_bias", false},
          {"num_attention_heads", qint64(heads)},
          {"num_hidden_layers", qint64(layers)},
          {"num_key_value_heads", qint64(heads / 2)},
          {"pad_token_id", QJsonValue()},
          {"rms_norm_eps", 1e-5},
          {"rope_theta", 10000.0},
          {"tie_word_embeddings", false},
          {"use_cache", true},
          {"vocab_size", qint64(kDemoVocab)}};
}

}  // namespace distillery
