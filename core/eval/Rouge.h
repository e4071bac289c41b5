// ROUGE-1/2/L/Lsum as Google's rouge-score package computes them (its default tokenizer: lower-case, non
// [a-z0-9] → space; optional Porter stemmer for tokens longer than 3; rougeLsum: summary-level LCS over
// newline-separated sentences), plus a character-level mode for Chinese and other unsegmented text.
//
//   RougeScores s = rougeScore(reference, prediction, {});    // s["rougeL"].fmeasure
#pragma once
#include <QtCore/QMap>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <vector>

namespace distillery {

struct RougeOptions {
  QStringList types{"rouge1", "rouge2", "rougeL"};  // rougeN (N ≥ 1), rougeL, rougeLsum
  bool stemmer = false;                             // rouge-score's use_stemmer
  bool charLevel = false;                           // every non-space character is a token (Chinese)
};

struct RougeF {
  double precision = 0;
  double recall = 0;
  double fmeasure = 0;
};
using RougeScores = QMap<QString, RougeF>;  // type → score

// rouge-score's RougeScorer.score(target, prediction). Throws Error for an unknown type.
RougeScores rougeScore(const QString& target, const QString& prediction, const RougeOptions& options);

struct RougeResult {
  RougeScores mean;                // per type, each of P/R/F averaged over segments
  std::vector<RougeScores> lines;  // per segment (several references: score_multi's best F per type)
};
RougeResult rouge(const QStringList& hyps, const QList<QStringList>& refs, const RougeOptions& options);

}  // namespace distillery
