// Read + normalise + tokenise throughput of one thread, in MB/s of input bytes.
//
// Usage: read_throughput INPUT...
// Prints one JSON object: input bytes, documents, tokens, seconds, MB/s. bench/read.sh runs it
// beside `wc -w` on the same files so the two rates come from the same run.

#include <fmt/format.h>

#include <chrono>
#include <vector>

#include "io/corpus_reader.h"
#include "text/tokenize.h"

int main(int argc, char** argv) {
  using namespace samestory;
  std::vector<std::string> inputs(argv + 1, argv + argc);
  if (inputs.empty()) {
    fmt::print(stderr, "usage: read_throughput INPUT...\n");
    return 2;
  }
  ProblemLogOptions log_options;
  log_options.sink = nullptr;
  ProblemLog log(log_options);
  const auto start = std::chrono::steady_clock::now();
  CorpusReader reader(inputs, ReadOptions(), &log);
  Document doc;
  std::vector<Token> tokens;
  uint64_t token_count = 0, documents = 0;
  while (reader.next(&doc)) {
    tokens.clear();
    tokenize(doc.title, &tokens);
    tokenize(doc.text, &tokens);
    token_count += tokens.size();
    ++documents;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const uint64_t bytes = reader.counts().decompressed_bytes;
  fmt::print("{{\"bytes\":{},\"documents\":{},\"tokens\":{},\"seconds\":{:.3f},\"mb_per_s\":{:.1f}}}\n", bytes,
             documents, token_count, seconds, static_cast<double>(bytes) / 1e6 / seconds);
  return 0;
}
