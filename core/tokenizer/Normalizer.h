// tokenizer.json's "normalizer": NFC, NFD, NFKC, NFKD, Lowercase, Replace, Prepend, Strip, StripAccents,
// ByteLevel and Sequence of them. Applied to each stretch of text between added tokens.
#pragma once
#include "tokenizer/TokenizerJson.h"

#include <memory>

namespace distillery::tokenizer {

class Normalizer {
 public:
  virtual ~Normalizer() = default;
  virtual void normalize(QString& s) const = 0;
  // nullptr for a JSON null; FormatError for an unknown type.
  static std::unique_ptr<Normalizer> fromJson(const JsonAt& j);
};

}  // namespace distillery::tokenizer
