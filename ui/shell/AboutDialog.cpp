#include "shell/AboutDialog.h"

#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QVBoxLayout>

namespace distillery::ui {

AboutDialog::AboutDialog(const RuntimeInfo& info, QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("About Distillery"));
  QStringList gpus;
  for (const GpuInfo& g : info.gpus)
    gpus << tr("%1: %2 (%3 GiB)").arg(g.index).arg(g.name).arg(double(g.memoryTotal) / (1 << 30), 0, 'f', 1);
  const QList<QPair<QString, QString>> rows = {
      {tr("Distillery"), info.distilleryVersion},
      {tr("Qt"), info.qtVersion},
      {tr("LibTorch"), info.torchVersion},
      {tr("BLAS"), info.blas},
      {tr("CUDA"), info.cudaAvailable ? tr("available, %n device(s)", nullptr, info.cudaDevices) : tr("not available")},
      {tr("GPUs"), gpus.isEmpty() ? tr("none detected") : gpus.join(QStringLiteral("; "))},
      {tr("Compute threads"), tr("%1 of %2 usable cores").arg(info.computeThreads).arg(info.usableCores)},
  };
  QString html = QStringLiteral("<h3>%1</h3><p>%2</p><table>")
                     .arg(tr("Distillery"), tr("Distil, fine-tune, quantize and evaluate LLMs on your own GPUs."));
  for (const auto& [name, value] : rows) {
    html += QStringLiteral("<tr><td><b>%1</b>&nbsp;&nbsp;</td><td>%2</td></tr>").arg(name, value.toHtmlEscaped());
    text_ += name + QStringLiteral(": ") + value + QLatin1Char('\n');
  }
  html += QStringLiteral("</table>");
  auto* label = new QLabel(html, this);
  label->setObjectName(QStringLiteral("versions"));
  label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(label);
  layout->addWidget(buttons);
}

}  // namespace distillery::ui
