// tokenizer.json's "pre_tokenizer": ByteLevel, Split, Metaspace, Whitespace, WhitespaceSplit, Digits,
// Punctuation, BertPreTokenizer, CharDelimiterSplit and Sequence of them. Cuts normalized text into the
// pieces the model encodes one by one.
#pragma once
#include "tokenizer/TokenizerJson.h"

#include <QtCore/QStringView>

#include <deque>
#include <memory>
#include <vector>

namespace distillery::tokenizer {

struct Piece {
  QStringView text;
  bool byteLevel = false;  // the model sees text's UTF-8 bytes through the byte-level alphabet
  bool atStart = false;    // begins at offset 0 of the original input (Metaspace's prepend_scheme "first")
};

// Text that rewritten pieces point into; a deque never moves its elements.
using PieceStore = std::deque<QString>;

class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;
  // Splits or rewrites every piece; empty pieces are dropped.
  virtual void apply(std::vector<Piece>& pieces, PieceStore& store) const = 0;
  // nullptr for a JSON null; FormatError for an unknown type.
  static std::unique_ptr<PreTokenizer> fromJson(const JsonAt& j);
};

}  // namespace distillery::tokenizer
