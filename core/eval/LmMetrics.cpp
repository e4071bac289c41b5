#include "eval/LmMetrics.h"

#include "common/Error.h"

namespace distillery {

namespace {
[[noreturn]] void notBuilt() { throw Error(QStringLiteral("language-model metrics are not built yet")); }
}  // namespace

std::vector<TextWindow> slidingWindows(int64_t, int64_t, int64_t, int64_t) { notBuilt(); }
double TokenStats::perplexity() const { notBuilt(); }
double TokenStats::accuracy() const { notBuilt(); }
TokenStats& TokenStats::operator+=(const TokenStats&) { notBuilt(); }
LmScores scoreTexts(CausalLM&, const std::vector<std::vector<int32_t>>&, const LmEvalOptions&) { notBuilt(); }
WindowLogits windowLogits(CausalLM&, const std::vector<std::vector<int32_t>>&, const std::vector<TextWindow>&) {
  notBuilt();
}
FidelityRun compareModels(CausalLM&, CausalLM&, const std::vector<std::vector<int32_t>>&, const LmEvalOptions&) {
  notBuilt();
}
std::pair<std::vector<int32_t>, std::vector<int32_t>> encodePair(const Tokenizer&, const QString&, const QString&) {
  notBuilt();
}
LoglikelihoodResult logLikelihoods(CausalLM&, const std::vector<std::pair<std::vector<int32_t>, std::vector<int32_t>>>&,
                                   const LmEvalOptions&) {
  notBuilt();
}
ChoiceScores scoreChoices(CausalLM&, const Tokenizer&, const std::vector<ChoiceQuestion>&, const LmEvalOptions&) {
  notBuilt();
}

}  // namespace distillery
