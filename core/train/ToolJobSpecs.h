// The sections of the two tool kinds of JobSpec (internal to core/train): "quantize" of kind quantize and
// "data_op" of kind data, read strictly (unknown keys, keys of another op, bad values: FormatError with the dotted
// key) and written back so that fromJson(toJson(s)) == s.
#pragma once
#include "data/DataOpSettings.h"
#include "quant/QuantizeSettings.h"
#include "train/JobFields.h"

#include <QtCore/QJsonObject>

namespace distillery::jobspec {

// top: the job object. "quantize" is required; "scheme" in it too.
QuantizeSettings readQuantize(const Fields& top);
QJsonObject quantizeJson(const QuantizeSettings& s);

// top: the job object. "data_op" is required, with "op" and "input"; a key that belongs to another op is refused
// naming the op it is for.
DataOpSettings readDataOp(const Fields& top);
// Only the keys of s.op (all of them, defaults included).
QJsonObject dataOpJson(const DataOpSettings& s);

}  // namespace distillery::jobspec
