// `distillery-cli score slices|robustness JOB_ID`: reports on a stored evaluation job (the score command's
// dispatcher in ScoreCommand.cpp lists them beside bleu/chrf/rouge).
#pragma once
#include "cli/CliContext.h"

namespace distillery::cli {

// score slices JOB_ID --by FIELD [--min-size N] [--model LABEL] [--workspace PATH]: each model's metrics per value
// of FIELD (core/eval/Slices.h), recomputed from the stored samples.
int scoreSlices(Context& ctx);
// score robustness JOB_ID [--model LABEL] [--workspace PATH]: each model's accuracy under eval.perturbations and
// its change from the clean prompts.
int scoreRobustness(Context& ctx);

}  // namespace distillery::cli
