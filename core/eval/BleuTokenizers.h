// sacreBLEU's tokenisers as code-point functions, for Bleu.cpp (bleuTokenize() in Bleu.h is the public face).
#pragma once
#include "eval/ScoringText.h"

#include <QtCore/QString>
#include <QtCore/QStringList>

#include <vector>

namespace distillery {

enum class BleuTokenizer { V13a, Zh, Intl, Char, None };

// The names --tokenize accepts, in sacreBLEU's spelling.
const QStringList& bleuTokenizerNames();
// Throws Error (field "tokenize") naming the allowed values for an unknown name.
BleuTokenizer parseBleuTokenizer(const QString& name);
QString bleuTokenizerName(BleuTokenizer t);

// The tokens sacreBLEU counts for `text` (its tokenizer's output, split on whitespace).
std::vector<scoring::Text> bleuTokens(std::u32string_view text, BleuTokenizer t);

}  // namespace distillery
