// samestory dedup: exact, near-duplicate and contained copies, verified and grouped.
//
// deduplicate_corpus() sketches every document and re-reads the input to verify candidates on
// exact shingle sets; with -o a third pass writes the documents that are kept. Standard input is
// spooled to a temporary file first so it can be read more than once.

#include <fmt/format.h>
#include <chrono>
#include <cmath>

#include "base/output_file.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/dask_handoff.h"
#include "cli/progress.h"
#include "cli/spooled_stdin.h"
#include "dedup/corpus_dedup.h"
#include "dedup/group_report.h"
#include "io/batches.h"

namespace samestory::cli {

namespace {

struct DedupArgs {
  InputArgs input;
  DedupOptions dedup;
  std::string keep = "earliest";
  std::string output;
  std::string report;
  std::string dask;
};

KeepPolicy parse_keep(const std::string& s) {
  if (s == "longest") return KeepPolicy::kLongest;
  if (s == "first") return KeepPolicy::kFirst;
  return KeepPolicy::kEarliest;
}


int run_dedup(const GlobalOptions& global, DedupArgs args) {
  auto options = make_read_options(args.input);
  if (!options) {
    fmt::print(stderr, "samestory dedup: {}\n", options.status().message());
    return kExitUsage;
  }
  if (args.dedup.num_hashes % args.dedup.rows != 0) {
    fmt::print(stderr, "samestory dedup: --hashes ({}) must be a multiple of --rows ({})\n", args.dedup.num_hashes,
               args.dedup.rows);
    return kExitUsage;
  }
  args.dedup.keep = parse_keep(args.keep);
  if (!args.dask.empty()) {
    if (!args.output.empty()) {
      fmt::print(stderr, "samestory dedup --dask: -o is not supported on a cluster; --report lists every group\n");
      return kExitUsage;
    }
    std::vector<std::string> flags = {"--threshold", fmt::format("{}", args.dedup.jaccard), "--containment",
                                      fmt::format("{}", args.dedup.containment), "--keep", args.keep,
                                      "--shingle", std::to_string(args.dedup.shingle_size), "--hashes",
                                      std::to_string(args.dedup.num_hashes), "--rows", std::to_string(args.dedup.rows)};
    if (!args.report.empty()) flags.insert(flags.end(), {"--report", args.report});
    return hand_to_dask(args.dask, global, args.input, "dedup", std::move(flags));
  }
  SpooledStdin spooled;
  if (Status s = spooled.replace_dash(&args.input.inputs); !s) {
    fmt::print(stderr, "samestory dedup: {}\n", s.message());
    return stop_requested().load() ? kExitInterrupted : kExitIoFailure;
  }
  std::unique_ptr<OutputFile> report, output;
  for (auto [path, file] : {std::pair{&args.report, &report}, std::pair{&args.output, &output}}) {
    if (path->empty()) continue;
    auto f = OutputFile::open(*path);
    if (!f) {
      fmt::print(stderr, "samestory dedup: {}\n", f.status().message());
      return kExitIoFailure;
    }
    *file = std::move(f).value();
  }

  const auto start = std::chrono::steady_clock::now();
  Deduplicator dedup(args.dedup);
  ProblemLog log(problem_log_options(global, args.input));
  Progress sketch_progress("dedup 1/2 sketch", !global.quiet), verify_progress("dedup 2/2 verify", !global.quiet);
  CorpusDedupHooks hooks;
  hooks.stop = &stop_requested();
  hooks.progress = [&](int pass, uint64_t done, uint64_t total, uint64_t docs) {
    if (pass == 2) sketch_progress.finish();
    (pass == 1 ? sketch_progress : verify_progress).update(done, total, docs);
  };
  auto counted = deduplicate_corpus(args.input.inputs, *options, &log, &dedup, hooks);
  verify_progress.finish();
  if (stop_requested().load()) return kExitInterrupted;
  if (!counted) {
    fmt::print(stderr, "samestory dedup: {}\n", counted.status().message());
    return kExitIoFailure;
  }
  const ReadCounts counts = *counted;
  BatchOptions batch_options;
  batch_options.stop = &stop_requested();
  ProblemLogOptions silent;
  silent.sink = nullptr;

  uint64_t removed = 0, by_relation[6] = {};
  for (const DuplicateGroup& g : dedup.groups()) {
    removed += g.members.size();
    for (const GroupMember& m : g.members) ++by_relation[static_cast<size_t>(m.relation)];
  }
  if (report) {
    Status s = write_group_reports(dedup, [&](std::string_view text) { return report->write(text); });
    if (s) s = report->commit();
    if (!s) {
      fmt::print(stderr, "samestory dedup: {}\n", s.message());
      return kExitIoFailure;
    }
  }

  // Pass 3 (with -o): the documents that are kept, in input order.
  if (output) {
    ProblemLog quiet(silent);
    CorpusReader reader(args.input.inputs, *options, &quiet);
    Progress progress("dedup: writing", !global.quiet);
    Status write_status;
    process_in_batches<std::string>(
        reader, batch_options,
        [&](DocumentBatch<std::string>& batch) {
          for (size_t i = 0; i < batch.documents.size(); ++i) {
            const auto doc = static_cast<uint32_t>(batch.first_index + i);
            if (doc < dedup.size() && dedup.kept(doc)) append_document_jsonl(batch.documents[i], &batch.payload);
          }
        },
        [&](DocumentBatch<std::string>& batch) {
          if (write_status) write_status = output->write(batch.payload);
          progress.update(reader.bytes_done(), reader.bytes_total(), batch.first_index + batch.documents.size());
        });
    if (stop_requested().load()) return kExitInterrupted;
    if (write_status) write_status = output->commit();
    if (!write_status) {
      fmt::print(stderr, "samestory dedup: {}\n", write_status.message());
      return kExitIoFailure;
    }
  }

  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const DedupStats& st = dedup.stats();
  const uint64_t kept = counts.accepted - removed;
  std::string summary;
  if (global.json) {
    JsonWriter w(&summary);
    w.begin_object();
    write_accounting_json(w, counts, log);
    w.key("dedup").begin_object();
    w.field("kept", kept).field("removed", removed).field("groups", static_cast<uint64_t>(dedup.groups().size()));
    w.key("members_by_relation").begin_object();
    for (Relation r : {Relation::kExact, Relation::kNear, Relation::kContained, Relation::kContains, Relation::kLinked}) {
      w.field(to_string(r), by_relation[static_cast<size_t>(r)]);
    }
    w.end_object();
    w.field("candidate_pairs", st.candidate_pairs).field("verified_pairs", st.pairs_to_verify);
    w.field("near_edges", st.near_edges).field("contained_edges", st.contained_edges);
    w.field("rejected_pairs", st.rejected_pairs);
    w.field("max_open_sets", st.max_open_sets);
    w.key("phase_seconds").begin_object();
    w.field("sketch", st.sketch_seconds).field("candidates", st.candidate_seconds);
    w.field("verify", st.verify_seconds).field("group", st.group_seconds);
    w.end_object();
    w.end_object();
    w.field("seconds", seconds);
    w.end_object();
  } else {
    summary = "samestory dedup: " + accounting_text(counts, log);
    summary += fmt::format(
        "\n{} duplicate groups: {} documents kept, {} removed ({} exact, {} near, {} contained, {} containing, {} "
        "linked)\n{} candidate pairs, {} verified on exact shingles ({} near, {} contained, {} below both thresholds)\n"
        "time: {:.2f} s",
        dedup.groups().size(), kept, removed, by_relation[static_cast<size_t>(Relation::kExact)],
        by_relation[static_cast<size_t>(Relation::kNear)], by_relation[static_cast<size_t>(Relation::kContained)],
        by_relation[static_cast<size_t>(Relation::kContains)], by_relation[static_cast<size_t>(Relation::kLinked)],
        st.candidate_pairs, st.pairs_to_verify, st.near_edges, st.contained_edges, st.rejected_pairs, seconds);
  }
  if (!global.quiet || global.json) fmt::print(stderr, "{}\n", summary);
  return accounting_exit_code(counts, log, args.input.strict);
}

}  // namespace

void add_dedup_command(CLI::App& app, const GlobalOptions& global, CommandTable* commands) {
  auto args = std::make_shared<DedupArgs>();
  CLI::App* cmd = app.add_subcommand(
      "dedup", "Find exact, near-duplicate and contained copies; group them and keep one document per group");
  add_input_options(cmd, &args->input);
  cmd->add_option("--threshold", args->dedup.jaccard, "Near duplicates: Jaccard similarity of word 5-grams at least this")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--containment", args->dedup.containment,
                  "Contained copies: share of the smaller document's 5-grams found in the larger, at least this")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--keep", args->keep, "Which member represents a group: earliest, longest or first")
      ->capture_default_str()
      ->check(CLI::IsMember({"earliest", "longest", "first"}));
  cmd->add_option("-o,--output", args->output, "Write the kept documents (one per group, and the unique ones) as JSONL");
  cmd->add_option("--report", args->report, "Write one JSON object per duplicate group");
  cmd->add_option("--dask", args->dask,
                  "Run on the Dask scheduler at this address (tcp://HOST:PORT, or local:N for N local worker "
                  "processes) through the Python module; the same groups as a local run");
  cmd->add_option("--shingle", args->dedup.shingle_size, "Words per shingle")
      ->capture_default_str()
      ->check(CLI::Range(1, 20))
      ->group("Tuning");
  cmd->add_option("--hashes", args->dedup.num_hashes, "MinHash signature size")
      ->capture_default_str()
      ->check(CLI::Range(8, 1024))
      ->group("Tuning");
  cmd->add_option("--rows", args->dedup.rows, "Rows per LSH band (bands = hashes / rows)")
      ->capture_default_str()
      ->check(CLI::Range(1, 64))
      ->group("Tuning");
  commands->push_back({cmd, [&global, args] { return run_dedup(global, *args); }});
}

}  // namespace samestory::cli
