#include "store/StudyStore.h"

#include "audit/AuditLog.h"
#include "common/Error.h"
#include "data/SeededRandom.h"
#include "store/Sql.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QRandomGenerator>
#include <QtCore/QSet>
#include <QtCore/QVariant>

#include <map>
#include <random>

namespace distillery {

namespace {

const QString kItemColumns = QStringLiteral(
    "id, position, prompt, output_a, output_b, model_a, model_b, swapped, evaluation_a, evaluation_b, sample_index");

QString compact(const QJsonObject& o) { return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)); }
QJsonObject parseObject(const QVariant& v) { return QJsonDocument::fromJson(v.toString().toUtf8()).object(); }
QVariant idOrNull(qint64 id) { return id > 0 ? QVariant(id) : QVariant(QMetaType(QMetaType::LongLong)); }

// FNV-1a of the rater's name: a per-rater seed that is the same on every platform and run (qHash is not).
uint64_t nameHash(const QString& name) {
  uint64_t h = 1469598103934665603ull;
  for (const char c : name.toUtf8()) h = (h ^ uint8_t(c)) * 1099511628211ull;
  return h;
}

QString checkRater(const QString& rater, const QString& where) {
  const QString r = rater.trimmed();
  if (r.isEmpty()) throw FormatError(where, QStringLiteral("rater"), rater, QStringLiteral("is empty"));
  if (r.size() > 200 || r.contains(QLatin1Char('\n')))
    throw FormatError(where, QStringLiteral("rater"), r.left(40), QStringLiteral("must be one line of at most 200 characters"));
  return r;
}

StudyItem readItem(const QSqlQuery& q) {
  StudyItem it;
  it.id = q.value(0).toLongLong();
  it.position = q.value(1).toInt();
  it.prompt = q.value(2).toString();
  it.outputA = q.value(3).toString();
  it.outputB = q.value(4).toString();
  it.modelA = q.value(5).toString();
  it.modelB = q.value(6).toString();
  it.swapped = q.value(7).toInt() != 0;
  it.evaluationA = q.value(8).toLongLong();
  it.evaluationB = q.value(9).toLongLong();
  it.sampleIndex = q.value(10).isNull() ? -1 : q.value(10).toLongLong();
  return it;
}

RubricScores scoresFromJson(const QString& text) {
  RubricScores s;
  const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
  for (auto it = o.begin(); it != o.end(); ++it) s.insert(it.key(), it.value().toInt());
  return s;
}

QString scoresToJson(const RubricScores& s) {
  QJsonObject o;
  for (auto it = s.begin(); it != s.end(); ++it) o.insert(it.key(), it.value());
  return compact(o);
}

// Runs fn inside a transaction on this thread's connection; rolls back on any exception.
template <typename F>
auto inTransaction(const Store& store, const QString& what, F&& fn) {
  QSqlDatabase db = store.connection();
  if (!db.transaction()) throw StoreError(store.path(), {}, {}, QStringLiteral("cannot start a transaction: ") + what);
  try {
    auto result = fn();
    if (!db.commit()) throw StoreError(store.path(), {}, {}, QStringLiteral("cannot commit: ") + what);
    return result;
  } catch (...) {
    db.rollback();
    throw;
  }
}

}  // namespace

QString studyKindName(StudyKind kind) {
  return kind == StudyKind::Pairwise ? QStringLiteral("pairwise") : QStringLiteral("rubric");
}

StudyKind parseStudyKind(const QString& text, const QString& where) {
  if (text == QLatin1String("rubric")) return StudyKind::Rubric;
  if (text == QLatin1String("pairwise")) return StudyKind::Pairwise;
  throw UsageError(where, QStringLiteral("kind"), text, QStringLiteral("must be rubric or pairwise"));
}

QString choiceName(Choice c) {
  switch (c) {
    case Choice::A: return QStringLiteral("a");
    case Choice::B: return QStringLiteral("b");
    case Choice::Tie: return QStringLiteral("tie");
    case Choice::BothBad: return QStringLiteral("both_bad");
  }
  return {};
}

QString screenChoiceName(ScreenChoice c) {
  switch (c) {
    case ScreenChoice::Left: return QStringLiteral("left");
    case ScreenChoice::Right: return QStringLiteral("right");
    case ScreenChoice::Tie: return QStringLiteral("tie");
    case ScreenChoice::BothBad: return QStringLiteral("both_bad");
  }
  return {};
}

Choice parseChoice(const QString& text, const QString& where) {
  for (Choice c : {Choice::A, Choice::B, Choice::Tie, Choice::BothBad})
    if (text.trimmed() == choiceName(c)) return c;
  throw FormatError(where, QStringLiteral("choice"), text, QStringLiteral("must be a, b, tie or both_bad"));
}

ScreenChoice parseScreenChoice(const QString& text, const QString& where) {
  for (ScreenChoice c : {ScreenChoice::Left, ScreenChoice::Right, ScreenChoice::Tie, ScreenChoice::BothBad})
    if (text.trimmed() == screenChoiceName(c)) return c;
  throw FormatError(where, QStringLiteral("choice"), text, QStringLiteral("must be left, right, tie or both_bad"));
}

Choice toModelOrder(ScreenChoice c, bool swapped) {
  switch (c) {
    case ScreenChoice::Left: return swapped ? Choice::B : Choice::A;
    case ScreenChoice::Right: return swapped ? Choice::A : Choice::B;
    case ScreenChoice::Tie: return Choice::Tie;
    case ScreenChoice::BothBad: return Choice::BothBad;
  }
  return Choice::Tie;
}

ScreenChoice toScreen(Choice c, bool swapped) {
  switch (c) {
    case Choice::A: return swapped ? ScreenChoice::Right : ScreenChoice::Left;
    case Choice::B: return swapped ? ScreenChoice::Left : ScreenChoice::Right;
    case Choice::Tie: return ScreenChoice::Tie;
    case Choice::BothBad: return ScreenChoice::BothBad;
  }
  return ScreenChoice::Tie;
}

QJsonObject StudyInfo::toJson() const {
  QJsonObject o{{QStringLiteral("id"), id},
                {QStringLiteral("name"), name},
                {QStringLiteral("kind"), studyKindName(kind)},
                {QStringLiteral("seed"), QString::number(seed)},
                {QStringLiteral("shuffle_per_rater"), shufflePerRater},
                {QStringLiteral("revealed"), revealed},
                {QStringLiteral("created_at"), createdAt},
                {QStringLiteral("items"), items},
                {QStringLiteral("raters"), raters},
                {QStringLiteral("ratings"), ratings}};
  if (kind == StudyKind::Rubric) o.insert(QStringLiteral("rubric"), rubric.toJson());
  if (revealed) {
    o.insert(QStringLiteral("revealed_at"), revealedAt);
    o.insert(QStringLiteral("models"), QJsonArray::fromStringList(models));
    o.insert(QStringLiteral("source"), source);
  } else {
    // The source names evaluations (and so models) too: shown with the names, after reveal.
    o.insert(QStringLiteral("model_count"), modelCount);
  }
  return o;
}

qint64 StudyStore::create(const StudySpec& spec, const std::vector<StudyItemInput>& items) const {
  const QString where = QStringLiteral("study");
  if (spec.name.trimmed().isEmpty()) throw FormatError(where, QStringLiteral("name"), spec.name, QStringLiteral("is empty"));
  if (items.empty()) throw FormatError(where, QStringLiteral("items"), 0, QStringLiteral("a study needs at least one item"));
  const bool pairwise = spec.kind == StudyKind::Pairwise;
  const Rubric rubric = pairwise ? Rubric{} : spec.rubric.normalised(QStringLiteral("rubric"));
  for (size_t i = 0; i < items.size(); ++i) {
    const StudyItemInput& it = items[i];
    const QString at = QStringLiteral("item %1").arg(i + 1);
    if (it.prompt.isEmpty()) throw FormatError(at, QStringLiteral("prompt"), QString(), QStringLiteral("is empty"));
    if (it.modelA.trimmed().isEmpty()) throw FormatError(at, QStringLiteral("model_a"), it.modelA, QStringLiteral("is empty"));
    if (pairwise) {
      if (it.modelB.trimmed().isEmpty())
        throw FormatError(at, QStringLiteral("model_b"), it.modelB, QStringLiteral("a pairwise item needs two models"));
      if (it.modelA == it.modelB)
        throw FormatError(at, QStringLiteral("model_b"), it.modelB, QStringLiteral("is the same model as model_a"));
    }
  }
  const uint64_t seed = spec.seed ? *spec.seed : QRandomGenerator::global()->generate64() >> 1;
  // Order: a seeded shuffle, so a rater cannot tell a model from where its items sit.
  std::mt19937_64 rng(seed);
  std::vector<size_t> order(items.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  shuffleInPlace(order, rng);
  // Sides: within each model pair exactly ⌊n/2⌋ or ⌈n/2⌉ items swapped, in a seeded pattern.
  std::vector<bool> swapped(items.size(), false);
  if (pairwise) {
    std::map<std::pair<QString, QString>, std::vector<size_t>> byPair;
    for (size_t k = 0; k < order.size(); ++k) {
      const StudyItemInput& it = items[order[k]];
      byPair[std::minmax(it.modelA, it.modelB)].push_back(k);
    }
    for (auto& [pair, ks] : byPair) {
      std::vector<char> flags(ks.size(), 0);
      for (size_t j = 0; j < ks.size() / 2; ++j) flags[j] = 1;
      if (ks.size() % 2) flags.back() = char(uniformBelow(rng, 2));
      shuffleInPlace(flags, rng);
      for (size_t j = 0; j < ks.size(); ++j) swapped[ks[j]] = flags[j] != 0;
    }
  }
  return inTransaction(store_, QStringLiteral("create study"), [&] {
    QSqlQuery q = sql::prepare(store_, QStringLiteral("INSERT INTO studies (name, kind, rubric_json, seed, "
                                                      "shuffle_per_rater, source_json, created_at) "
                                                      "VALUES (?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(spec.name.trimmed());
    q.addBindValue(studyKindName(spec.kind));
    q.addBindValue(pairwise ? QVariant(QMetaType(QMetaType::QString)) : QVariant(compact(rubric.toJson())));
    q.addBindValue(qint64(seed));
    q.addBindValue(spec.shufflePerRater ? 1 : 0);
    q.addBindValue(compact(spec.source));
    q.addBindValue(nowUtc());
    sql::exec(store_, q, QStringLiteral("cannot create study %1").arg(spec.name));
    const qint64 id = q.lastInsertId().toLongLong();
    QSqlQuery ins = sql::prepare(store_, QStringLiteral("INSERT INTO study_items (study_id, position, prompt, "
                                                        "output_a, output_b, model_a, model_b, swapped, "
                                                        "evaluation_a, evaluation_b, sample_index) "
                                                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (size_t k = 0; k < order.size(); ++k) {
      const StudyItemInput& it = items[order[k]];
      ins.addBindValue(id);
      ins.addBindValue(int(k + 1));
      ins.addBindValue(it.prompt);
      ins.addBindValue(it.outputA);
      ins.addBindValue(pairwise ? QVariant(it.outputB) : QVariant(QMetaType(QMetaType::QString)));
      ins.addBindValue(it.modelA.trimmed());
      ins.addBindValue(pairwise ? QVariant(it.modelB.trimmed()) : QVariant(QMetaType(QMetaType::QString)));
      ins.addBindValue(swapped[k] ? 1 : 0);
      ins.addBindValue(idOrNull(it.evaluationA));
      ins.addBindValue(idOrNull(it.evaluationB));
      ins.addBindValue(it.sampleIndex >= 0 ? QVariant(it.sampleIndex) : QVariant(QMetaType(QMetaType::LongLong)));
      sql::exec(store_, ins, QStringLiteral("cannot add item %1 to study %2").arg(k + 1).arg(id));
    }
    recordAudit(store_, QStringLiteral("study.created"), QStringLiteral("study"), QString::number(id), {{"name", spec.name}, {"items", qint64(items.size())}});
    return id;
  });
}

std::vector<StudyInfo> StudyStore::list() const {
  QSqlQuery q = sql::prepare(store_, QStringLiteral("SELECT id FROM studies ORDER BY id DESC"));
  sql::exec(store_, q, QStringLiteral("cannot list studies"));
  std::vector<qint64> ids;
  while (q.next()) ids.push_back(q.value(0).toLongLong());
  std::vector<StudyInfo> out;
  for (qint64 id : ids) out.push_back(info(id));
  return out;
}

StudyInfo StudyStore::info(qint64 studyId) const {
  QSqlQuery q = sql::prepare(store_, QStringLiteral("SELECT id, name, kind, rubric_json, seed, shuffle_per_rater, "
                                                    "revealed, revealed_at, created_at, source_json "
                                                    "FROM studies WHERE id = ?"));
  q.addBindValue(studyId);
  sql::exec(store_, q, QStringLiteral("cannot read study %1").arg(studyId));
  if (!q.next())
    throw StoreError(store_.path(), QStringLiteral("study"), QString::number(studyId),
                     QStringLiteral("does not exist (`distillery-cli study list` shows the studies)"));
  StudyInfo s;
  s.id = q.value(0).toLongLong();
  s.name = q.value(1).toString();
  s.kind = parseStudyKind(q.value(2).toString(), store_.path());
  if (s.kind == StudyKind::Rubric)
    s.rubric = Rubric::fromJson(parseObject(q.value(3)), QStringLiteral("study %1 rubric_json").arg(studyId));
  s.seed = uint64_t(q.value(4).toLongLong());
  s.shufflePerRater = q.value(5).toInt() != 0;
  s.revealed = q.value(6).toInt() != 0;
  s.revealedAt = q.value(7).toString();
  s.createdAt = q.value(8).toString();
  s.source = parseObject(q.value(9));
  QSqlQuery c = sql::prepare(store_, QStringLiteral(
      "SELECT (SELECT COUNT(*) FROM study_items WHERE study_id = ?),"
      " (SELECT COUNT(DISTINCT r.rater_id) FROM ratings r JOIN study_items i ON i.id = r.item_id WHERE i.study_id = ?),"
      " (SELECT COUNT(*) FROM ratings r JOIN study_items i ON i.id = r.item_id WHERE i.study_id = ?)"));
  for (int k = 0; k < 3; ++k) c.addBindValue(studyId);
  sql::exec(store_, c, QStringLiteral("cannot count study %1").arg(studyId));
  if (c.next()) {
    s.items = c.value(0).toInt();
    s.raters = c.value(1).toInt();
    s.ratings = c.value(2).toInt();
  }
  QSqlQuery m = sql::prepare(store_, QStringLiteral(
      "SELECT model_a FROM study_items WHERE study_id = ? UNION "
      "SELECT model_b FROM study_items WHERE study_id = ? AND model_b IS NOT NULL ORDER BY 1"));
  m.addBindValue(studyId);
  m.addBindValue(studyId);
  sql::exec(store_, m, QStringLiteral("cannot read the models of study %1").arg(studyId));
  while (m.next()) {
    ++s.modelCount;
    if (s.revealed) s.models.append(m.value(0).toString());
  }
  return s;
}

void StudyStore::remove(qint64 studyId) const {
  QSqlQuery q = sql::prepare(store_, QStringLiteral("DELETE FROM studies WHERE id = ?"));
  q.addBindValue(studyId);
  sql::exec(store_, q, QStringLiteral("cannot delete study %1").arg(studyId));
  if (q.numRowsAffected() == 0)
    throw StoreError(store_.path(), QStringLiteral("study"), QString::number(studyId), QStringLiteral("does not exist"));
  recordAudit(store_, QStringLiteral("study.deleted"), QStringLiteral("study"), QString::number(studyId));
}

std::vector<StudyItem> StudyStore::items(qint64 studyId) const {
  QSqlQuery q = sql::prepare(
      store_, QStringLiteral("SELECT %1 FROM study_items WHERE study_id = ? ORDER BY position").arg(kItemColumns));
  q.addBindValue(studyId);
  sql::exec(store_, q, QStringLiteral("cannot read the items of study %1").arg(studyId));
  std::vector<StudyItem> out;
  while (q.next()) out.push_back(readItem(q));
  return out;
}

qint64 StudyStore::itemAt(qint64 studyId, int position) const {
  QSqlQuery q = sql::prepare(store_, QStringLiteral("SELECT id FROM study_items WHERE study_id = ? AND position = ?"));
  q.addBindValue(studyId);
  q.addBindValue(position);
  sql::exec(store_, q, QStringLiteral("cannot read study %1").arg(studyId));
  if (!q.next())
    throw UsageError(QStringLiteral("study %1").arg(studyId), QStringLiteral("position"), QString::number(position),
                     QStringLiteral("is not an item of the study (1..%1)").arg(info(studyId).items));
  return q.value(0).toLongLong();
}

std::vector<qint64> StudyStore::raterOrder(qint64 studyId, const QString& rater) const {
  const StudyInfo s = info(studyId);
  QSqlQuery q = sql::prepare(store_, QStringLiteral("SELECT id FROM study_items WHERE study_id = ? ORDER BY position"));
  q.addBindValue(studyId);
  sql::exec(store_, q, QStringLiteral("cannot read the items of study %1").arg(studyId));
  std::vector<qint64> ids;
  while (q.next()) ids.push_back(q.value(0).toLongLong());
  if (s.shufflePerRater) {
    std::mt19937_64 rng(s.seed ^ nameHash(checkRater(rater, QStringLiteral("rater"))));
    shuffleInPlace(ids, rng);
  }
  return ids;
}

RaterItem StudyStore::raterItem(qint64 studyId, const QString& rater, int index) const {
  const QString name = checkRater(rater, QStringLiteral("rater"));
  const std::vector<qint64> order = raterOrder(studyId, name);
  if (index < 0 || size_t(index) >= order.size())
    throw UsageError(QStringLiteral("study %1").arg(studyId), QStringLiteral("index"), QString::number(index),
                     QStringLiteral("is outside the rater's items (0..%1)").arg(qint64(order.size()) - 1));
  const StudyInfo s = info(studyId);
  QSqlQuery q = sql::prepare(store_, QStringLiteral("SELECT %1 FROM study_items WHERE id = ?").arg(kItemColumns));
  q.addBindValue(order[size_t(index)]);
  sql::exec(store_, q, QStringLiteral("cannot read an item of study %1").arg(studyId));
  if (!q.next()) throw StoreError(store_.path(), QStringLiteral("item"), QString::number(order[size_t(index)]), QStringLiteral("vanished"));
  const StudyItem it = readItem(q);
  RaterItem r;
  r.itemId = it.id;
  r.index = index;
  r.total = int(order.size());
  r.prompt = it.prompt;
  if (s.kind == StudyKind::Pairwise) {
    r.left = it.left();
    r.right = it.right();
  } else {
    r.output = it.outputA;
  }
  QSqlQuery g = sql::prepare(store_, QStringLiteral("SELECT r.scores_json, r.choice, r.comment FROM ratings r "
                                                    "JOIN raters p ON p.id = r.rater_id "
                                                    "WHERE r.item_id = ? AND p.name = ?"));
  g.addBindValue(it.id);
  g.addBindValue(name);
  sql::exec(store_, g, QStringLiteral("cannot read a rating of study %1").arg(studyId));
  if (g.next()) {
    RaterRating rr;
    rr.scores = scoresFromJson(g.value(0).toString());
    if (!g.value(1).isNull()) rr.choice = toScreen(parseChoice(g.value(1).toString(), store_.path()), it.swapped);
    rr.comment = g.value(2).toString();
    r.rating = rr;
  }
  return r;
}

int StudyStore::nextUnrated(qint64 studyId, const QString& rater, int from) const {
  const std::vector<qint64> order = raterOrder(studyId, rater);
  QSqlQuery q = sql::prepare(store_, QStringLiteral("SELECT r.item_id FROM ratings r JOIN raters p ON p.id = r.rater_id "
                                                    "JOIN study_items i ON i.id = r.item_id "
                                                    "WHERE i.study_id = ? AND p.name = ?"));
  q.addBindValue(studyId);
  q.addBindValue(rater.trimmed());
  sql::exec(store_, q, QStringLiteral("cannot read the ratings of study %1").arg(studyId));
  QSet<qint64> rated;
  while (q.next()) rated.insert(q.value(0).toLongLong());
  for (int i = std::max(0, from); size_t(i) < order.size(); ++i)
    if (!rated.contains(order[size_t(i)])) return i;
  return -1;
}

void StudyStore::rate(qint64 itemId, const QString& rater, const RaterRating& rating) const {
  QSqlQuery q = sql::prepare(store_, QStringLiteral("SELECT study_id, swapped FROM study_items WHERE id = ?"));
  q.addBindValue(itemId);
  sql::exec(store_, q, QStringLiteral("cannot read item %1").arg(itemId));
  if (!q.next())
    throw UsageError(QString(), QStringLiteral("item"), QString::number(itemId), QStringLiteral("does not exist"));
  const qint64 studyId = q.value(0).toLongLong();
  const bool swapped = q.value(1).toInt() != 0;
  RatingUpdate u{itemId, rater, rating.scores, std::nullopt, rating.comment, QStringLiteral("item %1").arg(itemId)};
  if (rating.choice) u.choice = toModelOrder(*rating.choice, swapped);
  save(studyId, {u});
}

void StudyStore::unrate(qint64 itemId, const QString& rater) const {
  QSqlQuery q = sql::prepare(store_, QStringLiteral("DELETE FROM ratings WHERE item_id = ? AND rater_id = "
                                                    "(SELECT id FROM raters WHERE name = ?)"));
  q.addBindValue(itemId);
  q.addBindValue(rater.trimmed());
  sql::exec(store_, q, QStringLiteral("cannot remove a rating of item %1").arg(itemId));
}

SaveReport StudyStore::save(qint64 studyId, const std::vector<RatingUpdate>& updates) const {
  const StudyInfo s = info(studyId);
  QSet<qint64> itemIds;
  for (const StudyItem& it : items(studyId)) itemIds.insert(it.id);
  // Check everything first: nothing is written unless every update is good.
  std::vector<RatingUpdate> clean;
  std::map<std::pair<qint64, QString>, QString> seen;
  for (const RatingUpdate& u : updates) {
    RatingUpdate c = u;
    c.rater = checkRater(u.rater, u.where);
    if (!itemIds.contains(u.itemId))
      throw FormatError(u.where, QStringLiteral("item_id"), u.itemId,
                        QStringLiteral("is not an item of study %1").arg(studyId));
    if (s.kind == StudyKind::Rubric) {
      s.rubric.check(u.scores, u.where);
      if (u.choice) throw FormatError(u.where, QStringLiteral("choice"), choiceName(*u.choice), QStringLiteral("a rubric study takes scores, not a choice"));
    } else {
      if (!u.choice) throw FormatError(u.where, QStringLiteral("choice"), QString(), QStringLiteral("is missing (left, right, tie or both_bad)"));
      if (!u.scores.isEmpty()) throw FormatError(u.where, QStringLiteral("scores"), u.scores.firstKey(), QStringLiteral("a pairwise study takes a choice, not scores"));
    }
    const auto [at, fresh] = seen.try_emplace({c.itemId, c.rater}, u.where);
    if (!fresh)
      throw FormatError(u.where, QStringLiteral("rater"), c.rater,
                        QStringLiteral("rates item %1 a second time (first at %2)").arg(c.itemId).arg(at->second));
    clean.push_back(c);
  }
  return inTransaction(store_, QStringLiteral("save ratings of study %1").arg(studyId), [&] {
    SaveReport report;
    QSqlQuery addRater = sql::prepare(store_, QStringLiteral("INSERT INTO raters (name, created_at) VALUES (?, ?) "
                                                             "ON CONFLICT(name) DO NOTHING"));
    QSqlQuery raterId = sql::prepare(store_, QStringLiteral("SELECT id FROM raters WHERE name = ?"));
    QSqlQuery old = sql::prepare(store_, QStringLiteral("SELECT scores_json, choice, comment FROM ratings "
                                                        "WHERE item_id = ? AND rater_id = ?"));
    QSqlQuery ins = sql::prepare(store_, QStringLiteral("INSERT INTO ratings (item_id, rater_id, scores_json, choice, "
                                                        "comment, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    QSqlQuery upd = sql::prepare(store_, QStringLiteral("UPDATE ratings SET scores_json = ?, choice = ?, comment = ?, "
                                                        "updated_at = ? WHERE item_id = ? AND rater_id = ?"));
    for (const RatingUpdate& u : clean) {
      addRater.addBindValue(u.rater);
      addRater.addBindValue(nowUtc());
      sql::exec(store_, addRater, QStringLiteral("cannot add rater %1").arg(u.rater));
      raterId.addBindValue(u.rater);
      sql::exec(store_, raterId, QStringLiteral("cannot read rater %1").arg(u.rater));
      if (!raterId.next()) throw StoreError(store_.path(), QStringLiteral("rater"), u.rater, QStringLiteral("was not added"));
      const qint64 rid = raterId.value(0).toLongLong();
      raterId.finish();
      const QVariant scores = s.kind == StudyKind::Rubric ? QVariant(scoresToJson(u.scores)) : QVariant(QMetaType(QMetaType::QString));
      const QVariant choice = u.choice ? QVariant(choiceName(*u.choice)) : QVariant(QMetaType(QMetaType::QString));
      const QVariant comment = u.comment.isEmpty() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(u.comment);
      old.addBindValue(u.itemId);
      old.addBindValue(rid);
      sql::exec(store_, old, QStringLiteral("cannot read a rating of item %1").arg(u.itemId));
      if (old.next()) {
        const bool same = scoresFromJson(old.value(0).toString()) == u.scores && old.value(1).toString() == choice.toString() &&
                          old.value(2).toString() == u.comment;
        old.finish();
        if (same) {
          ++report.unchanged;
          continue;
        }
        upd.addBindValue(scores);
        upd.addBindValue(choice);
        upd.addBindValue(comment);
        upd.addBindValue(nowUtc());
        upd.addBindValue(u.itemId);
        upd.addBindValue(rid);
        sql::exec(store_, upd, QStringLiteral("cannot update a rating of item %1").arg(u.itemId));
        ++report.updated;
      } else {
        old.finish();
        const QString now = nowUtc();
        ins.addBindValue(u.itemId);
        ins.addBindValue(rid);
        ins.addBindValue(scores);
        ins.addBindValue(choice);
        ins.addBindValue(comment);
        ins.addBindValue(now);
        ins.addBindValue(now);
        sql::exec(store_, ins, QStringLiteral("cannot save a rating of item %1").arg(u.itemId));
        ++report.inserted;
      }
    }
    return report;
  });
}

RaterProgress StudyStore::progress(qint64 studyId, const QString& rater) const {
  const StudyInfo s = info(studyId);
  QSqlQuery q = sql::prepare(store_, QStringLiteral("SELECT COUNT(*) FROM ratings r JOIN raters p ON p.id = r.rater_id "
                                                    "JOIN study_items i ON i.id = r.item_id "
                                                    "WHERE i.study_id = ? AND p.name = ?"));
  q.addBindValue(studyId);
  q.addBindValue(rater.trimmed());
  sql::exec(store_, q, QStringLiteral("cannot count the ratings of study %1").arg(studyId));
  return {rater.trimmed(), q.next() ? q.value(0).toInt() : 0, s.items};
}

std::vector<RaterProgress> StudyStore::progress(qint64 studyId) const {
  const StudyInfo s = info(studyId);
  QSqlQuery q = sql::prepare(store_, QStringLiteral("SELECT p.name, COUNT(*) FROM ratings r "
                                                    "JOIN raters p ON p.id = r.rater_id "
                                                    "JOIN study_items i ON i.id = r.item_id "
                                                    "WHERE i.study_id = ? GROUP BY p.name ORDER BY p.name"));
  q.addBindValue(studyId);
  sql::exec(store_, q, QStringLiteral("cannot count the ratings of study %1").arg(studyId));
  std::vector<RaterProgress> out;
  while (q.next()) out.push_back({q.value(0).toString(), q.value(1).toInt(), s.items});
  return out;
}

void StudyStore::reveal(qint64 studyId) const {
  info(studyId);  // names a missing study
  QSqlQuery q = sql::prepare(store_, QStringLiteral("UPDATE studies SET revealed = 1, revealed_at = ? "
                                                    "WHERE id = ? AND revealed = 0"));
  q.addBindValue(nowUtc());
  q.addBindValue(studyId);
  sql::exec(store_, q, QStringLiteral("cannot reveal study %1").arg(studyId));
  if (q.numRowsAffected() > 0) recordAudit(store_, QStringLiteral("study.revealed"), QStringLiteral("study"), QString::number(studyId));
}

std::vector<StoredRating> StudyStore::ratings(qint64 studyId) const {
  QSqlQuery q = sql::prepare(store_, QStringLiteral("SELECT r.item_id, p.name, r.scores_json, r.choice, r.comment, "
                                                    "r.created_at, r.updated_at FROM ratings r "
                                                    "JOIN raters p ON p.id = r.rater_id "
                                                    "JOIN study_items i ON i.id = r.item_id "
                                                    "WHERE i.study_id = ? ORDER BY r.id"));
  q.addBindValue(studyId);
  sql::exec(store_, q, QStringLiteral("cannot read the ratings of study %1").arg(studyId));
  std::vector<StoredRating> out;
  while (q.next()) {
    StoredRating r;
    r.itemId = q.value(0).toLongLong();
    r.rater = q.value(1).toString();
    if (!q.value(2).isNull()) r.scores = scoresFromJson(q.value(2).toString());
    if (!q.value(3).isNull()) r.choice = parseChoice(q.value(3).toString(), store_.path());
    r.comment = q.value(4).toString();
    r.createdAt = q.value(5).toString();
    r.updatedAt = q.value(6).toString();
    out.push_back(r);
  }
  return out;
}

}  // namespace distillery
