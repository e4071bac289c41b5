#include "quant/QuantConfig.h"

#include "checkpoint/JsonFile.h"
#include "common/Error.h"
#include "model/JsonFields.h"

#include <QtCore/QJsonArray>

namespace distillery {

namespace {

const QString kBlock = QStringLiteral("quantization_config");
const QString kMethod = QStringLiteral("distillery");
constexpr int kFormatVersion = 1;

}  // namespace

QJsonObject QuantConfig::toJson() const {
  return {{QStringLiteral("quant_method"), kMethod},
          {QStringLiteral("format_version"), kFormatVersion},
          {QStringLiteral("scheme"), scheme.name()},
          {QStringLiteral("bits"), scheme.bits},
          {QStringLiteral("group_size"), scheme.bits == 4 ? QJsonValue(qint64(scheme.groupSize)) : QJsonValue()},
          {QStringLiteral("activations"), scheme.int8Activations ? QStringLiteral("int8") : QStringLiteral("none")},
          {QStringLiteral("modules_not_converted"), QJsonArray::fromStringList(modulesNotConverted)}};
}

std::optional<QuantConfig> QuantConfig::fromConfigJson(const QJsonObject& config, const QString& path) {
  const QJsonValue block = config.value(kBlock);
  if (block.isUndefined() || block.isNull()) return std::nullopt;
  if (!block.isObject()) throw FormatError(path, kBlock, jsonText(block), QStringLiteral("must be an object"));
  const QJsonObject o = block.toObject();
  const JsonFields f(o, path, kBlock + QLatin1Char('.'));
  const auto field = [](const QString& key) -> QString { return kBlock + QLatin1Char('.') + key; };

  const QString method = f.optionalString(QStringLiteral("quant_method")).value_or(QString());
  if (method != kMethod)
    throw FormatError(path, field(QStringLiteral("quant_method")), method,
                      QStringLiteral("is not supported; Distillery loads its own \"%1\" layout (quantize the float "
                                     "model with distillery-cli quantize)")
                          .arg(kMethod));
  const std::optional<int64_t> version = f.optionalInt(QStringLiteral("format_version"));
  if (version != kFormatVersion)
    throw FormatError(path, field(QStringLiteral("format_version")), version ? QString::number(*version) : QString(),
                      QStringLiteral("must be %1; this folder was written by a newer Distillery").arg(kFormatVersion));

  QuantConfig c;
  c.scheme = QuantScheme::parse(f.optionalString(QStringLiteral("scheme")).value_or(QString()), path,
                                field(QStringLiteral("scheme")));
  const std::optional<int64_t> bits = f.optionalInt(QStringLiteral("bits"));
  if (bits && *bits != c.scheme.bits)
    throw FormatError(path, field(QStringLiteral("bits")), *bits,
                      QStringLiteral("contradicts scheme %1").arg(c.scheme.name()));
  const std::optional<int64_t> group = f.optionalInt(QStringLiteral("group_size"));
  if (group && *group != c.scheme.groupSize)
    throw FormatError(path, field(QStringLiteral("group_size")), *group,
                      QStringLiteral("contradicts scheme %1").arg(c.scheme.name()));
  const QString activations = f.optionalString(QStringLiteral("activations")).value_or(QStringLiteral("none"));
  if (activations != QLatin1String("none") && activations != QLatin1String("int8"))
    throw FormatError(path, field(QStringLiteral("activations")), activations,
                      QStringLiteral("must be \"none\" or \"int8\""));
  c.scheme.int8Activations = activations == QLatin1String("int8");

  const QJsonValue skip = o.value(QStringLiteral("modules_not_converted"));
  if (!skip.isUndefined() && !skip.isNull()) {
    if (!skip.isArray())
      throw FormatError(path, field(QStringLiteral("modules_not_converted")), jsonText(skip),
                        QStringLiteral("must be a list of module names"));
    c.modulesNotConverted.clear();
    for (const QJsonValue& v : skip.toArray()) {
      if (!v.isString() || v.toString().isEmpty())
        throw FormatError(path, field(QStringLiteral("modules_not_converted")), jsonText(v),
                          QStringLiteral("must hold non-empty module names"));
      c.modulesNotConverted << v.toString();
    }
  }
  return c;
}

bool QuantConfig::keepsFloat(const QString& module) const {
  for (const QString& m : modulesNotConverted)
    if (module == m || module.endsWith(QLatin1Char('.') + m)) return true;
  return false;
}

}  // namespace distillery
