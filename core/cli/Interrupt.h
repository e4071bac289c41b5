// Ctrl-C during a long command (train, jobs resume, data generate) sets a cancel flag instead of killing the
// process, so the work stops at its next safe point (a step, a batch) and saves what it has.
//
//   std::atomic_bool cancel{false};
//   SigintCancels guard(cancel);        // until the end of the scope; the previous handler comes back after
#pragma once
#include <atomic>
#include <csignal>

namespace distillery::cli {

class SigintCancels {
 public:
  explicit SigintCancels(std::atomic_bool& flag);
  ~SigintCancels();
  SigintCancels(const SigintCancels&) = delete;
  SigintCancels& operator=(const SigintCancels&) = delete;

 private:
  struct sigaction previous_ {};
};

}  // namespace distillery::cli
