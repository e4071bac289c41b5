#include "eval/Perturb.h"

#include "common/Error.h"

#include <QtCore/QChar>
#include <QtCore/QList>

namespace distillery {

uint64_t SplitMix64::next() {
  state_ += 0x9E3779B97F4A7C15ull;
  uint64_t z = state_;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double SplitMix64::uniform() { return double(next() >> 11) * 0x1.0p-53; }

uint64_t rowSeed(int64_t seed, int64_t rowIndex) {
  return uint64_t(seed) ^ (uint64_t(rowIndex) * 0xD1B54A32D192ED03ull);
}

namespace {

bool isLetter(char32_t c) { return QChar::isLetter(c); }

// One code point's case changed; a mapping that is not one code point (none in QChar's simple mappings) keeps it.
char32_t swapCase(char32_t c) { return QChar::isUpper(c) ? QChar::toLower(c) : QChar::toUpper(c); }

QList<char32_t> typos(const QList<char32_t>& in, double rate, SplitMix64& rng) {
  QList<char32_t> out;
  out.reserve(in.size() + in.size() / 8);
  for (qsizetype i = 0; i < in.size(); ++i) {
    const char32_t c = in[i];
    if (isLetter(c) && rng.uniform() < rate) {
      const uint64_t op = rng.next() % 3;
      if (op == 0 && i + 1 < in.size() && isLetter(in[i + 1])) {
        out << in[i + 1] << c;
        ++i;
        continue;
      }
      if (op == 1) continue;
      if (op == 2) out << c;
    }
    out << c;
  }
  return out;
}

QList<char32_t> casing(QList<char32_t> cps, double rate, const QString& mode, SplitMix64& rng) {
  for (char32_t& c : cps) {
    if (!isLetter(c) || !(rng.uniform() < rate)) continue;
    if (mode == QLatin1String("upper"))
      c = QChar::toUpper(c);
    else if (mode == QLatin1String("lower"))
      c = QChar::toLower(c);
    else
      c = swapCase(c);
  }
  return cps;
}

QList<char32_t> whitespace(const QList<char32_t>& in, double rate, SplitMix64& rng) {
  QList<char32_t> out;
  out.reserve(in.size() + in.size() / 8);
  for (const char32_t c : in) {
    if (c == U' ' && rng.uniform() < rate) {
      const uint64_t op = rng.next() % 3;
      if (op == 0) continue;
      out << (op == 1 ? U' ' : U'\t');
      if (op == 1) out << U' ';
      continue;
    }
    out << c;
  }
  return out;
}

QList<char32_t> noise(QList<char32_t> cps, double rate, SplitMix64& rng) {
  for (char32_t& c : cps) {
    if (QChar::isSpace(c) || !(rng.uniform() < rate)) continue;
    char32_t r = char32_t(0x21 + rng.next() % 94);
    if (r == c) r = char32_t(0x21 + (r - 0x21 + 1) % 94);
    c = r;
  }
  return cps;
}

}  // namespace

QString perturbText(const QString& text, const PerturbationSpec& p, uint64_t state) {
  SplitMix64 rng(state);
  const QList<uint> ucs4 = text.toUcs4();  // Qt 6.4 gives uint
  const QList<char32_t> in(ucs4.begin(), ucs4.end());
  QList<char32_t> out;
  if (p.kind == QLatin1String("typos"))
    out = typos(in, p.rate, rng);
  else if (p.kind == QLatin1String("casing")) {
    if (!p.mode.isEmpty() && p.mode != QLatin1String("upper") && p.mode != QLatin1String("lower") &&
        p.mode != QLatin1String("random"))
      throw Error(QString(), QStringLiteral("perturbations.mode"), p.mode,
                  QStringLiteral("must be one of: upper, lower, random"));
    out = casing(in, p.rate, p.mode, rng);
  } else if (p.kind == QLatin1String("whitespace"))
    out = whitespace(in, p.rate, rng);
  else if (p.kind == QLatin1String("noise"))
    out = noise(in, p.rate, rng);
  else
    throw Error(QString(), QStringLiteral("perturbations.kind"), p.kind,
                QStringLiteral("must be one of: typos, casing, whitespace, noise"));
  return QString::fromUcs4(out.constData(), out.size());
}

QString perturbationName(const PerturbationSpec& p) {
  QString name = p.kind;
  if (!p.mode.isEmpty()) name += QLatin1Char(' ') + p.mode;
  return name + QLatin1Char(' ') + QString::number(p.rate);
}

}  // namespace distillery
