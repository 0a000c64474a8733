// samestory run: the main job. Reads a corpus, builds its story map (digest/story_map.h) and
// writes it three ways into the output folder: stories.jsonl, samestory.db (SQLite) and
// report.html.

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <memory>

#include "cli/commands.h"
#include "cli/dask_handoff.h"
#include "cli/exit_codes.h"
#include "cli/progress.h"
#include "digest/digest.h"
#include "store/store.h"

namespace samestory::cli {

namespace {

struct RunArgs {
  InputArgs input;
  std::string output = "samestory-out";
  std::string clean_model;
  bool no_clean = false;
  bool no_db = false;
  bool no_report = false;
  ReportOptions report;
  StoryMapOptions options;
  std::string dask;
};

int run_main_job(const GlobalOptions& global, RunArgs args) {
  auto fail = [](const Status& s, int code) {
    fmt::print(stderr, "samestory run: {}\n", s.message());
    return code;
  };
  auto read_options = make_read_options(args.input);
  if (!read_options) return fail(read_options.status(), kExitUsage);
  args.options.cluster.window_days = std::max(0, args.options.cluster.window_days);
  if (!args.dask.empty()) {
    std::vector<std::string> flags = {"--threshold", fmt::format("{}", args.options.cluster.threshold), "--window",
                                      std::to_string(args.options.cluster.window_days), "-o",
                                      std::filesystem::absolute(args.output).string(), "--report-stories",
                                      std::to_string(args.report.max_stories)};
    if (args.no_clean) flags.emplace_back("--no-clean");
    if (args.no_db) flags.emplace_back("--no-db");
    if (args.no_report) flags.emplace_back("--no-report");
    if (!args.clean_model.empty()) {
      flags.insert(flags.end(), {"--clean-model", std::filesystem::absolute(args.clean_model).string()});
    }
    return hand_to_dask(args.dask, global, args.input, "run", std::move(flags));
  }

  CleaningSetup cleaning;
  if (Status s = load_cleaning(args.no_clean, args.clean_model, &cleaning); !s) return fail(s, exit_code_of(s));
  args.options.rules = cleaning.rules_used;
  args.options.model = cleaning.model_used;
  args.options.learn_boilerplate = !args.no_clean;

  // Fail before the long work, not after it, when the folder cannot be made.
  std::error_code ec;
  std::filesystem::create_directories(args.output, ec);
  if (ec) return fail(Status::io_error(fmt::format("{}: cannot create the folder: {}", args.output, ec.message())), kExitIoFailure);

  const auto start = std::chrono::steady_clock::now();
  const bool show = !global.quiet;
  ProblemLog log(problem_log_options(global, args.input));
  CorpusReader reader(args.input.inputs, *read_options, &log);
  std::vector<Document> documents;
  {
    Progress progress("run 1/5 read", show);
    Document doc;
    while (reader.next(&doc)) {
      documents.push_back(std::move(doc));
      doc = Document{};
      if ((documents.size() & 1023) == 0) {
        progress.update(reader.bytes_done(), reader.bytes_total(), documents.size());
        if (stop_requested().load()) return kExitInterrupted;
      }
    }
    progress.finish();
  }
  const double read_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::unique_ptr<Progress> stage_progress;
  std::string stage_name;
  StoryMapHooks hooks;
  hooks.stop = &stop_requested();
  hooks.progress = [&](const char* stage, double fraction) {
    if (stage_name != stage) {
      if (stage_progress) stage_progress->finish();
      stage_name = stage;
      static constexpr std::pair<std::string_view, int> kSteps[] = {
          {"learn", 2}, {"clean", 2}, {"dedup", 3}, {"cluster", 4}, {"digest", 5}};
      int step = 2;
      for (const auto& [name, n] : kSteps) {
        if (name == stage) step = n;
      }
      stage_progress = std::make_unique<Progress>(fmt::format("run {}/5 {}", step, stage), show);
    }
    stage_progress->update(static_cast<uint64_t>(fraction * 1000), 1000, 0);
  };
  const size_t documents_read = documents.size();
  auto built = build_story_map(std::move(documents), args.options, hooks);
  if (stage_progress) stage_progress->finish();
  if (!built) return built.status().code() == StatusCode::kCancelled ? kExitInterrupted : fail(built.status(), kExitIoFailure);
  const StoryMap& map = *built;

  // Outputs.
  const auto write_start = std::chrono::steady_clock::now();
  RunFolderOptions folder;
  folder.database = !args.no_db;
  folder.report = !args.no_report;
  folder.report_options = args.report;
  RunFolderFiles files;
  {
    Progress progress("run: writing", show);
    if (Status st = write_run_folder(map, args.output, folder, &files); !st) return fail(st, kExitIoFailure);
  }
  const ReportStats& report_stats = files.report_stats;
  const double write_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - write_start).count();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  uint64_t multi = 0, largest = 0;
  for (const StoryDigest& s : map.stories) {
    multi += s.members.size() > 1;
    largest = std::max<uint64_t>(largest, s.members.size());
  }
  const StoryMapStats& st = map.stats;
  const ReadCounts& counts = reader.counts();
  std::string summary;
  if (global.json) {
    JsonWriter w(&summary);
    w.begin_object();
    write_accounting_json(w, counts, log);
    w.key("run").begin_object();
    w.field("articles", static_cast<uint64_t>(documents_read));
    w.field("stories", static_cast<uint64_t>(map.stories.size())).field("stories_with_several_articles", multi);
    w.field("largest_story", largest);
    w.field("duplicate_groups", st.duplicate_groups).field("duplicates", st.duplicates);
    w.field("copies_moved_to_representative_story", st.moved_to_representative);
    w.field("boilerplate_spans_removed", st.removed_spans).field("boilerplate_bytes_removed", st.removed_bytes);
    w.field("boilerplate_model_units", st.boilerplate_units);
    w.field("quotes", st.quotes);
    w.key("seconds").begin_object();
    w.field("read", read_seconds).field("clean", st.clean_seconds).field("dedup", st.dedup_seconds);
    w.field("cluster", st.cluster_seconds).field("digest", st.digest_seconds).field("write", write_seconds);
    w.field("total", seconds);
    w.end_object();
    w.end_object();
    w.key("outputs").begin_object();
    w.field("stories", files.stories);
    if (!args.no_db) w.field("database", files.database);
    if (!args.no_report) {
      w.field("report", files.report);
      w.field("report_stories", report_stats.stories).field("report_stories_left_out", report_stats.left_out);
    }
    w.end_object();
    w.end_object();
  } else {
    summary = "samestory run: " + accounting_text(counts, log);
    summary += fmt::format(
        "\n{} articles in {} stories ({} with several articles; largest {}); {} duplicate groups holding {} copies; "
        "{} boilerplate spans removed; {} quotes",
        documents_read, map.stories.size(), multi, largest, st.duplicate_groups, st.duplicates, st.removed_spans,
        st.quotes);
    summary += fmt::format(
        "\ntime: {:.2f} s (read {:.2f}, clean {:.2f}, dedup {:.2f}, cluster {:.2f}, digest {:.2f}, write {:.2f})", seconds,
        read_seconds, st.clean_seconds, st.dedup_seconds, st.cluster_seconds, st.digest_seconds, write_seconds);
    summary += fmt::format("\nwrote {}", files.stories);
    if (!args.no_db) summary += fmt::format(", {}", files.database);
    if (!args.no_report) {
      summary += fmt::format(", {}", files.report);
      if (report_stats.left_out > 0) {
        summary += fmt::format(" (the {} largest stories; {} more are in the other outputs)", report_stats.stories,
                               report_stats.left_out);
      }
    }
  }
  if (!global.quiet || global.json) fmt::print(stderr, "{}\n", summary);
  return accounting_exit_code(counts, log, args.input.strict);
}

}  // namespace

void add_run_command(CLI::App& app, const GlobalOptions& global, CommandTable* commands) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand(
      "run",
      "The main job: clean, dedup, cluster and digest a corpus into a story map: stories.jsonl, samestory.db "
      "(SQLite) and report.html");
  add_input_options(cmd, &args->input);
  cmd->add_option("-o,--output", args->output, "Folder to write stories.jsonl, samestory.db and report.html into")
      ->type_name("DIR")
      ->capture_default_str();
  cmd->add_option("--window", args->options.cluster.window_days,
                  "Never put articles more than DAYS apart in one story (0: no limit)")
      ->type_name("DAYS")
      ->capture_default_str();
  cmd->add_option("--threshold", args->options.cluster.threshold,
                  "Average pair similarity at which articles are one story (see `cluster --help`)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--clean-model", args->clean_model,
                  "Boilerplate model saved by `samestory clean --model FILE`, instead of learning one from the input")
      ->type_name("FILE");
  cmd->add_flag("--no-clean", args->no_clean, "Keep the text as it is: no boilerplate removal");
  cmd->add_option("--report-stories", args->report.max_stories,
                  "The report shows at most this many stories, the largest first (the other outputs hold all)")
      ->capture_default_str();
  cmd->add_flag("--no-db", args->no_db, "Do not write samestory.db");
  cmd->add_flag("--no-report", args->no_report, "Do not write report.html");
  cmd->add_option("--dask", args->dask,
                  "Run on the Dask scheduler at this address (tcp://HOST:PORT, or local:N for N local worker "
                  "processes) through the Python module; the same folder as a local run, written by this "
                  "process, which holds the story map")
      ->type_name("ADDRESS");
  commands->push_back({cmd, [&global, args] { return run_main_job(global, *args); }});
}

}  // namespace samestory::cli
