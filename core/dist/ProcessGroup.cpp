#include "dist/ProcessGroup.h"

#include "DistributedConfig.h"
#include "common/Error.h"
#include "torch/TorchCompat.h"

#include <torch/torch.h>

#if DISTILLERY_HAVE_C10D
#include <torch/csrc/distributed/c10d/FileStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#endif
#if DISTILLERY_HAVE_GLOO
#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO  // 2.x declares ProcessGroupGloo only under it (TorchCompat.h)
#endif
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#if DISTILLERY_HAVE_NCCL
#ifndef USE_C10D_NCCL
#define USE_C10D_NCCL
#endif
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <QtCore/QtGlobal>

#include <chrono>

namespace distillery {

namespace {

int intVariable(const char* name, int fallback, int least) {
  if (!qEnvironmentVariableIsSet(name)) return fallback;
  bool ok = false;
  const QString text = qEnvironmentVariable(name);
  const int v = text.toInt(&ok);
  if (!ok || v < least)
    throw Error(QString(), QString::fromLatin1(name), text, QStringLiteral("must be an integer ≥ %1").arg(least));
  return v;
}

#if DISTILLERY_HAVE_C10D
// How long a collective may wait for the slowest rank (rank 0 writing a checkpoint of a large model, a teacher
// loading) before the run fails instead of hanging.
constexpr std::chrono::minutes kCollectiveTimeout{30};

template <class Group>
class GroupCollective : public Collective {
 public:
  GroupCollective(c10::intrusive_ptr<Group> group, int rank, int size)
      : group_(std::move(group)), rank_(rank), size_(size) {}
  int rank() const override { return rank_; }
  int worldSize() const override { return size_; }
  void allReduceSum(at::Tensor& t) override {
    TORCH_CHECK(t.is_contiguous(), "all-reduce needs a contiguous tensor");
    std::vector<at::Tensor> tensors{t};
    c10d::AllreduceOptions o;
    o.reduceOp = c10d::ReduceOp::SUM;
    group_->allreduce(tensors, o)->wait();
  }
  void broadcast(at::Tensor& t, int root) override {
    TORCH_CHECK(t.is_contiguous(), "broadcast needs a contiguous tensor");
    std::vector<at::Tensor> tensors{t};
    c10d::BroadcastOptions o;
    o.rootRank = root;
    group_->broadcast(tensors, o)->wait();
  }

 private:
  c10::intrusive_ptr<Group> group_;
  int rank_, size_;
};

c10::intrusive_ptr<c10d::Store> openStore(const RankEnv& env) {
  if (env.store.startsWith(QLatin1String("file:"))) {
    const QString path = env.store.mid(5);
    if (path.isEmpty())
      throw Error(QString(), QStringLiteral("DISTILLERY_STORE"), env.store, QStringLiteral("names no file"));
    return c10::make_intrusive<c10d::FileStore>(path.toStdString(), env.worldSize);
  }
  if (env.store.startsWith(QLatin1String("tcp:"))) {
    const QString where = env.store.mid(4);
    const qsizetype colon = where.lastIndexOf(QLatin1Char(':'));
    bool ok = false;
    const uint port = colon > 0 ? where.mid(colon + 1).toUInt(&ok) : 0;
    if (!ok || port == 0 || port > 65535)
      throw Error(QString(), QStringLiteral("DISTILLERY_STORE"), env.store, QStringLiteral("must be tcp:HOST:PORT"));
    c10d::TCPStoreOptions o;
    o.port = uint16_t(port);
    o.isServer = env.rank == 0;  // rank 0 (node 0) serves the rendezvous
    o.numWorkers = size_t(env.worldSize);
    o.waitWorkers = true;
    return c10::make_intrusive<c10d::TCPStore>(where.left(colon).toStdString(), o);
  }
  throw Error(QString(), QStringLiteral("DISTILLERY_STORE"), env.store,
              QStringLiteral("must be file:PATH or tcp:HOST:PORT"));
}
#endif

}  // namespace

std::optional<RankEnv> RankEnv::fromEnvironment() {
  if (!qEnvironmentVariableIsSet("DISTILLERY_RANK")) return std::nullopt;
  RankEnv e;
  e.worldSize = intVariable("DISTILLERY_WORLD_SIZE", 1, 1);
  e.rank = intVariable("DISTILLERY_RANK", 0, 0);
  e.localRank = intVariable("DISTILLERY_LOCAL_RANK", e.rank, 0);
  e.store = qEnvironmentVariable("DISTILLERY_STORE");
  if (e.rank >= e.worldSize)
    throw Error(QString(), QStringLiteral("DISTILLERY_RANK"), QString::number(e.rank),
                QStringLiteral("must be below DISTILLERY_WORLD_SIZE (%1)").arg(e.worldSize));
  if (e.worldSize > 1 && e.store.isEmpty())
    throw Error(QString(), QStringLiteral("DISTILLERY_STORE"), QString(),
                QStringLiteral("must name the rendezvous (file:PATH or tcp:HOST:PORT) when DISTILLERY_WORLD_SIZE > 1"));
  return e;
}

bool processGroupAvailable(const torch::Device& device, QString* why) {
  if (device.is_cuda()) {
#if DISTILLERY_HAVE_NCCL
    return true;
#else
    if (why)
      *why = QStringLiteral("built without c10d's NCCL backend (ProcessGroupNCCL.hpp of a CUDA LibTorch), needed "
                            "for ranks on CUDA");
    return false;
#endif
  }
#if DISTILLERY_HAVE_GLOO
  return true;
#else
  if (why) *why = QStringLiteral("built without c10d: %1").arg(QString::fromUtf8(DISTILLERY_C10D_MISSING));
  return false;
#endif
}

std::unique_ptr<Collective> connectProcessGroup(const RankEnv& env, const torch::Device& device) {
  QString why;
  if (!processGroupAvailable(device, &why)) throw Error(QString(), QStringLiteral("--nproc"), QString(), why);
#if DISTILLERY_HAVE_C10D
  const c10::intrusive_ptr<c10d::Store> store = openStore(env);
#if DISTILLERY_HAVE_NCCL
  if (device.is_cuda()) {
    auto options = c10d::ProcessGroupNCCL::Options::create();
    options->timeout = kCollectiveTimeout;
    auto group = c10::make_intrusive<c10d::ProcessGroupNCCL>(store, env.rank, env.worldSize, options);
    return std::make_unique<GroupCollective<c10d::ProcessGroupNCCL>>(group, env.rank, env.worldSize);
  }
#endif
#if DISTILLERY_HAVE_GLOO
  auto options = c10d::ProcessGroupGloo::Options::create(kCollectiveTimeout);
  // GLOO_SOCKET_IFNAME picks the network interface as in PyTorch (several machines); else the one this host's
  // name resolves to, falling back to loopback.
  const QString iface = qEnvironmentVariable("GLOO_SOCKET_IFNAME");
  options->devices.push_back(iface.isEmpty() ? c10d::ProcessGroupGloo::createDefaultDevice()
                                             : c10d::ProcessGroupGloo::createDeviceForInterface(iface.toStdString()));
  auto group = c10::make_intrusive<c10d::ProcessGroupGloo>(store, env.rank, env.worldSize, options);
  return std::make_unique<GroupCollective<c10d::ProcessGroupGloo>>(group, env.rank, env.worldSize);
#endif
#else
  Q_UNUSED(env);
#endif
  throw Error(QString(), QStringLiteral("--nproc"), QString(), QStringLiteral("no c10d backend for this device"));
}

}  // namespace distillery
