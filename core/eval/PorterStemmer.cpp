// A line-by-line port of nltk/stem/porter.py (NLTK 3.x, mode NLTK_EXTENSIONS): the same rule lists in the same
// order, the same "first rule whose suffix matches decides" semantics of _apply_rule_list.
#include "eval/PorterStemmer.h"

#include <functional>
#include <unordered_map>
#include <vector>

namespace distillery {

namespace {

using Condition = std::function<bool(const std::string&)>;  // receives the stem (word minus the suffix)

struct Rule {
  std::string suffix;  // "*d": the word ends with a double consonant
  std::string replacement;
  Condition condition;  // empty: unconditional
};

bool endsWith(const std::string& w, const std::string& suffix) {
  return w.size() >= suffix.size() && w.compare(w.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string dropSuffix(const std::string& w, size_t n) { return w.substr(0, w.size() - n); }

bool isVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

bool isConsonant(const std::string& w, size_t i) {
  if (isVowel(w[i])) return false;
  if (w[i] == 'y') return i == 0 ? true : !isConsonant(w, i - 1);
  return true;
}

// m in [C](VC){m}[V]: the number of vowel→consonant transitions.
int measure(const std::string& stem) {
  int m = 0;
  for (size_t i = 1; i < stem.size(); ++i)
    if (!isConsonant(stem, i - 1) && isConsonant(stem, i)) ++m;
  return m;
}

bool positiveMeasure(const std::string& stem) { return measure(stem) > 0; }

bool containsVowel(const std::string& stem) {
  for (size_t i = 0; i < stem.size(); ++i)
    if (!isConsonant(stem, i)) return true;
  return false;
}

bool endsDoubleConsonant(const std::string& w) {
  return w.size() >= 2 && w[w.size() - 1] == w[w.size() - 2] && isConsonant(w, w.size() - 1);
}

// *o: ends consonant-vowel-consonant, the last not w, x or y; NLTK also accepts a two-letter vowel-consonant word.
bool endsCvc(const std::string& w) {
  const size_t n = w.size();
  if (n >= 3 && isConsonant(w, n - 3) && !isConsonant(w, n - 2) && isConsonant(w, n - 1) && w[n - 1] != 'w' &&
      w[n - 1] != 'x' && w[n - 1] != 'y')
    return true;
  return n == 2 && !isConsonant(w, 0) && isConsonant(w, 1);
}

std::string applyRules(const std::string& word, const std::vector<Rule>& rules) {
  for (const Rule& r : rules) {
    if (r.suffix == "*d" && endsDoubleConsonant(word)) {
      const std::string stem = dropSuffix(word, 2);
      return !r.condition || r.condition(stem) ? stem + r.replacement : word;
    }
    if (endsWith(word, r.suffix)) {
      const std::string stem = dropSuffix(word, r.suffix.size());
      return !r.condition || r.condition(stem) ? stem + r.replacement : word;
    }
  }
  return word;
}

std::string step1a(const std::string& w) {
  if (endsWith(w, "ies") && w.size() == 4) return dropSuffix(w, 3) + "ie";
  return applyRules(w, {{"sses", "ss", {}}, {"ies", "i", {}}, {"ss", "ss", {}}, {"s", "", {}}});
}

std::string step1b(const std::string& w) {
  if (endsWith(w, "ied")) return dropSuffix(w, 3) + (w.size() == 4 ? "ie" : "i");
  if (endsWith(w, "eed")) {
    const std::string stem = dropSuffix(w, 3);
    return measure(stem) > 0 ? stem + "ee" : w;
  }
  std::string stem;
  bool removed = false;
  for (const char* suffix : {"ed", "ing"}) {
    if (endsWith(w, suffix)) {
      stem = dropSuffix(w, std::string(suffix).size());
      if (containsVowel(stem)) {
        removed = true;
        break;
      }
    }
  }
  if (!removed) return w;
  const char last = stem.back();
  return applyRules(stem, {{"at", "ate", {}},
                           {"bl", "ble", {}},
                           {"iz", "ize", {}},
                           {"*d", std::string(1, last), [last](const std::string&) {
                              return last != 'l' && last != 's' && last != 'z';
                            }},
                           {"", "e", [](const std::string& s) { return measure(s) == 1 && endsCvc(s); }}});
}

std::string step1c(const std::string& w) {
  return applyRules(w, {{"y", "i", [](const std::string& s) {
                           return s.size() > 1 && isConsonant(s, s.size() - 1);
                         }}});
}

std::string step2(const std::string& w) {
  if (endsWith(w, "alli") && positiveMeasure(dropSuffix(w, 4))) return step2(dropSuffix(w, 4) + "al");
  const Condition pos = positiveMeasure;
  return applyRules(w, {{"ational", "ate", pos},
                        {"tional", "tion", pos},
                        {"enci", "ence", pos},
                        {"anci", "ance", pos},
                        {"izer", "ize", pos},
                        {"bli", "ble", pos},
                        {"alli", "al", pos},
                        {"entli", "ent", pos},
                        {"eli", "e", pos},
                        {"ousli", "ous", pos},
                        {"ization", "ize", pos},
                        {"ation", "ate", pos},
                        {"ator", "ate", pos},
                        {"alism", "al", pos},
                        {"iveness", "ive", pos},
                        {"fulness", "ful", pos},
                        {"ousness", "ous", pos},
                        {"aliti", "al", pos},
                        {"iviti", "ive", pos},
                        {"biliti", "ble", pos},
                        {"fulli", "ful", pos},
                        // The 'l' of 'logi' stays with the stem: the measure is taken of the word minus "ogi".
                        {"logi", "log", [&w](const std::string&) { return positiveMeasure(dropSuffix(w, 3)); }}});
}

std::string step3(const std::string& w) {
  const Condition pos = positiveMeasure;
  return applyRules(w, {{"icate", "ic", pos},
                        {"ative", "", pos},
                        {"alize", "al", pos},
                        {"iciti", "ic", pos},
                        {"ical", "ic", pos},
                        {"ful", "", pos},
                        {"ness", "", pos}});
}

std::string step4(const std::string& w) {
  const Condition gt1 = [](const std::string& s) { return measure(s) > 1; };
  return applyRules(w, {{"al", "", gt1},
                        {"ance", "", gt1},
                        {"ence", "", gt1},
                        {"er", "", gt1},
                        {"ic", "", gt1},
                        {"able", "", gt1},
                        {"ible", "", gt1},
                        {"ant", "", gt1},
                        {"ement", "", gt1},
                        {"ment", "", gt1},
                        {"ent", "", gt1},
                        {"ion", "", [](const std::string& s) {
                           return measure(s) > 1 && (s.back() == 's' || s.back() == 't');
                         }},
                        {"ou", "", gt1},
                        {"ism", "", gt1},
                        {"ate", "", gt1},
                        {"iti", "", gt1},
                        {"ous", "", gt1},
                        {"ive", "", gt1},
                        {"ize", "", gt1}});
}

// Both (m>1) E and (m=1 and not *o) E are tried, unlike the other steps' first-match rule lists.
std::string step5a(const std::string& w) {
  if (!endsWith(w, "e")) return w;
  const std::string stem = dropSuffix(w, 1);
  const int m = measure(stem);
  if (m > 1 || (m == 1 && !endsCvc(stem))) return stem;
  return w;
}

std::string step5b(const std::string& w) {
  return applyRules(w, {{"ll", "l", [&w](const std::string&) { return measure(dropSuffix(w, 1)) > 1; }}});
}

const std::unordered_map<std::string, std::string>& irregularForms() {
  static const std::unordered_map<std::string, std::string> pool{
      {"sky", "sky"},         {"skies", "sky"},         {"dying", "die"},     {"lying", "lie"},
      {"tying", "tie"},       {"news", "news"},         {"innings", "inning"}, {"inning", "inning"},
      {"outings", "outing"},  {"outing", "outing"},     {"cannings", "canning"}, {"canning", "canning"},
      {"howe", "howe"},       {"proceed", "proceed"},   {"exceed", "exceed"}, {"succeed", "succeed"}};
  return pool;
}

}  // namespace

std::string porterStem(const std::string& word) {
  if (const auto it = irregularForms().find(word); it != irregularForms().end()) return it->second;
  if (word.size() <= 2) return word;
  return step5b(step5a(step4(step3(step2(step1c(step1b(step1a(word))))))));
}

}  // namespace distillery
