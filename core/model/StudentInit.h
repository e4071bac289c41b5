// A student model made from a teacher's folder, written as a Hugging Face checkpoint (config.json, safetensors,
// the teacher's tokenizer and generation files):
//
//  - layer selection (the widths stay the teacher's): the student's N layers are copies of teacher layers spread
//    uniformly with the first and the last kept, DistilBERT's recipe. Student layer i takes teacher layer
//        round_half_up(i · (L − 1) / (N − 1))        (N = 1: layer 0)
//    e.g. L 12, N 6 → 0 2 4 7 9 11 (DistilBERT's own choice). Embeddings, final norm and lm_head are copied too,
//    bit for bit.
//  - fresh initialisation (any width differs from the teacher's): as transformers' _init_weights does it,
//    Linear and Embedding weights normal(0, initializer_range) (config, default 0.02), biases zero, the
//    pad_token_id row of the embeddings zero, RMSNorm weights one; a tied model stays tied.
//
//   StudentResult r = initStudent(teacherDir, outDir, {.layers = 6});   // UsageError naming the flag and value
#pragma once
#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <cstdint>
#include <vector>

namespace distillery {

struct StudentSpec {
  int64_t layers = 0;        // --layers: num_hidden_layers of the student (required, >= 1)
  int64_t hidden = 0;        // --hidden: hidden_size; 0: the teacher's
  int64_t intermediate = 0;  // --intermediate: intermediate_size; 0: the teacher's
  int64_t heads = 0;         // --heads: num_attention_heads; 0: the teacher's
  int64_t kvHeads = 0;       // --kv-heads: num_key_value_heads; 0: the teacher's
  uint64_t seed = 0;         // --seed: the random generator's seed for fresh initialisation
};

enum class StudentMethod {
  LayerSelection,  // teacher layers copied
  FreshInit,       // new random weights
};

struct StudentResult {
  StudentMethod method = StudentMethod::LayerSelection;
  std::vector<int64_t> teacherLayers;  // with LayerSelection: the teacher layer each student layer copies
  QJsonObject config;                  // the config.json written
  int64_t parameters = 0;              // the student's parameter count (a tied lm_head once)
};

// The teacher layers a student of studentLayers layers copies (formula above). Throws UsageError naming
// --layers unless 1 <= studentLayers <= teacherLayers.
std::vector<int64_t> uniformLayerSelection(int64_t teacherLayers, int64_t studentLayers);

// The student's config.json: the teacher's with the new sizes (num_hidden_layers, hidden_size, ...; head_dim
// follows hidden_size / num_attention_heads when the teacher's did; layer_types cut to the student's layers).
// Throws UsageError naming the flag and its value for an impossible shape (e.g. --kv-heads 3 does not divide
// --heads 8), FormatError when the teacher's config itself is bad.
QJsonObject studentConfig(const QJsonObject& teacherConfig, const StudentSpec& spec, const QString& teacherConfigPath);

// A new model from a config alone, initialised as fresh students are (above) with seed, written to outDir with
// saveModel in float32; the side files (tokenizer, generation config) are copied from sideFilesDir when it is not
// empty. Throws FormatError for a config we do not accept, Error for a failed write. Returns the parameter count.
int64_t createFreshModel(const QJsonObject& config, const QString& outDir, const QString& sideFilesDir,
                         uint64_t seed);

// Does the spec change any width (then the student is initialised fresh rather than selected)?
bool changesWidths(const QJsonObject& teacherConfig, const StudentSpec& spec, const QString& teacherConfigPath);

// Reads the teacher folder, builds the student and writes it to outDir with saveModel (same dtype as the teacher's
// weights; an existing non-empty folder that is not a model folder is refused). Throws UsageError for a bad spec
// (nothing written), FormatError/Error for the teacher's files or a failed write.
StudentResult initStudent(const QString& teacherDir, const QString& outDir, const StudentSpec& spec);

}  // namespace distillery
