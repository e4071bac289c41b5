// Hand-written matchers for the pre-tokenizer regexes nearly every byte-level BPE uses (GPT-2's, Llama 3's
// cl100k-style and Qwen 2's). They give the same matches as the regex (tst_tokenizer checks this on the
// fixture texts and on random text) at several times the speed.
#pragma once
#include "tokenizer/Pattern.h"

namespace distillery::tokenizer {

// A matcher for onigPattern when it is one of the known patterns, else nullptr.
std::unique_ptr<Pattern> fastSplitFor(const QString& onigPattern);

// The known patterns, verbatim as tokenizer.json files carry them.
extern const char* const kGpt2Pattern;
extern const char* const kCl100kPattern;
extern const char* const kQwen2Pattern;

}  // namespace distillery::tokenizer
