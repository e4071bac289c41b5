// Keep-first exact and MinHash-LSH near-duplicate detection.
#include "data/Dedup.h"

#include "common/Error.h"

#include <algorithm>
#include <cmath>

namespace distillery {

namespace {

const DedupOptions& checked(const DedupOptions& o) {
  if (!(o.threshold > 0.0 && o.threshold < 1.0))
    throw UsageError({}, QStringLiteral("threshold"), QString::number(o.threshold), QStringLiteral("must be in (0, 1)"));
  if (!(o.confirmSigmas >= 0.0))
    throw UsageError({}, QStringLiteral("confirm_sigmas"), QString::number(o.confirmSigmas), QStringLiteral("must be >= 0"));
  return o;
}

double barOf(const DedupOptions& o) {
  const double sd = std::sqrt(o.threshold * (1.0 - o.threshold) / double(std::max(1, o.minhash.numPerm)));
  return std::max(0.01, o.threshold - o.confirmSigmas * sd);
}

}  // namespace

Deduplicator::Deduplicator(const DedupOptions& options)
    : o_(checked(options)),
      hasher_(o_.minhash),
      bar_(barOf(o_)),
      lsh_(o_.minhash.numPerm, optimalLshParams(bar_, o_.minhash.numPerm, o_.fpWeight, o_.fnWeight)) {}

void Deduplicator::prepare(const QString& text, Prepared& out) const {
  const QString form = dedupForm(text, o_.casefold);
  out.key = textHash(form);
  out.hasShingles = false;
  if (!o_.near || form.isEmpty()) return;
  thread_local std::vector<uint64_t> shingles;
  hasher_.shingles(form, shingles);
  hasher_.signature(shingles, out.signature);
  lsh_.bandKeys(out.signature, out.bandKeys);
  out.hasShingles = true;
}

double Deduplicator::estimate(const Prepared& p, uint32_t id) const {
  const size_t n = size_t(o_.minhash.numPerm);
  const uint16_t* kept = sigs_.data() + size_t(id) * n;
  size_t equal = 0;
  for (size_t i = 0; i < n; ++i) equal += uint16_t(p.signature[i]) == kept[i];
  return double(equal) / double(n);
}

void Deduplicator::remember(const Prepared& p, int64_t line) {
  const uint32_t id = uint32_t(lines_.size());
  lines_.push_back(line);
  if (o_.exact) exact_.insert(p.key, id);
  if (!o_.near) return;
  if (p.hasShingles) {
    lsh_.insert(p.bandKeys, id);
    for (const uint64_t v : p.signature) sigs_.push_back(uint16_t(v));
  } else {
    sigs_.resize(sigs_.size() + size_t(o_.minhash.numPerm), 0);
  }
}

DedupHit Deduplicator::insert(const Prepared& p, int64_t line) {
  if (o_.exact) {
    const auto it = exact_.constFind(p.key);
    if (it != exact_.constEnd()) return {DedupHit::Exact, lines_[it.value()], 1.0};
  }
  if (o_.near && p.hasShingles) {
    lsh_.candidates(p.bandKeys, candidates_);
    // Ids ascend with file order: the first confirmed candidate is the earliest kept row that matches.
    for (const uint32_t id : candidates_) {
      const double jaccard = estimate(p, id);
      if (jaccard >= bar_) return {DedupHit::Near, lines_[id], jaccard};
    }
  }
  remember(p, line);
  return {};
}

DedupHit Deduplicator::check(const QString& text, int64_t line) {
  prepare(text, scratch_);
  return insert(scratch_, line);
}

void Deduplicator::link(const Prepared& p, int64_t line, std::vector<int64_t>& links) {
  links.clear();
  if (o_.exact) {
    const auto it = exact_.constFind(p.key);
    if (it != exact_.constEnd()) {
      links.push_back(lines_[it.value()]);
      lines_.push_back(line);   // an id of its own, never a candidate: its text's first row stands for it
      if (o_.near) sigs_.resize(sigs_.size() + size_t(o_.minhash.numPerm), 0);
      return;
    }
  }
  if (o_.near && p.hasShingles) {
    lsh_.candidates(p.bandKeys, candidates_);
    for (const uint32_t id : candidates_)
      if (estimate(p, id) >= bar_) links.push_back(lines_[id]);
  }
  remember(p, line);
}

}  // namespace distillery
