// samestory stats: what is in a corpus, and what is wrong with it.

#include <fmt/format.h>

#include <chrono>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/progress.h"
#include "io/batches.h"
#include "text/corpus_profile.h"

namespace samestory::cli {

namespace {

struct StatsArgs {
  InputArgs input;
  size_t top = 10;
};

std::string human_bytes(uint64_t b) {
  if (b >= 1'000'000'000) return fmt::format("{:.2f} GB", static_cast<double>(b) / 1e9);
  if (b >= 1'000'000) return fmt::format("{:.1f} MB", static_cast<double>(b) / 1e6);
  if (b >= 1'000) return fmt::format("{:.1f} kB", static_cast<double>(b) / 1e3);
  return fmt::format("{} B", b);
}

std::string day_of(int64_t unix_seconds) {
  PublishedTime t{unix_seconds, TimePrecision::kDay};
  return t.iso();
}

int run_stats(const GlobalOptions& global, const StatsArgs& args) {
  auto options = make_read_options(args.input);
  if (!options) {
    fmt::print(stderr, "samestory stats: {}\n", options.status().message());
    return kExitUsage;
  }
  ProblemLog log(problem_log_options(global, args.input));
  CorpusReader reader(args.input.inputs, *options, &log);
  Progress progress("stats", !global.quiet);
  const auto start = std::chrono::steady_clock::now();

  CorpusProfile profile;
  uint64_t done = 0;
  BatchOptions batch_options;
  batch_options.stop = &stop_requested();
  process_in_batches<CorpusProfile>(
      reader, batch_options,
      [](DocumentBatch<CorpusProfile>& batch) {
        for (const Document& doc : batch.documents) batch.payload.add(doc, /*with_segments=*/true);
      },
      [&](DocumentBatch<CorpusProfile>& batch) {
        profile.merge(batch.payload);
        done += batch.documents.size();
        progress.update(reader.bytes_done(), reader.bytes_total(), done);
      });
  progress.finish();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const ReadCounts& counts = reader.counts();

  std::string out;
  if (global.json) {
    JsonWriter w(&out);
    w.begin_object();
    write_accounting_json(w, counts, log);
    w.key("bytes").begin_object();
    w.field("read", counts.raw_bytes).field("decompressed", counts.decompressed_bytes);
    w.field("text", profile.text_bytes).field("titles", profile.title_bytes);
    w.end_object();
    w.field("title_only", profile.title_only);
    w.field("tokens", profile.tokens).field("sentences", profile.sentences).field("paragraphs", profile.paragraphs);
    w.key("dates").begin_object();
    w.field("dated", profile.dated).field("undated", profile.documents - profile.dated);
    if (profile.dated > 0) {
      w.field("first", day_of(profile.first_published)).field("last", day_of(profile.last_published));
    }
    w.end_object();
    w.key("outlets").begin_object();
    w.field("count", static_cast<uint64_t>(profile.outlets.size()));
    w.key("top").begin_array();
    for (const auto& [name, n] : profile.top_outlets(args.top)) {
      w.begin_object().field("outlet", name).field("documents", n).end_object();
    }
    w.end_array().end_object();
    w.field("seconds", seconds);
    w.end_object();
    out.push_back('\n');
  } else {
    out += accounting_text(counts, log) + "\n";
    out += fmt::format("files:      {} read", counts.files);
    if (counts.skipped_files > 0) out += fmt::format(", {} skipped (unknown type)", counts.skipped_files);
    out += fmt::format("\nbytes:      {} read, {} of text, {} of titles\n", human_bytes(counts.raw_bytes),
                       human_bytes(profile.text_bytes), human_bytes(profile.title_bytes));
    out += fmt::format("tokens:     {}  ({} sentences, {} paragraphs)\n", profile.tokens, profile.sentences,
                       profile.paragraphs);
    if (profile.title_only > 0) out += fmt::format("title only: {} documents have a title and no text\n", profile.title_only);
    if (profile.dated > 0) {
      out += fmt::format("dates:      {} .. {}  ({} dated, {} undated)\n", day_of(profile.first_published),
                         day_of(profile.last_published), profile.dated, profile.documents - profile.dated);
    } else {
      out += fmt::format("dates:      none ({} undated)\n", profile.documents);
    }
    out += fmt::format("outlets:    {}\n", profile.outlets.size());
    for (const auto& [name, n] : profile.top_outlets(args.top)) out += fmt::format("  {:>10}  {}\n", n, name);
    out += fmt::format("time:       {:.2f} s\n", seconds);
  }
  fmt::print("{}", out);
  return accounting_exit_code(counts, log, args.input.strict);
}

}  // namespace

void add_stats_command(CLI::App& app, const GlobalOptions& global, CommandTable* commands) {
  auto args = std::make_shared<StatsArgs>();
  CLI::App* cmd = app.add_subcommand(
      "stats", "Count documents, outlets, dates, bytes and tokens, and report every problem in the input");
  add_input_options(cmd, &args->input);
  cmd->add_option("--top", args->top, "How many outlets to list")->capture_default_str();
  commands->push_back({cmd, [&global, args] { return run_stats(global, *args); }});
}

}  // namespace samestory::cli
