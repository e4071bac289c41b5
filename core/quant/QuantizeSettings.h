// What `distillery-cli quantize` and a job of kind quantize ask for, as a plain value: the CLI fills it from its
// flags, JobSpec holds it as its "quantize" section, and quantizeFolder (quant/QuantizeFolder.h) runs it. Kept free
// of torch so the job description (and the GUI's form) can include it.
#pragma once
#include <QtCore/QString>
#include <QtCore/QStringList>

namespace distillery {

struct QuantizeSettings {
  QString scheme = QStringLiteral("int8");        // int8 | int4-g32 | int4-g64 | int4-g128 | f16 | bf16 (plain export)
  QString activations = QStringLiteral("none");   // none | int8 (W8A8, simulated; int8/int4 schemes only)
  QString adapter;                                // PEFT LoRA adapter folder merged first; empty: none
  bool operator==(const QuantizeSettings&) const = default;

  // The schemes `scheme` may name: QuantScheme::names() plus the plain exports f16 and bf16.
  static QStringList schemes();
  bool plainExport() const { return scheme == QLatin1String("f16") || scheme == QLatin1String("bf16"); }
};

}  // namespace distillery
