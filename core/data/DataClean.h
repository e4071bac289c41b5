// Cleaning a dataset in one streaming pass that keeps the original order: rows are read (RowReader), their text
// fields rewritten (Unicode normalisation, control characters), then filters decide keep or drop, in this order
// (the first that fails is the reason reported):
//
//   empty            the compared text is empty or whitespace only
//   too_short_chars  / too_long_chars     code points of the compared text
//   script           share of its letters in the wanted scripts below the minimum
//   too_short_tokens / too_long_tokens    tokens of the compared text (needs a tokenizer)
//   exact_duplicate  / near_duplicate     Dedup.h, against the rows kept so far (so a row dropped by an earlier
//                                         filter never makes a later one a duplicate)
//   bad_row          unreadable (RowReader), no known schema, or the --field missing / not a string
//
// The compared text is rowText() of the row's detected schema (DataSchema.h), or the string in `field`.
// Rows are processed in batches: per-row work (rewriting, filters, tokens, MinHash signatures) runs on the
// global thread pool, duplicate decisions and writing follow in file order, so the output is deterministic.
#pragma once
#include "data/Dedup.h"
#include "data/RowReader.h"
#include "data/TextClean.h"
#include "tokenizer/Tokenizer.h"

#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QString>

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

namespace distillery {

struct CleanOptions {
  QString field;                     // compare this string field; empty: rowText of the detected schema
  UnicodeForm unicode = UnicodeForm::None;   // rewrite text fields to this normal form
  bool stripControls = true;         // rewrite text fields without control characters (\n and \t kept)
  bool dropEmpty = true;             // drop rows whose text is empty or whitespace only
  int64_t minChars = 0;              // drop rows with fewer code points (0: no minimum)
  int64_t maxChars = 0;              // drop rows with more code points (0: no maximum)
  int64_t minTokens = 0;             // drop rows with fewer tokens (0: no minimum; > 0 needs tokenizer)
  int64_t maxTokens = 0;             // drop rows with more tokens (0: no maximum; > 0 needs tokenizer)
  Tokenizer tokenizer;               // for the token filters and countTokens
  bool countTokens = false;          // report the kept rows' tokens (needs tokenizer)
  QList<QChar::Script> scripts;      // keep rows whose letters are mostly in these scripts (empty: no filter)
  double minScriptShare = 0.5;       // the share of letters that must be in scripts, in [0, 1]
  DedupOptions dedup = [] {          // exact / near duplicate removal (both off unless asked)
    DedupOptions d;
    d.exact = d.near = false;
    return d;
  }();
  ReadOptions read;                  // format, bad-row policy, progress callback
  int maxExamples = 20;              // line numbers kept per reason in the report
  int batchRows = 4096;              // rows per parallel batch
};

enum class RemoveReason {
  Empty, TooShortChars, TooLongChars, Script, TooShortTokens, TooLongTokens, ExactDuplicate, NearDuplicate, BadRow,
};
constexpr int kRemoveReasons = 9;
QString reasonName(RemoveReason r);   // "empty", "too_short_chars", ... (the report's keys)

struct RemovedRow {
  int64_t line = 0;
  int64_t duplicateOf = 0;   // duplicates: the line of the kept row
  QString why;               // bad rows: the reason
};

struct CleanReport {
  int64_t rows = 0;                  // rows read, bad rows included: rows = kept + sum of removed
  int64_t kept = 0;
  std::array<int64_t, kRemoveReasons> removed{};
  std::array<std::vector<RemovedRow>, kRemoveReasons> examples;   // the first maxExamples per reason
  int64_t keptTokens = -1;           // with countTokens
  QString schema;                    // the schema of most rows ("" with field)
  std::array<double, 5> seconds{};   // wall time per stage: read, filter, dedup, tokenize, write

  int64_t removedOf(RemoveReason r) const { return removed[size_t(r)]; }
  // {"rows", "kept", "removed": {reason: n}, "lines": {reason: [{"line", "duplicate_of"?, "reason"?}]},
  //  "kept_tokens"?, "schema", "seconds": {"read", "filter", "dedup", "tokenize", "write"}}
  QJsonObject toJson() const;
};

// The text a row is compared by: the string in field (FormatError(where, field) when missing or not a string),
// else rowText of its detected schema, put in *schema (FormatError(where) when no schema fits).
QString comparedText(const QJsonObject& row, const QString& field, const QString& where, QString* schema);

// Cleans in → out (JSONL, written atomically; rows verbatim as parsed, after the rewriting). Throws FormatError
// (a bad row under BadRowPolicy::Fail), UsageError (token filters without a tokenizer, bad options),
// Cancelled (progress returned false; out untouched), Error (I/O).
CleanReport cleanFile(const QString& in, const QString& out, const CleanOptions& options);

}  // namespace distillery
