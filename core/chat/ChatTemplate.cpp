#include "chat/ChatTemplate.h"

#include "chat/JinjaBuiltins.h"
#include "chat/JinjaError.h"
#include "chat/JinjaInterpreter.h"
#include "chat/JinjaLexer.h"
#include "chat/JinjaParser.h"
#include "common/Error.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>

namespace distillery {

using jinja::DictData;
using jinja::TemplateError;
using jinja::Value;

static QString where(const QString& source, qsizetype pos) {
  if (pos < 0) return QString();
  pos = std::min(pos, source.size());
  const qsizetype line = source.left(pos).count(QLatin1Char('\n')) + 1;
  const qsizetype col = pos - (source.lastIndexOf(QLatin1Char('\n'), pos - 1) + 1) + 1;
  return QStringLiteral("line %1:%2").arg(line).arg(col);
}

[[noreturn]] static void rethrow(const TemplateError& e, const QString& origin, const QString& source) {
  const QString at = where(source, e.pos);
  switch (e.kind) {
    case TemplateError::Raised:
      throw FormatError(origin, QStringLiteral("messages"), QString(),
                        QStringLiteral("are rejected by the chat template: ") + e.message);
    case TemplateError::Runtime:
      throw FormatError(origin, QStringLiteral("chat_template"), QString(),
                        QStringLiteral("failed") + (at.isEmpty() ? QString() : QStringLiteral(" at ") + at) +
                            QStringLiteral(": ") + e.message);
    case TemplateError::Syntax:
    case TemplateError::Unsupported:
      throw FormatError(origin, QStringLiteral("chat_template"), e.construct.isNull() ? QString() : e.construct,
                        e.message + (at.isEmpty() ? QString() : QStringLiteral(" (") + at + QLatin1Char(')')));
  }
  throw FormatError(origin, QStringLiteral("chat_template"), QString(), e.message);
}

static QJsonObject readJsonObject(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) throw FormatError(path, QString(), QString(), QStringLiteral("cannot be read: ") + f.errorString());
  QJsonParseError err;
  const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &err);
  if (err.error != QJsonParseError::NoError || !doc.isObject())
    throw FormatError(path, QString(), QString(), QStringLiteral("is not a JSON object: ") + err.errorString());
  return doc.object();
}

ChatTemplate ChatTemplate::fromTokenizerConfig(const QString& tokenizerConfigPath) {
  const QFileInfo info(tokenizerConfigPath);
  const QString configPath =
      info.isDir() ? QDir(tokenizerConfigPath).filePath(QStringLiteral("tokenizer_config.json")) : tokenizerConfigPath;
  const QString jinjaPath = QFileInfo(configPath).dir().filePath(QStringLiteral("chat_template.jinja"));
  const bool haveJinja = QFileInfo::exists(jinjaPath);
  QJsonObject config;
  if (QFileInfo::exists(configPath) || !haveJinja) config = readJsonObject(configPath);

  QJsonObject special;
  for (const char* key : {"bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token",
                          "additional_special_tokens", "extra_special_tokens"}) {
    const QString k = QString::fromLatin1(key);
    if (config.contains(k)) special.insert(k, config.value(k));
  }

  if (haveJinja) {
    QFile f(jinjaPath);
    if (!f.open(QIODevice::ReadOnly))
      throw FormatError(jinjaPath, QString(), QString(), QStringLiteral("cannot be read: ") + f.errorString());
    return ChatTemplate(QString::fromUtf8(f.readAll()), special, jinjaPath);
  }
  const QJsonValue t = config.value(QStringLiteral("chat_template"));
  if (t.isString()) return ChatTemplate(t.toString(), special, configPath);
  if (t.isArray()) {
    QStringList names;
    for (const QJsonValue& entry : t.toArray()) {
      const QString name = entry.toObject().value(QStringLiteral("name")).toString();
      names << name;
      if (name == QLatin1String("default"))
        return ChatTemplate(entry.toObject().value(QStringLiteral("template")).toString(), special, configPath);
    }
    throw FormatError(configPath, QStringLiteral("chat_template"), names.join(QLatin1Char(',')),
                      QStringLiteral("has no template named \"default\""));
  }
  if (t.isUndefined() || t.isNull())
    throw FormatError(configPath, QStringLiteral("chat_template"), QString(),
                      QStringLiteral("is missing: this tokenizer has no chat template (base model?)"));
  throw FormatError(configPath, QStringLiteral("chat_template"), QString(),
                    QStringLiteral("must be a string or a list of {name, template}"));
}

ChatTemplate::ChatTemplate(const QString& source, const QJsonObject& specialTokens, const QString& origin)
    : source_(source), origin_(origin), specialTokens_(specialTokens) {
  try {
    ast_ = jinja::parseTemplate(source);
  } catch (const TemplateError& e) {
    rethrow(e, origin_, jinja::normalizeTemplateSource(source));
  }
}

// A special token as the template sees it: AddedToken objects become their content.
static Value tokenValue(const QJsonValue& v) {
  if (v.isObject()) return Value::string(v.toObject().value(QStringLiteral("content")).toString());
  if (v.isArray()) {
    std::vector<Value> items;
    for (const QJsonValue& e : v.toArray()) items.push_back(tokenValue(e));
    return Value::list(std::move(items));
  }
  return Value::fromJson(v);
}

QString ChatTemplate::renderWith(const std::shared_ptr<DictData>& given) const {
  auto vars = std::make_shared<DictData>();
  vars->set(QStringLiteral("tools"), Value::none());
  vars->set(QStringLiteral("documents"), Value::none());
  for (auto it = specialTokens_.begin(); it != specialTokens_.end(); ++it)
    if (!it->isNull() && !it->isUndefined()) vars->set(it.key(), tokenValue(*it));
  for (const auto& [k, v] : given->items) vars->set(k, v);

  auto globals = std::make_shared<DictData>();
  jinja::installGlobals(*globals, now_.isValid() ? now_ : QDateTime::currentDateTime());
  try {
    jinja::Interpreter interpreter(*ast_, globals, vars);
    return interpreter.render();
  } catch (const TemplateError& e) {
    rethrow(e, origin_, ast_->source);
  }
}

QString ChatTemplate::render(const QJsonArray& messages, bool addGenerationPrompt,
                             const QJsonObject& extraContext) const {
  auto vars = std::make_shared<DictData>();
  vars->set(QStringLiteral("messages"), Value::fromJson(messages));
  vars->set(QStringLiteral("add_generation_prompt"), Value::boolean(addGenerationPrompt));
  for (auto it = extraContext.begin(); it != extraContext.end(); ++it) vars->set(it.key(), Value::fromJson(*it));
  return renderWith(vars);
}

QString ChatTemplate::renderJson(QByteArrayView messagesJson, bool addGenerationPrompt,
                                 QByteArrayView extraContextJson) const {
  QString error;
  const Value messages = Value::parseJson(messagesJson, &error);
  if (!error.isEmpty()) throw FormatError(QString(), QStringLiteral("messages"), QString(), QStringLiteral("are not valid JSON: ") + error);
  if (!messages.isList()) throw FormatError(QString(), QStringLiteral("messages"), QString(), QStringLiteral("must be a JSON array"));
  auto vars = std::make_shared<DictData>();
  vars->set(QStringLiteral("messages"), messages);
  vars->set(QStringLiteral("add_generation_prompt"), Value::boolean(addGenerationPrompt));
  if (!extraContextJson.trimmed().isEmpty()) {
    const Value extra = Value::parseJson(extraContextJson, &error);
    if (!error.isEmpty() || !extra.isMapping())
      throw FormatError(QString(), QStringLiteral("context"), QString(),
                        QStringLiteral("must be a JSON object") + (error.isEmpty() ? QString() : QStringLiteral(": ") + error));
    for (const auto& [k, v] : extra.dictData()->items) vars->set(k, v);
  }
  return renderWith(vars);
}

}  // namespace distillery
