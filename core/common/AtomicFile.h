// Atomic writes: the new content goes to a temp file beside the target, is fsynced, then renamed over it.
// A crash or a failed write leaves the previous file intact.
#pragma once
#include <QtCore/QByteArray>
#include <QtCore/QString>

namespace distillery {

// Throws Error naming the path and the OS reason on failure; the target is then untouched.
void writeFileAtomically(const QString& path, const QByteArray& content);

}  // namespace distillery
