// Typed reads of one JSON object's fields for config.json and generation_config.json: each read either returns
// the value or throws FormatError(path, prefix + key, value as JSON, what was expected). A JSON null counts as
// absent, as transformers treats it.
#pragma once
#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace distillery {

class JsonFields {
 public:
  JsonFields(const QJsonObject& json, const QString& path, const QString& prefix = {})
      : json_(json), path_(path), prefix_(prefix) {}

  const QJsonObject& json() const { return json_; }
  const QString& path() const { return path_; }

  // Required: "is missing" when absent or null.
  int64_t positiveInt(const QString& key) const;
  double positiveNumber(const QString& key) const;

  std::optional<int64_t> optionalInt(const QString& key) const;
  std::optional<int64_t> optionalPositiveInt(const QString& key) const;
  std::optional<double> optionalNumber(const QString& key) const;
  std::optional<bool> optionalBool(const QString& key) const;
  std::optional<QString> optionalString(const QString& key) const;
  // A token id: an integer ≥ 0.
  std::optional<int64_t> optionalTokenId(const QString& key) const;
  // An id or a list of ids (eos_token_id); empty when absent or null.
  std::vector<int64_t> tokenIds(const QString& key) const;

 private:
  std::optional<QJsonValue> get(const QString& key) const;
  [[noreturn]] void fail(const QString& key, const QJsonValue& value, const QString& expected) const;

  QJsonObject json_;
  QString path_;
  QString prefix_;  // "rope_scaling." for nested objects
};

}  // namespace distillery
