// Small builders for the job form's fields. Every field's objectName is its dotted job-JSON key ("lora.r",
// "train.lr"), so a validation error from JobSpec::fromJson finds the widget it is about, and tests can set a
// field by its key.
#pragma once
#include <QtWidgets/QDoubleSpinBox>

#include <functional>
#include <vector>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLineEdit;
class QSpinBox;
class QTableWidget;
class QWidget;

namespace distillery::ui {

// A double spin box that shows and reads numbers such as 3e-05 (learning rates), not a fixed number of decimals.
class NumberSpinBox : public QDoubleSpinBox {
  Q_OBJECT
 public:
  explicit NumberSpinBox(QWidget* parent = nullptr);
  QString textFromValue(double value) const override;
  double valueFromText(const QString& text) const override;
  QValidator::State validate(QString& text, int& pos) const override;
};

// Each adds a labelled row to `form` and returns the field; tooltip says what it does and its typical range.
QSpinBox* addIntField(QFormLayout* form, const QString& key, const QString& label, int min, int max,
                      const QString& tooltip);
NumberSpinBox* addNumberField(QFormLayout* form, const QString& key, const QString& label, double min, double max,
                              double step, const QString& tooltip);
QComboBox* addChoiceField(QFormLayout* form, const QString& key, const QString& label, const QStringList& choices,
                          const QString& tooltip);
QCheckBox* addCheckField(QFormLayout* form, const QString& key, const QString& text, const QString& tooltip);
QLineEdit* addTextField(QFormLayout* form, const QString& key, const QString& label, const QString& tooltip);
// A line edit with a "Browse…" button that opens a folder (folder = true) or file dialog.
QLineEdit* addPathField(QFormLayout* form, const QString& key, const QString& label, bool folder,
                        const QString& tooltip);

// "1, 2.5, 3" → numbers; false (and `bad` = the first item that is not one) when an item is not a number.
bool parseNumberList(const QString& text, std::vector<double>& out, QString& bad);
QString numberListText(const std::vector<double>& values);
// The shortest text that reads back as exactly v ("1e-05", "0.1").
QString numberText(double v);
// "a, b,, c" → {"a", "b", "c"}.
QStringList splitList(const QString& text);

// Two-column tables (extra teachers, sweep parameters): the table with Add/Remove row buttons under it (addRow
// adds one row with its defaults), a row appended, a cell's trimmed text ("" when empty).
QWidget* tableWithButtons(QTableWidget* table, QWidget* parent, const std::function<void()>& addRow);
void appendRow(QTableWidget* table, const QString& first, const QString& second);
QString cell(const QTableWidget* table, int row, int column);

}  // namespace distillery::ui
