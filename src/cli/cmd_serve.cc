// samestory serve: the persistent incremental index behind an HTTP API and a web page
// (serve/serve.h). samestory index: the same index filled from files, without HTTP (a backfill
// before serving, or a nightly load).

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <thread>

#include "base/parallel_region.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/progress.h"
#include "clean/cleaning_setup.h"
#include "serve/serve.h"

namespace samestory::cli {

namespace {

struct IndexArgs {
  std::string db;
  std::string idf;
  std::string clean_model;
  bool no_clean = false;
  bool fsync = false;
  LiveIndexOptions options;
};

struct ServeArgs {
  IndexArgs index;
  InputArgs reading;
  std::string listen = "127.0.0.1:8080";
  std::string token_file;
  bool read_only = false;
  double max_body_mb = 32;
  size_t max_batch = 10000;
};

struct LoadArgs {
  IndexArgs index;
  InputArgs input;
  size_t batch = 1000;
};

void add_index_flags(CLI::App* cmd, IndexArgs* args) {
  cmd->add_option("--db", args->db, "The index's SQLite database (created if missing; WAL mode)")
      ->type_name("PATH")
      ->required();
  cmd->add_option("--horizon", args->options.horizon_days,
                  "A story leaves the live index when its newest article is DAYS older than the newest seen; it "
                  "stays in the database and queryable")
      ->type_name("DAYS")
      ->capture_default_str()
      ->check(CLI::Range(1, 3650));
  cmd->add_option("--window", args->options.pipeline.cluster.window_days,
                  "Never link articles more than DAYS apart, nor put a copy in the story of an original that much "
                  "older (0: no limit)")
      ->type_name("DAYS")
      ->capture_default_str()
      ->check(CLI::Range(0, 3650));
  cmd->add_option("--threshold", args->options.pipeline.cluster.threshold,
                  "Average pair similarity at which articles are one story (see `cluster --help`)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--aligned-matches", args->options.aligned_matches,
                  "Live articles aligned with each new one for shared passages (its copy first, then its strongest "
                  "links)")
      ->capture_default_str();
  cmd->add_option("--clean-model", args->clean_model,
                  "Boilerplate model saved by `samestory clean --model FILE`; without one only the built-in rules "
                  "clean")
      ->type_name("FILE");
  cmd->add_flag("--no-clean", args->no_clean, "Keep the text as it is: no boilerplate removal");
  cmd->add_option("--idf", args->idf,
                  "Document frequencies of a background corpus (`cluster --save-idf`) for a new index, so its first "
                  "articles are weighed as well as later ones")
      ->type_name("FILE");
  cmd->add_flag("--fsync", args->fsync,
                "Sync every commit to disk (survives power loss, not only a crash of the process; slower)");
}

// Opens the index with its cleaning set up; `cleaning` must outlive it.
Result<std::unique_ptr<LiveIndex>> open_index(IndexArgs& args, CleaningSetup* cleaning, bool show, const char* what) {
  if (Status s = load_cleaning(args.no_clean, args.clean_model, cleaning); !s) return s;
  args.options.pipeline.rules = cleaning->rules_used;
  args.options.pipeline.model = cleaning->model_used;
  args.options.durable_fsync = args.fsync;
  if (!args.idf.empty()) {
    auto loaded = DocumentFrequencies::load(args.idf);
    if (!loaded) return loaded.status();
    args.options.background = std::make_shared<const DocumentFrequencies>(std::move(loaded).value());
  }
  Progress progress(fmt::format("{}:", what), show);
  auto index = LiveIndex::open(args.db, args.options,
                               [&](double fraction) { progress.step("restoring the live index", fraction); });
  progress.finish();
  return index;
}

// "HOST:PORT", "[::1]:PORT" or ":PORT".
bool parse_listen(const std::string& listen, std::string* host, int* port) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return false;
  *host = listen.substr(0, colon);
  if (host->empty()) *host = "127.0.0.1";
  if (host->size() > 2 && host->front() == '[' && host->back() == ']') *host = host->substr(1, host->size() - 2);
  char* end = nullptr;
  const long p = std::strtol(listen.c_str() + colon + 1, &end, 10);
  if (*end != '\0' || p < 0 || p > 65535 || colon + 1 == listen.size()) return false;
  *port = static_cast<int>(p);
  return true;
}

// The write token: --token-file, else $SAMESTORY_TOKEN.
Result<std::string> load_token(const std::string& file) {
  std::string token;
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) return Status::invalid_argument(fmt::format("{}: cannot read the token file", file));
    std::getline(in, token);
  } else if (const char* env = std::getenv("SAMESTORY_TOKEN")) {
    token = env;
  }
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ' || token.back() == '\t')) token.pop_back();
  if (!file.empty() && token.empty()) return Status::invalid_argument(fmt::format("{}: the token file is empty", file));
  return token;
}

int run_serve(const GlobalOptions& global, ServeArgs args) {
  auto fail = [](const Status& s, int code) {
    fmt::print(stderr, "samestory serve: {}\n", s.message());
    return code;
  };
  ApiOptions api;
  if (!parse_listen(args.listen, &api.host, &api.port)) {
    return fail(Status::invalid_argument(fmt::format("--listen {}: expected HOST:PORT", args.listen)), kExitUsage);
  }
  auto token = load_token(args.token_file);
  if (!token) return fail(token.status(), kExitUsage);
  api.token = *token;
  api.read_only = args.read_only;
  if (api.token.empty() && !api.read_only && !is_loopback(api.host)) {
    return fail(Status::invalid_argument(fmt::format(
                    "refusing to accept writes on {} without a token: set SAMESTORY_TOKEN or --token-file, or "
                    "add --read-only",
                    api.host)),
                kExitUsage);
  }
  api.max_body_bytes = static_cast<size_t>(args.max_body_mb * (1 << 20));
  api.max_batch = args.max_batch;
  auto read = make_read_options(args.reading);
  if (!read) return fail(read.status(), kExitUsage);
  api.read = *read;

  CleaningSetup cleaning;
  auto index = open_index(args.index, &cleaning, !global.quiet, "serve");
  if (!index) return fail(index.status(), exit_code_of(index.status()));
  ApiServer server(index->get(), api);
  if (Status s = server.bind(); !s) return fail(s, kExitIoFailure);
  const LiveIndexStats stats = (*index)->stats();
  if (!global.quiet) {
    fmt::print(stderr,
               "samestory serve: http://{}:{}/ ({} articles, {} live, restored in {:.1f} s; writes {})\n",
               api.host.find(':') != std::string::npos ? "[" + api.host + "]" : api.host, server.port(),
               stats.articles, stats.live_articles, stats.restore_seconds,
               api.read_only ? "off" : api.token.empty() ? "open (loopback, no token)" : "need the bearer token");
  }
  // SIGINT/SIGTERM set a flag (cli/main.cc); this thread turns it into a clean stop.
  std::atomic<bool> done{false};
  std::thread watcher([&] {
    while (!done.load() && !stop_requested().load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    server.stop();
  });
  const Status served = server.serve();
  done.store(true);
  watcher.join();
  if (Status s = (*index)->save_snapshot(); !s) fmt::print(stderr, "samestory serve: {}\n", s.message());
  if (!served) return fail(served, kExitIoFailure);
  return kExitOk;
}

int run_index(const GlobalOptions& global, LoadArgs args) {
  auto fail = [](const Status& s, int code) {
    fmt::print(stderr, "samestory index: {}\n", s.message());
    return code;
  };
  auto read = make_read_options(args.input);
  if (!read) return fail(read.status(), kExitUsage);
  read->rename_duplicate_ids = false;  // an id seen before is reported by the index, not renamed
  const bool show = !global.quiet;
  CleaningSetup cleaning;
  auto index = open_index(args.index, &cleaning, show, "index");
  if (!index) return fail(index.status(), exit_code_of(index.status()));

  const auto start = std::chrono::steady_clock::now();
  ProblemLog log(problem_log_options(global, args.input));
  CorpusReader reader(args.input.inputs, *read, &log);
  uint64_t indexed = 0, already = 0, copies = 0, new_stories = 0;
  std::vector<Document> docs;
  Progress progress("index", show);
  auto flush = [&]() -> Status {
    std::vector<PreparedInput> batch(docs.size());
    parallel_for_index(size_t{0}, docs.size(), [&](size_t i) { batch[i] = (*index)->prepare(std::move(docs[i])); });
    docs.clear();
    auto outcomes = (*index)->ingest(std::move(batch));
    if (!outcomes) return outcomes.status();
    for (const IngestOutcome& o : *outcomes) {
      if (o.kind == IngestOutcome::Kind::kDuplicateId) {
        if (++already <= args.input.max_messages && show) {
          fmt::print(stderr, "samestory index: {}: already in the index; not indexed again\n", o.id);
        }
        continue;
      }
      ++indexed;
      copies += o.duplicate_relation.empty() ? 0 : 1;
      new_stories += o.new_story ? 1 : 0;
    }
    return Status::ok();
  };
  Document doc;
  while (reader.next(&doc)) {
    docs.push_back(std::move(doc));
    doc = Document{};
    if (docs.size() == args.batch) {
      if (Status s = flush(); !s) return fail(s, kExitIoFailure);
      progress.update(reader.bytes_done(), reader.bytes_total(), indexed + already);
      if (stop_requested().load()) break;
    }
  }
  if (!docs.empty() && !stop_requested().load()) {
    if (Status s = flush(); !s) return fail(s, kExitIoFailure);
  }
  progress.finish();
  if (Status s = (*index)->save_snapshot(); !s) return fail(s, kExitIoFailure);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const LiveIndexStats stats = (*index)->stats();
  if (global.json) {
    std::string out;
    JsonWriter w(&out);
    w.begin_object().field("command", "index").field("db", args.index.db);
    write_accounting_json(w, reader.counts(), log);
    w.field("indexed", indexed).field("already_indexed", already).field("copies", copies);
    w.field("new_stories", new_stories).field("articles_in_index", stats.articles);
    w.field("live_articles", stats.live_articles).field("seconds", seconds);
    w.field("serial_ingest_seconds", stats.ingest_seconds);
    w.field("articles_per_second", seconds > 0 ? indexed / seconds : 0.0).end_object();
    fmt::print("{}\n", out);
  } else if (show) {
    fmt::print(stderr, "{}\n", accounting_text(reader.counts(), log));
    fmt::print(stderr,
               "indexed {} articles ({} copies, {} new stories; {} already indexed) in {:.1f} s, {:.0f} articles/s; "
               "{} articles in {}\n",
               indexed, copies, new_stories, already, seconds, seconds > 0 ? indexed / seconds : 0.0, stats.articles,
               args.index.db);
  }
  if (stop_requested().load()) return kExitInterrupted;
  return accounting_exit_code(reader.counts(), log, args.input.strict);
}

}  // namespace

void add_serve_command(CLI::App& app, const GlobalOptions& global, CommandTable* commands) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "serve",
      "Serve a persistent incremental index over HTTP: POST articles and get their duplicates, shared passages and "
      "story at once; browse stories at http://HOST:PORT/");
  add_index_flags(cmd, &args->index);
  cmd->add_option("--listen", args->listen, "Address to listen on (HOST:PORT; port 0 picks a free one)")
      ->capture_default_str();
  cmd->add_option("--token-file", args->token_file,
                  "File whose first line is the bearer token writes need (default: $SAMESTORY_TOKEN; with neither, "
                  "writes are open, which is allowed on loopback only)")
      ->type_name("FILE");
  cmd->add_flag("--read-only", args->read_only, "Answer reads only: POST and DELETE get 403");
  cmd->add_option("--max-body-mb", args->max_body_mb, "Larger request bodies get 413")->capture_default_str();
  cmd->add_option("--max-batch", args->max_batch, "Most articles in one POST")->capture_default_str();
  add_reading_flags(cmd, &args->reading);
  commands->push_back({cmd, [&global, args] { return run_serve(global, *args); }});

  auto load = std::make_shared<LoadArgs>();
  CLI::App* index = app.add_subcommand(
      "index", "Add a corpus to a `samestory serve` index without HTTP (a backfill; the server must not be running)");
  add_input_options(index, &load->input);
  add_index_flags(index, &load->index);
  index->add_option("--batch", load->batch, "Articles per transaction")->capture_default_str()->check(CLI::Range(1, 1000000));
  commands->push_back({index, [&global, load] { return run_index(global, *load); }});
}

}  // namespace samestory::cli
