// PII redaction of dataset text: e-mail addresses, phone numbers, IPv4/IPv6 addresses, credit-card numbers, IBANs,
// Chinese resident ID and mobile numbers, and user-defined patterns. A pattern finds candidates, a check
// (PiiChecks.h) keeps only real ones: Luhn for cards, mod-97 for IBANs, GB 11643 checksum and birth date for
// Chinese IDs, octets ≤ 255 for IPv4, digit-count limits for phones.
//
//   Redactor r({.mode = RedactMode::Tag, .patterns = {parsePiiPattern("EMPLOYEE=EMP-\\d{6}")}});
//   r.redact("mail a.b@example.com")  → "mail [EMAIL]"
//
// Overlaps: kinds are tried in a fixed order (EMAIL, CN_ID, IBAN, CARD, CN_MOBILE, IP, PHONE, then user patterns
// in the order given) and a finding that overlaps an earlier one is dropped, so an 18-digit ID is not also a card
// and a card is not also a phone.
//
// Modes: mask replaces every letter and digit of a finding with '*' and keeps its other characters (separators,
// '@', '.', ':'), so the text keeps its length and shape; tag replaces the finding with [TYPE]; drop removes the
// whole row when any finding is made in it.
#pragma once
#include "data/RowReader.h"

#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QRegularExpression>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <cstdint>
#include <map>
#include <vector>

namespace distillery {

enum class RedactMode { Mask, Tag, Drop };
// "mask", "tag", "drop"; parseRedactMode throws UsageError naming `where` for anything else.
QString redactModeName(RedactMode m);
RedactMode parseRedactMode(const QString& name, const QString& where);

// The built-in kinds in the order they are tried; their names are the tags and the count keys.
const QStringList& builtinPiiTypes();  // EMAIL CN_ID IBAN CARD CN_MOBILE IP PHONE

// A user-defined pattern: its name is the tag ([NAME]) and count key.
struct PiiPattern {
  QString name;
  QRegularExpression regex;
};
// "NAME=REGEX": NAME of letters, digits and '_' (not a built-in type), REGEX a valid PCRE2 expression. Throws
// UsageError naming the pattern and, for a malformed regex, its error and offset.
PiiPattern parsePiiPattern(const QString& spec);

struct PiiFinding {
  qsizetype start = 0;   // in UTF-16 code units of the text
  qsizetype length = 0;
  QString type;          // a builtin type or a pattern's name
};

struct RedactOptions {
  RedactMode mode = RedactMode::Mask;
  QList<PiiPattern> patterns{};   // tried after the built-in kinds
};

class Redactor {
 public:
  explicit Redactor(RedactOptions options = {});
  // Non-overlapping findings in text order.
  std::vector<PiiFinding> find(const QString& text) const;
  // The text with findings masked or tagged (Drop mode: tagged; the row decision is the caller's). Adds one count
  // per finding to counts when given.
  QString redact(const QString& text, std::map<QString, int64_t>* counts = nullptr) const;
  const RedactOptions& options() const { return options_; }

 private:
  RedactOptions options_;
};

// A JSONL/JSON/CSV dataset redacted into OUT.jsonl (written atomically, rows in input order).
struct RedactFileOptions {
  RedactOptions redact;
  QString field;   // only this top-level field (strings inside it when it is an array/object); empty: every string
                   // value of the row, nested ones included (chat messages); keys are never changed
  ReadOptions read{};
};
struct RedactReport {
  int64_t rows = 0;          // good rows read
  int64_t badRows = 0;       // skipped unreadable rows
  int64_t written = 0;
  int64_t changed = 0;       // rows with at least one finding (dropped ones included)
  int64_t dropped = 0;
  std::map<QString, int64_t> counts;  // every built-in type and pattern name, zero included
  QJsonObject toJson() const;  // {"rows", "bad_rows", "written", "rows_changed", "rows_dropped", "counts": {...}}
};
// Throws FormatError for an unreadable input, Error when OUT cannot be written (OUT then untouched).
RedactReport redactFile(const QString& in, const QString& out, const RedactFileOptions& options);

}  // namespace distillery
