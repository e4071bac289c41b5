// chrF and chrF++ as sacreBLEU 2.x computes them: character n-gram F-score (plus word n-grams for chrF++),
// corpus statistics summed over segments, the best-scoring reference per segment.
//
//   ChrfResult r = chrf(hyps, {refs}, {.wordOrder = 2});   // chrF++
#pragma once
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <vector>

namespace distillery {

struct ChrfOptions {
  int charOrder = 6;          // character n-grams 1..charOrder
  int wordOrder = 0;          // word n-grams 1..wordOrder (2: chrF++)
  double beta = 2;            // recall weighted beta times as much as precision
  bool epsSmoothing = false;  // sacreBLEU's eps_smoothing (chrF.cpp's); default: its effective-order average
  bool whitespace = false;    // keep whitespace in character n-grams
  bool lowercase = false;
};

struct ChrfResult {
  double score = 0;           // corpus chrF, 0–100
  std::vector<double> lines;  // sentence chrF per segment
  QString signature;
};

// Throws Error when a reference stream's length differs from hyps' or an option is out of range.
ChrfResult chrf(const QStringList& hyps, const QList<QStringList>& refs, const ChrfOptions& options);

}  // namespace distillery
