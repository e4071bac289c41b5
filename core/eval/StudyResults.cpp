#include "eval/StudyResults.h"

#include "common/Error.h"
#include "data/SeededRandom.h"
#include "eval/Correlation.h"
#include "store/StudySources.h"

#include <QtCore/QJsonArray>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

namespace distillery {

namespace {

QJsonValue number(double v) { return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null); }
QJsonValue optionalNumber(const std::optional<double>& v) { return v ? number(*v) : QJsonValue(QJsonValue::Null); }

QJsonObject estimateJson(const Estimate& e) {
  return {{QStringLiteral("mean"), number(e.mean)},
          {QStringLiteral("se"), number(e.se)},
          {QStringLiteral("ci"), QJsonArray{number(e.low), number(e.high)}}};
}

// Before reveal: model name → "model k", k from a seeded shuffle of the sorted names (the order says nothing).
std::map<QString, QString> aliases(const StudyInfo& study, const std::vector<StudyItem>& items) {
  std::set<QString> names;
  for (const StudyItem& it : items) {
    names.insert(it.modelA);
    if (!it.modelB.isEmpty()) names.insert(it.modelB);
  }
  std::vector<QString> order(names.begin(), names.end());
  std::mt19937_64 rng(study.seed ^ 0x5eedc0deull);
  shuffleInPlace(order, rng);
  std::map<QString, QString> out;
  for (size_t k = 0; k < order.size(); ++k) out[order[k]] = QStringLiteral("model %1").arg(k + 1);
  return out;
}

// Mean, SE (sd/√n) and a percentile bootstrap interval of per-item values; `values[i]` holds item i's value
// under each of `columns` statistics so all columns share the same resamples.
std::vector<Estimate> estimates(const std::vector<std::vector<double>>& values, size_t columns,
                                const StudyResultOptions& o, std::mt19937_64& rng) {
  const size_t n = values.size();
  std::vector<Estimate> out(columns);
  for (size_t c = 0; c < columns; ++c) {
    double sum = 0;
    for (const auto& v : values) sum += v[c];
    const double mean = sum / double(n);
    double ss = 0;
    for (const auto& v : values) ss += (v[c] - mean) * (v[c] - mean);
    out[c].mean = mean;
    out[c].se = n > 1 ? std::sqrt(ss / double(n - 1) / double(n)) : 0;
    out[c].low = out[c].high = mean;
  }
  if (o.bootstrapRounds <= 0) return out;
  std::vector<std::vector<double>> samples(columns);
  for (int round = 0; round < o.bootstrapRounds; ++round) {
    std::vector<double> sum(columns, 0);
    for (size_t k = 0; k < n; ++k) {
      const auto& v = values[size_t(uniformBelow(rng, n))];
      for (size_t c = 0; c < columns; ++c) sum[c] += v[c];
    }
    for (size_t c = 0; c < columns; ++c) samples[c].push_back(sum[c] / double(n));
  }
  const double lo = (1.0 - o.confidence) / 2;
  for (size_t c = 0; c < columns; ++c) {
    std::sort(samples[c].begin(), samples[c].end());
    out[c].low = quantileSorted(samples[c], lo);
    out[c].high = quantileSorted(samples[c], 1.0 - lo);
  }
  return out;
}

AgreementEntry agreementOn(const QString& target, const std::vector<Rating>& ratings, const AgreementOptions& o) {
  AgreementEntry e{target, std::nullopt, {}};
  try {
    e.result = computeAgreement(ratings, o);
  } catch (const Error& err) {
    e.skipped = err.detail().isEmpty() ? err.message() : err.detail();
  }
  return e;
}

std::vector<CorrelationEntry> correlate(const std::vector<std::pair<double, std::map<QString, double>>>& rows) {
  std::set<QString> metrics;
  for (const auto& r : rows)
    for (const auto& [m, v] : r.second) metrics.insert(m);
  std::vector<CorrelationEntry> out;
  for (const QString& m : metrics) {
    std::vector<double> human, automatic;
    for (const auto& r : rows)
      if (const auto it = r.second.find(m); it != r.second.end()) {
        human.push_back(r.first);
        automatic.push_back(it->second);
      }
    CorrelationEntry e{m, int(human.size()), std::nullopt, std::nullopt};
    if (human.size() >= 2) {
      const double rho = spearman(human, automatic), tau = kendallTauB(human, automatic);
      if (std::isfinite(rho)) e.spearman = rho;
      if (std::isfinite(tau)) e.kendall = tau;
    }
    out.push_back(e);
  }
  return out;
}

// The finite numeric entries of a scores_json object that options.metrics asks for.
std::map<QString, double> numericScores(const QJsonObject& o, const StudyResultOptions& options) {
  std::map<QString, double> out;
  for (auto it = o.begin(); it != o.end(); ++it) {
    const bool wanted = options.metrics.isEmpty() ? it.key() != QLatin1String("line") : options.metrics.contains(it.key());
    if (wanted && it.value().isDouble() && std::isfinite(it.value().toDouble())) out[it.key()] = it.value().toDouble();
  }
  return out;
}

void rubricResults(StudyResults& r, const std::vector<StudyItem>& items, const std::vector<StoredRating>& ratings,
                   const std::map<std::pair<qint64, qint64>, QJsonObject>& scores, const StudyResultOptions& o) {
  const Rubric& rubric = r.study.rubric;
  const size_t nc = rubric.criteria.size();
  std::map<qint64, const StudyItem*> byId;
  for (const StudyItem& it : items) byId[it.id] = &it;
  // Per item: the sums over its ratings of [total, criterion 1, ..., criterion k] and the count.
  std::map<qint64, std::pair<std::vector<double>, int>> perItem;
  std::vector<Rating> totals;
  std::map<QString, std::vector<Rating>> perCriterion;
  for (const StoredRating& s : ratings) {
    auto& [sums, count] = perItem[s.itemId];
    if (sums.empty()) sums.assign(nc + 1, 0);
    const double total = rubric.total(s.scores);
    sums[0] += total;
    for (size_t c = 0; c < nc; ++c) sums[c + 1] += s.scores.value(rubric.criteria[c].name);
    ++count;
    const QString item = QString::number(s.itemId);
    totals.push_back({item, s.rater, QString::number(total, 'g', 17), {}});
    for (const Criterion& c : rubric.criteria)
      perCriterion[c.name].push_back({item, s.rater, QString::number(s.scores.value(c.name)), {}});
  }
  std::map<QString, std::vector<std::vector<double>>> perModel;
  std::map<QString, int> ratingsPerModel;
  std::vector<std::pair<double, std::map<QString, double>>> pairs;
  for (const auto& [id, entry] : perItem) {
    const StudyItem& it = *byId.at(id);
    std::vector<double> mean = entry.first;
    for (double& v : mean) v /= entry.second;
    perModel[it.modelA].push_back(mean);
    ratingsPerModel[it.modelA] += entry.second;
    if (const auto s = scores.find({it.evaluationA, it.sampleIndex}); s != scores.end() && it.sampleIndex >= 0)
      pairs.push_back({mean[0], numericScores(s->second, o)});
  }
  std::mt19937_64 rng(o.seed);
  for (const auto& [model, values] : perModel) {
    const std::vector<Estimate> e = estimates(values, nc + 1, o, rng);
    ModelRubricScore m{model, int(values.size()), ratingsPerModel[model], e[0], {}};
    for (size_t c = 0; c < nc; ++c) m.criteria[rubric.criteria[c].name] = e[c + 1];
    r.rubric.push_back(m);
  }
  std::stable_sort(r.rubric.begin(), r.rubric.end(),
                   [](const ModelRubricScore& a, const ModelRubricScore& b) { return a.total.mean > b.total.mean; });
  r.agreement.push_back(agreementOn(QStringLiteral("total"), totals, {o.level, o.weights}));
  for (const Criterion& c : rubric.criteria) r.agreement.push_back(agreementOn(c.name, perCriterion[c.name], {o.level, o.weights}));
  r.correlation = correlate(pairs);
}

void pairwiseResults(StudyResults& r, const std::vector<StudyItem>& items, const std::vector<StoredRating>& ratings,
                     const std::map<std::pair<qint64, qint64>, QJsonObject>& scores, const StudyResultOptions& o) {
  std::map<qint64, const StudyItem*> byId;
  for (const StudyItem& it : items) byId[it.id] = &it;
  std::map<QString, PairTally> tally;
  std::map<std::pair<QString, QString>, PairTally> h2h;
  std::vector<Battle> battles;
  std::vector<Rating> choices;
  std::map<qint64, std::pair<double, int>> preference;  // item → (Σ preference for a, ratings)
  for (const StoredRating& s : ratings) {
    const StudyItem& it = *byId.at(s.itemId);
    const Choice c = *s.choice;
    PairTally& ta = tally.try_emplace(it.modelA, PairTally{it.modelA, {}}).first->second;
    PairTally& tb = tally.try_emplace(it.modelB, PairTally{it.modelB, {}}).first->second;
    // Head to head kept with the names in sorted order, so (x, y) and (y, x) items add up.
    const bool aFirst = it.modelA < it.modelB;
    const auto key = aFirst ? std::make_pair(it.modelA, it.modelB) : std::make_pair(it.modelB, it.modelA);
    PairTally& h = h2h.try_emplace(key, PairTally{key.first, key.second}).first->second;
    const bool firstWins = (c == Choice::A) == aFirst;
    switch (c) {
      case Choice::A:
      case Choice::B:
        ++(c == Choice::A ? ta : tb).wins;
        ++(c == Choice::A ? tb : ta).losses;
        ++(firstWins ? h.wins : h.losses);
        break;
      case Choice::Tie:
        ++ta.ties, ++tb.ties, ++h.ties;
        break;
      case Choice::BothBad:
        ++ta.bothBad, ++tb.bothBad, ++h.bothBad;
        break;
    }
    battles.push_back({it.modelA, it.modelB, c == Choice::A ? Winner::A : c == Choice::B ? Winner::B : Winner::Tie});
    choices.push_back({QString::number(s.itemId), s.rater, choiceName(c), {}});
    auto& p = preference[s.itemId];
    p.first += c == Choice::A ? 1.0 : c == Choice::B ? 0.0 : 0.5;
    ++p.second;
  }
  for (auto& [m, t] : tally) r.tallies.push_back(t);
  for (auto& [k, t] : h2h) r.headToHead.push_back(t);
  if (!battles.empty()) {
    RankOptions ro;
    ro.bootstrapRounds = o.bootstrapRounds;
    ro.seed = o.seed;
    ro.confidence = o.confidence;
    ro.k = o.eloK;
    ro.initial = o.eloInitial;
    r.ranks = rankModels(battles, ro);
  }
  r.agreement.push_back(agreementOn(QStringLiteral("choice"), choices, {MeasurementLevel::Nominal, KappaWeights::None}));
  std::vector<std::pair<double, std::map<QString, double>>> pairs;
  for (const auto& [id, p] : preference) {
    const StudyItem& it = *byId.at(id);
    const auto sa = scores.find({it.evaluationA, it.sampleIndex}), sb = scores.find({it.evaluationB, it.sampleIndex});
    if (it.sampleIndex < 0 || sa == scores.end() || sb == scores.end()) continue;
    const std::map<QString, double> a = numericScores(sa->second, o), b = numericScores(sb->second, o);
    std::map<QString, double> diff;
    for (const auto& [m, v] : a)
      if (const auto w = b.find(m); w != b.end()) diff[m] = v - w->second;
    pairs.push_back({p.first / p.second, diff});
  }
  r.correlation = correlate(pairs);
}

}  // namespace

StudyResults computeStudyResults(const StudyInfo& study, const std::vector<StudyItem>& items,
                                 const std::vector<StoredRating>& ratings,
                                 const std::map<std::pair<qint64, qint64>, QJsonObject>& scores,
                                 const StudyResultOptions& options) {
  StudyResults r;
  r.study = study;
  std::vector<StudyItem> shown = items;
  if (!study.revealed) {
    const std::map<QString, QString> alias = aliases(study, items);
    for (StudyItem& it : shown) {
      it.modelA = alias.at(it.modelA);
      if (!it.modelB.isEmpty()) it.modelB = alias.at(it.modelB);
    }
  }
  std::map<QString, int> rated;
  for (const StoredRating& s : ratings) ++rated[s.rater];
  for (const auto& [rater, n] : rated) r.progress.push_back({rater, n, int(items.size())});
  if (study.kind == StudyKind::Rubric)
    rubricResults(r, shown, ratings, scores, options);
  else
    pairwiseResults(r, shown, ratings, scores, options);
  return r;
}

StudyResults studyResults(const StudyStore& studies, qint64 studyId, const StudyResultOptions& options) {
  const std::vector<StudyItem> items = studies.items(studyId);
  return computeStudyResults(studies.info(studyId), items, studies.ratings(studyId),
                             sampleScores(studies.store(), items), options);
}

QJsonObject StudyResults::toJson() const {
  QJsonObject o{{QStringLiteral("study"), study.toJson()}, {QStringLiteral("revealed"), study.revealed}};
  QJsonArray raters;
  for (const RaterProgress& p : progress)
    raters.append(QJsonObject{{QStringLiteral("rater"), p.rater}, {QStringLiteral("rated"), p.rated},
                              {QStringLiteral("total"), p.total}});
  o.insert(QStringLiteral("raters"), raters);
  if (study.kind == StudyKind::Rubric) {
    QJsonArray models;
    for (const ModelRubricScore& m : rubric) {
      QJsonObject criteria;
      for (const auto& [name, e] : m.criteria) criteria.insert(name, estimateJson(e));
      models.append(QJsonObject{{QStringLiteral("model"), m.model},
                                {QStringLiteral("items"), m.items},
                                {QStringLiteral("ratings"), m.ratings},
                                {QStringLiteral("total"), estimateJson(m.total)},
                                {QStringLiteral("criteria"), criteria}});
    }
    o.insert(QStringLiteral("models"), models);
  } else {
    auto tallyJson = [](const PairTally& t) {
      QJsonObject j{{QStringLiteral("model"), t.model}, {QStringLiteral("wins"), t.wins},
                    {QStringLiteral("losses"), t.losses}, {QStringLiteral("ties"), t.ties},
                    {QStringLiteral("both_bad"), t.bothBad}};
      if (!t.opponent.isEmpty()) j.insert(QStringLiteral("opponent"), t.opponent);
      return j;
    };
    QJsonArray tallyArray, h2hArray;
    for (const PairTally& t : tallies) tallyArray.append(tallyJson(t));
    for (const PairTally& t : headToHead) h2hArray.append(tallyJson(t));
    QJsonObject rankJson;
    for (const auto& [name, rank] : ranks)
      rankJson.insert(name, QJsonObject{{QStringLiteral("elo"), rank.elo},
                                        {QStringLiteral("elo_ci"), QJsonArray{rank.eloLow, rank.eloHigh}},
                                        {QStringLiteral("bt"), rank.bt},
                                        {QStringLiteral("bt_ci"), QJsonArray{rank.btLow, rank.btHigh}},
                                        {QStringLiteral("battles"), qint64(rank.battles)}});
    o.insert(QStringLiteral("tallies"), tallyArray);
    o.insert(QStringLiteral("head_to_head"), h2hArray);
    o.insert(QStringLiteral("ranking"), rankJson);
  }
  QJsonObject agree;
  for (const AgreementEntry& e : agreement) {
    if (!e.result) {
      agree.insert(e.target, QJsonObject{{QStringLiteral("skipped"), e.skipped}});
      continue;
    }
    const AgreementResult& a = *e.result;
    QJsonObject j{{QStringLiteral("krippendorff_alpha"), number(a.krippendorffAlpha)},
                  {QStringLiteral("fleiss_kappa"), a.fleissKappa ? number(*a.fleissKappa) : QJsonValue(QJsonValue::Null)},
                  {QStringLiteral("items"), a.items},
                  {QStringLiteral("raters"), a.raters}};
    if (a.cohenKappa) j.insert(QStringLiteral("cohen_kappa"), number(*a.cohenKappa));
    if (!a.fleissSkipped.isEmpty()) j.insert(QStringLiteral("fleiss_skipped"), a.fleissSkipped);
    agree.insert(e.target, j);
  }
  o.insert(QStringLiteral("agreement"), agree);
  QJsonObject corr;
  for (const CorrelationEntry& c : correlation)
    corr.insert(c.metric, QJsonObject{{QStringLiteral("n"), c.n},
                                      {QStringLiteral("spearman"), optionalNumber(c.spearman)},
                                      {QStringLiteral("kendall"), optionalNumber(c.kendall)}});
  o.insert(QStringLiteral("correlation"), corr);
  return o;
}

}  // namespace distillery
