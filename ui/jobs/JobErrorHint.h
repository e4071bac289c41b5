// A suggested fix for a failed job's error text: the common failures (a missing file, out of memory, a tokenizer
// mismatch, NaN loss, a bad job key) mapped to what usually helps. Empty when nothing fits.
#pragma once
#include <QtCore/QString>

namespace distillery::ui {

QString jobErrorHint(const QString& error);

}  // namespace distillery::ui
