#include "models/ModelFactsText.h"

#include "models/ModelListModel.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QJsonArray>

namespace distillery::ui {

namespace {

QString valueText(const QJsonValue& v) {
  if (v.isNull() || v.isUndefined()) return ModelFactsText::tr("not stated");
  if (v.isBool()) return v.toBool() ? ModelFactsText::tr("yes") : ModelFactsText::tr("no");
  if (v.isDouble()) {
    const double d = v.toDouble();
    return d == double(qint64(d)) ? QString::number(qint64(d)) : QString::number(d, 'g', 6);
  }
  if (v.isArray()) {
    QStringList parts;
    for (const QJsonValue& x : v.toArray()) parts << valueText(x);
    return parts.join(QStringLiteral(", "));
  }
  return v.toString();
}

}  // namespace

QString bytesText(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (bytes >= 1024.0 && u < 4) {
    bytes /= 1024.0;
    ++u;
  }
  return u == 0 ? QStringLiteral("%1 B").arg(qint64(bytes))
                : QStringLiteral("%1 %2").arg(bytes, 0, 'f', 1).arg(QLatin1String(units[u]));
}

TokenizerCheck checkTokenizer(const QJsonObject& facts) {
  const QJsonObject t = facts.value(QStringLiteral("tokenizer")).toObject();
  const qint64 config = facts.value(QStringLiteral("vocab")).toInteger();
  if (!t.value(QStringLiteral("present")).toBool())
    return {TokenizerCheck::State::Missing,
            ModelFactsText::tr("No tokenizer.json in the folder: prompts and token statistics need one.")};
  if (t.contains(QStringLiteral("error")))
    return {TokenizerCheck::State::Broken,
            ModelFactsText::tr("tokenizer.json does not load: %1").arg(t.value(QStringLiteral("error")).toString())};
  const qint64 tokens = t.value(QStringLiteral("vocab_size")).toInteger();
  if (tokens == config)
    return {TokenizerCheck::State::Ok,
            ModelFactsText::tr("tokenizer.json loads; its %1 tokens match vocab_size %2.").arg(tokens).arg(config)};
  if (tokens < config)
    return {TokenizerCheck::State::Padded,
            ModelFactsText::tr(
                "tokenizer.json loads; it uses %1 of the model's %2 embedding rows (padded vocabulary, fine).")
                .arg(tokens)
                .arg(config)};
  return {TokenizerCheck::State::Mismatch,
          ModelFactsText::tr(
              "Mismatch: tokenizer.json has %1 tokens but the model's vocab_size is %2; ids from %2 on cannot be "
              "embedded.")
              .arg(tokens)
              .arg(config)};
}

QString modelFactsHtml(const QJsonObject& f) {
  QString html = QStringLiteral("<table cellspacing='2'>");
  const auto row = [&html](const QString& label, const QString& value) {
    html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(label.toHtmlEscaped(), value.toHtmlEscaped());
  };
  row(ModelFactsText::tr("Architecture"),
      QStringLiteral("%1 (%2)").arg(valueText(f.value(QStringLiteral("architecture"))),
                                    valueText(f.value(QStringLiteral("model_type")))));
  const qint64 params = f.value(QStringLiteral("parameters")).toInteger();
  row(ModelFactsText::tr("Parameters"), QStringLiteral("%1 (%2)").arg(parameterText(params)).arg(params));
  const std::pair<const char*, const char*> sizes[] = {
      {QT_TRANSLATE_NOOP("distillery::ui::ModelFactsText", "Layers"), "layers"},
      {QT_TRANSLATE_NOOP("distillery::ui::ModelFactsText", "Attention heads"), "heads"},
      {QT_TRANSLATE_NOOP("distillery::ui::ModelFactsText", "KV heads"), "kv_heads"},
      {QT_TRANSLATE_NOOP("distillery::ui::ModelFactsText", "Head dimension"), "head_dim"},
      {QT_TRANSLATE_NOOP("distillery::ui::ModelFactsText", "Hidden size"), "hidden"},
      {QT_TRANSLATE_NOOP("distillery::ui::ModelFactsText", "MLP size"), "intermediate"},
      {QT_TRANSLATE_NOOP("distillery::ui::ModelFactsText", "Vocabulary (vocab_size)"), "vocab"},
      {QT_TRANSLATE_NOOP("distillery::ui::ModelFactsText", "Dtype"), "dtype"},
      {QT_TRANSLATE_NOOP("distillery::ui::ModelFactsText", "Tied embeddings"), "tied"},
      {QT_TRANSLATE_NOOP("distillery::ui::ModelFactsText", "RoPE theta"), "rope_theta"},
      {QT_TRANSLATE_NOOP("distillery::ui::ModelFactsText", "Max positions"), "max_positions"},
      {QT_TRANSLATE_NOOP("distillery::ui::ModelFactsText", "End-of-sequence ids"), "eos_token_ids"},
  };
  for (const auto& [label, key] : sizes) row(ModelFactsText::tr(label), valueText(f.value(QLatin1String(key))));
  const QJsonObject ckpt = f.value(QStringLiteral("checkpoint")).toObject();
  row(ModelFactsText::tr("Checkpoint"),
      ckpt.value(QStringLiteral("matches_config")).toBool()
          ? ModelFactsText::tr("%1 tensors, %2, matches config.json")
                .arg(ckpt.value(QStringLiteral("tensors")).toInteger())
                .arg(bytesText(ckpt.value(QStringLiteral("bytes")).toDouble()))
          : ModelFactsText::tr("does not match config.json: %1").arg(ckpt.value(QStringLiteral("error")).toString()));
  row(ModelFactsText::tr("Tokenizer"), checkTokenizer(f).text);
  const QJsonObject mem = f.value(QStringLiteral("memory")).toObject();
  const QJsonObject inf = mem.value(QStringLiteral("inference_bf16")).toObject();
  const QJsonObject lora = mem.value(QStringLiteral("lora_training_bf16")).toObject();
  row(ModelFactsText::tr("Inference memory (bf16)"),
      ModelFactsText::tr("%1 at %2 tokens (weights %3, KV cache %4)")
          .arg(bytesText(inf.value(QStringLiteral("total_bytes")).toDouble()))
          .arg(inf.value(QStringLiteral("context")).toInteger())
          .arg(bytesText(inf.value(QStringLiteral("weights_bytes")).toDouble()),
               bytesText(inf.value(QStringLiteral("kv_cache_bytes")).toDouble())));
  row(ModelFactsText::tr("LoRA training memory (bf16)"),
      ModelFactsText::tr("%1 at r %2, %3 tokens × %4")
          .arg(bytesText(lora.value(QStringLiteral("total_bytes")).toDouble()))
          .arg(lora.value(QStringLiteral("rank")).toInteger())
          .arg(lora.value(QStringLiteral("sequence")).toInteger())
          .arg(lora.value(QStringLiteral("batch")).toInteger()));
  html += QStringLiteral("</table>");
  return html;
}

}  // namespace distillery::ui
