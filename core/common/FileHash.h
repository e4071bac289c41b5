// Content hashes of files, for provenance (datasets, teacher caches): read in blocks, never whole.
#pragma once
#include <QtCore/QString>

#include <cstdint>
#include <functional>

namespace distillery {

// SHA-256 of a file's bytes in lower-case hex. progress(done, total) after every 4 MiB block. Throws Error(path)
// when the file cannot be read.
QString fileSha256(const QString& path, const std::function<void(int64_t, int64_t)>& progress = {});

}  // namespace distillery
