// `distillery-cli train JOB.json --nproc N`: starts N worker processes of the CLI on this machine, one per rank,
// with their place in the run in the environment (DISTILLERY_RANK, DISTILLERY_WORLD_SIZE, DISTILLERY_LOCAL_RANK,
// DISTILLERY_STORE; read by RankEnv in ProcessGroup.h). Several machines: the same command on each with
// --nnodes M --node-rank K --master HOST:PORT (rank = K·N + local rank; node 0's rank 0 serves the rendezvous).
//
// The workers' stderr comes through prefixed "[rank R] ", rank 0's stdout as it is (the job summary). Ctrl-C is
// forwarded to every worker (they stop after the same step; rank 0 writes the checkpoint). When a worker fails the
// others are stopped (they would wait for it in the next all-reduce) and the launcher fails with its error.
// Torch-free: the GUI could use it too.
#pragma once
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QTextStream>

#include <atomic>

namespace distillery {

struct LaunchOptions {
  QString program;         // the worker executable (distillery-cli)
  QStringList arguments;   // its arguments (the launcher's own options taken out)
  int nproc = 1;           // workers on this machine (one per GPU on CUDA)
  int nnodes = 1;          // machines in the run
  int nodeRank = 0;        // this machine, 0 .. nnodes-1
  QString master;          // HOST:PORT of node 0's rendezvous; required when nnodes > 1; empty: a file on this machine
};

struct LaunchResult {
  int exitCode = 0;  // 0 all ranks finished; 130 cancelled (Ctrl-C); else the failing rank's code (1 when it crashed)
  QString error;     // "rank R exited with code C: <its last error line>", empty on success
};

// Throws Error naming the option for bad values (--nproc 0, --node-rank ≥ --nnodes, --master without a port).
void checkLaunchOptions(const LaunchOptions& o);

// Runs the workers to their end. `interrupt` (the CLI's Ctrl-C flag) is forwarded to them as SIGINT; `err`
// receives their stderr lines.
LaunchResult launchWorkers(const LaunchOptions& o, std::atomic_bool& interrupt, QTextStream& err);

}  // namespace distillery
