// The models table: the teacher and student checkpoints (and any other model folder) a workspace works with.
// A row keeps the facts the GUI lists without loading the model (architecture, parameters, dtype, vocabulary,
// from config.json) and config.json itself for provenance.
//
//   ModelStore models(workspace.store());
//   qint64 id = models.addFolder("/models/qwen2.5-1.5b", ModelRole::Teacher);   // FormatError for a bad folder
//   models.setRole(id, ModelRole::Student);
#pragma once
#include "store/Store.h"

#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <optional>
#include <vector>

namespace distillery {

enum class ModelRole { Teacher, Student, Other };
QString roleName(ModelRole role);  // "teacher", "student", "other"
// Throws UsageError naming "role" and the text unless it is one of the names above.
ModelRole parseModelRole(const QString& text);

struct ModelRow {
  qint64 id = 0;
  QString name;           // shown in the GUI; default: the folder name
  QString path;           // absolute folder path
  ModelRole role = ModelRole::Student;
  QString architecture;   // config.json architectures[0]
  qint64 params = -1;     // parameter count from the config (-1: unknown)
  QString dtype;          // torch_dtype / dtype of the checkpoint
  qint64 vocabSize = -1;
  QString tokenizerPath;  // the folder's tokenizer.json (empty: none)
  QJsonObject config;     // config.json verbatim
  QString addedAt;        // ISO-8601 UTC
  QJsonObject toJson() const;
};

class ModelStore {
 public:
  explicit ModelStore(Store store) : store_(std::move(store)) {}

  // Reads dir/config.json (FormatError naming the file and field when it is missing or not a supported model) and
  // adds a row; a folder already registered (same absolute path) keeps its row, which gets the new role and name.
  // Returns the row's id.
  qint64 addFolder(const QString& dir, ModelRole role, const QString& name = {}) const;
  // Throws StoreError naming the id when there is none.
  ModelRow get(qint64 id) const;
  std::optional<ModelRow> findByPath(const QString& dir) const;
  // Oldest first.
  std::vector<ModelRow> list() const;
  void setRole(qint64 id, ModelRole role) const;
  // Forgets the row (the folder on disk is never touched).
  void remove(qint64 id) const;

 private:
  Store store_;
};

}  // namespace distillery
