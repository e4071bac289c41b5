#include "cli/Interrupt.h"

namespace distillery::cli {

namespace {

std::atomic<std::atomic_bool*> gCancel{nullptr};

extern "C" void onSigint(int) {
  // Only a lock-free atomic store: async-signal-safe.
  if (std::atomic_bool* c = gCancel.load()) c->store(true);
}

}  // namespace

SigintCancels::SigintCancels(std::atomic_bool& flag) {
  gCancel.store(&flag);
  struct sigaction action {};
  action.sa_handler = onSigint;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &previous_);
}

SigintCancels::~SigintCancels() {
  sigaction(SIGINT, &previous_, nullptr);
  gCancel.store(nullptr);
}

}  // namespace distillery::cli
