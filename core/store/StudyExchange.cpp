#include "store/StudyExchange.h"

#include "common/AtomicFile.h"
#include "common/Error.h"
#include "data/RowReader.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

#include <map>

namespace distillery {

namespace {

QString cellText(const QJsonValue& v) {
  if (v.isString()) return v.toString();
  if (v.isDouble()) return QString::number(v.toDouble(), 'g', 17);
  if (v.isBool()) return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
  return {};
}

QString csvCell(const QString& s) {
  if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) && !s.contains(QLatin1Char('\n')) &&
      !s.contains(QLatin1Char('\r')))
    return s;
  QString q = s;
  q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
  return QLatin1Char('"') + q + QLatin1Char('"');
}

QJsonObject onlyColumns(const QJsonObject& row, const QStringList& columns) {
  QJsonObject o;
  for (const QString& c : columns)
    if (row.contains(c)) o.insert(c, row.value(c));
  return o;
}

// A whole number ≥ 1 from a cell; FormatError naming the field otherwise.
qint64 wholeNumber(const QJsonValue& v, const QString& where, const QString& field) {
  bool ok = false;
  const qint64 n = cellText(v).trimmed().toLongLong(&ok);
  if (!ok || n < 1) throw FormatError(where, field, cellText(v), QStringLiteral("must be a whole number ≥ 1"));
  return n;
}

}  // namespace

ExportTable exportTable(const StudyStore& studies, qint64 studyId, StudyExport what) {
  const StudyInfo s = studies.info(studyId);
  const bool pairwise = s.kind == StudyKind::Pairwise;
  const std::vector<StudyItem> items = studies.items(studyId);
  ExportTable t;
  if (what == StudyExport::Items) {
    t.columns = {QStringLiteral("item_id"), QStringLiteral("position"), QStringLiteral("prompt")};
    t.columns += pairwise ? QStringList{QStringLiteral("left"), QStringLiteral("right")} : QStringList{QStringLiteral("output")};
    if (s.revealed)
      t.columns += pairwise ? QStringList{QStringLiteral("swapped"), QStringLiteral("model_a"), QStringLiteral("model_b"),
                                          QStringLiteral("evaluation_a"), QStringLiteral("evaluation_b"),
                                          QStringLiteral("sample_index")}
                            : QStringList{QStringLiteral("model"), QStringLiteral("evaluation"), QStringLiteral("sample_index")};
    for (const StudyItem& it : items) {
      QJsonObject r{{QStringLiteral("item_id"), it.id}, {QStringLiteral("position"), it.position},
                    {QStringLiteral("prompt"), it.prompt}};
      if (pairwise) {
        r.insert(QStringLiteral("left"), it.left());
        r.insert(QStringLiteral("right"), it.right());
      } else {
        r.insert(QStringLiteral("output"), it.outputA);
      }
      if (s.revealed) {
        r.insert(QStringLiteral("sample_index"), it.sampleIndex >= 0 ? QJsonValue(it.sampleIndex) : QJsonValue());
        if (pairwise) {
          r.insert(QStringLiteral("swapped"), it.swapped ? 1 : 0);
          r.insert(QStringLiteral("model_a"), it.modelA);
          r.insert(QStringLiteral("model_b"), it.modelB);
          if (it.evaluationA) r.insert(QStringLiteral("evaluation_a"), it.evaluationA);
          if (it.evaluationB) r.insert(QStringLiteral("evaluation_b"), it.evaluationB);
        } else {
          r.insert(QStringLiteral("model"), it.modelA);
          if (it.evaluationA) r.insert(QStringLiteral("evaluation"), it.evaluationA);
        }
      }
      t.rows.push_back(onlyColumns(r, t.columns));
    }
    return t;
  }
  std::map<qint64, const StudyItem*> byId;
  for (const StudyItem& it : items) byId[it.id] = &it;
  t.columns = {QStringLiteral("item_id"), QStringLiteral("position"), QStringLiteral("rater")};
  if (pairwise)
    t.columns.append(QStringLiteral("choice"));
  else
    t.columns += s.rubric.names() + QStringList{QStringLiteral("total")};
  t.columns += {QStringLiteral("comment"), QStringLiteral("created_at"), QStringLiteral("updated_at")};
  if (s.revealed)
    t.columns += pairwise ? QStringList{QStringLiteral("model_a"), QStringLiteral("model_b"), QStringLiteral("winner")}
                          : QStringList{QStringLiteral("model")};
  for (const StoredRating& r : studies.ratings(studyId)) {
    const StudyItem& it = *byId.at(r.itemId);
    QJsonObject o{{QStringLiteral("item_id"), it.id},          {QStringLiteral("position"), it.position},
                  {QStringLiteral("rater"), r.rater},          {QStringLiteral("comment"), r.comment},
                  {QStringLiteral("created_at"), r.createdAt}, {QStringLiteral("updated_at"), r.updatedAt}};
    if (pairwise) {
      o.insert(QStringLiteral("choice"), screenChoiceName(toScreen(*r.choice, it.swapped)));
      o.insert(QStringLiteral("winner"), choiceName(*r.choice));
      o.insert(QStringLiteral("model_a"), it.modelA);
      o.insert(QStringLiteral("model_b"), it.modelB);
    } else {
      for (auto sc = r.scores.begin(); sc != r.scores.end(); ++sc) o.insert(sc.key(), sc.value());
      o.insert(QStringLiteral("total"), s.rubric.total(r.scores));
      o.insert(QStringLiteral("model"), it.modelA);
    }
    t.rows.push_back(onlyColumns(o, t.columns));
  }
  return t;
}

QByteArray toCsv(const ExportTable& table) {
  QString out;
  QStringList cells;
  for (const QString& c : table.columns) cells.append(csvCell(c));
  out += cells.join(QLatin1Char(',')) + QLatin1Char('\n');
  for (const QJsonObject& row : table.rows) {
    cells.clear();
    for (const QString& c : table.columns) cells.append(csvCell(cellText(row.value(c))));
    out += cells.join(QLatin1Char(',')) + QLatin1Char('\n');
  }
  return out.toUtf8();
}

void exportStudy(const StudyStore& studies, qint64 studyId, StudyExport what, const QString& path) {
  const QString lower = path.toLower();
  const bool csv = lower.endsWith(QLatin1String(".csv")), jsonl = lower.endsWith(QLatin1String(".jsonl")),
             json = lower.endsWith(QLatin1String(".json"));
  if (!csv && !jsonl && !json)
    throw UsageError(path, QStringLiteral("extension"), path.section(QLatin1Char('.'), -1),
                     QStringLiteral("must be .csv, .jsonl or .json"));
  const ExportTable t = exportTable(studies, studyId, what);
  QByteArray content;
  if (csv) {
    content = toCsv(t);
  } else if (jsonl) {
    for (const QJsonObject& row : t.rows) content += QJsonDocument(row).toJson(QJsonDocument::Compact) + '\n';
  } else {
    QJsonArray a;
    for (const QJsonObject& row : t.rows) a.append(row);
    content = QJsonDocument(a).toJson(QJsonDocument::Indented);
  }
  writeFileAtomically(path, content);
}

SaveReport importRatings(const StudyStore& studies, qint64 studyId, const QString& path) {
  const StudyInfo s = studies.info(studyId);
  std::map<qint64, StudyItem> byId;
  std::map<qint64, qint64> byPosition;
  for (const StudyItem& it : studies.items(studyId)) {
    byId[it.id] = it;
    byPosition[it.position] = it.id;
  }
  std::vector<RatingUpdate> updates;
  RowReader reader(path, {.onBadRow = BadRowPolicy::Fail});
  Row row;
  while (reader.next(row)) {
    const QString where = QStringLiteral("%1:%2").arg(path).arg(row.line);
    const QJsonObject& f = row.fields;
    auto has = [&](const QString& key) { return !cellText(f.value(key)).trimmed().isEmpty() || f.value(key).isObject(); };
    RatingUpdate u;
    u.where = where;
    if (!has(QStringLiteral("item_id")) && !has(QStringLiteral("position")))
      throw FormatError(where, QStringLiteral("item_id"), QString(), QStringLiteral("is missing (give item_id or position)"));
    if (has(QStringLiteral("position"))) {
      const qint64 p = wholeNumber(f.value(QStringLiteral("position")), where, QStringLiteral("position"));
      if (!byPosition.count(p))
        throw FormatError(where, QStringLiteral("position"), p,
                          QStringLiteral("is not a position of study %1 (1..%2)").arg(studyId).arg(byPosition.size()));
      u.itemId = byPosition.at(p);
    }
    if (has(QStringLiteral("item_id"))) {
      const qint64 id = wholeNumber(f.value(QStringLiteral("item_id")), where, QStringLiteral("item_id"));
      if (!byId.count(id))
        throw FormatError(where, QStringLiteral("item_id"), id, QStringLiteral("is not an item of study %1").arg(studyId));
      if (u.itemId && u.itemId != id)
        throw FormatError(where, QStringLiteral("item_id"), id,
                          QStringLiteral("is not the item at position %1 (item %2)")
                              .arg(cellText(f.value(QStringLiteral("position"))))
                              .arg(u.itemId));
      u.itemId = id;
    }
    if (!has(QStringLiteral("rater")))
      throw FormatError(where, QStringLiteral("rater"), QString(), QStringLiteral("is missing"));
    u.rater = cellText(f.value(QStringLiteral("rater")));
    u.comment = cellText(f.value(QStringLiteral("comment")));
    const StudyItem& it = byId.at(u.itemId);
    if (s.kind == StudyKind::Rubric) {
      const QJsonValue scores = f.value(QStringLiteral("scores"));
      if (scores.isObject()) {
        const QJsonObject o = scores.toObject();
        for (auto sc = o.begin(); sc != o.end(); ++sc)
          u.scores.insert(sc.key(), Rubric::parseScore(cellText(sc.value()), where, sc.key()));
      } else {
        for (const QString& c : s.rubric.names())
          if (has(c)) u.scores.insert(c, Rubric::parseScore(cellText(f.value(c)), where, c));
      }
      s.rubric.check(u.scores, where);
    } else {
      std::optional<Choice> fromScreen, fromWinner;
      if (has(QStringLiteral("choice")))
        fromScreen = toModelOrder(parseScreenChoice(cellText(f.value(QStringLiteral("choice"))), where), it.swapped);
      if (has(QStringLiteral("winner")))
        fromWinner = parseChoice(cellText(f.value(QStringLiteral("winner"))), where);
      if (!fromScreen && !fromWinner)
        throw FormatError(where, QStringLiteral("choice"), QString(),
                          QStringLiteral("is missing (left, right, tie or both_bad)"));
      if (fromScreen && fromWinner && *fromScreen != *fromWinner)
        throw FormatError(where, QStringLiteral("winner"), cellText(f.value(QStringLiteral("winner"))),
                          QStringLiteral("contradicts choice %1 on this item").arg(cellText(f.value(QStringLiteral("choice")))));
      u.choice = fromScreen ? fromScreen : fromWinner;
    }
    updates.push_back(u);
  }
  if (updates.empty()) throw FormatError(path, QStringLiteral("rows"), 0, QStringLiteral("has no ratings"));
  return studies.save(studyId, updates);
}

}  // namespace distillery
