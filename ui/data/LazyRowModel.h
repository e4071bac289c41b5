// A dataset file as a table that reads itself lazily: rows come from a streaming RowReader (JSONL, JSON array,
// CSV/TSV, text) a chunk at a time as the view scrolls (canFetchMore/fetchMore), so a file of millions of rows
// opens instantly and holds only what was shown. Columns are the CSV header, or the union of the top-level keys
// seen so far (new keys add columns as later chunks arrive). Bad rows are skipped and counted with their lines.
#pragma once
#include "data/RowReader.h"

#include <QtCore/QAbstractTableModel>
#include <QtCore/QJsonObject>
#include <QtCore/QStringList>

#include <memory>
#include <vector>

namespace distillery::ui {

class LazyRowModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  explicit LazyRowModel(QObject* parent = nullptr, int chunkRows = 200);
  ~LazyRowModel() override;

  // Opens path (file or folder of .txt/.md) and reads the first chunk; false with error() naming the file when
  // it cannot be opened or its format cannot be told. Replaces what was shown.
  bool open(const QString& path);
  void close();
  const QString& path() const { return path_; }
  const QString& error() const { return error_; }  // opening or reading failed (what was read stays)
  bool atEnd() const { return atEnd_; }
  int chunkRows() const { return chunk_; }
  const QStringList& columns() const { return columns_; }
  const QJsonObject& rowAt(int row) const { return rows_[size_t(row)]; }
  qint64 lineOf(int row) const { return lines_[size_t(row)]; }
  // Reader's report so far: {"path", "format", "rows", "bad_rows", "issues": [{"line", "reason"}]}.
  QJsonObject report() const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
  bool canFetchMore(const QModelIndex& parent) const override;
  void fetchMore(const QModelIndex& parent) override;

 private:
  void clear();  // inside a reset
  int chunk_;
  QString path_;
  QString error_;
  std::unique_ptr<RowReader> reader_;
  bool atEnd_ = true;
  bool fetching_ = false;  // inside open() or fetchMore(): requests for more are ignored
  std::vector<QJsonObject> rows_;
  std::vector<qint64> lines_;
  QStringList columns_;
};

// A JSON value as one cell's text: strings as they are, numbers and booleans as written, arrays and objects as
// compact JSON, null as empty.
QString cellText(const QJsonValue& v);

}  // namespace distillery::ui
