#include "jobs/JobErrorHint.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QRegularExpression>

namespace distillery::ui {

static QString translated(const char* text) { return QCoreApplication::translate("JobErrorHint", text); }

QString jobErrorHint(const QString& error) {
  // Checked in order: the first pattern that matches gives the hint (OOM texts may also name a file).
  struct Rule {
    const char* pattern;
    const char* hint;
  };
  static const Rule rules[] = {
      {"out of memory|CUDA error: out|cannot allocate|std::bad_alloc",
       QT_TRANSLATE_NOOP("JobErrorHint",
                         "The device ran out of memory: lower train.batch_size (raise train.grad_accum to keep the "
                         "effective batch), lower train.seq_len, use train.dtype bfloat16 on a GPU, or use LoRA "
                         "instead of full fine-tuning.")},
      {"tokenizer|vocab",
       QT_TRANSLATE_NOOP("JobErrorHint",
                         "Teacher and student tokenizers differ: pick a teacher from the student's family (run "
                         "`distillery-cli preflight TEACHER STUDENT`), or distil on teacher-generated text "
                         "(sequence-level KD) instead of logits.")},
      {"\\bnan\\b|\\binf\\b|non-finite|not finite",
       QT_TRANSLATE_NOOP("JobErrorHint",
                         "The loss became NaN/Inf: lower train.lr (e.g. by 10×), keep train.max_grad_norm at 1.0, "
                         "add train.warmup_steps, or use float32 instead of bfloat16.")},
      {"no such file|does not exist|not found|cannot be opened|cannot be read|is missing|is not a folder|no file",
       QT_TRANSLATE_NOOP("JobErrorHint",
                         "A file or folder named in the job is missing: check the path in the error (data.train, "
                         "data.validation, student, teacher); relative paths in a job file resolve against the "
                         "file's own folder.")},
      {"must be|is only for|unknown key",
       QT_TRANSLATE_NOOP("JobErrorHint",
                         "A job key has a value out of range: the error names the key; fix it in the form (the "
                         "README's Job JSON section lists every key and its range).")},
  };
  for (const Rule& r : rules)
    if (error.contains(QRegularExpression(QString::fromLatin1(r.pattern), QRegularExpression::CaseInsensitiveOption)))
      return translated(r.hint);
  return {};
}

}  // namespace distillery::ui
