#include "checkpoint/Safetensors.h"

#include "checkpoint/JsonFile.h"
#include "common/Error.h"

#include <ATen/ATen.h>

#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonParseError>
#include <QtCore/QSaveFile>
#include <QtCore/QtEndian>

#include <algorithm>
#include <array>
#include <cstring>
#include <set>

// Tensor bytes are copied between the file and memory as they are; the format is little-endian.
static_assert(Q_BYTE_ORDER == Q_LITTLE_ENDIAN, "safetensors data is little-endian; big-endian hosts need byte swaps");

namespace distillery {

namespace {

struct DTypeRow {
  DType dtype;
  const char* name;
  int64_t size;
  c10::ScalarType scalar;
  int referenceOrder;  // position in the reference library's Dtype enum, which orders tensors when writing
};

constexpr std::array<DTypeRow, 10> kDTypes{{
    {DType::F64, "F64", 8, c10::ScalarType::Double, 12},
    {DType::F32, "F32", 4, c10::ScalarType::Float, 11},
    {DType::F16, "F16", 2, c10::ScalarType::Half, 7},
    {DType::BF16, "BF16", 2, c10::ScalarType::BFloat16, 8},
    {DType::I64, "I64", 8, c10::ScalarType::Long, 13},
    {DType::I32, "I32", 4, c10::ScalarType::Int, 9},
    {DType::I16, "I16", 2, c10::ScalarType::Short, 5},
    {DType::I8, "I8", 1, c10::ScalarType::Char, 2},
    {DType::U8, "U8", 1, c10::ScalarType::Byte, 1},
    {DType::Bool, "BOOL", 1, c10::ScalarType::Bool, 0},
}};

const DTypeRow& rowOf(DType d) {
  for (const DTypeRow& r : kDTypes)
    if (r.dtype == d) return r;
  return kDTypes[1];  // unreachable: every enumerator has a row
}

QString supportedDTypes() {
  QStringList names;
  for (const DTypeRow& r : kDTypes) names << QString::fromLatin1(r.name);
  return names.join(QStringLiteral(", "));
}

QString shapeText(const std::vector<int64_t>& shape) {
  QStringList dims;
  for (int64_t d : shape) dims << QString::number(d);
  return QLatin1Char('[') + dims.join(QStringLiteral(", ")) + QLatin1Char(']');
}

// A JSON integer that fits in int64. Qt's parser keeps integral numbers as integers, so 2.0 also reads as 2
// (the reference library would refuse it; the meaning is the same). 2.5, 1e300 and 2^63 are refused.
std::optional<int64_t> nonNegativeInteger(const QJsonValue& v) {
  if (!v.isDouble() || v.toVariant().typeId() != QMetaType::LongLong) return std::nullopt;
  const qint64 n = v.toInteger();
  if (n < 0) return std::nullopt;
  return n;
}

// serde_json's string escaping, so headers match the reference library byte for byte.
void appendJsonString(QByteArray& out, QByteArrayView utf8) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  for (const char ch : utf8) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 0xF];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

}  // namespace

QString dtypeName(DType d) { return QString::fromLatin1(rowOf(d).name); }

std::optional<DType> dtypeFromName(std::string_view name) {
  for (const DTypeRow& r : kDTypes)
    if (name == r.name) return r.dtype;
  return std::nullopt;
}

int64_t dtypeSize(DType d) { return rowOf(d).size; }

c10::ScalarType toScalarType(DType d) { return rowOf(d).scalar; }

std::optional<DType> dtypeFromScalarType(c10::ScalarType s) {
  for (const DTypeRow& r : kDTypes)
    if (r.scalar == s) return r.dtype;
  return std::nullopt;
}

int64_t TensorInfo::numel() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;  // cannot overflow: validated when the header was read
  return n;
}

// ---------------------------------------------------------------------------------------------- reading

SafetensorsFile::SafetensorsFile(const QString& path) : path_(path), file_(std::make_unique<QFile>(path)) {
  const QFileInfo info(path);
  if (!info.exists()) throw FormatError(path, {}, {}, QStringLiteral("does not exist"));
  if (info.isDir()) throw FormatError(path, {}, {}, QStringLiteral("is a folder; expected a .safetensors file"));
  if (!file_->open(QIODevice::ReadOnly))
    throw FormatError(path, {}, {}, QStringLiteral("cannot be read: %1").arg(file_->errorString()));
  fileSize_ = file_->size();
  if (fileSize_ < 8)
    throw FormatError(
        path, {}, {},
        QStringLiteral("is %1 bytes long; a safetensors file starts with an 8-byte header length").arg(fileSize_));
  map_ = file_->map(0, fileSize_);
  if (!map_) throw FormatError(path, {}, {}, QStringLiteral("cannot be memory-mapped: %1").arg(file_->errorString()));

  const auto headerBytes = qFromLittleEndian<quint64>(map_);
  if (headerBytes > kMaxSafetensorsHeaderBytes)
    throw FormatError(
        path, QStringLiteral("header length"), headerBytes,
        QStringLiteral("is over the %1-byte limit (is this a safetensors file?)").arg(kMaxSafetensorsHeaderBytes));
  if (headerBytes > static_cast<quint64>(fileSize_ - 8))
    throw FormatError(path, QStringLiteral("header length"), headerBytes,
                      QStringLiteral("runs past the end of the file (%1 bytes; is it truncated?)").arg(fileSize_));
  dataStart_ = 8 + static_cast<int64_t>(headerBytes);
  parseHeader(headerBytes);
}

SafetensorsFile::~SafetensorsFile() = default;
SafetensorsFile::SafetensorsFile(SafetensorsFile&&) noexcept = default;
SafetensorsFile& SafetensorsFile::operator=(SafetensorsFile&&) noexcept = default;

void SafetensorsFile::parseHeader(uint64_t headerBytes) {
  const QString header = QStringLiteral("header");
  const QByteArrayView text(reinterpret_cast<const char*>(map_ + 8), static_cast<qsizetype>(headerBytes));
  if (text.isEmpty()) throw FormatError(path_, header, {}, QStringLiteral("is empty; expected a JSON object"));
  if (text[0] != '{')
    throw FormatError(path_, header, {},
                      QStringLiteral("starts with byte 0x%1; expected '{' (is this a safetensors file?)")
                          .arg(static_cast<unsigned char>(text[0]), 2, 16, QLatin1Char('0')));
  if (const qsizetype bad = invalidUtf8Offset(text); bad >= 0)
    throw FormatError(path_, header, {},
                      QStringLiteral("is not UTF-8: byte %1 of the file (0x%2) is malformed")
                          .arg(8 + bad)
                          .arg(static_cast<unsigned char>(text[bad]), 2, 16, QLatin1Char('0')));
  QJsonParseError error{};
  const QJsonDocument doc = QJsonDocument::fromJson(text.toByteArray(), &error);
  if (error.error != QJsonParseError::NoError)
    throw FormatError(
        path_, header, {},
        QStringLiteral("is not valid JSON: %1 at byte %2 of the file").arg(error.errorString()).arg(8 + error.offset));
  if (!doc.isObject()) throw FormatError(path_, header, {}, QStringLiteral("is not a JSON object"));
  if (const std::optional<QString> dup = firstDuplicateKey(text))
    throw FormatError(path_, *dup, {},
                      QStringLiteral("appears twice in one object of the header; which one is meant is ambiguous"));

  const int64_t dataSize = fileSize_ - dataStart_;
  const QJsonObject root = doc.object();
  tensors_.reserve(static_cast<size_t>(root.size()));
  for (auto it = root.begin(); it != root.end(); ++it) {
    const QString key = it.key();
    const QJsonValue value = it.value();
    auto fail = [&](const QString& what) { throw FormatError(path_, key, {}, what); };

    if (key == QLatin1String("__metadata__")) {
      if (value.isNull()) continue;
      if (!value.isObject()) fail(QStringLiteral("must be an object of strings, got ") + jsonText(value));
      const QJsonObject meta = value.toObject();
      for (auto m = meta.begin(); m != meta.end(); ++m) {
        if (!m.value().isString())
          fail(QStringLiteral("value of \"%1\" must be a string, got %2").arg(m.key(), jsonText(m.value())));
        metadata_.insert(m.key(), m.value().toString());
      }
      continue;
    }

    if (!value.isObject())
      fail(QStringLiteral("must be an object {\"dtype\", \"shape\", \"data_offsets\"}, got ") + jsonText(value));
    const QJsonObject entry = value.toObject();
    TensorInfo t;
    t.name = key.toStdString();

    const QJsonValue dtype = entry.value(QLatin1String("dtype"));
    if (dtype.isUndefined()) fail(QStringLiteral("has no \"dtype\""));
    if (!dtype.isString()) fail(QStringLiteral("dtype %1 must be a string such as \"F32\"").arg(jsonText(dtype)));
    const std::optional<DType> parsed = dtypeFromName(dtype.toString().toStdString());
    if (!parsed)
      fail(QStringLiteral("dtype %1 is not supported (supported: %2)").arg(jsonText(dtype), supportedDTypes()));
    t.dtype = *parsed;

    const QJsonValue shape = entry.value(QLatin1String("shape"));
    if (shape.isUndefined()) fail(QStringLiteral("has no \"shape\""));
    const QString badShape = QStringLiteral("shape %1 must be an array of non-negative integers").arg(jsonText(shape));
    if (!shape.isArray()) fail(badShape);
    int64_t numel = 1, strideBound = 1;  // the element count, and the count with zero dims taken as one
    for (const QJsonValue dim : shape.toArray()) {
      const std::optional<int64_t> d = nonNegativeInteger(dim);
      if (!d) fail(badShape);
      t.shape.push_back(*d);
      // Multiplying in order, as the reference does; the second product bounds torch's contiguous strides.
      if (__builtin_mul_overflow(numel, *d, &numel) ||
          __builtin_mul_overflow(strideBound, std::max<int64_t>(*d, 1), &strideBound))
        fail(QStringLiteral("shape %1 overflows 64 bits").arg(jsonText(shape)));
    }
    int64_t bytes = 0;
    if (__builtin_mul_overflow(numel, dtypeSize(t.dtype), &bytes))
      fail(QStringLiteral("shape %1 overflows 64 bits as bytes").arg(jsonText(shape)));

    const QJsonValue offsets = entry.value(QLatin1String("data_offsets"));
    if (offsets.isUndefined()) fail(QStringLiteral("has no \"data_offsets\""));
    const QJsonArray pair = offsets.toArray();
    const std::optional<int64_t> begin = pair.size() == 2 ? nonNegativeInteger(pair[0]) : std::nullopt;
    const std::optional<int64_t> end = pair.size() == 2 ? nonNegativeInteger(pair[1]) : std::nullopt;
    if (!offsets.isArray() || !begin || !end)
      fail(QStringLiteral("data_offsets %1 must be two non-negative integers [begin, end]").arg(jsonText(offsets)));
    t.begin = *begin;
    t.end = *end;
    if (t.begin > t.end) fail(QStringLiteral("data_offsets %1: begin is after end").arg(jsonText(offsets)));
    if (t.end > dataSize)
      fail(QStringLiteral("data_offsets %1: end lies beyond the data section (%2 bytes; is the file truncated?)")
               .arg(jsonText(offsets))
               .arg(dataSize));
    if (t.end - t.begin != bytes)
      fail(QStringLiteral("data_offsets %1 span %2 bytes, but %3 with shape %4 takes %5")
               .arg(jsonText(offsets))
               .arg(t.end - t.begin)
               .arg(dtypeName(t.dtype), shapeText(t.shape))
               .arg(bytes));
    tensors_.push_back(std::move(t));
  }

  // Like the reference: in offset order the tensors must tile the data section exactly.
  std::sort(tensors_.begin(), tensors_.end(), [](const TensorInfo& a, const TensorInfo& b) {
    return std::tie(a.begin, a.end, a.name) < std::tie(b.begin, b.end, b.name);
  });
  int64_t cursor = 0;
  for (size_t i = 0; i < tensors_.size(); ++i) {
    const TensorInfo& t = tensors_[i];
    const QString name = QString::fromStdString(t.name);
    if (t.begin < cursor) {
      const TensorInfo& prev = tensors_[i - 1];
      throw FormatError(path_, name, {},
                        QStringLiteral("data_offsets [%1, %2] overlap those of %3 [%4, %5]")
                            .arg(t.begin)
                            .arg(t.end)
                            .arg(QString::fromStdString(prev.name))
                            .arg(prev.begin)
                            .arg(prev.end));
    }
    if (t.begin > cursor)
      throw FormatError(path_, name, {},
                        QStringLiteral("data_offsets [%1, %2] leave bytes %3..%1 of the data section unused; the "
                                       "tensors must cover it without gaps")
                            .arg(t.begin)
                            .arg(t.end)
                            .arg(cursor));
    cursor = t.end;
  }
  if (cursor != dataSize)
    throw FormatError(path_, QStringLiteral("data section"), {},
                      QStringLiteral("has %1 bytes after the last tensor (tensors cover %2 of %3 bytes)")
                          .arg(dataSize - cursor)
                          .arg(cursor)
                          .arg(dataSize));

  byName_.resize(tensors_.size());
  for (size_t i = 0; i < tensors_.size(); ++i) byName_[i] = static_cast<uint32_t>(i);
  std::sort(byName_.begin(), byName_.end(),
            [this](uint32_t a, uint32_t b) { return tensors_[a].name < tensors_[b].name; });
}

const TensorInfo* SafetensorsFile::find(std::string_view name) const {
  const auto it = std::lower_bound(byName_.begin(), byName_.end(), name,
                                   [this](uint32_t i, std::string_view n) { return tensors_[i].name < n; });
  if (it == byName_.end() || tensors_[*it].name != name) return nullptr;
  return &tensors_[*it];
}

at::Tensor SafetensorsFile::tensor(std::string_view name) const {
  const TensorInfo* t = find(name);
  if (!t)
    throw FormatError(path_, QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size())), {},
                      QStringLiteral("is not in this file"));
  const uchar* src = rawData(*t);
  if (t->dtype == DType::Bool) {
    // Any other byte would be an invalid bool in memory (undefined behaviour in every kernel that reads it).
    for (int64_t i = 0; i < t->bytes(); ++i)
      if (src[i] > 1)
        throw FormatError(path_, QString::fromStdString(t->name), {},
                          QStringLiteral("BOOL element %1 is byte 0x%2; expected 0 or 1")
                              .arg(i)
                              .arg(src[i], 2, 16, QLatin1Char('0')));
  }
  at::Tensor out = at::empty(t->shape, at::TensorOptions().dtype(toScalarType(t->dtype)));
  if (t->bytes() > 0) std::memcpy(out.data_ptr(), src, static_cast<size_t>(t->bytes()));
  return out;
}

// ---------------------------------------------------------------------------------------------- writing

QByteArray safetensorsHeader(const std::vector<TensorInfo>& tensorsInFileOrder,
                             const QMap<QString, QString>& metadata) {
  QByteArray h = "{";
  if (!metadata.isEmpty()) {
    h += "\"__metadata__\":{";
    for (auto it = metadata.begin(); it != metadata.end(); ++it) {
      if (it != metadata.begin()) h += ',';
      appendJsonString(h, it.key().toUtf8());
      h += ':';
      appendJsonString(h, it.value().toUtf8());
    }
    h += '}';
  }
  for (const TensorInfo& t : tensorsInFileOrder) {
    if (h.size() > 1) h += ',';
    appendJsonString(h, t.name);
    h += ":{\"dtype\":\"" + dtypeName(t.dtype).toLatin1() + "\",\"shape\":[";
    for (size_t i = 0; i < t.shape.size(); ++i) {
      if (i) h += ',';
      h += QByteArray::number(static_cast<qlonglong>(t.shape[i]));
    }
    h += "],\"data_offsets\":[" + QByteArray::number(static_cast<qlonglong>(t.begin)) + ',' +
         QByteArray::number(static_cast<qlonglong>(t.end)) + "]}";
  }
  h += '}';
  // Padding to 8 bytes keeps every tensor's data aligned for 8-byte element types.
  h += QByteArray((8 - h.size() % 8) % 8, ' ');
  return h;
}

void writeSafetensors(const QString& path, const std::vector<std::pair<std::string, at::Tensor>>& tensors,
                      const QMap<QString, QString>& metadata) {
  struct Item {
    TensorInfo info;
    at::Tensor data;  // contiguous, on the CPU
  };
  std::vector<Item> items;
  items.reserve(tensors.size());
  std::set<std::string_view> seen;
  for (const auto& [name, tensor] : tensors) {
    const QString field = QString::fromStdString(name);
    if (name == "__metadata__")
      throw Error(path, field, {}, QStringLiteral("is reserved for the header's metadata, not a tensor name"));
    if (invalidUtf8Offset(QByteArrayView(name.data(), static_cast<qsizetype>(name.size()))) >= 0)
      throw Error(path, field, {}, QStringLiteral("is not a UTF-8 tensor name"));
    if (!seen.insert(name).second) throw Error(path, field, {}, QStringLiteral("is given twice"));
    if (!tensor.defined()) throw Error(path, field, {}, QStringLiteral("is an undefined tensor"));
    const std::optional<DType> dtype = dtypeFromScalarType(tensor.scalar_type());
    if (!dtype)
      throw Error(path, field, QString::fromLatin1(c10::toString(tensor.scalar_type())),
                  QStringLiteral("dtype cannot be written (supported: %1)").arg(supportedDTypes()));
    Item item;
    item.info.name = name;
    item.info.dtype = *dtype;
    item.info.shape = tensor.sizes().vec();
    item.data = tensor.detach().to(at::kCPU).contiguous();
    items.push_back(std::move(item));
  }
  // The reference writer's order: larger element types first (keeps data aligned), then by name.
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    const int ra = rowOf(a.info.dtype).referenceOrder, rb = rowOf(b.info.dtype).referenceOrder;
    return ra != rb ? ra > rb : a.info.name < b.info.name;
  });
  std::vector<TensorInfo> infos;
  infos.reserve(items.size());
  int64_t offset = 0;
  for (Item& item : items) {
    item.info.begin = offset;
    offset += item.data.numel() * static_cast<int64_t>(item.data.element_size());
    item.info.end = offset;
    infos.push_back(item.info);
  }
  const QByteArray header = safetensorsHeader(infos, metadata);

  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly))
    throw Error(path, {}, {}, QStringLiteral("cannot be written: %1").arg(file.errorString()));
  auto put = [&](const void* data, int64_t size) {
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
      const qint64 written = file.write(p, std::min<int64_t>(size, int64_t(1) << 28));
      if (written <= 0)
        throw Error(path, {}, {}, QStringLiteral("write failed, previous content kept: %1").arg(file.errorString()));
      p += written;
      size -= written;
    }
  };
  const auto length = qToLittleEndian<quint64>(static_cast<quint64>(header.size()));
  put(&length, sizeof length);
  put(header.constData(), header.size());
  for (const Item& item : items) put(item.data.data_ptr(), item.info.bytes());
  if (!file.commit())
    throw Error(path, {}, {}, QStringLiteral("write failed, previous content kept: %1").arg(file.errorString()));
}

}  // namespace distillery
