#include "data/PiiChecks.h"

#include <QtCore/QDate>
#include <QtCore/QStringList>

#include <array>
#include <utility>

namespace distillery::pii {

namespace {

bool isDigit(QChar c) { return c >= QLatin1Char('0') && c <= QLatin1Char('9'); }
bool isHex(QChar c) {
  return isDigit(c) || (c >= QLatin1Char('a') && c <= QLatin1Char('f')) || (c >= QLatin1Char('A') && c <= QLatin1Char('F'));
}

}  // namespace

int digitCount(QStringView s) {
  int n = 0;
  for (QChar c : s) n += isDigit(c) ? 1 : 0;
  return n;
}

bool luhnValid(QStringView s) {
  int sum = 0, n = 0;
  for (qsizetype i = s.size() - 1; i >= 0; --i) {
    const QChar c = s[i];
    if (c == QLatin1Char(' ') || c == QLatin1Char('-')) continue;
    if (!isDigit(c)) return false;
    int d = c.unicode() - '0';
    if (n % 2 == 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    ++n;
  }
  return n > 0 && sum % 10 == 0;
}

int ibanLength(QStringView country) {
  // SWIFT IBAN registry (release 2024): country → total length.
  static const std::pair<const char*, int> kLengths[] = {
      {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22}, {"BH", 22},
      {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DJ", 27},
      {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FK", 18}, {"FO", 18}, {"FR", 27},
      {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22},
      {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32},
      {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19},
      {"MN", 20}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24},
      {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24}, {"SC", 31},
      {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25}, {"SV", 28}, {"TL", 23},
      {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30}};
  for (const auto& [code, length] : kLengths)
    if (country == QLatin1String(code)) return length;
  return 0;
}

bool ibanValid(QStringView s) {
  QString compact;
  for (QChar c : s)
    if (c != QLatin1Char(' ')) compact.append(c);
  if (compact.size() < 5 || compact.size() != ibanLength(QStringView(compact).left(2))) return false;
  if (!isDigit(compact[2]) || !isDigit(compact[3])) return false;
  // Move the first four characters to the end, letters become 10..35, the number mod 97 must be 1.
  const QString rearranged = compact.mid(4) + compact.left(4);
  int rest = 0;
  for (QChar c : rearranged) {
    if (isDigit(c)) {
      rest = (rest * 10 + (c.unicode() - '0')) % 97;
    } else if (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) {
      rest = (rest * 100 + (c.unicode() - 'A' + 10)) % 97;
    } else {
      return false;
    }
  }
  return rest == 1;
}

bool cnIdValid(QStringView s) {
  if (s.size() != 18) return false;
  for (int i = 0; i < 17; ++i)
    if (!isDigit(s[i])) return false;
  const QChar last = s[17].toUpper();
  if (!isDigit(last) && last != QLatin1Char('X')) return false;
  if (s[0] == QLatin1Char('0') || s[0] == QLatin1Char('9')) return false;
  static constexpr std::array<int, 17> kWeights{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (s[i].unicode() - '0') * kWeights[size_t(i)];
  static constexpr char kCheck[] = "10X98765432";
  if (last != QLatin1Char(kCheck[sum % 11])) return false;
  const QDate birth(s.mid(6, 4).toInt(), s.mid(10, 2).toInt(), s.mid(12, 2).toInt());
  return birth.isValid() && birth >= QDate(1900, 1, 1) && birth <= QDate::currentDate();
}

bool ipv4Valid(QStringView s) {
  const QList<QStringView> parts = s.split(QLatin1Char('.'));
  if (parts.size() != 4) return false;
  for (QStringView p : parts) {
    if (p.isEmpty() || p.size() > 3 || digitCount(p) != p.size()) return false;
    if (p.toInt() > 255) return false;
  }
  return true;
}

bool ipv6Valid(QStringView s) {
  if (s.isEmpty()) return false;
  int groups = 0;
  QStringView rest = s;
  // A dotted IPv4 tail stands for the last two groups.
  const qsizetype lastColon = s.lastIndexOf(QLatin1Char(':'));
  if (lastColon < 0) return false;
  if (s.indexOf(QLatin1Char('.'), lastColon) >= 0) {
    if (!ipv4Valid(s.mid(lastColon + 1))) return false;
    groups += 2;
    rest = s.left(lastColon + 1);
    // "::1.2.3.4" keeps its "::"; "a:b:...:1.2.3.4" drops the trailing ':' separator.
    if (!rest.endsWith(QLatin1String("::"))) rest.chop(1);
  }
  const qsizetype gap = rest.indexOf(QLatin1String("::"));
  if (gap >= 0 && rest.indexOf(QLatin1String("::"), gap + 1) >= 0) return false;  // at most one "::"
  auto countGroups = [](QStringView part, int& n) {
    if (part.isEmpty()) return true;
    for (QStringView g : part.split(QLatin1Char(':'))) {
      if (g.isEmpty() || g.size() > 4) return false;
      for (QChar c : g)
        if (!isHex(c)) return false;
      ++n;
    }
    return true;
  };
  if (gap < 0) return countGroups(rest, groups) && groups == 8;
  if (!countGroups(rest.left(gap), groups) || !countGroups(rest.mid(gap + 2), groups)) return false;
  return groups >= 1 && groups <= 7;  // "::" alone is punctuation far more often than an address
}

}  // namespace distillery::pii
