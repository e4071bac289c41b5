// The model commands of distillery-cli:
//   inspect MODEL_DIR                      architecture, sizes, tokenizer, memory estimates (one JSON object)
//   logits MODEL_DIR IN OUT                input_ids [B,S] (+ attention_mask) from IN.safetensors → float32
//                                          logits [B,S,V] in OUT.safetensors
//   generate MODEL_DIR --ids 1,2,3         prompt + new ids as a JSON array; --prompt TEXT prints text
#include "checkpoint/Checkpoint.h"
#include "checkpoint/Safetensors.h"
#include "cli/CliContext.h"
#include "cli/ModelOptions.h"
#include "common/Error.h"
#include "model/Generate.h"
#include "model/ModelFacts.h"
#include "model/ModelLoader.h"
#include "tokenizer/Tokenizer.h"

#include <torch/torch.h>

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

namespace distillery::cli {

namespace {

QJsonArray toJson(const std::vector<int64_t>& v) {
  QJsonArray a;
  for (int64_t x : v) a.append(static_cast<qint64>(x));
  return a;
}

QString oneArgument(QCommandLineParser& p, const QString& command, const QString& usage, int count) {
  if (p.positionalArguments().size() != count)
    throw UsageError(QStringLiteral("`%1` takes %2 argument%3\nusage: ")
                         .arg(command)
                         .arg(count)
                         .arg(count == 1 ? QString() : QStringLiteral("s")) +
                     usage);
  return p.positionalArguments().first();
}

// ---- inspect ----------------------------------------------------------------------------------------------

int inspect(Context& ctx) {
  const QString usage = QStringLiteral("distillery-cli inspect MODEL_DIR");
  QCommandLineParser p;
  p.addPositionalArgument(QStringLiteral("MODEL_DIR"), QStringLiteral("Hugging Face model folder (config.json, safetensors)."));
  if (!parseOrThrow(p, ctx, usage)) return 0;
  const QString dir = oneArgument(p, QStringLiteral("inspect"), usage, 1);
  ctx.print(inspectModel(dir));
  return 0;
}

// ---- logits -----------------------------------------------------------------------------------------------

// An integer [B, S] tensor of IN as int64; undefined when absent and not required.
torch::Tensor readIds(const SafetensorsFile& in, const char* name, bool required) {
  const TensorInfo* info = in.find(name);
  if (!info) {
    if (required) throw FormatError(in.path(), QString::fromLatin1(name), {}, QStringLiteral("is missing"));
    return {};
  }
  const DType d = info->dtype;
  if ((d != DType::I64 && d != DType::I32 && d != DType::I16 && d != DType::I8 && d != DType::U8 && d != DType::Bool) ||
      info->shape.size() != 2 || info->shape[0] < 1 || info->shape[1] < 1)
    throw FormatError(in.path(), QString::fromLatin1(name), {},
                      QStringLiteral("must be a non-empty [batch, sequence] integer tensor, got %1 %2")
                          .arg(dtypeName(d), shapeText(info->shape)));
  return in.tensor(name).to(torch::kInt64);
}

int logits(Context& ctx) {
  const QString usage = QStringLiteral(
      "distillery-cli logits MODEL_DIR IN.safetensors OUT.safetensors [--device cpu|cuda] [--dtype f32|bf16]");
  QCommandLineParser p;
  const QCommandLineOption device(QStringLiteral("device"), kDeviceHelp, QStringLiteral("DEVICE"));
  const QCommandLineOption dtype(QStringLiteral("dtype"), kDtypeHelp, QStringLiteral("DTYPE"));
  p.addOptions({device, dtype});
  p.addPositionalArgument(QStringLiteral("MODEL_DIR"), QStringLiteral("Hugging Face model folder."));
  p.addPositionalArgument(QStringLiteral("IN"), QStringLiteral("safetensors with input_ids [B,S] and optionally attention_mask [B,S]."));
  p.addPositionalArgument(QStringLiteral("OUT"), QStringLiteral("safetensors to write with float32 logits [B,S,vocab]."));
  if (!parseOrThrow(p, ctx, usage)) return 0;
  oneArgument(p, QStringLiteral("logits"), usage, 3);
  const QStringList args = p.positionalArguments();
  const torch::Device dev = parseDevice(p.value(device));
  const torch::ScalarType type = parseDtype(p.value(dtype));

  const SafetensorsFile in(args[1]);
  const torch::Tensor ids = readIds(in, "input_ids", true);
  const torch::Tensor mask = readIds(in, "attention_mask", false);
  if (mask.defined()) {
    if (mask.sizes() != ids.sizes())
      throw FormatError(in.path(), QStringLiteral("attention_mask"), {},
                        QStringLiteral("has shape %1, input_ids %2; they must match")
                            .arg(shapeText(mask.sizes().vec()), shapeText(ids.sizes().vec())));
    if (!mask.eq(0).logical_or(mask.eq(1)).all().item<bool>())
      throw FormatError(in.path(), QStringLiteral("attention_mask"), {}, QStringLiteral("must hold only 0 and 1"));
  }

  LoadedModel m = loadModel(args[0], type, dev);
  const auto [lowest, highest] = torch::aminmax(ids);
  if (lowest.item<int64_t>() < 0 || highest.item<int64_t>() >= m.config.vocabSize)
    throw FormatError(in.path(), QStringLiteral("input_ids"), {},
                      QStringLiteral("holds ids from %1 to %2, outside the vocabulary [0, %3)")
                          .arg(lowest.item<int64_t>())
                          .arg(highest.item<int64_t>())
                          .arg(m.config.vocabSize));
  torch::NoGradGuard noGrad;
  ForwardOptions f;
  f.attentionMask = mask.defined() ? mask.to(dev) : mask;
  const torch::Tensor out = m.model->forward(ids.to(dev), f).logits.to(torch::kCPU);
  writeSafetensors(args[2], {{"logits", out}}, {{QStringLiteral("format"), QStringLiteral("pt")}});
  QJsonArray shape;
  for (int64_t d : out.sizes()) shape.append(static_cast<qint64>(d));
  ctx.print({{QStringLiteral("output"), args[2]}, {QStringLiteral("shape"), shape}});
  return 0;
}

// ---- generate ---------------------------------------------------------------------------------------------

std::vector<int64_t> parseIds(const QString& text) {
  std::vector<int64_t> ids;
  for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
    bool ok = false;
    const qlonglong id = part.trimmed().toLongLong(&ok);
    if (!ok || id < 0) throw UsageError({}, QStringLiteral("--ids"), text, QStringLiteral("must be token ids separated by commas"));
    ids.push_back(id);
  }
  if (ids.empty()) throw UsageError({}, QStringLiteral("--ids"), text, QStringLiteral("must name at least one token id"));
  return ids;
}

int generateMain(Context& ctx) {
  const QString usage = QStringLiteral(
      "distillery-cli generate MODEL_DIR (--ids 1,2,3 | --prompt TEXT) [--max-new-tokens N] "
      "[--greedy | --temperature T --top-p P] [--top-k K] [--repetition-penalty R] [--seed S] "
      "[--device cpu|cuda] [--dtype f32|bf16]");
  QCommandLineParser p;
  const QCommandLineOption ids(QStringLiteral("ids"), QStringLiteral("Prompt token ids, comma-separated; prints prompt and new ids as a JSON array."), QStringLiteral("IDS"));
  const QCommandLineOption prompt(QStringLiteral("prompt"), QStringLiteral("Prompt text, encoded with the model's tokenizer (special tokens added); prints prompt and completion as text."), QStringLiteral("TEXT"));
  const SamplingOptions sampling;
  const QCommandLineOption device(QStringLiteral("device"), kDeviceHelp, QStringLiteral("DEVICE"));
  const QCommandLineOption dtype(QStringLiteral("dtype"), kDtypeHelp, QStringLiteral("DTYPE"));
  p.addOptions({ids, prompt, device, dtype});
  sampling.addTo(p);
  p.addPositionalArgument(QStringLiteral("MODEL_DIR"), QStringLiteral("Hugging Face model folder."));
  if (!parseOrThrow(p, ctx, usage)) return 0;
  const QString dir = oneArgument(p, QStringLiteral("generate"), usage, 1);
  if (p.isSet(ids) == p.isSet(prompt)) throw UsageError(QStringLiteral("give one of --ids and --prompt\nusage: ") + usage);

  GenerateOptions o;
  sampling.apply(p, o);
  const torch::Device dev = parseDevice(p.value(device));
  const torch::ScalarType type = parseDtype(p.value(dtype));

  Tokenizer tokenizer;
  std::vector<int64_t> promptIds;
  if (p.isSet(ids)) {
    promptIds = parseIds(p.value(ids));
  } else {
    tokenizer = Tokenizer::fromDirectory(dir);
    for (int32_t id : tokenizer.encode(p.value(prompt), /*addSpecialTokens=*/true)) promptIds.push_back(id);
    if (promptIds.empty()) throw UsageError({}, QStringLiteral("--prompt"), p.value(prompt), QStringLiteral("encodes to no tokens"));
  }

  LoadedModel m = loadModel(dir, type, dev);
  useModelTokenIds(o, m.config, m.generation);
  for (int64_t id : promptIds)
    if (id >= m.config.vocabSize)
      throw UsageError({}, QStringLiteral("--ids"), QString::number(id),
                       QStringLiteral("is outside the vocabulary [0, %1)").arg(m.config.vocabSize));
  const GenerateResult r = generate(m.model, {promptIds}, o);
  std::vector<int64_t> all = promptIds;
  all.insert(all.end(), r.newTokens.front().begin(), r.newTokens.front().end());

  if (p.isSet(ids)) {
    ctx.out << QJsonDocument(toJson(all)).toJson(QJsonDocument::Compact) << Qt::endl;
    return 0;
  }
  const std::vector<int32_t> all32(all.begin(), all.end());
  const QString text = tokenizer.decode(all32, /*skipSpecialTokens=*/true);
  if (ctx.json) {
    const std::vector<int32_t> new32(r.newTokens.front().begin(), r.newTokens.front().end());
    ctx.print({{QStringLiteral("text"), text},
               {QStringLiteral("completion"), tokenizer.decode(new32, true)},
               {QStringLiteral("ids"), toJson(all)}});
  } else {
    ctx.out << text << Qt::endl;
  }
  return 0;
}

}  // namespace

Command inspectCommand() {
  return {QStringLiteral("inspect"),
          QStringLiteral("describe a model folder: architecture, sizes, tokenizer, memory estimates"), inspect};
}

Command logitsCommand() {
  return {QStringLiteral("logits"),
          QStringLiteral("run a model on input_ids from a safetensors file and write float32 logits"), logits};
}

Command generateCommand() {
  return {QStringLiteral("generate"), QStringLiteral("continue a prompt (ids or text) with a model, greedy or sampled"),
          generateMain};
}

}  // namespace distillery::cli
