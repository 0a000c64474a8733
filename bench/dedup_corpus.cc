// The dedup benchmark's corpus and its scoring.
//
//   dedup_corpus make REUTERS_DIR OUT.jsonl TRUTH.jsonl TARGET_BYTES
//       Writes a corpus of about TARGET_BYTES made from Reuters-21578 bodies: copy k of the
//       collection passes every letter through its own substitution cipher (so copies share no
//       words), and 10% of the documents get an injected duplicate a little later in the stream
//       (up to 2,000 documents on, as re-runs follow within days): an exact copy, a copy with 1-10%
//       of its words edited, a truncation to 50-90%, or a copy wrapped in boilerplate lines.
//       TRUTH.jsonl lists every injected pair with its exact 5-gram Jaccard and containment, and
//       whether it is above the default thresholds (0.8).
//   dedup_corpus score CORPUS.jsonl TRUTH.jsonl REPORT.jsonl
//       Recall of the expected injected pairs (both in one reported group), and precision of the
//       report: every member's stated relation to its representative is checked on exact shingle
//       sets recomputed from the corpus. Prints one JSON object.

#include <fmt/format.h>
#include <simdjson.h>

#include <array>
#include <deque>
#include <fstream>
#include <random>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "base/json_writer.h"
#include "dedup/similarity.h"
#include "io/corpus_reader.h"
#include "sketch/shingle.h"

using namespace samestory;

namespace {

constexpr double kThreshold = 0.8;

std::vector<uint32_t> set_of(const std::string& text) {
  std::vector<Token> tokens;
  tokenize(text, &tokens);
  std::vector<uint32_t> set;
  shingle_set(tokens, 5, &set);
  return set;
}

std::string cipher(const std::string& text, const std::array<char, 26>& map) {
  std::string out = text;
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = map[static_cast<size_t>(c - 'a')];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(map[static_cast<size_t>(c - 'A')] - 32);
  }
  return out;
}

std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  std::string w;
  while (in >> w) words.push_back(w);
  return words;
}

std::string join(const std::vector<std::string>& words, size_t n) {
  std::string out;
  for (size_t i = 0; i < n && i < words.size(); ++i) {
    if (i) out += ' ';
    out += words[i];
  }
  return out;
}

struct Pending {
  uint64_t due;
  std::string id, text, original, kind;
  int64_t date;
};

int make(const std::string& reuters, const std::string& out_path, const std::string& truth_path, uint64_t target) {
  ProblemLogOptions quiet;
  quiet.sink = nullptr;
  ProblemLog log(quiet);
  CorpusReader reader({reuters}, ReadOptions(), &log);
  std::vector<Document> base;
  Document doc;
  while (reader.next(&doc)) {
    if (!doc.text.empty()) base.push_back(doc);
  }
  std::mt19937_64 rng(20250218);
  std::ofstream out(out_path), truth(truth_path);
  static const char* kBoilerplate[] = {
      "Sign up to our Business newsletter Sign up Thank you for signing up!",
      "Advertisement Hide Ad",
      "Read more: Markets wrap, the week ahead in commodities",
      "Share this article Copy link",
      "Our journalism is free to read. Support it from 1 pound a month.",
      "Photograph: Agency pool | Reuters"};
  std::deque<Pending> pending;
  uint64_t written = 0, position = 0, injected = 0;
  std::string line;
  auto emit = [&](const std::string& id, const std::string& outlet, int64_t date, const std::string& text) {
    line.clear();
    JsonWriter w(&line);
    w.begin_object().field("id", id).field("outlet", outlet);
    w.field("date", PublishedTime{date, TimePrecision::kSecond}.iso()).field("text", text).end_object();
    line.push_back('\n');
    out << line;
    written += line.size();
    ++position;
  };
  for (uint64_t copy = 0; written < target; ++copy) {
    std::array<char, 26> map;
    for (size_t i = 0; i < 26; ++i) map[i] = static_cast<char>('a' + i);
    if (copy > 0) std::shuffle(map.begin(), map.end(), rng);
    for (size_t i = 0; i < base.size() && written < target; ++i) {
      const std::string id = fmt::format("c{}-{}", copy, base[i].id);
      const std::string text = cipher(base[i].text, map);
      const int64_t date = base[i].published.unix_seconds + static_cast<int64_t>(copy) * 86400 * 7;
      emit(id, fmt::format("outlet-{}", i % 50), date, text);
      while (!pending.empty() && pending.front().due <= position) {
        const Pending p = pending.front();
        pending.pop_front();
        emit(p.id, "reruns", p.date, p.text);
      }
      if (rng() % 10 != 0) continue;
      // An injected duplicate of this document.
      Pending p;
      p.original = id;
      p.date = date + static_cast<int64_t>(rng() % (3 * 86400));
      p.due = position + 1 + rng() % 2000;
      const auto words = words_of(text);
      switch (injected % 4) {
        case 0:
          p.kind = "exact";
          p.text = text;
          break;
        case 1: {
          p.kind = "edited";
          const double rate = 0.01 + static_cast<double>(rng() % 10) / 100.0;
          std::vector<std::string> edited = words;
          for (auto& w : edited) {
            if (static_cast<double>(rng() % 10000) / 10000.0 < rate) w = fmt::format("edit{}", rng() % 1000);
          }
          p.text = join(edited, edited.size());
          break;
        }
        case 2: {
          p.kind = "truncated";
          const double keep = 0.5 + static_cast<double>(rng() % 41) / 100.0;
          p.text = join(words, static_cast<size_t>(static_cast<double>(words.size()) * keep));
          break;
        }
        default: {
          p.kind = "wrapped";
          p.text = std::string(kBoilerplate[rng() % 6]) + "\n\n" + text + "\n\n" + kBoilerplate[rng() % 6] + "\n" +
                   kBoilerplate[rng() % 6];
          break;
        }
      }
      p.id = fmt::format("dup{}-{}", injected++, p.kind);
      const SetSimilarity s = set_similarity(set_of(text), set_of(p.text));
      const double smaller_in_larger = set_of(text).size() <= set_of(p.text).size() ? s.a_in_b : s.b_in_a;
      std::string t;
      JsonWriter w(&t);
      w.begin_object().field("original", p.original).field("copy", p.id).field("kind", p.kind);
      w.field("jaccard", s.jaccard).field("containment", smaller_in_larger);
      w.field("expected", s.jaccard >= kThreshold || smaller_in_larger >= kThreshold).end_object();
      truth << t << '\n';
      pending.push_back(std::move(p));
    }
  }
  for (const Pending& p : pending) emit(p.id, "reruns", p.date, p.text);
  fmt::print(stderr, "wrote {} documents ({} bytes), {} injected duplicates\n", position, written, injected);
  return 0;
}

int score(const std::string& corpus, const std::string& truth_path, const std::string& report_path) {
  simdjson::dom::parser parser;
  std::unordered_map<std::string, uint32_t> group_of;
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> claims;  // rep, (member, relation)
  std::ifstream report(report_path);
  std::string line;
  uint32_t g = 0;
  while (std::getline(report, line)) {
    simdjson::dom::element e;
    if (parser.parse(line).get(e)) continue;
    const std::string rep{std::string_view(e["representative"])};
    claims.push_back({rep, {}});
    for (auto m : e["members"].get_array()) {
      const std::string id{std::string_view(m["id"])};
      group_of[id] = g;
      if (id != rep) claims.back().second.emplace_back(id, std::string(std::string_view(m["relation"])));
    }
    ++g;
  }
  uint64_t expected = 0, found = 0, unexpected_found = 0, total = 0;
  std::ifstream truth(truth_path);
  while (std::getline(truth, line)) {
    simdjson::dom::element e;
    if (parser.parse(line).get(e)) continue;
    ++total;
    const std::string a{std::string_view(e["original"])}, b{std::string_view(e["copy"])};
    const bool together = group_of.count(a) && group_of.count(b) && group_of[a] == group_of[b];
    if (e["expected"].get_bool().value()) {
      ++expected;
      found += together;
    } else {
      unexpected_found += together;
    }
  }
  // Precision: recompute every claimed relation on exact shingle sets.
  std::unordered_map<std::string, std::vector<uint32_t>> sets;
  for (const auto& [rep, members] : claims) {
    sets[rep];
    for (const auto& [m, r] : members) sets[m];
  }
  ProblemLogOptions quiet;
  quiet.sink = nullptr;
  ProblemLog log(quiet);
  CorpusReader reader({corpus}, ReadOptions(), &log);
  Document doc;
  while (reader.next(&doc)) {
    auto it = sets.find(doc.id);
    if (it != sets.end()) it->second = set_of(doc.text.empty() ? doc.title : doc.text);
  }
  uint64_t claimed = 0, correct = 0;
  for (const auto& [rep, members] : claims) {
    for (const auto& [m, relation] : members) {
      ++claimed;
      const SetSimilarity s = set_similarity(sets[m], sets[rep]);
      bool ok = false;
      if (relation == "exact") ok = sets[m] == sets[rep];
      if (relation == "near") ok = s.jaccard >= kThreshold;
      if (relation == "contained") ok = s.a_in_b >= kThreshold;
      if (relation == "contains") ok = s.b_in_a >= kThreshold;
      if (relation == "linked") ok = true;  // claims only a chain of verified edges
      correct += ok;
    }
  }
  fmt::print(
      "{{\"injected\":{},\"expected\":{},\"found\":{},\"recall\":{:.4f},\"below_threshold_but_grouped\":{},"
      "\"claims\":{},\"correct_claims\":{},\"precision\":{:.4f}}}\n",
      total, expected, found, expected ? static_cast<double>(found) / static_cast<double>(expected) : 1.0,
      unexpected_found, claimed, correct, claimed ? static_cast<double>(correct) / static_cast<double>(claimed) : 1.0);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 5 && args[0] == "make") return make(args[1], args[2], args[3], std::stoull(args[4]));
  if (args.size() == 4 && args[0] == "score") return score(args[1], args[2], args[3]);
  fmt::print(stderr,
             "usage: dedup_corpus make REUTERS_DIR OUT.jsonl TRUTH.jsonl TARGET_BYTES\n"
             "       dedup_corpus score CORPUS.jsonl TRUTH.jsonl REPORT.jsonl\n");
  return 2;
}
