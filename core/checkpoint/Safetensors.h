// The safetensors file format (https://github.com/huggingface/safetensors), read and written exactly as the
// reference library does:
//
//   [u64 little-endian N][N bytes of UTF-8 JSON header, space-padded][data section]
//   header: {"__metadata__": {"k": "v"}, "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}, ...}
//
// Offsets are relative to the data section, and the tensors must cover it exactly: no gaps, no overlaps, no
// trailing bytes. Reading validates the whole header up front, so a file that opens is safe to read from.
//
//   SafetensorsFile file(dir + "/model.safetensors");      // throws FormatError naming file and tensor
//   torch::Tensor w = file.tensor("lm_head.weight");       // owning CPU copy, file's dtype and shape
//   writeSafetensors(path, {{"w", w}}, {{"format", "pt"}});
#pragma once
#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>

#include <QtCore/QByteArray>
#include <QtCore/QMap>
#include <QtCore/QString>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

class QFile;

namespace distillery {

// The element types Distillery reads and writes (the reference also knows F8_*, U16, U32, U64; such files are
// refused with a message naming the dtype).
enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, Bool };

QString dtypeName(DType);                              // the header spelling: "F32", "BF16", "BOOL", ...
std::optional<DType> dtypeFromName(std::string_view);  // the inverse; nullopt for anything else
int64_t dtypeSize(DType);                              // bytes per element
c10::ScalarType toScalarType(DType);
std::optional<DType> dtypeFromScalarType(c10::ScalarType);  // nullopt for complex, quantized, ...

struct TensorInfo {
  std::string name;  // as in the header (UTF-8)
  DType dtype = DType::F32;
  std::vector<int64_t> shape;  // [] for a scalar
  int64_t begin = 0, end = 0;  // byte offsets inside the data section, end - begin = numel * dtypeSize

  int64_t numel() const;
  int64_t bytes() const { return end - begin; }
};

// Header sizes over this are refused, as by the reference library.
inline constexpr uint64_t kMaxSafetensorsHeaderBytes = 100'000'000;

// One safetensors file, memory-mapped read-only for its lifetime. Move-only; tensor() is safe to call from
// several threads at once.
class SafetensorsFile {
 public:
  // Maps the file and validates the whole header. Throws FormatError(path, tensorOrField, value, message) for
  // a missing/unreadable file or any malformed header; never reads outside the file.
  explicit SafetensorsFile(const QString& path);
  ~SafetensorsFile();
  SafetensorsFile(SafetensorsFile&&) noexcept;
  SafetensorsFile& operator=(SafetensorsFile&&) noexcept;

  const QString& path() const { return path_; }
  // In data-section order (the reference writer sorts by dtype size, then name).
  const std::vector<TensorInfo>& tensors() const { return tensors_; }
  const TensorInfo* find(std::string_view name) const;                  // nullptr when absent
  const QMap<QString, QString>& metadata() const { return metadata_; }  // the header's "__metadata__"

  // CPU tensor with the file's dtype and shape: an owning copy, valid after this object is gone. Throws
  // FormatError if the tensor is absent, or for BOOL data holding bytes other than 0 and 1.
  at::Tensor tensor(std::string_view name) const;

  // The raw little-endian bytes of a tensor inside the mapping (valid while this object lives).
  const uchar* rawData(const TensorInfo& info) const { return map_ + dataStart_ + info.begin; }

 private:
  void parseHeader(uint64_t headerBytes);

  QString path_;
  std::unique_ptr<QFile> file_;
  const uchar* map_ = nullptr;
  int64_t fileSize_ = 0;
  int64_t dataStart_ = 0;            // 8 + header length
  std::vector<TensorInfo> tensors_;  // sorted by begin
  std::vector<uint32_t> byName_;     // indices into tensors_, sorted by name
  QMap<QString, QString> metadata_;
};

// Writes name → tensor as the reference library does: tensors ordered by dtype size (largest first) then name,
// compact JSON header padded with spaces to a multiple of 8 bytes, "__metadata__" first when not empty. The
// file is replaced atomically (temp file + rename): on any failure the previous file is left as it was.
// Tensors may live on any device and be non-contiguous (contiguous CPU copies are made as needed). Throws Error
// for an unsupported dtype, an undefined tensor, a name given twice or "__metadata__", or a failed write.
void writeSafetensors(const QString& path, const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                      const QMap<QString, QString>& metadata = {});

// The header writeSafetensors would produce (padding included, without the 8-byte length), for tests and tools.
QByteArray safetensorsHeader(const std::vector<TensorInfo>& tensorsInFileOrder, const QMap<QString, QString>& metadata);

}  // namespace distillery
