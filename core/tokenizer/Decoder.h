// tokenizer.json's "decoder": ByteLevel, ByteFallback, Fuse, Strip, Replace, Metaspace, BPEDecoder and Sequence
// of them.
// Each works on the list of token strings; decode() joins what the chain leaves.
#pragma once
#include "tokenizer/TokenizerJson.h"

#include <memory>
#include <vector>

namespace distillery::tokenizer {

class Decoder {
 public:
  virtual ~Decoder() = default;
  virtual void decodeChain(std::vector<QString>& tokens) const = 0;
  QString decode(std::vector<QString> tokens) const {
    decodeChain(tokens);
    QString out;
    for (const QString& t : tokens) out += t;
    return out;
  }
  // nullptr for a JSON null; FormatError for an unknown type.
  static std::unique_ptr<Decoder> fromJson(const JsonAt& j);
};

}  // namespace distillery::tokenizer
