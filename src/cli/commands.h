// The pieces every subcommand shares: global flags, input flags, the command table, and the
// accounting summary. Each subcommand lives in its own cmd_*.cc and only wires stages together.
#pragma once

#include <CLI/CLI.hpp>

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "base/json_writer.h"
#include "clean/clean.h"
#include "io/corpus_reader.h"
#include "io/problems.h"

namespace samestory::cli {

struct GlobalOptions {
  unsigned threads = 0;  // 0: all cores
  bool json = false;
  bool quiet = false;
};

struct InputArgs {
  std::vector<std::string> inputs;
  std::vector<std::string> fields;
  std::string format = "auto";
  std::string outlet;
  uint64_t max_doc_bytes = 16u << 20;
  uint64_t max_messages = 5;
  bool strict = false;
};

// Adds INPUT... and the flags that control reading to a subcommand.
void add_input_options(CLI::App* cmd, InputArgs* args);
// The same flags without INPUT..., for commands whose inputs are positional in another form.
void add_reading_flags(CLI::App* cmd, InputArgs* args);
Result<ReadOptions> make_read_options(const InputArgs& args);

// A ProblemLog that prints to stderr unless --quiet.
ProblemLogOptions problem_log_options(const GlobalOptions& global, const InputArgs& args);

// What `cluster` and `run` clean with: load_cleaning() and CleaningSetup in clean/cleaning_setup.h.
// The exit code a failed load calls for: an I/O failure, or a usage error (a bad file given).
int exit_code_of(const Status& s);

struct Command {
  CLI::App* app;
  std::function<int()> run;
};
using CommandTable = std::vector<Command>;

void add_stats_command(CLI::App& app, const GlobalOptions& global, CommandTable* commands);
void add_read_command(CLI::App& app, const GlobalOptions& global, CommandTable* commands);
void add_extract_command(CLI::App& app, const GlobalOptions& global, CommandTable* commands);
void add_dedup_command(CLI::App& app, const GlobalOptions& global, CommandTable* commands);
void add_clean_command(CLI::App& app, const GlobalOptions& global, CommandTable* commands);
void add_cluster_command(CLI::App& app, const GlobalOptions& global, CommandTable* commands);
void add_eval_command(CLI::App& app, const GlobalOptions& global, CommandTable* commands);
void add_run_command(CLI::App& app, const GlobalOptions& global, CommandTable* commands);
void add_compare_command(CLI::App& app, const GlobalOptions& global, CommandTable* commands);
void add_serve_command(CLI::App& app, const GlobalOptions& global, CommandTable* commands);

// Set by SIGINT/SIGTERM; long work stops at the next batch and returns kExitInterrupted.
const std::atomic<bool>& stop_requested();

// The "documents" part of every summary: read, accepted, rejected and problems by reason.
void write_accounting_json(JsonWriter& w, const ReadCounts& counts, const ProblemLog& log);
std::string accounting_text(const ReadCounts& counts, const ProblemLog& log);
// The exit code the accounting implies: problems under --strict, or no input readable at all.
int accounting_exit_code(const ReadCounts& counts, const ProblemLog& log, bool strict);

}  // namespace samestory::cli
