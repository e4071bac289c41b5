// distillery-cli init-student TEACHER_DIR OUT_DIR --layers N [--hidden H --intermediate I --heads A --kv-heads K
// --seed S]: a student checkpoint made from a teacher, by layer selection or fresh initialisation (StudentInit.h).
#include "cli/CliContext.h"
#include "common/Error.h"
#include "model/StudentInit.h"

#include <QtCore/QDir>
#include <QtCore/QJsonArray>

#include <limits>

namespace distillery::cli {

namespace {

// The value of an integer option, 0 when not given; UsageError naming the flag for anything but a whole number.
int64_t integerOption(const QCommandLineParser& p, const QCommandLineOption& o, int64_t minimum) {
  if (!p.isSet(o)) return 0;
  const QString text = p.value(o);
  bool ok = false;
  const qlonglong v = text.toLongLong(&ok);
  const QString flag = QStringLiteral("--") + o.names().constFirst();
  if (!ok) throw UsageError({}, flag, text, QStringLiteral("must be a whole number"));
  if (v < minimum) throw UsageError({}, flag, text, QStringLiteral("must be at least %1").arg(minimum));
  return v;
}

int initStudent(Context& ctx) {
  const QString usage = QStringLiteral(
      "distillery-cli init-student TEACHER_DIR OUT_DIR --layers N [--hidden H] [--intermediate I] [--heads A] "
      "[--kv-heads K] [--seed S]");
  QCommandLineParser p;
  const QCommandLineOption layers(QStringLiteral("layers"), QStringLiteral("Student layers (required)."),
                                  QStringLiteral("N"));
  const QCommandLineOption hidden(QStringLiteral("hidden"), QStringLiteral("hidden_size (default: the teacher's)."),
                                  QStringLiteral("H"));
  const QCommandLineOption intermediate(QStringLiteral("intermediate"),
                                        QStringLiteral("intermediate_size (default: the teacher's)."),
                                        QStringLiteral("I"));
  const QCommandLineOption heads(QStringLiteral("heads"),
                                 QStringLiteral("num_attention_heads (default: the teacher's)."), QStringLiteral("A"));
  const QCommandLineOption kvHeads(QStringLiteral("kv-heads"),
                                   QStringLiteral("num_key_value_heads (default: the teacher's); divides --heads."),
                                   QStringLiteral("K"));
  const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Seed of a fresh initialisation (default 0)."),
                                QStringLiteral("S"));
  p.addOptions({layers, hidden, intermediate, heads, kvHeads, seed});
  p.addPositionalArgument(QStringLiteral("TEACHER_DIR"), QStringLiteral("Hugging Face model folder of the teacher."));
  p.addPositionalArgument(QStringLiteral("OUT_DIR"), QStringLiteral("New (or empty) folder for the student."));
  p.setApplicationDescription(QStringLiteral(
      "Same widths: student layer i copies teacher layer round(i*(L-1)/(N-1)) (first and last kept). Any width "
      "changed: weights initialised as transformers does (normal(0, initializer_range), norms one)."));
  if (!parseOrThrow(p, ctx, usage)) return 0;
  if (p.positionalArguments().size() != 2)
    throw UsageError(QStringLiteral("`init-student` takes TEACHER_DIR and OUT_DIR\nusage: ") + usage);
  if (!p.isSet(layers)) throw UsageError(QStringLiteral("--layers is required\nusage: ") + usage);

  StudentSpec spec;
  // Values below 1 go through StudentInit's own checks, which name the flag.
  spec.layers = integerOption(p, layers, std::numeric_limits<int64_t>::min());
  spec.hidden = integerOption(p, hidden, 1);
  spec.intermediate = integerOption(p, intermediate, 1);
  spec.heads = integerOption(p, heads, 1);
  spec.kvHeads = integerOption(p, kvHeads, 1);
  spec.seed = static_cast<uint64_t>(integerOption(p, seed, 0));
  const QString teacherDir = p.positionalArguments().at(0), outDir = p.positionalArguments().at(1);

  const StudentResult r = distillery::initStudent(teacherDir, outDir, spec);
  QJsonArray selected;
  for (int64_t l : r.teacherLayers) selected.append(static_cast<qint64>(l));
  const QJsonObject& c = r.config;
  QJsonObject out{
      {QStringLiteral("out"), QDir::cleanPath(outDir)},
      {QStringLiteral("method"),
       r.method == StudentMethod::LayerSelection ? QStringLiteral("layer_selection") : QStringLiteral("fresh_init")},
      {QStringLiteral("teacher_layers"),
       r.method == StudentMethod::LayerSelection ? QJsonValue(selected) : QJsonValue()},
      {QStringLiteral("layers"), c.value(QStringLiteral("num_hidden_layers"))},
      {QStringLiteral("hidden"), c.value(QStringLiteral("hidden_size"))},
      {QStringLiteral("intermediate"), c.value(QStringLiteral("intermediate_size"))},
      {QStringLiteral("heads"), c.value(QStringLiteral("num_attention_heads"))},
      {QStringLiteral("kv_heads"), c.value(QStringLiteral("num_key_value_heads"))},
      {QStringLiteral("parameters"), static_cast<qint64>(r.parameters)},
  };
  if (r.method == StudentMethod::FreshInit) out.insert(QStringLiteral("seed"), static_cast<qint64>(spec.seed));
  ctx.print(out);
  return 0;
}

}  // namespace

Command initStudentCommand() {
  return {QStringLiteral("init-student"),
          QStringLiteral("make a student checkpoint from a teacher (layer selection or fresh init)"), initStudent};
}

}  // namespace distillery::cli
