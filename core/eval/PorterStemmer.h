// The Porter stemmer exactly as NLTK's PorterStemmer() runs it in its default NLTK_EXTENSIONS mode (the irregular
// forms table, the 'ies'/'ied' and 'alli'/'fulli'/'logi' extensions), which is what rouge-score's use_stemmer calls.
//
//   porterStem("meetings") == "meet"
#pragma once
#include <string>

namespace distillery {

// word: lower-case ASCII (rouge-score only hands it [a-z0-9]+ tokens). Words of 1–2 characters come back as-is.
std::string porterStem(const std::string& word);

}  // namespace distillery
