#include "tokenizer/BpeModel.h"

#include "tokenizer/Unicode.h"

#include <algorithm>
#include <atomic>
#include <cstdio>

namespace distillery::tokenizer {

namespace {

constexpr size_t kMaxCachedBytes = 256;     // longer pieces are merged every time (tokenizers does the same)
constexpr size_t kMaxCachedWords = 100000;  // a full cache is emptied and starts over
constexpr size_t kLongWord = 192;           // from this many symbols on, merge with a heap

std::atomic<uint64_t> nextSerial{1};

// The per-thread cache of merged pieces. Each slot belongs to one model (by serial); a thread that uses more
// models than slots recycles the oldest.
struct WordCache {
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  uint64_t owner = 0;
  std::unordered_map<std::string, std::pair<uint32_t, uint32_t>, Hash, std::equal_to<>> index;  // → ids span
  std::vector<int32_t> ids;
};

WordCache& cacheFor(uint64_t serial) {
  thread_local std::array<WordCache, 4> caches;
  thread_local unsigned next = 0;
  for (WordCache& c : caches)
    if (c.owner == serial) return c;
  WordCache& c = caches[next++ % caches.size()];
  c.owner = serial;
  c.index.clear();
  c.ids.clear();
  return c;
}

inline size_t utf8Length(unsigned char lead) {
  return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

}  // namespace

// (left id, right id) → (rank, merged id); open addressing with linear probing.
class BpeModel::MergeMap {
 public:
  explicit MergeMap(size_t n) {
    size_t cap = 16;
    while (cap < n * 2) cap <<= 1;
    slots_.assign(cap, Slot{kEmpty, 0, 0});
    mask_ = cap - 1;
  }
  void insert(int32_t a, int32_t b, uint32_t rank, int32_t merged) {
    const uint64_t key = pack(a, b);
    for (size_t i = hash(key);; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.key == kEmpty || s.key == key) {  // a repeated pair keeps the later rank, as a HashMap insert does
        s = Slot{key, rank, merged};
        return;
      }
    }
  }
  // Rank of the pair, or UINT32_MAX.
  uint32_t find(int32_t a, int32_t b, int32_t* merged) const {
    const uint64_t key = pack(a, b);
    for (size_t i = hash(key);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.key == key) {
        *merged = s.merged;
        return s.rank;
      }
      if (s.key == kEmpty) return UINT32_MAX;
    }
  }

 private:
  struct Slot {
    uint64_t key;
    uint32_t rank;
    int32_t merged;
  };
  static constexpr uint64_t kEmpty = ~uint64_t(0);
  static uint64_t pack(int32_t a, int32_t b) { return (uint64_t(uint32_t(a)) << 32) | uint32_t(b); }
  size_t hash(uint64_t key) const { return size_t((key * 0x9E3779B97F4A7C15ull) >> 20) & mask_; }
  std::vector<Slot> slots_;
  size_t mask_ = 0;
};

BpeModel::BpeModel() = default;
BpeModel::~BpeModel() = default;

std::unique_ptr<BpeModel> BpeModel::fromJson(const JsonAt& j, bool byteLevelInput) {
  const QJsonObject o = j.object();
  const JsonAt typeField = j[QStringLiteral("type")];
  if (!(typeField.isMissing() && o.contains(QStringLiteral("merges"))) && typeField.string() != QLatin1String("BPE"))
    typeField.unsupported();
  const JsonAt dropout = j[QStringLiteral("dropout")];
  if (!dropout.isMissing() && dropout.value().toDouble() != 0.0)
    dropout.fail(QStringLiteral("is not supported (BPE dropout makes encodings random)"));

  std::unique_ptr<BpeModel> m(new BpeModel);
  m->serial_ = nextSerial++;
  m->byteFallback_ = j[QStringLiteral("byte_fallback")].boolOr(false);
  m->fuseUnk_ = j[QStringLiteral("fuse_unk")].boolOr(false);
  m->ignoreMerges_ = j[QStringLiteral("ignore_merges")].boolOr(false);
  m->prefix_ = j[QStringLiteral("continuing_subword_prefix")].stringOr({}).toStdString();
  m->suffix_ = j[QStringLiteral("end_of_word_suffix")].stringOr({}).toStdString();
  m->unkToken_ = j[QStringLiteral("unk_token")].stringOr({});

  // Vocabulary.
  const JsonAt vocabField = j[QStringLiteral("vocab")];
  const QJsonObject vocab = vocabField.object();
  m->vocab_.reserve(size_t(vocab.size()));
  int32_t maxId = -1;
  for (auto it = vocab.begin(); it != vocab.end(); ++it) {
    const double d = it.value().toDouble(-1);
    if (!it.value().isDouble() || d < 0 || d > 2e9 || d != double(int64_t(d)))
      vocabField[it.key()].fail(QStringLiteral("must be a token id (a whole number from 0)"));
    const int32_t id = int32_t(d);
    m->vocab_.emplace(it.key().toStdString(), id);
    maxId = std::max(maxId, id);
  }
  m->tokens_.resize(size_t(maxId + 1));
  for (auto it = vocab.begin(); it != vocab.end(); ++it) m->tokens_[size_t(it.value().toInt())] = it.key();

  // Fast lookups for single characters, bytes and <0xNN> tokens.
  m->charIds_.assign(0x10000, -1);
  for (const auto& [token, id] : m->vocab_) {
    const QString t = m->tokens_[size_t(id)];
    if (t.size() == 1) m->charIds_[t[0].unicode()] = id;
  }
  const ByteAlphabet& alphabet = ByteAlphabet::get();
  m->byteIdsComplete_ = true;
  for (int b = 0; b < 256; ++b) {
    m->byteIds_[size_t(b)] = m->charIds_[alphabet.charOf[size_t(b)]];
    if (m->byteIds_[size_t(b)] < 0) m->byteIdsComplete_ = false;
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    m->fallbackIds_[size_t(b)] = m->lookup(m->vocab_, name);
  }
  if (byteLevelInput) {
    for (const auto& [token, id] : m->vocab_) {
      const QString& t = m->tokens_[size_t(id)];
      std::string raw;
      raw.reserve(size_t(t.size()));
      bool ok = true;
      for (QChar c : t) {
        const int b = alphabet.byteFor(c.unicode());
        if (b < 0) {
          ok = false;
          break;
        }
        raw.push_back(char(b));
      }
      if (ok) m->rawVocab_.emplace(std::move(raw), id);
    }
  }
  if (!m->unkToken_.isNull()) m->unkId_ = m->lookup(m->vocab_, m->unkToken_.toStdString());

  // Merges: "a b" or ["a", "b"]; the merged token is a + b without b's continuing-subword prefix.
  const JsonAt mergesField = j[QStringLiteral("merges")];
  const QJsonArray merges = mergesField.isMissing() ? QJsonArray() : mergesField.array();
  m->merges_ = std::make_unique<MergeMap>(size_t(merges.size()));
  m->mergeCount_ = merges.size();
  std::string a, b;
  for (qsizetype i = 0; i < merges.size(); ++i) {
    const QJsonValue v = merges.at(i);
    if (v.isString()) {
      const QStringList parts = v.toString().split(QLatin1Char(' '));
      if (parts.size() != 2) mergesField[i].fail(QStringLiteral("must be two tokens separated by one space"));
      a = parts[0].toStdString();
      b = parts[1].toStdString();
    } else if (v.isArray() && v.toArray().size() == 2 && v.toArray().at(0).isString() && v.toArray().at(1).isString()) {
      a = v.toArray().at(0).toString().toStdString();
      b = v.toArray().at(1).toString().toStdString();
    } else {
      mergesField[i].fail(QStringLiteral("must be \"a b\" or [\"a\", \"b\"]"));
    }
    const int32_t ia = m->lookup(m->vocab_, a), ib = m->lookup(m->vocab_, b);
    const std::string merged = a + b.substr(std::min(b.size(), m->prefix_.size()));
    const int32_t im = m->lookup(m->vocab_, merged);
    if (ia < 0 || ib < 0 || im < 0)
      mergesField[i].fail(QStringLiteral("uses a token that is not in model.vocab (%1)")
                              .arg(QString::fromStdString(ia < 0 ? a : ib < 0 ? b : merged)));
    m->merges_->insert(ia, ib, uint32_t(i), im);
  }
  return m;
}

std::optional<int32_t> BpeModel::tokenToId(const QString& token) const {
  const int32_t id = lookup(vocab_, token.toStdString());
  if (id < 0) return std::nullopt;
  return id;
}

QString BpeModel::idToToken(int32_t id) const {
  if (id < 0 || size_t(id) >= tokens_.size()) return {};
  return tokens_[size_t(id)];
}

void BpeModel::initialSymbols(std::string_view w, bool byteLevel, std::vector<int32_t>& syms) const {
  if (byteLevel) {
    if (byteIdsComplete_) {
      for (unsigned char c : w) syms.push_back(byteIds_[c]);
      return;
    }
    // Some byte has no token of its own: go the general way on the byte-level text.
    const std::string mapped = toUtf8(toByteLevel(w));
    initialSymbols(mapped, false, syms);
    return;
  }
  const bool affixes = !prefix_.empty() || !suffix_.empty();
  bool unkPending = false;
  std::string composed;
  size_t i = 0;
  while (i < w.size()) {
    const unsigned char lead = uint8_t(w[i]);
    const size_t len = std::min(utf8Length(lead), w.size() - i);
    const bool first = i == 0, last = i + len >= w.size();
    std::string_view piece = w.substr(i, len);
    i += len;
    int32_t id;
    if (!affixes) {
      if (len == 1) {
        id = charIds_[lead];
      } else if (len == 2) {
        id = charIds_[((lead & 0x1F) << 6) | (uint8_t(piece[1]) & 0x3F)];
      } else if (len == 3) {
        id = charIds_[((lead & 0x0F) << 12) | ((uint8_t(piece[1]) & 0x3F) << 6) | (uint8_t(piece[2]) & 0x3F)];
      } else {
        id = lookup(vocab_, piece);
      }
    } else {
      composed.clear();
      if (!first) composed += prefix_;
      composed += piece;
      if (last) composed += suffix_;
      piece = composed;
      id = lookup(vocab_, piece);
    }
    if (id >= 0) {
      if (unkPending) {
        syms.push_back(unkId_);
        unkPending = false;
      }
      syms.push_back(id);
      continue;
    }
    if (byteFallback_) {
      // tokenizers adds the <0xNN> tokens without first flushing a pending unknown token; so do we.
      const bool all = std::all_of(piece.begin(), piece.end(), [&](char c) { return fallbackIds_[uint8_t(c)] >= 0; });
      if (all) {
        for (char c : piece) syms.push_back(fallbackIds_[uint8_t(c)]);
        continue;
      }
    }
    if (!unkToken_.isNull()) {
      if (unkId_ < 0) throw FormatError(QString(), QStringLiteral("model.unk_token"), unkToken_,
                                        QStringLiteral("is not in model.vocab"));
      if (unkPending && fuseUnk_) continue;
      if (unkPending) syms.push_back(unkId_);
      unkPending = true;
    }
    // Without an unknown token the character is dropped, as tokenizers does.
  }
  if (unkPending) syms.push_back(unkId_);
}

void BpeModel::mergeSymbols(std::vector<int32_t>& syms) const {
  const size_t n = syms.size();
  if (n < 2) return;
  if (n >= kLongWord) {
    mergeLong(syms);
    return;
  }
  // Short pieces: keep each adjacent pair's rank and merge the lowest (leftmost on ties) until none is left.
  // This is the order tokenizers' heap produces.
  thread_local std::vector<uint32_t> ranks;
  thread_local std::vector<int32_t> merged;
  ranks.resize(n - 1);
  merged.resize(n - 1);
  for (size_t k = 0; k + 1 < n; ++k) ranks[k] = merges_->find(syms[k], syms[k + 1], &merged[k]);
  size_t count = n;
  while (count > 1) {
    size_t best = 0;
    uint32_t bestRank = ranks[0];
    for (size_t k = 1; k + 1 < count; ++k)
      if (ranks[k] < bestRank) bestRank = ranks[k], best = k;
    if (bestRank == UINT32_MAX) break;
    syms[best] = merged[best];
    syms.erase(syms.begin() + std::ptrdiff_t(best) + 1);
    ranks.erase(ranks.begin() + std::ptrdiff_t(best));
    merged.erase(merged.begin() + std::ptrdiff_t(best));
    --count;
    if (best > 0) ranks[best - 1] = merges_->find(syms[best - 1], syms[best], &merged[best - 1]);
    if (best + 1 < count) ranks[best] = merges_->find(syms[best], syms[best + 1], &merged[best]);
  }
}

// tokenizers' Word::merge_all: a heap of (rank, position) with stale entries skipped.
void BpeModel::mergeLong(std::vector<int32_t>& syms) const {
  struct Sym {
    int32_t id, prev, next;
    bool alive;
  };
  struct Entry {
    uint32_t rank, pos;
    int32_t merged;
    bool operator>(const Entry& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
  };
  const int32_t n = int32_t(syms.size());
  std::vector<Sym> s(static_cast<size_t>(n));
  for (int32_t i = 0; i < n; ++i) s[size_t(i)] = {syms[size_t(i)], i - 1, i + 1 < n ? i + 1 : -1, true};
  std::vector<Entry> heap;
  heap.reserve(size_t(n));
  const auto push = [&](int32_t pos, int32_t a, int32_t b) {
    int32_t m = 0;
    const uint32_t r = merges_->find(a, b, &m);
    if (r == UINT32_MAX) return;
    heap.push_back({r, uint32_t(pos), m});
    std::push_heap(heap.begin(), heap.end(), std::greater<>());
  };
  for (int32_t i = 0; i + 1 < n; ++i) push(i, s[size_t(i)].id, s[size_t(i + 1)].id);
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), std::greater<>());
    const Entry top = heap.back();
    heap.pop_back();
    Sym& cur = s[top.pos];
    if (!cur.alive || cur.next < 0) continue;
    Sym& right = s[size_t(cur.next)];
    int32_t m = 0;
    if (merges_->find(cur.id, right.id, &m) == UINT32_MAX || m != top.merged) continue;
    cur.id = top.merged;
    right.alive = false;
    cur.next = right.next;
    if (cur.next >= 0) s[size_t(cur.next)].prev = int32_t(top.pos);
    if (cur.prev >= 0) push(cur.prev, s[size_t(cur.prev)].id, cur.id);
    if (cur.next >= 0) push(int32_t(top.pos), cur.id, s[size_t(cur.next)].id);
  }
  syms.clear();
  for (const Sym& x : s)
    if (x.alive) syms.push_back(x.id);
}

void BpeModel::encode(std::string_view utf8, bool byteLevel, std::vector<int32_t>& out) const {
  if (utf8.empty()) return;
  if (ignoreMerges_) {
    const int32_t id = lookup(byteLevel ? rawVocab_ : vocab_, utf8);
    if (id >= 0) {
      out.push_back(id);
      return;
    }
  }
  WordCache* cache = nullptr;
  thread_local std::string key;
  if (utf8.size() <= kMaxCachedBytes) {
    cache = &cacheFor(serial_);
    key.assign(1, byteLevel ? '\1' : '\0');
    key.append(utf8);
    const auto it = cache->index.find(std::string_view(key));
    if (it != cache->index.end()) {
      const auto first = cache->ids.begin() + it->second.first;
      out.insert(out.end(), first, first + it->second.second);
      return;
    }
  }
  thread_local std::vector<int32_t> syms;
  syms.clear();
  initialSymbols(utf8, byteLevel, syms);
  mergeSymbols(syms);
  out.insert(out.end(), syms.begin(), syms.end());
  if (cache) {
    if (cache->index.size() >= kMaxCachedWords) {
      cache->index.clear();
      cache->ids.clear();
    }
    cache->index.emplace(key, std::make_pair(uint32_t(cache->ids.size()), uint32_t(syms.size())));
    cache->ids.insert(cache->ids.end(), syms.begin(), syms.end());
  }
}

}  // namespace distillery::tokenizer
