// Answer matching for generation tasks as the SQuAD evaluation script scores it: exact match and token F1 after
// normalisation (lower case, punctuation and the articles a/an/the removed, whitespace collapsed), best over
// several references.
#pragma once
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace distillery {

QString normalizeAnswer(const QString& text);
// 1 when the normalised prediction equals a normalised reference, else 0. No references: 0.
double exactMatch(const QString& prediction, const QStringList& references);
// Harmonic mean of token precision and recall (multiset overlap of normalised tokens), the best reference's.
double tokenF1(const QString& prediction, const QStringList& references);

}  // namespace distillery
