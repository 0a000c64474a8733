// hand_to_dask: `samestory dedup|cluster --dask ADDRESS` runs the command on a Dask scheduler.
//
// The CLI replaces itself with `python3 -m samestory.dask` (python/samestory/dask.py), which
// computes the same report or stories file on the cluster's workers. Inputs become absolute paths,
// as workers read them by path.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.h"

namespace samestory::cli {

// Does not return on success; returns an exit code (with a message printed) when the hand-off
// cannot happen: reading flags a distributed run does not support, or no Python to run.
int hand_to_dask(const std::string& scheduler, const GlobalOptions& global, const InputArgs& input,
                 std::string_view command, std::vector<std::string> command_args);

}  // namespace samestory::cli
