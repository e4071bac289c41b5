#include "train/TrainTask.h"

namespace distillery {

bool TrainTask::noWeightDecay(const std::string& name) const {
  // transformers' Trainer exempts biases and LayerNorm/RMSNorm weights ("norm" in the name) from decay.
  const auto ends = [&](std::string_view s) { return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0; };
  return ends("bias") || name.find("norm") != std::string::npos;
}

}  // namespace distillery
