// Read-only Qt models over the workspace tables, for the GUI's lists (the UI never writes SQL itself).
#pragma once
#include <QtCore/QString>

class QAbstractItemModel;
class QObject;

namespace distillery {

class Store;

enum class StoreTable { Models, Datasets, Jobs };

// A table model on this thread's connection with user-facing column titles; refresh() re-runs its query.
QAbstractItemModel* makeStoreTableModel(const Store& store, StoreTable table, QObject* parent);
// Re-reads a model made by makeStoreTableModel (no-op for other models).
void refreshStoreTableModel(QAbstractItemModel* model);

}  // namespace distillery
