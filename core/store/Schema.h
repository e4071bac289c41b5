// The workspace schema as cumulative migrations: migration i takes a database from version i to i+1.
// Never edit a released migration; append a new one.
#pragma once
#include <QtCore/QStringList>

namespace distillery::schema {

// Statements of each migration, in order; schemaMigrations()[0] creates version 1 from an empty file.
const QList<QStringList>& migrations();
inline int latestVersion() { return int(migrations().size()); }

}  // namespace distillery::schema
