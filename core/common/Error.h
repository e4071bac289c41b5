// The one error type core throws: it says where (file, field) and what (the bad value, what was expected).
#pragma once
#include <QtCore/QString>

#include <stdexcept>

namespace distillery {

class Error : public std::runtime_error {
 public:
  // "PATH: field=value message"; any part may be empty.
  Error(const QString& path, const QString& field, const QString& value, const QString& message);
  explicit Error(const QString& message);

  const QString& path() const { return path_; }
  const QString& field() const { return field_; }
  const QString& value() const { return value_; }
  // The human sentence alone, without path and field.
  const QString& detail() const { return detail_; }
  QString message() const { return QString::fromUtf8(what()); }

 private:
  QString path_, field_, value_, detail_;
};

// Bad file content: a config field, a tensor header, a JSON line.
class FormatError : public Error {
 public:
  using Error::Error;
  template <typename V>
  FormatError(const QString& path, const QString& field, const V& value, const QString& message)
      : Error(path, field, toText(value), message) {}

 private:
  static QString toText(const QString& v) { return v; }
  static QString toText(const char* v) { return QString::fromUtf8(v); }
  static QString toText(const std::string& v) { return QString::fromStdString(v); }
  template <typename N>
  static QString toText(const N& v) { return QString::number(v); }
};

// The workspace database: cannot be opened, is not ours, is too new, is read-only.
class StoreError : public Error {
 public:
  using Error::Error;
};

// Wrong command-line use; the CLI prints it with the usage line and exits 2.
class UsageError : public Error {
 public:
  using Error::Error;
};

}  // namespace distillery
