#include "shell/MainWindow.h"

#include "audit/AuditLog.h"
#include "common/Error.h"
#include "demo/DemoPipeline.h"
#include "jobs/JobRunner.h"
#include "jobs/JobStore.h"
#include "runtime/Runtime.h"
#include "shell/AboutDialog.h"
#include "shell/AppSettings.h"
#include "shell/DemoBuild.h"
#include "shell/Panels.h"
#include "shell/SettingsDialog.h"
#include "shell/WorkspacePanel.h"

#include <QtCore/QFileInfo>
#include <QtGui/QAction>
#include <QtGui/QCloseEvent>
#include <QtGui/QKeySequence>
#include <QtWidgets/QApplication>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QStackedWidget>
#include <QtWidgets/QStatusBar>

namespace distillery::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      sidebar_(new QListWidget(this)),
      stack_(new QStackedWidget(this)),
      workspaceLabel_(new QLabel(this)),
      computeLabel_(new QLabel(this)) {
  setObjectName(QStringLiteral("mainWindow"));
  setWindowTitle(tr("Distillery"));
  sidebar_->setObjectName(QStringLiteral("sidebar"));
  sidebar_->setMaximumWidth(200);
  sidebar_->setAccessibleName(tr("Panels"));
  int index = 0;
  for (const PanelInfo& info : panels()) {
    auto* item = new QListWidgetItem(info.title, sidebar_);
    item->setData(Qt::UserRole, info.id);
    item->setToolTip(tr("%1 (Ctrl+%2)").arg(info.description).arg(++index));
    stack_->addWidget(info.create(info, stack_));
  }
  connect(sidebar_, &QListWidget::currentRowChanged, stack_, &QStackedWidget::setCurrentIndex);

  auto* splitter = new QSplitter(this);
  splitter->addWidget(sidebar_);
  splitter->addWidget(stack_);
  splitter->setStretchFactor(1, 1);
  setCentralWidget(splitter);

  statusBar()->addWidget(workspaceLabel_, 1);
  statusBar()->addPermanentWidget(computeLabel_);
  buildMenus();

  if (!restoreGeometry(AppSettings::windowGeometry())) resize(1100, 700);
  restoreState(AppSettings::windowState());
  const QString last = AppSettings::lastPanel();
  showPanel(panelIds().contains(last) ? last : QStringLiteral("models"));
  updateStatus();
}

MainWindow::~MainWindow() { closeWorkspace(); }

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&Workspace"));
  QAction* create = file->addAction(tr("&New…"), this, &MainWindow::newWorkspaceDialog);
  create->setShortcut(QKeySequence::New);
  create->setToolTip(tr("Create a workspace folder that holds models, data, jobs and their results."));
  QAction* open = file->addAction(tr("&Open…"), this, &MainWindow::openWorkspaceDialog);
  open->setShortcut(QKeySequence::Open);
  recentMenu_ = file->addMenu(tr("Open &Recent"));
  rebuildRecentMenu();
  file->addAction(tr("&Close"), this, &MainWindow::closeWorkspace);
  file->addSeparator();
  QAction* settings = file->addAction(tr("&Settings…"), this, &MainWindow::showSettings);
  settings->setShortcut(QKeySequence::Preferences);
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  QMenu* view = menuBar()->addMenu(tr("&View"));
  const QStringList ids = panelIds();
  for (int i = 0; i < ids.size(); ++i) {
    const QString id = ids[i];
    QAction* a = view->addAction(sidebar_->item(i)->text(), this, [this, id] { showPanel(id); });
    a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
  }

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About Distillery"), this, &MainWindow::showAbout);
}

QStringList MainWindow::panelIds() const {
  QStringList ids;
  for (int i = 0; i < sidebar_->count(); ++i) ids << sidebar_->item(i)->data(Qt::UserRole).toString();
  return ids;
}

WorkspacePanel* MainWindow::panel(const QString& id) const {
  const qsizetype i = panelIds().indexOf(id);
  return i < 0 ? nullptr : static_cast<WorkspacePanel*>(stack_->widget(int(i)));
}

QString MainWindow::currentPanel() const {
  return sidebar_->currentItem() ? sidebar_->currentItem()->data(Qt::UserRole).toString() : QString();
}

void MainWindow::showPanel(const QString& id) {
  const qsizetype i = panelIds().indexOf(id);
  if (i >= 0) sidebar_->setCurrentRow(int(i));
}

bool MainWindow::openWorkspace(const QString& path, bool create) {
  try {
    Workspace ws = create ? Workspace::init(path) : Workspace::open(path);
    closeWorkspace();
    workspace_ = std::move(ws);
    // Jobs a crashed session left running (no live process holds their lock) become interrupted and resumable.
    markInterruptedJobs(workspace_->store());
    runner_ = std::make_unique<JobRunner>(workspace_->store());
    for (const QString& id : panelIds()) panel(id)->setWorkspace(&*workspace_, runner_.get());
    AppSettings::addRecentWorkspace(workspace_->root());
    rebuildRecentMenu();
    lastError_.clear();
    updateStatus();
    Q_EMIT workspaceChanged(workspace_->root());
    return true;
  } catch (const Error& e) {
    lastError_ = e.message();
    showError(create ? tr("Cannot create the workspace") : tr("Cannot open the workspace"), lastError_);
    return false;
  }
}

void MainWindow::closeWorkspace() {
  if (!workspace_) return;
  stopDemo(true);  // the demo writes into this workspace from its worker: stop it first
  // Panels drop their models first: their queries hold this thread's connection, closed below. Running jobs
  // stop within a step and stay resumable (interrupted).
  for (const QString& id : panelIds()) panel(id)->setWorkspace(nullptr, nullptr);
  runner_.reset();
  workspace_->store().closeThisThread();
  workspace_.reset();
  updateStatus();
  Q_EMIT workspaceChanged(QString());
}

void MainWindow::refreshPanels() {
  if (!workspace_) return;
  for (const QString& id : panelIds()) panel(id)->setWorkspace(&*workspace_, runner_.get());
}

void MainWindow::openDemo(const QString& path, bool fastForTests) {
  if (!openWorkspace(path, !QFileInfo::exists(Workspace::databasePath(path)))) return;
  if (demoBuilt(*workspace_) || demo_) return;
  DemoOptions o = fastForTests ? DemoOptions::quick() : DemoOptions{};
  o.workspace = workspace_->root();
  demo_ = new DemoBuild(o, this);
  // The progress bar and the stop button sit in one status-bar widget that goes when the build does.
  demoBar_ = new QWidget(this);
  auto* layout = new QHBoxLayout(demoBar_);
  layout->setContentsMargins(0, 0, 0, 0);
  auto* bar = new QProgressBar(demoBar_);
  bar->setObjectName(QStringLiteral("demoProgress"));
  bar->setMaximumWidth(260);
  bar->setRange(0, int(demoStepTitles().size()) * 100);
  auto* stop = new QPushButton(tr("Stop the demo"), demoBar_);
  stop->setToolTip(tr("Stops the demo build after the current training step; opening the demo again continues it."));
  layout->addWidget(bar);
  layout->addWidget(stop);
  statusBar()->addPermanentWidget(demoBar_);
  connect(stop, &QPushButton::clicked, demo_, &DemoBuild::cancel);
  connect(demo_, &DemoBuild::progressChanged, bar, [this, bar](const DemoProgress& p) {
    const int within = p.total > 0 ? int(100 * p.done / p.total) : 0;
    bar->setValue((p.step - 1) * 100 + within);
    bar->setFormat(tr("Demo %1/%2").arg(p.step).arg(p.steps));
    bar->setToolTip(p.title);
    statusBar()->showMessage(tr("Building the demo: %1").arg(p.title));
  });
  connect(demo_, &DemoBuild::stepFinished, this, [this] { refreshPanels(); });
  connect(demo_, &DemoBuild::finished, this, [this](bool ok, bool cancelled, const QString& error) {
    stopDemo(false);
    refreshPanels();
    if (ok) statusBar()->showMessage(tr("The demo workspace is ready."), 10000);
    else if (cancelled) statusBar()->showMessage(tr("Demo stopped; open it again to continue."), 10000);
    else showError(tr("The demo could not be built"), error);
    Q_EMIT demoFinished(ok);
  });
  demo_->start();
}

void MainWindow::stopDemo(bool wait) {
  if (!demo_) return;
  if (wait) {
    demo_->cancel();
    delete demo_;  // joins the worker, which stops within one training step
  } else {
    demo_->deleteLater();  // called from its own finished signal
  }
  demo_ = nullptr;
  delete demoBar_;
  demoBar_ = nullptr;
}

void MainWindow::rebuildRecentMenu() {
  recentMenu_->clear();
  const QStringList recent = AppSettings::recentWorkspaces();
  for (const QString& path : recent)
    recentMenu_->addAction(path, this, [this, path] {
      if (!openWorkspace(path) && !QFileInfo::exists(path)) {
        AppSettings::removeRecentWorkspace(path);
        rebuildRecentMenu();
      }
    });
  recentMenu_->setEnabled(!recent.isEmpty());
}

void MainWindow::newWorkspaceDialog() {
  const QString dir = QFileDialog::getSaveFileName(this, tr("New workspace folder"), QString(), QString(), nullptr,
                                                   QFileDialog::ShowDirsOnly);
  if (!dir.isEmpty()) openWorkspace(dir, true);
}

void MainWindow::openWorkspaceDialog() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Open workspace folder"));
  if (!dir.isEmpty()) openWorkspace(dir);
}

void MainWindow::showSettings() {
  auto* dialog = new SettingsDialog(this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &QDialog::accepted, this, [this] {
    setComputeThreads(AppSettings::computeThreads());
    if (workspace_) recordAuditNoThrow(workspace_->store(), QStringLiteral("settings.changed"), QStringLiteral("settings"), QStringLiteral("application"), {{"compute_threads", AppSettings::computeThreads()}, {"language", AppSettings::language()}});
    updateStatus();
  });
  dialog->open();
}

void MainWindow::showAbout() {
  auto* dialog = new AboutDialog(runtimeInfo(), this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->open();
}

void MainWindow::showError(const QString& title, const QString& text) {
  statusBar()->showMessage(text, 10000);
  if (!errorDialogs_) return;
  auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
}

void MainWindow::updateStatus() {
  if (workspace_) {
    workspaceLabel_->setText(tr("Workspace: %1 — %2").arg(workspace_->name(), workspace_->root()));
    setWindowTitle(tr("%1 — Distillery").arg(workspace_->name()));
  } else {
    workspaceLabel_->setText(tr("No workspace open"));
    setWindowTitle(tr("Distillery"));
  }
  const RuntimeInfo rt = runtimeInfo();
  const QString device = rt.gpus.isEmpty() ? (rt.cudaAvailable ? tr("CUDA") : tr("no GPU"))
                                           : tr("%n GPU(s)", nullptr, int(rt.gpus.size()));
  computeLabel_->setText(tr("CPU: %1 threads · BLAS: %2 · %3").arg(rt.computeThreads).arg(rt.blas, device));
  computeLabel_->setToolTip(rt.blasIsReference
                                ? tr("The reference BLAS is about 28× slower; install libopenblas0-openmp.")
                                : QString());
}

void MainWindow::closeEvent(QCloseEvent* event) {
  AppSettings::setWindow(saveGeometry(), saveState());
  AppSettings::setLastPanel(currentPanel());
  event->accept();
}

}  // namespace distillery::ui
