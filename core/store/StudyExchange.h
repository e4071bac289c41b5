// Studies in and out of files, so ratings collected elsewhere (a spreadsheet, a form, another workspace) can come
// in: items and ratings exported as CSV, JSONL or a JSON array (by the file's extension), ratings imported from
// any of the three.
//
//   exportStudy(studies, id, StudyExport::Items, "items.csv");     // blinded unless the study is revealed
//   const SaveReport r = importRatings(studies, id, "ratings.csv"); // all or nothing; twice changes nothing
//
// Item columns: item_id, position, prompt, then output (rubric) or left, right (pairwise, screen order); after
// reveal also model / swapped, model_a, model_b, and the evaluation samples. Rating columns: item_id, position,
// rater, one column per criterion and total (rubric) or choice (left|right|tie|both_bad, screen side; pairwise),
// comment, created_at, updated_at; after reveal also model / model_a, model_b, winner (a|b|tie|both_bad).
//
// Import reads item_id or position (both: they must agree), rater, the criteria (columns, or a "scores" object in
// JSON) or choice (screen side, mapped with the item's stored swap) or winner (model order), and comment; other
// columns (total, created_at, model names) are ignored. Every row is checked before anything is written; an error
// names FILE:LINE, the field and the value.
#pragma once
#include "store/StudyStore.h"

#include <QtCore/QJsonObject>
#include <QtCore/QStringList>

#include <vector>

namespace distillery {

enum class StudyExport { Items, Ratings };

// Rows of an export with their columns in order (what the files hold; the GUI can show it as a table).
struct ExportTable {
  QStringList columns;
  std::vector<QJsonObject> rows;  // values are strings or numbers; a missing key is an empty cell
};

ExportTable exportTable(const StudyStore& studies, qint64 studyId, StudyExport what);
// Writes exportTable() to path atomically: .csv → CSV (RFC 4180, header line), .jsonl → one object per line, .json →
// a JSON array. UsageError for another extension.
void exportStudy(const StudyStore& studies, qint64 studyId, StudyExport what, const QString& path);
// The table as CSV text (header line, cells quoted where needed, CRLF-free "\n" line ends).
QByteArray toCsv(const ExportTable& table);

// Reads, checks and saves the ratings in path (see above) in one transaction. FormatError("FILE:LINE", field,
// value) for a bad row; nothing is saved then.
SaveReport importRatings(const StudyStore& studies, qint64 studyId, const QString& path);

}  // namespace distillery
