// A Hugging Face causal LM's config.json, read strictly for the architectures Distillery runs (Llama, Mistral,
// Qwen2, Qwen3). Fields carry transformers' names in their comments; defaults are transformers' own.
//
//   ModelConfig cfg = ModelConfig::fromFile(dir + "/config.json");   // FormatError naming file and field
#pragma once
#include <QtCore/QJsonObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <cstdint>
#include <optional>
#include <vector>

namespace distillery {

// rope_scaling / rope_parameters beyond the plain RoPE base.
struct RopeScaling {
  enum class Type {
    None,    // rope_type "default" or no scaling: inv_freq = 1 / theta^(2i/d)
    Llama3,  // rope_type "llama3": long wavelengths divided by factor, a smooth ramp between
  };
  Type type = Type::None;
  double factor = 1.0;                  // factor: how much longer the context is made (8 for Llama 3.1)
  double lowFreqFactor = 1.0;           // low_freq_factor: wavelengths over original/low are scaled fully
  double highFreqFactor = 4.0;          // high_freq_factor: wavelengths under original/high are left alone
  int64_t originalMaxPositions = 8192;  // original_max_position_embeddings: the pretraining context
};

struct ModelConfig {
  QString path;                     // the file read (for error messages); empty for fromJson without one
  QString architecture;             // architectures[0]: LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM, ...
  QString modelType;                // model_type: "llama", "mistral", "qwen2", "qwen3"
  int64_t vocabSize = 0;            // vocab_size: rows of embed_tokens and lm_head
  int64_t hidden = 0;               // hidden_size: model width
  int64_t intermediate = 0;         // intermediate_size: SwiGLU inner width
  int64_t layers = 0;               // num_hidden_layers
  int64_t heads = 0;                // num_attention_heads: query heads
  int64_t kvHeads = 0;              // num_key_value_heads: key/value heads (GQA when < heads); divides heads
  int64_t headDim = 0;              // head_dim, else hidden_size / num_attention_heads (Qwen3: 128); even
  double rmsEps = 1e-6;             // rms_norm_eps
  double ropeTheta = 10000.0;       // rope_theta, top level or in rope_parameters (transformers 5)
  RopeScaling ropeScaling;          // rope_scaling, or the scaling keys of rope_parameters
  int64_t maxPositions = 0;         // max_position_embeddings (informational: longer inputs still run)
  bool tieWordEmbeddings = false;   // tie_word_embeddings: lm_head shares model.embed_tokens.weight
  bool qkvBias = false;             // q/k/v projections have a bias (always for Qwen2; Llama/Qwen3 attention_bias)
  bool oBias = false;               // o_proj has a bias (Llama/Qwen3 attention_bias)
  bool qkNorm = false;              // RMSNorm over each head of q and k before RoPE (Qwen3's q_norm/k_norm)
  bool mlpBias = false;             // gate/up/down projections have a bias (Llama mlp_bias)
  int64_t slidingWindow = 0;        // sliding_window when in use (Mistral; Qwen with use_sliding_window), 0: none
  std::vector<bool> slidingLayers;  // per layer: does it use the window (layer_types / max_window_layers)
  QString dtype;                    // torch_dtype or dtype: "float32", "bfloat16", "float16"; empty if unstated
  std::optional<int64_t> bosTokenId;  // bos_token_id
  std::vector<int64_t> eosTokenIds;   // eos_token_id: an int or a list; empty when null
  std::optional<int64_t> padTokenId;  // pad_token_id

  // Reads and validates config.json. Throws FormatError(path, field, value, what) for: a missing file or bad
  // JSON, a missing or wrong-typed required field, a non-positive size, num_key_value_heads not dividing
  // num_attention_heads, an odd head size, an unsupported architecture, hidden_act or rope type.
  static ModelConfig fromFile(const QString& configJsonPath);
  static ModelConfig fromJson(const QJsonObject& json, const QString& pathForErrors);

  // The window a layer attends within (0: the whole causal context).
  int64_t windowOf(int64_t layer) const;

  static QStringList supportedArchitectures();
};

}  // namespace distillery
