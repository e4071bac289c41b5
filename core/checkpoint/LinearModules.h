// The Linear modules of a model folder, named as LoRA's target_modules takes them (q_proj, v_proj, ...), read
// from the safetensors headers alone: no tensor is loaded and no torch header is needed, so the GUI can offer
// them as choices the moment a student folder is picked.
//
//   QStringList names = linearModuleSuffixes(dir);   // {"down_proj", "gate_proj", "k_proj", ...}
#pragma once
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace distillery {

// The last name component of every 2-D ".weight" inside the decoder layers (a name containing "layers."), sorted
// and unique: the suffixes lora.target_modules matches. The files read are model.safetensors, or the shards
// model.safetensors.index.json lists. Throws FormatError naming the file for a missing folder or file, or a
// header that is not a safetensors header.
QStringList linearModuleSuffixes(const QString& modelDir);

}  // namespace distillery
