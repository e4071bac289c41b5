// LoRA (Hu et al. 2021) on a CausalLM's linear layers, as PEFT does it: each targeted Linear keeps its frozen
// weight W and gains lora_A [r, in] and lora_B [out, r], so that y = x·Wᵀ + b + scaling·B·A·dropout(x).
// Parameter names are PEFT's saved keys without "base_model.model." ("model.layers.0.self_attn.q_proj.lora_A.weight"),
// so adapters save to and load from PEFT's adapter_config.json + adapter_model.safetensors one to one.
//
//   LoraConfig c;  c.r = 8;  c.targetModules = {"q_proj", "v_proj"};
//   QStringList adapted = applyLora(lm, c, /*seed*/ 42);   // freezes every base parameter
//   optimizer over loraParameters(lm) ... train ...
//   saveAdapter(lm, c, out, baseDir);                      // a folder peft.PeftModel.from_pretrained reads
//   mergeLora(lm);                                         // W += scaling·B·A; plain model again
#pragma once
#include "model/CausalLM.h"
#include "train/TrainTask.h"

#include <QtCore/QString>
#include <QtCore/QStringList>

#include <cstdint>
#include <vector>

namespace distillery {

struct LoraConfig {
  int r = 16;                                     // rank of A·B
  double alpha = 32;                              // lora_alpha: scaling numerator
  double dropout = 0.1;                           // dropout on A's input, training mode only
  QStringList targetModules{"q_proj", "v_proj"};  // module-name suffixes ("q_proj", "mlp.down_proj"), or the
                                                  // single entry "all-linear": every Linear except lm_head
  bool rslora = false;                            // rsLoRA: scaling alpha/√r instead of alpha/r

  // alpha/r, or alpha/√r with rslora.
  double scaling() const;
  bool operator==(const LoraConfig&) const = default;
};

// Every Linear of the model by its dotted module name ("model.layers.0.self_attn.q_proj"), lm_head excluded
// (it is the output projection, never a LoRA target here), in registration order. For the GUI's target picker.
QStringList linearModuleNames(CausalLM& model);
// The distinct last name components of linearModuleNames ("q_proj", "k_proj", ..., "down_proj"), in order.
QStringList linearModuleSuffixes(CausalLM& model);

// Which of linearModuleNames(model) c.targetModules selects: a name matches a target when it equals it or ends
// with "." + target (PEFT's rule). Throws Error(field "target_modules") when a target matches nothing.
QStringList loraTargets(CausalLM& model, const QStringList& targetModules);

// Adds fresh adapters to every targeted Linear and freezes all other parameters (requires_grad false).
// A: kaiming_uniform_(a=√5) as PEFT/torch.nn.Linear, i.e. U(−1/√in, 1/√in), drawn from a generator seeded
// with `seed` in module order (same seed → same A); B: zeros, so the model's output is unchanged at init.
// Adapters are float32 on the model's device (PEFT keeps them float32 over a bf16 base too).
// Returns the adapted module names. Throws Error for r < 1, alpha <= 0, dropout outside [0, 1), an unknown
// target, or a model that already carries adapters (nothing is changed then).
QStringList applyLora(CausalLM& model, const LoraConfig& c, uint64_t seed);

// Whether any Linear of the model carries an adapter.
bool hasLora(CausalLM& model);

// The adapter parameters (lora_A / lora_B weights) with their model names, in registration order.
std::vector<NamedTensor> loraParameters(CausalLM& model);

// Writes dir/adapter_config.json (the keys PEFT 0.21 writes, peft_type LORA, task_type CAUSAL_LM, bias none,
// target_modules sorted) and dir/adapter_model.safetensors (keys "base_model.model." + parameter name, float32
// as trained, metadata {"format": "pt"}), each atomically. baseModelPath goes to base_model_name_or_path
// (empty: null). Throws Error when the model has no adapters or a write fails.
void saveAdapter(CausalLM& model, const LoraConfig& c, const QString& dir, const QString& baseModelPath);

// Reads a PEFT LoRA adapter folder and attaches it to model (which must carry no adapters yet); returns its
// config. Everything is checked before the model is touched, so on any error the model is as it was.
// Throws FormatError(file, key, value, message) for a missing/unreadable file, peft_type other than LORA,
// use_dora true, bias other than "none", modules_to_save, fan_in_fan_out true, rank_pattern/alpha_pattern
// entries, a target matching no module, a tensor for no adapted module, a missing tensor, or a wrong shape.
LoraConfig loadAdapter(CausalLM& model, const QString& dir);

// Folds every adapter into its base weight (W += scaling·B·A computed in float32, then cast back to W's dtype)
// and removes the adapters: the model is a plain one again (parameters keep requires_grad false).
void mergeLora(CausalLM& model);

// Removes every adapter without merging: the base model exactly as before applyLora/loadAdapter.
void unloadLora(CausalLM& model);

}  // namespace distillery
