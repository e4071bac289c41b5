// Per-item work of a batch on Qt's global thread pool, for the data passes (cleaning, dedup, splits, augmenting)
// that decide in file order afterwards. QtConcurrent would wrap our exceptions in QUnhandledException; this
// rethrows the original one, the one of the lowest index when several threw, so the error is deterministic.
#pragma once
#include <QtConcurrent/QtConcurrentMap>

#include <cstddef>
#include <exception>
#include <mutex>
#include <vector>

namespace distillery {

template <typename T, typename F>
void parallelForEach(std::vector<T>& items, size_t n, F fn) {
  if (n == 0) return;
  if (n == 1) {
    fn(items[0]);
    return;
  }
  std::mutex mutex;
  std::exception_ptr first;
  size_t firstIndex = n;
  QtConcurrent::blockingMap(items.begin(), items.begin() + std::ptrdiff_t(n), [&](T& item) {
    try {
      fn(item);
    } catch (...) {
      const size_t index = size_t(&item - items.data());
      const std::lock_guard<std::mutex> lock(mutex);
      if (index < firstIndex) {
        firstIndex = index;
        first = std::current_exception();
      }
    }
  });
  if (first) std::rethrow_exception(first);
}

}  // namespace distillery
