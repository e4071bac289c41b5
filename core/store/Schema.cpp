#include "store/Schema.h"

namespace distillery::schema {

// Kinds and statuses are validated in code (JobKind.h) rather than with CHECK constraints, so later kinds need
// no table rebuild. Times are ISO-8601 UTC text; wall_time in metrics is seconds since the job started.
static const QStringList kVersion1 = {
    QStringLiteral("CREATE TABLE schema_version (version INTEGER NOT NULL)"),
    QStringLiteral("INSERT INTO schema_version (version) VALUES (0)"),
    QStringLiteral("CREATE TABLE workspace (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
    QStringLiteral(
        "CREATE TABLE models ("
        " id INTEGER PRIMARY KEY,"
        " name TEXT NOT NULL,"
        " path TEXT NOT NULL,"
        " role TEXT NOT NULL DEFAULT 'student',"   // teacher | student | other
        " architecture TEXT,"                       // config.json architectures[0]
        " params INTEGER,"                          // parameter count
        " dtype TEXT,"                              // torch_dtype / dtype of the checkpoint
        " vocab_size INTEGER,"
        " tokenizer_path TEXT,"
        " config_json TEXT,"                        // config.json verbatim, for provenance
        " added_at TEXT NOT NULL)"),
    QStringLiteral(
        "CREATE TABLE datasets ("
        " id INTEGER PRIMARY KEY,"
        " name TEXT NOT NULL,"
        " path TEXT NOT NULL,"
        " schema TEXT,"                             // text | alpaca | sharegpt | messages | prompt_completion
        " rows INTEGER,"
        " sha256 TEXT,"
        " parent_id INTEGER REFERENCES datasets(id) ON DELETE SET NULL,"  // derived from (cleaned, split, ...)
        " settings_json TEXT,"                      // how it was derived
        " stats_json TEXT,"
        " created_at TEXT NOT NULL)"),
    QStringLiteral(
        "CREATE TABLE jobs ("
        " id INTEGER PRIMARY KEY,"
        " kind TEXT NOT NULL,"                      // distill | lora | full_ft | quantize | eval | sweep | data
        " name TEXT,"
        " config_json TEXT NOT NULL,"               // the job description verbatim
        " status TEXT NOT NULL DEFAULT 'queued',"   // queued | running | paused | succeeded | failed | cancelled | interrupted
        " parent_id INTEGER REFERENCES jobs(id) ON DELETE CASCADE,"  // sweep trial -> sweep
        " device TEXT,"
        " progress REAL NOT NULL DEFAULT 0,"
        " output_dir TEXT,"
        " error TEXT,"
        " created_at TEXT NOT NULL,"
        " started_at TEXT,"
        " finished_at TEXT)"),
    QStringLiteral("CREATE INDEX jobs_status ON jobs(status)"),
    QStringLiteral(
        "CREATE TABLE metrics ("
        " job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,"
        " step INTEGER NOT NULL,"
        " name TEXT NOT NULL,"                      // loss, loss_ce, loss_kd, lr, grad_norm, val_loss, ...
        " value REAL NOT NULL,"
        " wall_time REAL NOT NULL)"),
    QStringLiteral("CREATE INDEX metrics_job_name_step ON metrics(job_id, name, step)"),
};

static const QStringList kVersion2 = {
    QStringLiteral(
        "CREATE TABLE checkpoints ("
        " id INTEGER PRIMARY KEY,"
        " job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,"
        " step INTEGER NOT NULL,"
        " path TEXT NOT NULL,"
        " val_loss REAL,"
        " is_best INTEGER NOT NULL DEFAULT 0,"
        " created_at TEXT NOT NULL)"),
    QStringLiteral("CREATE INDEX checkpoints_job ON checkpoints(job_id, step)"),
    QStringLiteral(
        "CREATE TABLE evaluations ("
        " id INTEGER PRIMARY KEY,"
        " job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,"
        " model_id INTEGER REFERENCES models(id) ON DELETE SET NULL,"
        " model_label TEXT NOT NULL,"               // teacher, student, student+lora, student-int8, ...
        " dataset_id INTEGER REFERENCES datasets(id) ON DELETE SET NULL,"
        " metrics_json TEXT NOT NULL DEFAULT '{}',"  // aggregate scores
        " created_at TEXT NOT NULL)"),
    QStringLiteral(
        "CREATE TABLE eval_samples ("
        " evaluation_id INTEGER NOT NULL REFERENCES evaluations(id) ON DELETE CASCADE,"
        " sample_index INTEGER NOT NULL,"
        " input TEXT,"
        " output TEXT,"
        " reference TEXT,"
        " scores_json TEXT NOT NULL DEFAULT '{}',"
        " PRIMARY KEY (evaluation_id, sample_index))"),
};

static const QStringList kVersion3 = {
    QStringLiteral(
        "CREATE TABLE studies ("
        " id INTEGER PRIMARY KEY,"
        " name TEXT NOT NULL,"
        " kind TEXT NOT NULL,"                      // rubric | pairwise
        " rubric_json TEXT,"                        // criteria, scale and weights
        " revealed INTEGER NOT NULL DEFAULT 0,"     // model identities shown to raters only once revealed
        " created_at TEXT NOT NULL)"),
    QStringLiteral(
        "CREATE TABLE study_items ("
        " id INTEGER PRIMARY KEY,"
        " study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,"
        " position INTEGER NOT NULL,"
        " prompt TEXT NOT NULL,"
        " output_a TEXT,"
        " output_b TEXT,"
        " model_a TEXT,"
        " model_b TEXT,"
        " swapped INTEGER NOT NULL DEFAULT 0)"),    // pairwise: shown right/left instead of left/right
    QStringLiteral(
        "CREATE TABLE raters ("
        " id INTEGER PRIMARY KEY,"
        " name TEXT NOT NULL UNIQUE,"
        " created_at TEXT NOT NULL)"),
    QStringLiteral(
        "CREATE TABLE ratings ("
        " id INTEGER PRIMARY KEY,"
        " item_id INTEGER NOT NULL REFERENCES study_items(id) ON DELETE CASCADE,"
        " rater_id INTEGER NOT NULL REFERENCES raters(id) ON DELETE CASCADE,"
        " scores_json TEXT,"                        // rubric: {"relevance": 2, ...}
        " choice TEXT,"                             // pairwise: a | b | tie | both_bad (in model order, not screen order)
        " comment TEXT,"
        " created_at TEXT NOT NULL,"
        " UNIQUE (item_id, rater_id))"),
};

// Human-evaluation studies as core/store/StudyStore.h uses them: the seed behind item order and left/right sides,
// per-rater orders, when the models were revealed, where the items came from (and, per item, the evaluation
// samples, so human scores can be correlated with eval_samples.scores_json), when a rating was last changed.
static const QStringList kVersion4 = {
    QStringLiteral("ALTER TABLE studies ADD COLUMN seed INTEGER NOT NULL DEFAULT 0"),
    QStringLiteral("ALTER TABLE studies ADD COLUMN shuffle_per_rater INTEGER NOT NULL DEFAULT 0"),
    QStringLiteral("ALTER TABLE studies ADD COLUMN revealed_at TEXT"),
    QStringLiteral("ALTER TABLE studies ADD COLUMN source_json TEXT"),       // {"file": ...} | {"evaluations": [...]}
    QStringLiteral("ALTER TABLE study_items ADD COLUMN evaluation_a INTEGER REFERENCES evaluations(id) ON DELETE SET NULL"),
    QStringLiteral("ALTER TABLE study_items ADD COLUMN evaluation_b INTEGER REFERENCES evaluations(id) ON DELETE SET NULL"),
    QStringLiteral("ALTER TABLE study_items ADD COLUMN sample_index INTEGER"),  // eval_samples.sample_index of both
    QStringLiteral("ALTER TABLE ratings ADD COLUMN updated_at TEXT"),
    QStringLiteral("CREATE UNIQUE INDEX study_items_position ON study_items(study_id, position)"),
    QStringLiteral("CREATE INDEX ratings_rater ON ratings(rater_id)"),
};

// Regression alerts (core/eval/BaselineStore.h): one baseline per task, its metrics copied from the evaluation it
// was set from so it survives that job being run again or deleted. Self-contained: only this table.
static const QStringList kVersion5 = {
    QStringLiteral(
        "CREATE TABLE eval_baselines ("
        " task TEXT PRIMARY KEY,"                   // what is measured: by default the evaluated dataset's name
        " job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,"
        " evaluation_id INTEGER REFERENCES evaluations(id) ON DELETE SET NULL,"
        " model_label TEXT NOT NULL,"
        " metrics_json TEXT NOT NULL,"              // the evaluation's metrics_json as it was when set
        " set_at TEXT NOT NULL)"),
};

// The audit trail (core/audit/AuditLog.h): a hash chain of every workspace-changing action; ids are assigned by the
// appender (last + 1 inside BEGIN IMMEDIATE) so a deleted row leaves a gap that verify reports. prev_hash is UNIQUE:
// two appends that read the same last row cannot both commit, so the chain cannot fork. file_hashes caches
// SHA-256 of big files (base models) by path, size and modification time for provenance.json.
static const QStringList kVersion6 = {
    QStringLiteral(
        "CREATE TABLE audit ("
        " id INTEGER PRIMARY KEY,"
        " time TEXT NOT NULL,"                      // ISO-8601 UTC with milliseconds
        " user TEXT NOT NULL,"                      // OS user
        " action TEXT NOT NULL,"                    // workspace.created | model.added | job.finished | ...
        " object_kind TEXT NOT NULL,"               // workspace | model | dataset | job | study | artefact | settings
        " object_id TEXT NOT NULL,"                 // row id or path
        " params TEXT NOT NULL DEFAULT '{}',"       // compact JSON, hashed verbatim
        " prev_hash TEXT NOT NULL UNIQUE,"
        " hash TEXT NOT NULL)"),
    QStringLiteral("CREATE INDEX audit_action ON audit(action)"),
    QStringLiteral("CREATE INDEX audit_time ON audit(time)"),
    QStringLiteral(
        "CREATE TABLE file_hashes ("
        " path TEXT PRIMARY KEY,"                   // absolute path
        " size INTEGER NOT NULL,"
        " mtime TEXT NOT NULL,"                     // ISO-8601 UTC with milliseconds
        " sha256 TEXT NOT NULL,"
        " hashed_at TEXT NOT NULL)"),
};

const QList<QStringList>& migrations() {
  static const QList<QStringList> all = {kVersion1, kVersion2, kVersion3, kVersion4, kVersion5, kVersion6};
  return all;
}

}  // namespace distillery::schema
