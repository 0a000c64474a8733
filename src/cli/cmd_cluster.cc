// samestory cluster: group the articles that report the same story, in one batch or as a stream.
//
// Reading, cleaning (rules, and a saved boilerplate model if given) and term counting run on all
// cores; the clusterer sees the articles in input order, so the stories are the same for any
// --threads. --stream hands each article to the stream clusterer as it is read and writes each
// story as soon as it leaves the active set.

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>

#include "base/output_file.h"
#include "clean/clean.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/dask_handoff.h"
#include "cli/progress.h"
#include "cluster/cluster.h"
#include "io/batches.h"

namespace samestory::cli {

namespace {

struct ClusterArgs {
  InputArgs input;
  std::string output = "-";
  std::string assignments;
  std::string clean_model;
  std::string idf;
  std::string save_idf;
  bool no_clean = false;
  bool stream = false;
  std::string dask;
  StreamOptions options;
};

struct BagBatch {
  std::vector<std::vector<TermCount>> bags;
};

int32_t day_of(const PublishedTime& t) {
  return t.known() ? static_cast<int32_t>(t.unix_day()) : kUnknownDay;
}

struct Totals {
  uint64_t stories = 0;
  uint64_t singletons = 0;
  uint64_t largest = 0;
  uint64_t articles = 0;
  void count(uint64_t size) {
    ++stories;
    singletons += size == 1;
    largest = std::max(largest, size);
    articles += size;
  }
};

// Latency percentiles of the stream's per-article work, in microseconds.
struct Latency {
  std::vector<float> micros;
  double percentile(double p) const {
    if (micros.empty()) return 0;
    std::vector<float> v = micros;
    const size_t k = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
    std::nth_element(v.begin(), v.begin() + static_cast<ptrdiff_t>(k), v.end());
    return v[k];
  }
};

int run_cluster(const GlobalOptions& global, ClusterArgs args) {
  auto fail = [](const Status& s, int code) {
    fmt::print(stderr, "samestory cluster: {}\n", s.message());
    return code;
  };
  auto read_options = make_read_options(args.input);
  if (!read_options) return fail(read_options.status(), kExitUsage);
  args.options.cluster.window_days = std::max(0, args.options.cluster.window_days);
  if (!args.dask.empty()) {
    if (args.stream || !args.assignments.empty() || !args.idf.empty() || !args.save_idf.empty()) {
      return fail(Status::invalid_argument("--stream, --assignments, --idf and --save-idf are not supported with --dask"),
                  kExitUsage);
    }
    std::vector<std::string> flags = {"--threshold", fmt::format("{}", args.options.cluster.threshold), "--window",
                                      std::to_string(args.options.cluster.window_days), "-o", args.output};
    if (args.no_clean) flags.emplace_back("--no-clean");
    if (!args.clean_model.empty()) {
      flags.insert(flags.end(), {"--clean-model", std::filesystem::absolute(args.clean_model).string()});
    }
    return hand_to_dask(args.dask, global, args.input, "cluster", std::move(flags));
  }

  CleaningSetup cleaning;
  if (Status s = load_cleaning(args.no_clean, args.clean_model, &cleaning); !s) return fail(s, exit_code_of(s));
  DocumentFrequencies background;
  if (!args.idf.empty()) {
    auto loaded = DocumentFrequencies::load(args.idf);
    if (!loaded) return fail(loaded.status(), exit_code_of(loaded.status()));
    background = std::move(loaded).value();
  }
  const Cleaner cleaner(cleaning.rules_used, cleaning.model_used);

  std::unique_ptr<OutputFile> stories_file, assignments_file;
  {
    auto opened = OutputFile::open(args.output);
    if (!opened) return fail(opened.status(), kExitIoFailure);
    stories_file = std::move(opened).value();
    if (!args.assignments.empty()) {
      auto a = OutputFile::open(args.assignments);
      if (!a) return fail(a.status(), kExitIoFailure);
      assignments_file = std::move(a).value();
    }
  }

  const auto start = std::chrono::steady_clock::now();
  ProblemLog log(problem_log_options(global, args.input));
  CorpusReader reader(args.input.inputs, *read_options, &log);
  Progress progress(args.stream ? "cluster --stream" : "cluster 1/2 read", !global.quiet && args.output != "-");
  BatchOptions batch_options;
  batch_options.stop = &stop_requested();
  const FeatureOptions& features = args.options.cluster.features;
  auto work = [&](DocumentBatch<BagBatch>& batch) {
    std::vector<Token> tokens;
    CleanedText cleaned;
    batch.payload.bags.resize(batch.documents.size());
    for (size_t i = 0; i < batch.documents.size(); ++i) {
      const Document& doc = batch.documents[i];
      cleaner.clean(doc.text, doc.outlet, &cleaned);
      count_terms(doc.title, cleaned.text, features, &tokens, &batch.payload.bags[i]);
    }
  };

  Totals totals;
  Status write_status;
  std::string buffer;
  auto flush = [&](OutputFile* file, std::string* text) {
    if (file && write_status && !text->empty()) write_status = file->write(*text);
    text->clear();
  };
  std::string assignment_buffer;
  ClusterResult result;
  Latency latency;
  uint64_t out_of_order = 0;
  size_t peak_live = 0, peak_memory = 0;

  if (!args.stream) {
    StoryClusterer clusterer(args.options.cluster);
    clusterer.add_background(background);
    std::vector<StoryMember> members;
    process_in_batches<BagBatch>(reader, batch_options, work, [&](DocumentBatch<BagBatch>& batch) {
      for (size_t i = 0; i < batch.documents.size(); ++i) {
        Document& doc = batch.documents[i];
        clusterer.add(batch.payload.bags[i], day_of(doc.published));
        members.push_back({std::move(doc.id), std::move(doc.outlet), std::move(doc.title), doc.published,
                           batch.first_index + i, 0.0f});
      }
      progress.update(reader.bytes_done(), reader.bytes_total(), batch.first_index + batch.documents.size());
    });
    progress.finish();
    if (stop_requested().load()) return kExitInterrupted;
    peak_memory = clusterer.memory_bytes();
    if (!args.save_idf.empty()) {
      if (Status st = clusterer.frequencies().save(args.save_idf); !st) return fail(st, kExitIoFailure);
    }
    Progress phases("cluster 2/2", !global.quiet && args.output != "-");
    std::mutex phases_mutex;  // the clusterer reports progress from its worker threads
    result = clusterer.finish([&](const char* step, double fraction) {
      const std::lock_guard<std::mutex> lock(phases_mutex);
      phases.step(step, fraction);
    });
    phases.finish();
    for (size_t i = 0; i < members.size(); ++i) members[i].centrality = result.centrality[i];
    std::vector<std::vector<StoryMember>> stories = group_stories(std::move(members), result.story);
    for (size_t s = 0; s < stories.size(); ++s) {
      totals.count(stories[s].size());
      append_story_jsonl(s + 1, &stories[s], &buffer);
      if (assignments_file) {
        for (const StoryMember& m : stories[s]) append_assignment_jsonl(m.id, s + 1, &assignment_buffer);
      }
      if (buffer.size() > (1u << 20)) flush(stories_file.get(), &buffer);
      if (assignment_buffer.size() > (1u << 20)) flush(assignments_file.get(), &assignment_buffer);
    }
  } else {
    StreamClusterer clusterer(args.options);
    clusterer.set_background(std::move(background));
    // Members of live stories, kept until the story closes; stories are numbered as they close.
    std::map<uint64_t, std::vector<StoryMember>> live;
    std::map<uint64_t, std::pair<uint64_t, size_t>> where;
    uint64_t article = 0;
    int32_t newest = kUnknownDay;
    uint64_t written = 0;
    auto write_closed = [&]() {
      for (uint64_t s : clusterer.take_closed()) {
        auto it = live.find(s);
        if (it == live.end()) continue;  // all its articles moved to other stories
        std::vector<StoryMember>& m = it->second;
        for (const StoryMember& x : m) where.erase(x.index);
        totals.count(m.size());
        append_story_jsonl(++written, &m, &buffer);
        if (assignments_file) {
          for (const StoryMember& x : m) append_assignment_jsonl(x.id, written, &assignment_buffer);
        }
        live.erase(it);
      }
      if (buffer.size() > (1u << 20)) flush(stories_file.get(), &buffer);
      if (assignment_buffer.size() > (1u << 20)) flush(assignments_file.get(), &assignment_buffer);
    };
    process_in_batches<BagBatch>(reader, batch_options, work, [&](DocumentBatch<BagBatch>& batch) {
      for (size_t i = 0; i < batch.documents.size(); ++i) {
        Document& doc = batch.documents[i];
        const int32_t day = day_of(doc.published);
        if (day != kUnknownDay && newest != kUnknownDay && day < newest) ++out_of_order;
        if (day != kUnknownDay) newest = std::max(newest, day);
        const auto t0 = std::chrono::steady_clock::now();
        StreamAssignment a = clusterer.add(batch.payload.bags[i], day);
        latency.micros.push_back(
            std::chrono::duration<float, std::micro>(std::chrono::steady_clock::now() - t0).count());
        for (const auto& [gone, keep] : a.merged) {
          auto from = live.find(gone);
          if (from == live.end()) continue;
          std::vector<StoryMember>& into = live[keep];
          for (StoryMember& x : from->second) {
            where[x.index] = {keep, into.size()};
            into.push_back(std::move(x));
          }
          live.erase(from);
        }
        // Articles that changed story when the stories around this one were clustered again; this
        // one is not among the members yet.
        for (const auto& [moved, to] : a.moved) {
          auto w = where.find(moved);
          if (w == where.end()) continue;
          const auto [from, at] = w->second;
          std::vector<StoryMember>& old = live[from];
          StoryMember member = std::move(old[at]);
          if (at + 1 != old.size()) {
            old[at] = std::move(old.back());
            where[old[at].index] = {from, at};
          }
          old.pop_back();
          if (old.empty()) live.erase(from);
          std::vector<StoryMember>& into = live[to];
          w->second = {to, into.size()};
          into.push_back(std::move(member));
        }
        std::vector<StoryMember>& m = live[a.story];
        float centrality = 0;
        for (const auto& [other, similarity] : a.links) {
          auto w = where.find(other);
          if (w == where.end() || w->second.first != a.story) continue;
          live[w->second.first][w->second.second].centrality += similarity;
          centrality += similarity;
        }
        where[article] = {a.story, m.size()};
        m.push_back({std::move(doc.id), std::move(doc.outlet), std::move(doc.title), doc.published, article,
                     centrality});
        ++article;
        peak_live = std::max(peak_live, clusterer.live_articles());
        write_closed();
      }
      progress.update(reader.bytes_done(), reader.bytes_total(), batch.first_index + batch.documents.size());
    });
    progress.finish();
    if (stop_requested().load()) return kExitInterrupted;
    peak_memory = clusterer.memory_bytes();
    clusterer.close_all();
    write_closed();
    if (!args.save_idf.empty()) {
      if (Status st = clusterer.frequencies().save(args.save_idf); !st) return fail(st, kExitIoFailure);
    }
  }
  flush(stories_file.get(), &buffer);
  flush(assignments_file.get(), &assignment_buffer);
  if (write_status) write_status = stories_file->commit();
  if (write_status && assignments_file) write_status = assignments_file->commit();
  if (!write_status) return fail(write_status, kExitIoFailure);

  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const ReadCounts& counts = reader.counts();
  std::string summary;
  if (global.json) {
    JsonWriter w(&summary);
    w.begin_object();
    write_accounting_json(w, counts, log);
    w.key("cluster").begin_object();
    w.field("mode", args.stream ? "stream" : "batch");
    w.field("articles", totals.articles).field("stories", totals.stories);
    w.field("singletons", totals.singletons).field("largest", totals.largest);
    if (args.stream) {
      w.field("latency_p50_us", latency.percentile(0.5)).field("latency_p99_us", latency.percentile(0.99));
      w.field("latency_max_us", latency.percentile(1.0));
      w.field("peak_live_articles", static_cast<uint64_t>(peak_live));
      w.field("out_of_order", out_of_order);
    } else {
      w.field("candidate_pairs", result.candidate_pairs).field("edges", result.edges);
    }
    w.field("clusterer_bytes", static_cast<uint64_t>(peak_memory));
    w.end_object();
    w.field("output", args.output);
    w.field("seconds", seconds);
    w.field("articles_per_second", seconds > 0 ? static_cast<double>(totals.articles) / seconds : 0.0);
    w.end_object();
  } else {
    summary = "samestory cluster: " + accounting_text(counts, log);
    summary += fmt::format("\n{} articles in {} stories ({} with one article; largest {}); {:.2f} s, {:.0f} articles/s",
                           totals.articles, totals.stories, totals.singletons, totals.largest, seconds,
                           seconds > 0 ? static_cast<double>(totals.articles) / seconds : 0.0);
    if (args.stream) {
      summary += fmt::format("\nstream: per-article time p50 {:.0f} us, p99 {:.0f} us; at most {} live articles",
                             latency.percentile(0.5), latency.percentile(0.99), peak_live);
      if (out_of_order > 0) {
        summary += fmt::format("; {} articles arrived out of date order (sort the input by date for best results)",
                               out_of_order);
      }
    }
  }
  if (!global.quiet || global.json) fmt::print(stderr, "{}\n", summary);
  return accounting_exit_code(counts, log, args.input.strict);
}

}  // namespace

void add_cluster_command(CLI::App& app, const GlobalOptions& global, CommandTable* commands) {
  auto args = std::make_shared<ClusterArgs>();
  CLI::App* cmd = app.add_subcommand(
      "cluster", "Group the articles that report the same story (batch, or --stream in date order)");
  add_input_options(cmd, &args->input);
  cmd->add_option("-o,--output", args->output,
                  "Where to write the stories as JSONL, one story a line (- for standard output)")
      ->capture_default_str();
  cmd->add_option("--assignments", args->assignments, "Also write one line an article: {\"id\", \"story\"}")
      ->type_name("FILE");
  cmd->add_flag("--stream", args->stream,
                "Assign each article as it arrives (input in date order); stories are written as they close");
  cmd->add_option("--window", args->options.cluster.window_days,
                  "Never put articles more than DAYS apart in one story (0: no limit)")
      ->type_name("DAYS")
      ->capture_default_str();
  cmd->add_flag("--no-revise", [args](int64_t) { args->options.revise = false; },
                "--stream: never link the stories around an article again, and let stories close while the IDF "
                "settles (faster, and earlier output; less accurate)");
  cmd->add_option("--horizon", args->options.horizon_days,
                  "--stream: a story closes when its newest article is DAYS older than the newest seen")
      ->type_name("DAYS")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000));
  cmd->add_option("--threshold", args->options.cluster.threshold,
                  "Average pair similarity at which articles are one story (higher: smaller, tighter stories)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--clean-model", args->clean_model,
                  "Boilerplate model saved by `samestory clean --model FILE`, used with the rules before counting "
                  "terms")
      ->type_name("FILE");
  cmd->add_option("--idf", args->idf,
                  "Document frequencies of a background corpus (written by --save-idf), added to the input's own: "
                  "a stream's first articles are then weighed as well as later ones")
      ->type_name("FILE");
  cmd->add_option("--save-idf", args->save_idf, "Write the document frequencies used, for a later --idf")
      ->type_name("FILE");
  cmd->add_flag("--no-clean", args->no_clean, "Count terms on the text as it is, without removing boilerplate");
  cmd->add_option("--dask", args->dask,
                  "Run on the Dask scheduler at this address (tcp://HOST:PORT, or local:N for N local worker "
                  "processes) through the Python module; the same stories as a local batch run");
  commands->push_back({cmd, [&global, args] { return run_cluster(global, *args); }});
}

}  // namespace samestory::cli
