#include "models/ModelsPanel.h"

#include "kd/Preflight.h"
#include "model/ModelFacts.h"
#include "models/ModelFactsText.h"
#include "models/ModelListModel.h"
#include "models/QuickPromptBox.h"
#include "store/Workspace.h"
#include "worker/BackgroundTask.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QMimeData>
#include <QtGui/QDragEnterEvent>
#include <QtGui/QDropEvent>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QTableView>
#include <QtWidgets/QTextBrowser>
#include <QtWidgets/QVBoxLayout>

namespace distillery::ui {

namespace {

const ModelRole kRoles[] = {ModelRole::Teacher, ModelRole::Student, ModelRole::Other};

void fillRoles(QComboBox* box) {
  for (ModelRole r : kRoles) box->addItem(roleText(r), int(r));
}

// Local folders among dropped URLs.
QStringList droppedFolders(const QMimeData* mime) {
  QStringList dirs;
  if (!mime || !mime->hasUrls()) return dirs;
  for (const QUrl& url : mime->urls())
    if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isDir()) dirs << url.toLocalFile();
  return dirs;
}

}  // namespace

ModelsPanel::ModelsPanel(const PanelInfo& info, QWidget* parent)
    : WorkspacePanel(parent),
      list_(new ModelListModel(this)),
      table_(new QTableView(this)),
      addAs_(new QComboBox(this)),
      add_(new QPushButton(tr("&Add model folder…"), this)),
      role_(new QComboBox(this)),
      remove_(new QPushButton(tr("Re&move"), this)),
      error_(new QLabel(this)),
      factsView_(new QTextBrowser(this)),
      preflightLabel_(new QLabel(this)),
      prompt_(new QuickPromptBox(this)),
      factsTask_(new BackgroundTask(this)),
      preflightTask_(new BackgroundTask(this)) {
  setObjectName(QStringLiteral("panel_") + info.id);
  setAcceptDrops(true);
  auto* heading = new QLabel(QStringLiteral("<h2>%1</h2>").arg(info.title.toHtmlEscaped()), this);
  auto* about = new QLabel(info.description + QLatin1Char(' ') + tr("Drop a model folder here to add it."), this);
  about->setWordWrap(true);

  addAs_->setObjectName(QStringLiteral("addAs"));
  fillRoles(addAs_);
  addAs_->setCurrentIndex(1);
  addAs_->setToolTip(
      tr("Role a newly added model gets: the teacher distils into the student; other models are "
         "kept for comparison."));
  add_->setObjectName(QStringLiteral("addModel"));
  add_->setToolTip(
      tr("Register a Hugging Face model folder (config.json, safetensors, tokenizer.json) in this "
         "workspace; the folder itself is not copied or changed."));
  role_->setObjectName(QStringLiteral("role"));
  fillRoles(role_);
  role_->setToolTip(
      tr("Role of the selected model. Mark one teacher and one student to check that they can be "
         "distilled."));
  remove_->setObjectName(QStringLiteral("removeModel"));
  remove_->setToolTip(tr("Forget the selected model in this workspace (the folder on disk stays)."));
  error_->setObjectName(QStringLiteral("error"));
  error_->setWordWrap(true);
  error_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  error_->setStyleSheet(QStringLiteral("color: #b00020"));
  error_->hide();

  table_->setObjectName(QStringLiteral("models"));
  table_->setModel(list_);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setAlternatingRowColors(true);
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->verticalHeader()->hide();
  factsView_->setObjectName(QStringLiteral("facts"));
  factsView_->setToolTip(tr("What `distillery-cli inspect` reports about the selected model."));
  preflightLabel_->setObjectName(QStringLiteral("preflight"));
  preflightLabel_->setWordWrap(true);
  preflightLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  auto* addAsLabel = new QLabel(tr("Add a&s:"), this);
  addAsLabel->setBuddy(addAs_);
  auto* roleLabel = new QLabel(tr("&Role:"), this);
  roleLabel->setBuddy(role_);
  auto* tools = new QHBoxLayout;
  tools->addWidget(addAsLabel);
  tools->addWidget(addAs_);
  tools->addWidget(add_);
  tools->addSpacing(24);
  tools->addWidget(roleLabel);
  tools->addWidget(role_);
  tools->addWidget(remove_);
  tools->addStretch();

  auto* split = new QSplitter(Qt::Horizontal, this);
  split->addWidget(table_);
  split->addWidget(factsView_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  auto* kd = new QGroupBox(tr("Teacher → student check"), this);
  (new QVBoxLayout(kd))->addWidget(preflightLabel_);
  auto* promptGroup = new QGroupBox(tr("Quick prompt (selected model)"), this);
  (new QVBoxLayout(promptGroup))->addWidget(prompt_);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(heading);
  layout->addWidget(about);
  layout->addLayout(tools);
  layout->addWidget(error_);
  layout->addWidget(split, 2);
  layout->addWidget(kd);
  layout->addWidget(promptGroup, 2);
  setTabOrder(addAs_, add_);
  setTabOrder(add_, role_);
  setTabOrder(role_, remove_);
  setTabOrder(remove_, table_);
  setTabOrder(table_, factsView_);

  connect(add_, &QPushButton::clicked, this, &ModelsPanel::chooseFolder);
  connect(remove_, &QPushButton::clicked, this, [this] {
    const qint64 id = selectedModelId();
    if (!id || !store_) return;
    try {
      ModelStore(*store_).remove(id);
    } catch (const std::exception& e) {
      showError(QString::fromUtf8(e.what()));
    }
    refresh();
  });
  connect(role_, &QComboBox::activated, this, [this](int index) {
    if (const qint64 id = selectedModelId()) setModelRole(id, ModelRole(role_->itemData(index).toInt()));
  });
  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ModelsPanel::selectionChanged);
  connect(list_, &QAbstractItemModel::modelReset, this, &ModelsPanel::selectionChanged);
  connect(factsTask_, &BackgroundTask::finished, this,
          [this](bool ok, const QJsonObject& result, const QString& error) {
            if (factsAgain_) {  // the selection moved on meanwhile
              factsAgain_ = false;
              startFacts();
              return;
            }
            facts_ = ok ? result : QJsonObject();
            if (ok) {
              factsView_->setHtml(modelFactsHtml(facts_));
            } else {
              factsView_->setPlainText(tr("Cannot inspect %1: %2").arg(QDir::toNativeSeparators(factsDir_), error));
              showError(tr("Cannot inspect %1: %2").arg(QDir::toNativeSeparators(factsDir_), error));
            }
            Q_EMIT factsReady();
          });
  connect(preflightTask_, &BackgroundTask::finished, this,
          [this](bool ok, const QJsonObject& result, const QString& error) {
            if (preflightAgain_) {
              preflightAgain_ = false;
              startPreflight();
              return;
            }
            if (!ok) {
              preflight_.state = ModelsPreflight::State::Failed;
              preflight_.reason = error.isEmpty() ? tr("cancelled") : error;
            } else {
              preflight_.verdict = result.value(QStringLiteral("verdict")).toString();
              preflight_.reason = result.value(QStringLiteral("reason")).toString();
              preflight_.state = preflight_.verdict == QLatin1String("refused") ? ModelsPreflight::State::Refused
                                                                                : ModelsPreflight::State::Ok;
            }
            showPreflight();
            Q_EMIT preflightChecked();
          });
  setWorkspace(nullptr, nullptr);
}

ModelsPanel::~ModelsPanel() {
  // The workers hold nothing of the panel's, but their results must not arrive half-way through destruction.
  delete prompt_;
  delete factsTask_;
  delete preflightTask_;
}

void ModelsPanel::setWorkspace(const Workspace* ws, JobRunner*) {
  store_.reset();
  if (ws) store_ = ws->store();
  list_->setStore(store_);  // the old connection's rows go before it closes
  add_->setEnabled(ws != nullptr);
  addAs_->setEnabled(ws != nullptr);
  error_->hide();
  if (ws && list_->rowCount() > 0) table_->selectRow(0);
  startPreflight();
}

void ModelsPanel::refresh() {
  const qint64 selected = selectedModelId();
  list_->refresh();
  if (const int row = list_->rowOfId(selected); row >= 0) table_->selectRow(row);
  startPreflight();
}

QString ModelsPanel::errorText() const { return error_->text(); }

void ModelsPanel::showError(const QString& text) {
  error_->setText(text);
  error_->setVisible(!text.isEmpty());
}

ModelRole ModelsPanel::addRole() const { return ModelRole(addAs_->currentData().toInt()); }

void ModelsPanel::chooseFolder() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Add a model folder"));
  if (!dir.isEmpty()) addModelFolder(dir, addRole());
}

bool ModelsPanel::addModelFolder(const QString& dir, ModelRole role) {
  showError({});
  if (!store_) {
    showError(tr("Open or create a workspace first."));
    return false;
  }
  if (!QFileInfo(dir).isDir()) {
    showError(tr("%1: no such folder").arg(QDir::toNativeSeparators(dir)));
    return false;
  }
  qint64 id = 0;
  try {
    id = ModelStore(*store_).addFolder(dir, role);  // reads config.json only: short enough for the UI thread
  } catch (const std::exception& e) {
    showError(tr("Cannot add %1: %2").arg(QDir::toNativeSeparators(dir), QString::fromUtf8(e.what())));
    return false;
  }
  list_->refresh();
  selectModel(id);
  startPreflight();
  return true;
}

void ModelsPanel::setModelRole(qint64 id, ModelRole role) {
  if (!store_) return;
  try {
    ModelStore(*store_).setRole(id, role);
  } catch (const std::exception& e) {
    showError(QString::fromUtf8(e.what()));
  }
  refresh();
}

void ModelsPanel::selectModel(qint64 id) {
  if (const int row = list_->rowOfId(id); row >= 0) table_->selectRow(row);
}

qint64 ModelsPanel::selectedModelId() const {
  const QModelIndexList rows = table_->selectionModel()->selectedRows();
  return rows.isEmpty() ? 0 : rows.first().data(ModelListModel::kIdRole).toLongLong();
}

void ModelsPanel::selectionChanged() {
  const int row = list_->rowOfId(selectedModelId());
  const bool has = row >= 0;
  role_->setEnabled(has);
  remove_->setEnabled(has);
  if (!has) {
    prompt_->setModelDir({});
    facts_ = {};
    factsDir_.clear();
    factsView_->setPlainText(store_ ? tr("Add a model folder, or select one to see its facts.")
                                    : tr("Open or create a workspace to begin."));
    return;
  }
  const ModelRow& m = list_->rows()[size_t(row)];
  role_->setCurrentIndex(role_->findData(int(m.role)));
  prompt_->setModelDir(m.path);
  if (m.path != factsDir_ || facts_.isEmpty()) {
    factsDir_ = m.path;
    startFacts();
  }
}

void ModelsPanel::startFacts() {
  if (factsTask_->isRunning()) {
    factsAgain_ = true;
    return;
  }
  facts_ = {};
  factsView_->setPlainText(tr("Reading %1…").arg(QDir::toNativeSeparators(factsDir_)));
  factsTask_->start([dir = factsDir_](const std::atomic_bool&, const BackgroundTask::Progress&) {
    return inspectModel(dir);  // also loads tokenizer.json, which can take a second for a large vocabulary
  });
}

void ModelsPanel::startPreflight() {
  if (preflightTask_->isRunning()) {
    preflightAgain_ = true;
    return;
  }
  preflight_ = {};
  const ModelRow* teacher = nullptr;
  const ModelRow* student = nullptr;
  for (const ModelRow& m : list_->rows()) {  // the oldest of each role, as the job forms pick them
    if (m.role == ModelRole::Teacher && !teacher) teacher = &m;
    if (m.role == ModelRole::Student && !student) student = &m;
  }
  if (!teacher || !student) {
    showPreflight();
    Q_EMIT preflightChecked();
    return;
  }
  preflight_.state = ModelsPreflight::State::Checking;
  preflight_.teacherId = teacher->id;
  preflight_.studentId = student->id;
  showPreflight();
  preflightTask_->start(
      [t = teacher->path, s = student->path](const std::atomic_bool&, const BackgroundTask::Progress&) {
        const PreflightReport r = preflight(t, s, QStringLiteral("cpu"));
        return QJsonObject{{QStringLiteral("verdict"), verdictName(r.verdict)},
                           {QStringLiteral("reason"), r.reason},
                           {QStringLiteral("warnings"), QJsonArray::fromStringList(r.warnings)}};
      });
}

void ModelsPanel::showPreflight() {
  const auto nameOf = [this](qint64 id) {
    const int row = list_->rowOfId(id);
    return row < 0 ? QString() : list_->rows()[size_t(row)].name.toHtmlEscaped();
  };
  QString text;
  switch (preflight_.state) {
    case ModelsPreflight::State::NoPair:
      text = store_ ? tr("Mark one model as teacher and one as student to check that logit distillation between "
                         "them is possible.")
                    : QString();
      break;
    case ModelsPreflight::State::Checking:
      text = tr("Checking %1 → %2…").arg(nameOf(preflight_.teacherId), nameOf(preflight_.studentId));
      break;
    case ModelsPreflight::State::Ok:
      text = tr("<span style='color:#1b5e20'>&#10004; %1 → %2: OK (%3).</span> %4")
                 .arg(nameOf(preflight_.teacherId), nameOf(preflight_.studentId), preflight_.verdict,
                      preflight_.reason.toHtmlEscaped());
      break;
    case ModelsPreflight::State::Refused:
      text = tr("<span style='color:#b00020'>&#10008; %1 → %2: vocabulary/tokenizer mismatch.</span> %3")
                 .arg(nameOf(preflight_.teacherId), nameOf(preflight_.studentId), preflight_.reason.toHtmlEscaped());
      break;
    case ModelsPreflight::State::Failed:
      text = tr("<span style='color:#b00020'>Cannot check %1 → %2: %3</span>")
                 .arg(nameOf(preflight_.teacherId), nameOf(preflight_.studentId), preflight_.reason.toHtmlEscaped());
      break;
  }
  preflightLabel_->setText(text);
}

void ModelsPanel::dragEnterEvent(QDragEnterEvent* event) {
  if (store_ && !droppedFolders(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void ModelsPanel::dropEvent(QDropEvent* event) {
  const QStringList dirs = droppedFolders(event->mimeData());
  if (dirs.isEmpty()) return;
  event->acceptProposedAction();
  for (const QString& dir : dirs)
    if (!addModelFolder(dir, addRole())) break;  // keep the first error on screen
}

}  // namespace distillery::ui
