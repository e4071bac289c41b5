#include "store/StoreModels.h"

#include "store/Store.h"

#include <QtCore/QCoreApplication>
#include <QtSql/QSqlQuery>
#include <QtSql/QSqlQueryModel>

namespace distillery {
namespace {

struct Column {
  const char* sql;
  const char* title;  // translated by the UI through QCoreApplication::translate("StoreTable", title)
};

QList<Column> columns(StoreTable table) {
  switch (table) {
    case StoreTable::Models:
      return {{"name", QT_TRANSLATE_NOOP("StoreTable", "Name")}, {"role", QT_TRANSLATE_NOOP("StoreTable", "Role")}, {"architecture", QT_TRANSLATE_NOOP("StoreTable", "Architecture")}, {"params", QT_TRANSLATE_NOOP("StoreTable", "Parameters")},
              {"dtype", QT_TRANSLATE_NOOP("StoreTable", "Dtype")}, {"vocab_size", QT_TRANSLATE_NOOP("StoreTable", "Vocabulary")}, {"path", QT_TRANSLATE_NOOP("StoreTable", "Path")}};
    case StoreTable::Datasets:
      return {{"name", QT_TRANSLATE_NOOP("StoreTable", "Name")}, {"schema", QT_TRANSLATE_NOOP("StoreTable", "Schema")}, {"rows", QT_TRANSLATE_NOOP("StoreTable", "Rows")}, {"path", QT_TRANSLATE_NOOP("StoreTable", "Path")}, {"created_at", QT_TRANSLATE_NOOP("StoreTable", "Created")}};
    case StoreTable::Jobs:
      return {{"id", QT_TRANSLATE_NOOP("StoreTable", "ID")}, {"kind", QT_TRANSLATE_NOOP("StoreTable", "Kind")}, {"name", QT_TRANSLATE_NOOP("StoreTable", "Name")}, {"status", QT_TRANSLATE_NOOP("StoreTable", "Status")},
              {"round(progress * 100) || '%'", QT_TRANSLATE_NOOP("StoreTable", "Progress")}, {"device", QT_TRANSLATE_NOOP("StoreTable", "Device")}, {"created_at", QT_TRANSLATE_NOOP("StoreTable", "Created")},
              {"error", QT_TRANSLATE_NOOP("StoreTable", "Error")}};
  }
  return {};
}

const char* tableName(StoreTable table) {
  switch (table) {
    case StoreTable::Models: return "models";
    case StoreTable::Datasets: return "datasets";
    case StoreTable::Jobs: return "jobs";
  }
  return "";
}

class Model : public QSqlQueryModel {
 public:
  Model(const Store& store, StoreTable table, QObject* parent) : QSqlQueryModel(parent), store_(store), table_(table) {
    refresh();
  }
  void refresh() {
    QStringList select;
    for (const Column& c : columns(table_)) select << QString::fromLatin1(c.sql);
    setQuery(QStringLiteral("SELECT %1 FROM %2 ORDER BY id DESC")
                 .arg(select.join(QStringLiteral(", ")), QString::fromLatin1(tableName(table_))),
             store_.connection());
    const auto cols = columns(table_);
    for (int i = 0; i < cols.size(); ++i)
      setHeaderData(i, Qt::Horizontal, QCoreApplication::translate("StoreTable", cols[i].title));
  }

 private:
  Store store_;
  StoreTable table_;
};

}  // namespace

QAbstractItemModel* makeStoreTableModel(const Store& store, StoreTable table, QObject* parent) {
  return new Model(store, table, parent);
}

void refreshStoreTableModel(QAbstractItemModel* model) {
  if (auto* m = dynamic_cast<Model*>(model)) m->refresh();
}

}  // namespace distillery
