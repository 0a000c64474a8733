// samestory: finds the same news story across outlets.
//
// One binary, one subcommand per job; this file parses the global flags and dispatches.

#include <fmt/format.h>
#include <tbb/global_control.h>

#include <csignal>
#include <memory>
#include <thread>

#include "cli/commands.h"
#include "base/interrupt.h"
#include "cli/exit_codes.h"
#include "cli/huge_pages.h"
#include "samestory_version.h"

namespace samestory::cli {

namespace {
extern "C" void on_signal(int /*signal*/) { interrupt_requested().store(true); }

// The first SIGINT or SIGTERM asks the run to stop at the next safe point (no partial output is
// left behind); SA_RESETHAND makes a second one end the process at once. Without SA_RESTART a
// read blocked on a pipe returns, so the request is seen even when no input is arriving.
void install_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  std::signal(SIGPIPE, SIG_IGN);  // a closed pipe shows up as a write error, reported as such
}
}  // namespace

const std::atomic<bool>& stop_requested() { return interrupt_requested(); }

int main(int argc, char** argv) {
  restore_environment_after_huge_page_reexec();
  CLI::App app("samestory: finds the same news story across outlets: exact and near copies, shared passages, "
               "stories.\n");
  app.set_version_flag("--version", fmt::format("samestory {}", SAMESTORY_VERSION));
  app.require_subcommand(1);
  app.fallthrough();
  app.footer(
      "Run 'samestory COMMAND --help' for a command's flags.\n"
      "Exit status: 0 ok, 1 input problems under --strict, 2 usage error, 3 I/O failure, 130 interrupted.");

  GlobalOptions global;
  app.add_option("-j,--threads", global.threads, "Worker threads (default: all cores)")->group("Global");
  app.add_flag("--json", global.json, "Machine-readable output: the summary as one JSON object")->group("Global");
  app.add_flag("-q,--quiet", global.quiet, "No progress display and no per-record messages")->group("Global");

  CommandTable commands;
  add_run_command(app, global, &commands);
  add_stats_command(app, global, &commands);
  add_read_command(app, global, &commands);
  add_extract_command(app, global, &commands);
  add_clean_command(app, global, &commands);
  add_dedup_command(app, global, &commands);
  add_cluster_command(app, global, &commands);
  add_eval_command(app, global, &commands);
  add_compare_command(app, global, &commands);
  add_serve_command(app, global, &commands);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }

  for (const Command& command : commands) {
    if (command.app->parsed() && command.app->get_name() != "serve") reexec_with_huge_pages(argv);
  }

  const unsigned threads = global.threads > 0 ? global.threads : std::max(1u, std::thread::hardware_concurrency());
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);

  install_signal_handlers();

  for (const Command& command : commands) {
    if (command.app->parsed()) return command.run();
  }
  return kExitUsage;
}

}  // namespace samestory::cli

int main(int argc, char** argv) { return samestory::cli::main(argc, argv); }
