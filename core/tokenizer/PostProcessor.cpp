#include "tokenizer/PostProcessor.h"

namespace distillery::tokenizer {

void PostProcessor::addSpecialTokens(std::vector<int32_t>& ids) const {
  if (items_.empty()) return;
  std::vector<int32_t> out;
  out.reserve(ids.size() + 4);
  for (const Item& it : items_) {
    if (it.sequence) out.insert(out.end(), ids.begin(), ids.end());
    else out.insert(out.end(), it.ids.begin(), it.ids.end());
  }
  ids.swap(out);
}

bool PostProcessor::startsWith(int32_t id) const {
  return !items_.empty() && !items_.front().sequence && !items_.front().ids.empty() && items_.front().ids.front() == id;
}

bool PostProcessor::endsWith(int32_t id) const {
  return !items_.empty() && !items_.back().sequence && !items_.back().ids.empty() && items_.back().ids.back() == id;
}

QString PostProcessor::describe(const std::function<QString(int32_t)>& tokenOf) const {
  if (items_.empty()) return QStringLiteral("$A");
  QStringList parts;
  for (const Item& it : items_) {
    if (it.sequence) parts << QStringLiteral("$A");
    else
      for (int32_t id : it.ids) parts << tokenOf(id);
  }
  return parts.join(QLatin1Char(' '));
}

PostProcessor PostProcessor::bosEos(std::optional<int32_t> bos, std::optional<int32_t> eos) {
  PostProcessor p;
  if (bos) p.items_.push_back({false, {*bos}});
  p.items_.push_back({true, {}});
  if (eos) p.items_.push_back({false, {*eos}});
  return p;
}

// Appends the items of one processor; a Sequence nests its processors (each wraps the previous result).
void PostProcessor::parse(const JsonAt& j, std::vector<Item>& items) {
  j.object();
  const JsonAt typeField = j[QStringLiteral("type")];
  const QString type = typeField.string();
  std::vector<Item> mine;
  if (type == QLatin1String("ByteLevel")) {
    return;
  } else if (type == QLatin1String("TemplateProcessing")) {
    const JsonAt special = j[QStringLiteral("special_tokens")];
    const JsonAt single = j[QStringLiteral("single")];
    for (qsizetype i = 0; i < single.array().size(); ++i) {
      const JsonAt piece = single[i];
      const QJsonObject o = piece.object();
      if (o.contains(QStringLiteral("Sequence"))) {
        mine.push_back({true, {}});
      } else if (o.contains(QStringLiteral("SpecialToken"))) {
        const JsonAt name = piece[QStringLiteral("SpecialToken")][QStringLiteral("id")];
        const JsonAt entry = special[name.string()];
        if (entry.isMissing()) name.fail(QStringLiteral("is not in post_processor.special_tokens"));
        Item item;
        const JsonAt idList = entry[QStringLiteral("ids")];
        for (qsizetype k = 0; k < idList.array().size(); ++k) item.ids.push_back(int32_t(idList[k].integer()));
        mine.push_back(item);
      } else {
        piece.fail(QStringLiteral("must be {\"SpecialToken\": ...} or {\"Sequence\": ...}"));
      }
    }
  } else if (type == QLatin1String("BertProcessing") || type == QLatin1String("RobertaProcessing")) {
    const JsonAt cls = j[QStringLiteral("cls")], sep = j[QStringLiteral("sep")];
    mine.push_back({false, {int32_t(cls[1].integer())}});
    mine.push_back({true, {}});
    mine.push_back({false, {int32_t(sep[1].integer())}});
  } else if (type == QLatin1String("Sequence")) {
    const JsonAt list = j[QStringLiteral("processors")];
    for (qsizetype i = 0; i < list.array().size(); ++i) parse(list[i], items);
    return;
  } else {
    typeField.unsupported();
  }
  if (items.empty()) {
    items = std::move(mine);
    return;
  }
  // Wrap what is there: every "sequence" item of this processor stands for the previous result.
  std::vector<Item> wrapped;
  for (Item& it : mine) {
    if (it.sequence) wrapped.insert(wrapped.end(), items.begin(), items.end());
    else wrapped.push_back(std::move(it));
  }
  items = std::move(wrapped);
}

PostProcessor PostProcessor::fromJson(const JsonAt& j) {
  PostProcessor p;
  if (!j.isMissing()) parse(j, p.items_);
  return p;
}

}  // namespace distillery::tokenizer
