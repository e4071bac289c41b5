#include "shell/SettingsDialog.h"

#include "runtime/Runtime.h"
#include "shell/AppSettings.h"
#include "shell/Translations.h"

#include <QtWidgets/QComboBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QSpinBox>

namespace distillery::ui {

SettingsDialog::SettingsDialog(QWidget* parent)
    : QDialog(parent), threads_(new QSpinBox(this)), language_(new QComboBox(this)) {
  setWindowTitle(tr("Settings"));
  threads_->setObjectName(QStringLiteral("threads"));
  threads_->setRange(0, 1024);
  threads_->setSpecialValueText(tr("All usable cores (%1)").arg(usableCores()));
  threads_->setValue(AppSettings::computeThreads());
  threads_->setToolTip(tr("LibTorch compute threads for CPU work. 0 uses every core this process may run on; "
                          "typical: the number of physical cores."));
  language_->setObjectName(QStringLiteral("language"));
  language_->addItem(tr("System default"), QString());
  for (const auto& [code, name] : availableLanguages()) language_->addItem(name, code);
  language_->setCurrentIndex(std::max(0, language_->findData(AppSettings::language())));
  language_->setToolTip(tr("Language of the workbench; takes effect at the next start."));

  auto* form = new QFormLayout;
  form->addRow(tr("Compute &threads:"), threads_);
  form->addRow(tr("&Language:"), language_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(buttons);
}

void SettingsDialog::accept() {
  AppSettings::setComputeThreads(threads_->value());
  AppSettings::setLanguage(language_->currentData().toString());
  QDialog::accept();
}

}  // namespace distillery::ui
