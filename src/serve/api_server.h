// ApiServer: the HTTP JSON API and web page of `samestory serve`, over one LiveIndex.
//
// Routes (README "Serve" documents each with examples):
//   POST   /articles               one article (a JSON object), a batch (an array) or JSON Lines;
//                                  each gets its duplicates, shared-passage matches and story
//   GET    /articles/{id}          the article as stored, with its duplicate relation
//   GET    /articles/{id}/matches  the articles it shares passages with, passages as offsets
//   DELETE /articles/{id}
//   GET    /stories?since=&until=&outlet=&q=&active=&limit=&offset=
//   GET    /stories/{id}           a story and its members in publication order
//   GET    /compare?a=ID&b=ID      two articles side by side with their shared passages
//   GET    /health, GET /metrics   liveness; Prometheus text format
//   GET    /                       the web page (web/serve/), compiled into the binary
//
// Writes (POST, DELETE) need `Authorization: Bearer TOKEN` when a token is set; the caller
// (cmd_serve) refuses to listen writable beyond loopback without one. Bodies past
// max_body_bytes get 413, malformed input 400 with the reader's problems, unknown things 404;
// every error is a JSON object {"error": "..."}. Reads use their own SQLite connections and
// never wait for the writer.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "base/status.h"
#include "io/corpus_reader.h"
#include "serve/live_index.h"

namespace samestory {

struct ApiOptions {
  std::string host = "127.0.0.1";
  int port = 8080;             // 0: any free port (port() says which)
  std::string token;           // empty: writes need no token
  bool read_only = false;      // POST and DELETE answer 403
  size_t max_body_bytes = 32u << 20;
  size_t max_batch = 10000;    // articles in one POST
  int timeout_seconds = 30;    // reading a request, writing a response
  ReadOptions read;            // how posted articles are read (fields, size limit, --strict)
};

class ApiServer {
 public:
  ApiServer(LiveIndex* index, ApiOptions options);
  ~ApiServer();

  // Binds the address; then serve() blocks until stop().
  Status bind();
  int port() const;
  Status serve();
  void stop();  // thread-safe

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Whether `host` names the loopback interface (127.0.0.0/8, ::1, localhost).
bool is_loopback(const std::string& host);

}  // namespace samestory
