// A fingerprint of the jobs table (which jobs exist, their names and statuses), for views that list jobs and must
// notice jobs another process created or moved (`distillery-cli train` on the same workspace): the JobRunner's
// signals only cover this process's jobs. One aggregate query over the small jobs table, cheap enough for a
// once-a-second timer; list the jobs again only when the stamp changed.
//
//   const QString stamp = jobListStamp(ws.store());
//   if (stamp != lastStamp_) { lastStamp_ = stamp; relist(); }
#pragma once
#include "store/Store.h"

#include <QtCore/QString>

namespace distillery {

// On the calling thread's connection; throws StoreError naming the database when the query fails.
QString jobListStamp(const Store& store);

}  // namespace distillery
