#include "jobs/FormFields.h"

#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QTableWidget>
#include <QtWidgets/QToolButton>

#include <limits>

namespace distillery::ui {

NumberSpinBox::NumberSpinBox(QWidget* parent) : QDoubleSpinBox(parent) {
  setDecimals(12);  // keep 3e-5 exact; textFromValue decides what is shown
}

QString NumberSpinBox::textFromValue(double value) const { return QString::number(value, 'g', 8); }

double NumberSpinBox::valueFromText(const QString& text) const { return text.trimmed().toDouble(); }

QValidator::State NumberSpinBox::validate(QString& text, int&) const {
  const QString t = text.trimmed();
  if (t.isEmpty() || t == QLatin1String("-") || t.endsWith(QLatin1Char('e'), Qt::CaseInsensitive) ||
      t.endsWith(QLatin1String("e-"), Qt::CaseInsensitive) || t.endsWith(QLatin1Char('.')))
    return QValidator::Intermediate;
  bool ok = false;
  const double v = t.toDouble(&ok);
  if (!ok) return QValidator::Invalid;
  return v >= minimum() && v <= maximum() ? QValidator::Acceptable : QValidator::Intermediate;
}

// Adds the row and makes the label the field's buddy, so its mnemonic (&) moves the focus there.
static void addRow(QFormLayout* form, const QString& label, QWidget* field, QWidget* focus) {
  auto* l = new QLabel(label, form->parentWidget());
  l->setBuddy(focus);
  form->addRow(l, field);
}

QSpinBox* addIntField(QFormLayout* form, const QString& key, const QString& label, int min, int max,
                      const QString& tooltip) {
  auto* w = new QSpinBox(form->parentWidget());
  w->setObjectName(key);
  w->setRange(min, max);
  w->setToolTip(tooltip);
  addRow(form, label, w, w);
  return w;
}

NumberSpinBox* addNumberField(QFormLayout* form, const QString& key, const QString& label, double min, double max,
                              double step, const QString& tooltip) {
  auto* w = new NumberSpinBox(form->parentWidget());
  w->setObjectName(key);
  w->setRange(min, max);
  w->setSingleStep(step);
  w->setToolTip(tooltip);
  addRow(form, label, w, w);
  return w;
}

QComboBox* addChoiceField(QFormLayout* form, const QString& key, const QString& label, const QStringList& choices,
                          const QString& tooltip) {
  auto* w = new QComboBox(form->parentWidget());
  w->setObjectName(key);
  w->addItems(choices);
  w->setToolTip(tooltip);
  addRow(form, label, w, w);
  return w;
}

QCheckBox* addCheckField(QFormLayout* form, const QString& key, const QString& text, const QString& tooltip) {
  auto* w = new QCheckBox(text, form->parentWidget());
  w->setObjectName(key);
  w->setToolTip(tooltip);
  form->addRow(QString(), w);
  return w;
}

QLineEdit* addTextField(QFormLayout* form, const QString& key, const QString& label, const QString& tooltip) {
  auto* w = new QLineEdit(form->parentWidget());
  w->setObjectName(key);
  w->setToolTip(tooltip);
  addRow(form, label, w, w);
  return w;
}

QLineEdit* addPathField(QFormLayout* form, const QString& key, const QString& label, bool folder,
                        const QString& tooltip) {
  auto* row = new QWidget(form->parentWidget());
  auto* edit = new QLineEdit(row);
  edit->setObjectName(key);
  edit->setToolTip(tooltip);
  auto* browse = new QToolButton(row);
  browse->setText(QObject::tr("Browse…"));
  browse->setToolTip(folder ? QObject::tr("Choose a folder") : QObject::tr("Choose a file"));
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(edit, 1);
  layout->addWidget(browse);
  QObject::connect(browse, &QToolButton::clicked, edit, [edit, folder, label] {
    const QString caption = QString(label).remove(QLatin1Char('&')).remove(QLatin1Char(':'));
    const QString picked = folder ? QFileDialog::getExistingDirectory(edit, caption, edit->text())
                                  : QFileDialog::getOpenFileName(edit, caption, edit->text());
    if (!picked.isEmpty()) edit->setText(picked);
  });
  addRow(form, label, row, edit);
  return edit;
}

bool parseNumberList(const QString& text, std::vector<double>& out, QString& bad) {
  out.clear();
  for (const QString& item : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
    bool ok = false;
    const double v = item.trimmed().toDouble(&ok);
    if (!ok) {
      bad = item.trimmed();
      return false;
    }
    out.push_back(v);
  }
  return true;
}

QString numberText(double v) { return QString::number(v, 'g', QLocale::FloatingPointShortest); }

QString numberListText(const std::vector<double>& values) {
  QStringList parts;
  for (double v : values) parts.append(numberText(v));
  return parts.join(QStringLiteral(", "));
}

QStringList splitList(const QString& text) {
  QStringList out;
  for (const QString& s : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
    if (!s.trimmed().isEmpty()) out.append(s.trimmed());
  return out;
}

QWidget* tableWithButtons(QTableWidget* table, QWidget* parent, const std::function<void()>& addRow) {
  auto* box = new QWidget(parent);
  auto* add = new QPushButton(QObject::tr("Add row"), box);
  auto* remove = new QPushButton(QObject::tr("Remove row"), box);
  add->setToolTip(QObject::tr("Adds a row to the table above."));
  remove->setToolTip(QObject::tr("Removes the selected row of the table above."));
  QObject::connect(add, &QPushButton::clicked, table, [addRow] { addRow(); });
  QObject::connect(remove, &QPushButton::clicked, table, [table] {
    if (table->currentRow() >= 0) table->removeRow(table->currentRow());
  });
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(add);
  buttons->addWidget(remove);
  buttons->addStretch(1);
  auto* layout = new QVBoxLayout(box);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(table);
  layout->addLayout(buttons);
  return box;
}

void appendRow(QTableWidget* table, const QString& first, const QString& second) {
  const int row = table->rowCount();
  table->insertRow(row);
  table->setItem(row, 0, new QTableWidgetItem(first));
  table->setItem(row, 1, new QTableWidgetItem(second));
}

QString cell(const QTableWidget* table, int row, int column) {
  const QTableWidgetItem* item = table->item(row, column);
  return item ? item->text().trimmed() : QString();
}

}  // namespace distillery::ui
