// A titled group of rarely used settings, folded under a ▸/▾ button so the usual ones stay in view. The button
// takes the keyboard focus (Space unfolds it); folded fields keep their values and still go into the job.
#pragma once
#include <QtWidgets/QWidget>

class QFormLayout;
class QToolButton;

namespace distillery::ui {

class CollapsibleSection : public QWidget {
  Q_OBJECT
 public:
  // objectName: of the button, so tests and validation can find and unfold the group.
  CollapsibleSection(const QString& title, const QString& objectName, const QString& tooltip,
                     QWidget* parent = nullptr);
  // The group's form: its fields are created with form()->parentWidget() as their parent.
  QFormLayout* form() const { return form_; }
  bool isExpanded() const;
  void setExpanded(bool expanded);

 private:
  QToolButton* button_;
  QWidget* body_;
  QFormLayout* form_;
};

}  // namespace distillery::ui
