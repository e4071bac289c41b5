// distillery: the workbench window. Options: --workspace PATH, --demo, --threads N, --panel ID, --screenshot FILE.
#include "runtime/Runtime.h"
#include "shell/AppSettings.h"
#include "shell/MainWindow.h"
#include "shell/Translations.h"
#include "store/Workspace.h"
#include "BuildInfo.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QFileInfo>
#include <QtCore/QTimer>
#include <QtGui/QIcon>
#include <QtWidgets/QApplication>

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  Q_INIT_RESOURCE(resources);  // ui is a static library: its resources are registered by hand
  QApplication::setOrganizationName(QStringLiteral("Distillery"));
  QApplication::setApplicationName(QStringLiteral("distillery"));
  QApplication::setApplicationDisplayName(QStringLiteral("Distillery"));
  QApplication::setApplicationVersion(QStringLiteral(DISTILLERY_VERSION));
  QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/distillery.svg")));
  distillery::ui::installTranslations();

  QCommandLineParser cli;
  cli.setApplicationDescription(QStringLiteral("Distil, fine-tune, quantize and evaluate LLMs on your own GPUs."));
  cli.addHelpOption();
  cli.addVersionOption();
  const QCommandLineOption workspace(QStringLiteral("workspace"), QStringLiteral("Open this workspace."), QStringLiteral("PATH"));
  const QCommandLineOption demo(QStringLiteral("demo"), QStringLiteral("Open (creating if needed) the demo workspace."));
  const QCommandLineOption threads(QStringLiteral("threads"), QStringLiteral("LibTorch compute threads (0: all cores)."),
                                   QStringLiteral("N"));
  const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                      QStringLiteral("Save a screenshot of the window to FILE and quit."), QStringLiteral("FILE"));
  const QCommandLineOption panel(QStringLiteral("panel"),
                                 QStringLiteral("Show this panel first (models, data, jobs, curves, quantization, "
                                                "evaluation, rating, compare)."),
                                 QStringLiteral("ID"));
  cli.addOptions({workspace, demo, threads, panel, screenshot});
  cli.process(app);

  distillery::setComputeThreads(cli.isSet(threads) ? cli.value(threads).toInt()
                                                   : distillery::ui::AppSettings::computeThreads());
  distillery::ui::MainWindow window;
  window.show();
  if (cli.isSet(demo)) {
    window.openDemo(distillery::Workspace::demoPath());
  } else if (cli.isSet(workspace)) {
    window.openWorkspace(cli.value(workspace));
  } else if (const QStringList recent = distillery::ui::AppSettings::recentWorkspaces(); !recent.isEmpty()) {
    window.openWorkspace(recent.first());
  }
  if (cli.isSet(panel)) window.showPanel(cli.value(panel));
  if (cli.isSet(screenshot)) {
    QTimer::singleShot(1500, &window, [&] {
      window.grab().save(cli.value(screenshot));
      window.close();
    });
  }
  return app.exec();
}
