// Alignment speed on one core: pairs of ~4 KB news articles per second.
//
// Articles of 3-5 KB come from the given corpora (Giveme5W1H, Reuters). Each is paired with
//   - an edited re-run of itself (a word substituted every 40 words, a bracketed word inserted
//     every 70, a word dropped every 90, an "Advertisement" line every 5 paragraphs): what an
//     aligner meets inside a story, where it is run the most;
//   - the next article: unrelated text, as when a candidate pair turns out not to share copy.
// Times align_texts on words already tokenized (as in a story, where each article is tokenized
// once and aligned with several others), and the same including tokenizing both texts.
//
// Usage: align_pairs INPUT... (prints figures; target: >= 20,000 edited pairs a second)
#include <fmt/format.h>

#include <chrono>

#include "align/align.h"
#include "io/corpus_reader.h"

using namespace samestory;

namespace {

std::string edited_copy(const std::string& text, uint32_t seed) {
  std::vector<Token> tokens;
  tokenize(text, &tokens);
  std::string out;
  uint32_t at = 0, paragraph = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    std::string_view between(text.data() + at, t.begin - at);
    out.append(between);
    if (between.find('\n') != std::string_view::npos && ++paragraph % 5 == 0) out += "Advertisement Hide Ad\n\n";
    const size_t k = i + seed;
    if (k % 40 == 0) {
      out += "edited";
    } else if (k % 90 == 0) {
      // dropped
    } else {
      if (k % 70 == 0) out += "[inserted] ";
      out.append(text, t.begin, t.end - t.begin);
    }
    at = t.end;
  }
  out.append(text, at, std::string::npos);
  return out;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: align_pairs INPUT...\n");
    return 2;
  }
  ProblemLogOptions quiet;
  quiet.sink = nullptr;
  ProblemLog log(quiet);
  CorpusReader reader(std::vector<std::string>(argv + 1, argv + argc), ReadOptions(), &log);
  std::vector<std::string> originals, copies;
  Document doc;
  size_t bytes = 0;
  while (reader.next(&doc) && originals.size() < 2000) {
    if (doc.text.size() < 3000 || doc.text.size() > 5000) continue;
    copies.push_back(edited_copy(doc.text, static_cast<uint32_t>(originals.size())));
    bytes += doc.text.size();
    originals.push_back(std::move(doc.text));
  }
  const size_t n = originals.size();
  if (n < 2) {
    fmt::print(stderr, "align_pairs: need at least two articles of 3-5 KB\n");
    return 1;
  }
  std::vector<AlignText> a, b;
  for (size_t i = 0; i < n; ++i) {
    a.push_back(AlignText::of(originals[i]));
    b.push_back(AlignText::of(copies[i]));
  }
  // Repeat until each measurement takes a second or so.
  const int rounds = std::max<int>(1, static_cast<int>(40000 / n));
  double shared = 0;
  size_t passages = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (int r = 0; r < rounds; ++r) {
    for (size_t i = 0; i < n; ++i) {
      const Alignment al = align_texts(a[i], b[i]);
      if (r == 0) shared += al.a_shared(), passages += al.passages.size();
    }
  }
  const double edited_s = seconds_since(t0);
  size_t unrelated_passages = 0;
  t0 = std::chrono::steady_clock::now();
  for (int r = 0; r < rounds; ++r) {
    for (size_t i = 0; i < n; ++i) {
      const Alignment al = align_texts(a[i], a[(i + 1) % n]);
      if (r == 0) unrelated_passages += al.passages.size();
    }
  }
  const double unrelated_s = seconds_since(t0);
  t0 = std::chrono::steady_clock::now();
  for (size_t i = 0; i < n; ++i) {
    const Alignment al = align_texts(AlignText::of(originals[i]), AlignText::of(copies[i]));
    passages += al.passages.empty();  // keep the work observable
  }
  const double with_tokens_s = seconds_since(t0);

  const double pairs = static_cast<double>(rounds) * static_cast<double>(n);
  fmt::print("articles            {} of 3-5 KB (mean {:.0f} bytes)\n", n, static_cast<double>(bytes) / n);
  fmt::print("edited copies       {:.0f} pairs/s (mean shared share {:.3f}, {:.2f} passages a pair)\n", pairs / edited_s,
             shared / n, static_cast<double>(passages) / n);
  fmt::print("unrelated pairs     {:.0f} pairs/s ({} passages found in {} pairs)\n", pairs / unrelated_s,
             unrelated_passages, n);
  fmt::print("edited, tokenizing  {:.0f} pairs/s (both texts tokenized for every pair)\n",
             static_cast<double>(n) / with_tokens_s);
  fmt::print("target              >= 20000 edited pairs/s on one core: {:.2f}x {}\n", pairs / edited_s / 20000,
             pairs / edited_s >= 20000 ? "met" : "NOT met");
  return 0;
}
