// distillery-cli preflight TEACHER STUDENT [--device cpu|cuda:N] [--batch B] [--seq S]: can the student be
// distilled from the teacher's logits (same tokenizer?), does it fit the device, which dtype (Preflight.h).
// Exit 0 when logit KD can run (verdict logit_kd or shared_ids and the memory fits), 1 otherwise.
#include "cli/CliContext.h"
#include "common/Error.h"
#include "kd/Preflight.h"

namespace distillery::cli {

namespace {

int64_t positiveOption(const QCommandLineParser& p, const QCommandLineOption& o, int64_t fallback) {
  if (!p.isSet(o)) return fallback;
  const QString text = p.value(o);
  bool ok = false;
  const qlonglong v = text.toLongLong(&ok);
  if (!ok || v < 1)
    throw UsageError({}, QStringLiteral("--") + o.names().constFirst(), text,
                     QStringLiteral("must be a whole number >= 1"));
  return v;
}

int runPreflight(Context& ctx) {
  const QString usage =
      QStringLiteral("distillery-cli preflight TEACHER_DIR STUDENT_DIR [--device cpu|cuda:N] [--batch B] [--seq S]");
  QCommandLineParser p;
  const QCommandLineOption device(QStringLiteral("device"), QStringLiteral("cpu (default) or cuda[:N]."),
                                  QStringLiteral("DEVICE"));
  const QCommandLineOption batch(QStringLiteral("batch"),
                                 QStringLiteral("Sequences per step for the memory estimate (default 4)."),
                                 QStringLiteral("B"));
  const QCommandLineOption seq(QStringLiteral("seq"),
                               QStringLiteral("Tokens per sequence for the memory estimate (default 512)."),
                               QStringLiteral("S"));
  p.addOptions({device, batch, seq});
  p.addPositionalArgument(QStringLiteral("TEACHER_DIR"), QStringLiteral("Hugging Face model folder of the teacher."));
  p.addPositionalArgument(QStringLiteral("STUDENT_DIR"), QStringLiteral("Hugging Face model folder of the student."));
  if (!parseOrThrow(p, ctx, usage)) return 0;
  if (p.positionalArguments().size() != 2)
    throw UsageError(QStringLiteral("`preflight` takes TEACHER_DIR and STUDENT_DIR\nusage: ") + usage);
  PreflightOptions o;
  o.batch = positiveOption(p, batch, o.batch);
  o.sequence = positiveOption(p, seq, o.sequence);
  const PreflightReport r = preflight(p.positionalArguments().at(0), p.positionalArguments().at(1), p.value(device), o);
  ctx.print(r.toJson());
  return r.ok() ? 0 : 1;
}

}  // namespace

Command preflightCommand() {
  return {QStringLiteral("preflight"),
          QStringLiteral("check a teacher/student pair before KD: tokenizers, vocab, memory, dtype"), runPreflight};
}

}  // namespace distillery::cli
