#include "serve/api_server.h"

#include <fmt/format.h>
#include <httplib.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <tuple>
#include <vector>

#include "base/json_writer.h"
#include "base/parallel_region.h"
#include "io/date.h"
#include "serve/web_page.h"
#include "text/offsets.h"

namespace samestory {

namespace {

using Clock = std::chrono::steady_clock;

// A ProblemLog whose messages are kept for the reply instead of going to stderr.
class CapturedProblems {
 public:
  CapturedProblems() : sink_(open_memstream(&buffer_, &size_)), log_(ProblemLogOptions{20, sink_}) {}
  ~CapturedProblems() {
    if (sink_) std::fclose(sink_);
    std::free(buffer_);
  }
  ProblemLog* log() { return &log_; }
  std::vector<std::string> lines() {
    std::vector<std::string> out;
    if (!sink_) return out;
    std::fflush(sink_);
    std::string_view all(buffer_, size_);
    while (!all.empty()) {
      const size_t end = all.find('\n');
      std::string_view line = all.substr(0, end);
      if (line.starts_with("samestory: ")) line.remove_prefix(11);
      if (!line.empty()) out.emplace_back(line);
      if (end == std::string_view::npos) break;
      all.remove_prefix(end + 1);
    }
    return out;
  }

 private:
  char* buffer_ = nullptr;
  size_t size_ = 0;
  std::FILE* sink_;
  ProblemLog log_;
};

void reply_json(httplib::Response& res, int status, std::string body) {
  res.status = status;
  body += '\n';
  res.set_content(std::move(body), "application/json");
}

void reply_error(httplib::Response& res, int status, std::string_view message,
                 const std::vector<std::string>& problems = {}) {
  std::string body;
  JsonWriter w(&body);
  w.begin_object().field("error", message);
  if (!problems.empty()) {
    w.key("problems").begin_array();
    for (const std::string& p : problems) w.value(p);
    w.end_array();
  }
  w.end_object();
  reply_json(res, status, std::move(body));
}

// Compares every byte whatever the first difference, so the time taken does not tell an
// attacker how much of a guessed token was right.
bool token_matches(std::string_view given, std::string_view token) {
  if (given.size() != token.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < token.size(); ++i) diff |= static_cast<unsigned char>(given[i] ^ token[i]);
  return diff == 0;
}

// The route family of a path, for metrics (ids would make every article its own series).
std::string_view route_of(const std::string& path) {
  if (path == "/articles") return "/articles";
  if (path.starts_with("/articles/")) return path.ends_with("/matches") ? "/articles/{id}/matches" : "/articles/{id}";
  if (path == "/stories") return "/stories";
  if (path.starts_with("/stories/")) return "/stories/{id}";
  if (path == "/compare" || path == "/health" || path == "/metrics") return path;
  return "/static";
}

// Request counts and latency histograms, by route, method and status.
class Metrics {
 public:
  static constexpr std::array<double, 10> kBuckets = {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1, 5};

  void record(std::string_view route, const std::string& method, int status, double seconds) {
    std::lock_guard lock(mutex_);
    ++requests_[fmt::format("route=\"{}\",method=\"{}\",code=\"{}\"", route, method, status)];
    Histogram& h = latency_[fmt::format("route=\"{}\",method=\"{}\"", route, method)];
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      if (seconds <= kBuckets[i]) ++h.counts[i];
    }
    ++h.count;
    h.sum += seconds;
  }

  void write(std::string* out) {
    std::lock_guard lock(mutex_);
    *out += "# HELP samestory_http_requests_total HTTP requests answered.\n";
    *out += "# TYPE samestory_http_requests_total counter\n";
    for (const auto& [labels, n] : requests_) fmt::format_to(std::back_inserter(*out), "samestory_http_requests_total{{{}}} {}\n", labels, n);
    *out += "# HELP samestory_http_request_duration_seconds Time from routing to the response being ready.\n";
    *out += "# TYPE samestory_http_request_duration_seconds histogram\n";
    for (const auto& [labels, h] : latency_) {
      for (size_t i = 0; i < kBuckets.size(); ++i) {
        fmt::format_to(std::back_inserter(*out), "samestory_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n",
                       labels, kBuckets[i], h.counts[i]);
      }
      fmt::format_to(std::back_inserter(*out), "samestory_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n",
                     labels, h.count);
      fmt::format_to(std::back_inserter(*out), "samestory_http_request_duration_seconds_sum{{{}}} {}\n", labels, h.sum);
      fmt::format_to(std::back_inserter(*out), "samestory_http_request_duration_seconds_count{{{}}} {}\n", labels,
                     h.count);
    }
  }

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> counts{};
    uint64_t count = 0;
    double sum = 0;
  };
  std::mutex mutex_;
  std::map<std::string, uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
};

thread_local Clock::time_point request_start;

void write_outcome(const IngestOutcome& o, JsonWriter* w) {
  w->begin_object().field("id", o.id);
  if (o.kind == IngestOutcome::Kind::kDuplicateId) {
    w->field("status", "duplicate_id").field("error", "an article with this id is already indexed").end_object();
    return;
  }
  w->field("status", "indexed").field("story", o.story).field("new_story", o.new_story);
  w->key("merged_stories").begin_array();
  for (int64_t s : o.merged_stories) w->value(s);
  w->end_array();
  w->key("duplicate");
  if (o.duplicate_relation.empty()) {
    w->null();
  } else {
    w->begin_object().field("relation", o.duplicate_relation).field("of", o.duplicate_of);
    w->field("jaccard", o.jaccard).field("containment", o.containment).end_object();
  }
  w->key("matches").begin_array();
  for (const IngestedMatch& m : o.matches) {
    w->begin_object().field("id", m.id).field("outlet", m.outlet).field("title", m.title);
    w->field("relation", m.relation).field("similarity", m.similarity);
    w->field("shared", m.shared).field("other_shared", m.other_shared);
    w->key("passages").begin_array();
    for (const PassageRow& p : m.passages) {
      w->begin_object().field("begin", p.a_begin).field("end", p.a_end);
      w->field("other_begin", p.b_begin).field("other_end", p.b_end);
      w->field("words", p.words).field("score", p.score).end_object();
    }
    w->end_array().end_object();
  }
  w->end_array().end_object();
}

// "2025-02-18" (or any date samestory reads) as days since 1970.
std::optional<int32_t> day_param(const httplib::Request& req, const char* name, std::string* error) {
  if (!req.has_param(name)) return std::nullopt;
  const std::string value = req.get_param_value(name);
  const DateParse parsed = parse_date(value);
  if (parsed.error != DateError::kNone) {
    *error = fmt::format("{}={}: not a date (use YYYY-MM-DD)", name, value);
    return std::nullopt;
  }
  return static_cast<int32_t>(parsed.time.unix_day());
}

bool int_param(const httplib::Request& req, const char* name, int64_t low, int64_t high, int64_t* out,
               std::string* error) {
  if (!req.has_param(name)) return true;
  const std::string value = req.get_param_value(name);
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(value.c_str(), &end, 10);
  if (value.empty() || *end != '\0' || errno != 0 || v < low || v > high) {
    *error = fmt::format("{}={}: expected an integer from {} to {}", name, value, low, high);
    return false;
  }
  *out = v;
  return true;
}

}  // namespace

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.starts_with("127.");
}

// Reading connections, one per concurrent request, opened on demand and kept.
class ReaderPool {
 public:
  explicit ReaderPool(std::string path) : path_(std::move(path)) {}

  class Lease {
   public:
    Lease(ReaderPool* pool, std::unique_ptr<IndexDatabase> db) : pool_(pool), db_(std::move(db)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (db_) pool_->give_back(std::move(db_));
    }
    IndexDatabase& operator*() { return *db_; }
    IndexDatabase* operator->() { return db_.get(); }

   private:
    ReaderPool* pool_;
    std::unique_ptr<IndexDatabase> db_;
  };

  Result<Lease> take() {
    {
      std::lock_guard lock(mutex_);
      if (!free_.empty()) {
        std::unique_ptr<IndexDatabase> db = std::move(free_.back());
        free_.pop_back();
        return Lease(this, std::move(db));
      }
    }
    auto db = IndexDatabase::open_reader(path_);
    if (!db) return db.status();
    return Lease(this, std::make_unique<IndexDatabase>(std::move(db).value()));
  }

 private:
  void give_back(std::unique_ptr<IndexDatabase> db) {
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(db));
  }
  std::string path_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<IndexDatabase>> free_;
};

struct ApiServer::Impl {
  Impl(LiveIndex* live, ApiOptions api) : index(live), options(std::move(api)), readers(live->path()) {}

  LiveIndex* index;
  ApiOptions options;
  ReaderPool readers;
  Metrics metrics;
  httplib::Server server;
  int bound_port = 0;

  // False (and the response filled) when a write is not allowed.
  bool may_write(const httplib::Request& req, httplib::Response& res) const {
    if (options.read_only) {
      reply_error(res, 403, "this server is read-only (--read-only)");
      return false;
    }
    if (options.token.empty()) return true;
    const std::string header = req.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (!header.starts_with(kBearer) || !token_matches(std::string_view(header).substr(kBearer.size()), options.token)) {
      res.set_header("WWW-Authenticate", "Bearer");
      reply_error(res, 401, header.empty() ? "writes need an Authorization: Bearer token" : "the token is not valid");
      return false;
    }
    return true;
  }

  void post_articles(const httplib::Request& req, httplib::Response& res) {
    if (!may_write(req, res)) return;
    if (req.body.empty()) return reply_error(res, 400, "the request has no body: send a JSON article, an array or JSON Lines");
    CapturedProblems problems;
    ReadOptions read = options.read;
    read.require_id = true;
    read.rename_duplicate_ids = false;
    CorpusReader reader(CorpusReader::InMemory{"request.json", req.body}, read, problems.log());
    std::vector<Document> docs;
    Document doc;
    while (reader.next(&doc)) {
      if (docs.size() == options.max_batch) {
        return reply_error(res, 413, fmt::format("more than {} articles in one request", options.max_batch));
      }
      docs.push_back(std::move(doc));
    }
    const uint64_t rejected = problems.log()->rejected();
    if (docs.empty()) return reply_error(res, 400, "no article in the request could be read", problems.lines());
    std::vector<PreparedInput> batch(docs.size());
    parallel_for_index(size_t{0}, docs.size(), [&](size_t i) { batch[i] = index->prepare(std::move(docs[i])); });
    auto outcomes = index->ingest(std::move(batch));
    if (!outcomes) return reply_error(res, 503, outcomes.status().message());
    uint64_t indexed = 0, duplicate_ids = 0;
    for (const IngestOutcome& o : *outcomes) {
      (o.kind == IngestOutcome::Kind::kIndexed ? indexed : duplicate_ids) += 1;
    }
    std::string body;
    JsonWriter w(&body);
    w.begin_object().field("indexed", indexed).field("duplicate_ids", duplicate_ids).field("rejected", rejected);
    w.key("problems").begin_array();
    for (const std::string& p : problems.lines()) w.value(p);
    w.end_array().key("articles").begin_array();
    for (const IngestOutcome& o : *outcomes) write_outcome(o, &w);
    w.end_array().end_object();
    const int status = indexed == 0 ? 409 : (duplicate_ids == 0 && rejected == 0 ? 201 : 200);
    reply_json(res, status, std::move(body));
  }

  // Runs `query` on a reading connection; replies 404 with `missing` when it finds nothing.
  template <typename Query>
  void read_json(httplib::Response& res, std::string_view missing, Query&& query) {
    auto db = readers.take();
    if (!db) return reply_error(res, 503, db.status().message());
    std::string body;
    JsonWriter w(&body);
    Result<bool> found = query(**db, &w);
    if (!found) return reply_error(res, 500, found.status().message());
    if (!*found) return reply_error(res, 404, missing);
    reply_json(res, 200, std::move(body));
  }

  void get_stories(const httplib::Request& req, httplib::Response& res) {
    StoryQuery q;
    std::string error;
    q.since = day_param(req, "since", &error);
    if (error.empty()) q.until = day_param(req, "until", &error);
    int64_t limit = 50, offset = 0, active = 0;
    if (error.empty() && int_param(req, "limit", 1, 1000, &limit, &error) &&
        int_param(req, "offset", 0, INT32_MAX, &offset, &error)) {
      int_param(req, "active", 0, 1, &active, &error);
    }
    if (!error.empty()) return reply_error(res, 400, error);
    q.limit = static_cast<int>(limit);
    q.offset = static_cast<int>(offset);
    q.active_only = active == 1;
    q.outlet = req.get_param_value("outlet");
    q.q = req.get_param_value("q");
    read_json(res, "", [&](IndexDatabase& db, JsonWriter* w) -> Result<bool> {
      w->begin_object().field("limit", limit).field("offset", offset).key("stories");
      if (Status s = db.write_stories(q, w); !s) return s;
      w->end_object();
      return true;
    });
  }

  void get_compare(const httplib::Request& req, httplib::Response& res) {
    const std::string a = req.get_param_value("a"), b = req.get_param_value("b");
    if (a.empty() || b.empty()) return reply_error(res, 400, "give two article ids: /compare?a=ID&b=ID");
    read_json(res, "no such article", [&](IndexDatabase& db, JsonWriter* w) -> Result<bool> {
      std::string texts[2];
      const std::string* ids[2] = {&a, &b};
      for (int i = 0; i < 2; ++i) {
        auto seq = db.seq_of(*ids[i]);
        if (!seq) return seq.status();
        if (*seq == 0) return false;
        auto found = db.article_text(*seq, &texts[i], nullptr, nullptr, nullptr);
        if (!found) return found.status();
      }
      w->begin_object().key("a");
      if (auto r = db.write_article(a, w); !r) return r;
      w->key("b");
      if (auto r = db.write_article(b, w); !r) return r;
      const AlignText ta = AlignText::of(texts[0]), tb = AlignText::of(texts[1]);
      const Alignment alignment = align_texts(ta, tb);
      const CodePointIndex ca(texts[0]), cb(texts[1]);
      w->field("a_shared", alignment.a_shared()).field("b_shared", alignment.b_shared());
      w->key("passages").begin_array();
      for (const SharedPassage& p : alignment.passages) {
        w->begin_object().field("a_begin", ca.at(p.a.begin)).field("a_end", ca.at(p.a.end));
        w->field("b_begin", cb.at(p.b.begin)).field("b_end", cb.at(p.b.end));
        w->field("words", p.matched_words).field("score", p.score);
        // Lines inside the passage only one side has (a caption, an ad line): bridged, not shared.
        for (const auto& [key, lines, offsets] : {std::tuple{"a_inserted", &p.a_inserted_lines, &ca},
                                                std::tuple{"b_inserted", &p.b_inserted_lines, &cb}}) {
          w->key(key).begin_array();
          for (const ByteRange& r : *lines) w->begin_array().value(offsets->at(r.begin)).value(offsets->at(r.end)).end_array();
          w->end_array();
        }
        w->end_object();
      }
      w->end_array().end_object();
      return true;
    });
  }

  void get_metrics(httplib::Response& res) {
    const LiveIndexStats s = index->stats();
    std::string out;
    auto gauge = [&](const char* name, const char* help, const char* type, uint64_t value) {
      fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n{} {}\n", name, help, name, type, name, value);
    };
    gauge("samestory_articles", "Articles in the database.", "gauge", s.articles);
    gauge("samestory_live_articles", "Articles in the live story index.", "gauge", s.live_articles);
    gauge("samestory_dedup_live_articles", "Articles in the live LSH buckets.", "gauge", s.lsh_articles);
    gauge("samestory_ingested_total", "Articles indexed since the server started.", "counter", s.ingested);
    gauge("samestory_duplicates_total", "Indexed articles that copy a live one.", "counter", s.duplicates);
    gauge("samestory_story_merges_total", "Stories merged into another since the start.", "counter", s.merges);
    gauge("samestory_deleted_total", "Articles deleted since the start.", "counter", s.deleted);
    gauge("samestory_restored_articles", "Live articles replayed when the server started.", "gauge",
          s.restored_articles);
    fmt::format_to(std::back_inserter(out),
                   "# HELP samestory_ingest_seconds_total Time inside ingest holding the index (the serial part), "
                   "by stage.\n# TYPE samestory_ingest_seconds_total counter\n");
    const double other = s.ingest_seconds - s.copies_seconds - s.stories_seconds - s.rows_seconds - s.align_seconds -
                         s.commit_seconds;
    for (const auto& [stage, seconds] : {std::pair{"copies", s.copies_seconds}, {"stories", s.stories_seconds},
                                         {"rows", s.rows_seconds}, {"align", s.align_seconds},
                                         {"commit", s.commit_seconds}, {"other", std::max(0.0, other)}}) {
      fmt::format_to(std::back_inserter(out), "samestory_ingest_seconds_total{{stage=\"{}\"}} {:.6f}\n", stage, seconds);
    }
    metrics.write(&out);
    res.set_content(std::move(out), "text/plain; version=0.0.4");
  }

  void install_routes() {
    server.set_payload_max_length(options.max_body_bytes);
    server.set_read_timeout(options.timeout_seconds, 0);
    server.set_write_timeout(options.timeout_seconds, 0);
    server.set_keep_alive_max_count(1000);
    // Without it a response written as headers then body waits for the client's delayed ACK
    // (Nagle): 40 ms a request on loopback.
    server.set_tcp_nodelay(true);
    server.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
      request_start = Clock::now();
      return httplib::Server::HandlerResponse::Unhandled;
    });
    server.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
      const double seconds = std::chrono::duration<double>(Clock::now() - request_start).count();
      metrics.record(route_of(req.path), req.method, res.status, seconds);
    });
    server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
      if (!res.body.empty()) return;
      std::string_view message = res.status == 413   ? "the request body is larger than the limit (--max-body-mb)"
                                 : res.status == 404 ? "no such route"
                                 : res.status == 400 ? "malformed HTTP request"
                                                     : "the request failed";
      reply_error(res, res.status, message);
    });
    server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr e) {
      std::string what = "internal error";
      try {
        if (e) std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        what = ex.what();
      } catch (...) {
      }
      reply_error(res, 500, what);
    });

    server.Post("/articles", [this](const httplib::Request& req, httplib::Response& res) { post_articles(req, res); });
    server.Get(R"(/articles/([^/]+)/matches)", [this](const httplib::Request& req, httplib::Response& res) {
      const std::string id = req.matches[1];
      read_json(res, "no such article", [&](IndexDatabase& db, JsonWriter* w) { return db.write_matches(id, w); });
    });
    server.Get(R"(/articles/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      const std::string id = req.matches[1];
      read_json(res, "no such article", [&](IndexDatabase& db, JsonWriter* w) { return db.write_article(id, w); });
    });
    server.Delete(R"(/articles/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      if (!may_write(req, res)) return;
      const std::string id = req.matches[1];
      auto removed = index->remove(id);
      if (!removed) return reply_error(res, 503, removed.status().message());
      if (!*removed) return reply_error(res, 404, "no such article");
      std::string body;
      JsonWriter(&body).begin_object().field("deleted", id).end_object();
      reply_json(res, 200, std::move(body));
    });
    server.Get("/stories", [this](const httplib::Request& req, httplib::Response& res) { get_stories(req, res); });
    server.Get(R"(/stories/(-?\d{1,18}))", [this](const httplib::Request& req, httplib::Response& res) {
      const int64_t story = std::stoll(req.matches[1]);
      int64_t limit = 100, offset = 0;
      std::string error;
      if (!int_param(req, "limit", 1, 10000, &limit, &error) || !int_param(req, "offset", 0, INT32_MAX, &offset, &error)) {
        return reply_error(res, 400, error);
      }
      read_json(res, "no such story", [&](IndexDatabase& db, JsonWriter* w) {
        return db.write_story(story, static_cast<int>(limit), static_cast<int>(offset), w);
      });
    });
    server.Get("/compare", [this](const httplib::Request& req, httplib::Response& res) { get_compare(req, res); });
    server.Get("/health", [this](const httplib::Request&, httplib::Response& res) {
      const Status health = index->health();
      const LiveIndexStats s = index->stats();
      std::string body;
      JsonWriter w(&body);
      w.begin_object().field("status", health.is_ok() ? "ok" : "failed");
      if (!health.is_ok()) w.field("error", health.message());
      w.field("articles", s.articles).field("live_articles", s.live_articles);
      w.field("writable", health.is_ok() && !options.read_only).end_object();
      reply_json(res, health.is_ok() ? 200 : 503, std::move(body));
    });
    server.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) { get_metrics(res); });
    server.Get("/", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(serve_assets::page()), "text/html; charset=utf-8");
    });
    server.Get("/serve.js", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(serve_assets::script()), "text/javascript; charset=utf-8");
    });
    server.Get("/serve.css", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(serve_assets::style()), "text/css; charset=utf-8");
    });
  }
};

ApiServer::ApiServer(LiveIndex* index, ApiOptions options) : impl_(std::make_unique<Impl>(index, std::move(options))) {
  impl_->install_routes();
}

ApiServer::~ApiServer() = default;

Status ApiServer::bind() {
  Impl& m = *impl_;
  if (m.options.port == 0) {
    m.bound_port = m.server.bind_to_any_port(m.options.host);
    if (m.bound_port <= 0) return Status::io_error(fmt::format("cannot listen on {}: no port free", m.options.host));
  } else {
    if (!m.server.bind_to_port(m.options.host, m.options.port)) {
      return Status::io_error(fmt::format("cannot listen on {}:{}: {}", m.options.host, m.options.port, std::strerror(errno)));
    }
    m.bound_port = m.options.port;
  }
  return Status::ok();
}

int ApiServer::port() const { return impl_->bound_port; }

Status ApiServer::serve() {
  if (!impl_->server.listen_after_bind()) return Status::io_error("the HTTP server stopped with an error");
  return Status::ok();
}

void ApiServer::stop() { impl_->server.stop(); }

}  // namespace samestory
