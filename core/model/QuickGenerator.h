// A model loaded once for short interactive prompts (the Models panel's prompt box), streaming its tokens as
// they are chosen. The header needs no torch: the GUI loads and runs it in a worker thread through this class.
//
//   QuickGenerator g;
//   g.load("/models/tiny-llama");                         // FormatError naming the file; float32 on the CPU
//   std::atomic_bool cancel = false;
//   QuickOutput out = g.run(g.encode("Hello"), {.maxNewTokens = 32, .greedy = true}, &cancel,
//                           [](const std::vector<int64_t>& ids, const QString& text) { ... });  // per token
//
// Decoding is generate()'s for one row (Generate.h: repetition penalty → temperature → top-k → top-p →
// multinomial, or argmax), with a KV cache; greedy output equals `distillery-cli generate --greedy`.
#pragma once
#include <QtCore/QString>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace distillery {

struct QuickSettings {
  int64_t maxNewTokens = 64;       // new tokens at most (1–4096)
  bool greedy = false;             // argmax; temperature, top-k and top-p are unused
  double temperature = 0.7;        // > 0; below 1 sharpens, above 1 flattens
  double topP = 0.9;               // (0, 1]; 1 off
  int64_t topK = 0;                // 0 off
  double repetitionPenalty = 1.0;  // > 0; 1 off
  uint64_t seed = 0;               // the sampler's seed
};

struct QuickOutput {
  std::vector<int64_t> promptIds;
  std::vector<int64_t> newIds;  // up to and including an eos that ended the run
  QString completion;           // newIds decoded (special tokens skipped); empty without a tokenizer
  bool finished = false;        // ended by an eos
  bool stopped = false;         // cancelled
};

class QuickGenerator {
 public:
  QuickGenerator();
  ~QuickGenerator();
  QuickGenerator(const QuickGenerator&) = delete;
  QuickGenerator& operator=(const QuickGenerator&) = delete;

  // Loads the model (float32, CPU) and, when the folder has one, its tokenizer.json. Throws FormatError naming
  // the file and field; the previous model stays loaded then.
  void load(const QString& dir);
  bool isLoaded() const;
  QString dir() const;
  bool hasTokenizer() const;
  int64_t vocabSize() const;
  // The prompt's ids with the tokenizer's special tokens (as `generate --prompt`); Error without a tokenizer or
  // when the text encodes to nothing.
  std::vector<int64_t> encode(const QString& prompt) const;
  // Generates after promptIds; onToken (may be empty) gets every id so far and their text after each token, on
  // the calling thread. Reads *cancel (may be null) before each token. Throws Error for bad settings or ids.
  QuickOutput run(const std::vector<int64_t>& promptIds, const QuickSettings& settings, const std::atomic_bool* cancel,
                  const std::function<void(const std::vector<int64_t>& ids, const QString& text)>& onToken) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> d_;
};

}  // namespace distillery
