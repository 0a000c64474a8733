#include "cluster/term_vector.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <fstream>

#include <fmt/format.h>

#include "base/output_file.h"

namespace samestory {

uint32_t word_term(uint64_t token_hash) {
  const auto t = static_cast<uint32_t>(token_hash ^ (token_hash >> 32));
  return t == 0 ? 1 : t;
}

uint32_t name_term(uint64_t token_hash) {
  // A different mix of the same hash: the name "Apple" and the word "apple" are two terms.
  const uint64_t h = (token_hash ^ 0x6E616D65u) * 0x9E3779B97F4A7C15ull;
  return word_term(h);
}

namespace {

// A capitalised word starts a sentence when only white space and a sentence end, a line break or
// an opening quote separate it from the previous word.
bool starts_sentence(std::string_view text, uint32_t prev_end, uint32_t begin) {
  for (uint32_t i = prev_end; i < begin; ++i) {
    const char c = text[i];
    if (c == '.' || c == '!' || c == '?' || c == '\n' || c == '"' || c == ':') return true;
    // “ and ‘ (E2 80 9C, E2 80 98) open a quotation.
    if (static_cast<unsigned char>(c) == 0xE2 && i + 2 < begin && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(text[i + 2]) == 0x9C || static_cast<unsigned char>(text[i + 2]) == 0x98)) {
      return true;
    }
  }
  return false;
}

void add_tokens(std::string_view text, const std::vector<Token>& tokens, const FeatureOptions& options,
                bool is_title, std::vector<TermCount>* bag) {
  uint32_t prev_end = 0;
  for (size_t k = 0; k < tokens.size(); ++k) {
    const Token& t = tokens[k];
    const float weight = is_title ? options.title_weight : (k < options.lead_words ? options.lead_weight : 1.0f);
    bag->push_back({word_term(t.hash), weight});
    if (options.names && !is_title && k > 0 && (t.flags & kTokenCapitalized) &&
        !(t.flags & (kTokenNumeric | kTokenUnspaced)) && !starts_sentence(text, prev_end, t.begin)) {
      bag->push_back({name_term(t.hash), weight});
    }
    prev_end = t.end;
  }
}

}  // namespace

void count_terms(std::string_view title, std::string_view text, const FeatureOptions& options,
                 std::vector<Token>* tokens, std::vector<TermCount>* bag) {
  bag->clear();
  tokens->clear();
  tokenize(title, tokens);
  add_tokens(title, *tokens, options, true, bag);
  tokens->clear();
  tokenize(text, tokens);
  add_tokens(text, *tokens, options, false, bag);
  std::sort(bag->begin(), bag->end(), [](const TermCount& a, const TermCount& b) { return a.term < b.term; });
  size_t out = 0;
  for (size_t i = 0; i < bag->size(); ++i) {
    if (out > 0 && (*bag)[out - 1].term == (*bag)[i].term) {
      (*bag)[out - 1].count += (*bag)[i].count;
    } else {
      (*bag)[out++] = (*bag)[i];
    }
  }
  bag->resize(out);
}

void DocumentFrequencies::add(std::span<const TermCount> bag) {
  for (const TermCount& t : bag) ++counts_[t.term];
  ++documents_;
}

void DocumentFrequencies::merge(const DocumentFrequencies& other) {
  other.counts_.for_each([&](uint32_t term, uint32_t count) { counts_[term] += count; });
  documents_ += other.documents_;
}

namespace {
// Version 2: word hashes changed (text/tokenize.h: hash_token); terms are keyed by them.
constexpr std::string_view kFrequenciesHeader = "# samestory document frequencies 2";
constexpr std::string_view kOlderFrequenciesHeader = "# samestory document frequencies 1";
}

Status DocumentFrequencies::save(const std::string& path) const {
  auto file = OutputFile::open(path);
  if (!file) return file.status();
  std::string text = fmt::format("{}\ndocuments {}\n", kFrequenciesHeader, documents_);
  std::vector<std::pair<uint32_t, uint32_t>> rows;
  counts_.for_each([&](uint32_t term, uint32_t count) {
    if (count > 0) rows.push_back({term, count});
  });
  std::sort(rows.begin(), rows.end());
  for (const auto& [term, count] : rows) fmt::format_to(std::back_inserter(text), "{:08x} {}\n", term, count);
  if (Status s = (*file)->write(text); !s) return s;
  return (*file)->commit();
}

Result<DocumentFrequencies> DocumentFrequencies::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::io_error(fmt::format("{}: cannot open", path));
  DocumentFrequencies df;
  std::string line;
  uint64_t number = 0;
  auto bad = [&](std::string_view why) { return Status::invalid_argument(fmt::format("{}:{}: {}", path, number, why)); };
  while (std::getline(in, line)) {
    ++number;
    if (number == 1) {
      if (line == kOlderFrequenciesHeader) {
        return bad("written by an earlier samestory, whose word hashes differ from this one's: save it again "
                   "(cluster --save-idf)");
      }
      if (line != kFrequenciesHeader) return bad("not a samestory document frequencies file (wrong first line)");
      continue;
    }
    if (number == 2) {
      if (!line.starts_with("documents ")) return bad("expected \"documents N\"");
      const std::string_view n = std::string_view(line).substr(10);
      if (std::from_chars(n.data(), n.data() + n.size(), df.documents_).ec != std::errc()) return bad("bad count");
      continue;
    }
    const size_t space = line.find(' ');
    uint32_t term = 0, count = 0;
    if (space == std::string::npos ||
        std::from_chars(line.data(), line.data() + space, term, 16).ec != std::errc() ||
        std::from_chars(line.data() + space + 1, line.data() + line.size(), count).ec != std::errc() || term == 0) {
      return bad("expected \"TERM COUNT\"");
    }
    df.counts_[term] = count;
  }
  if (number < 2) return bad("truncated");
  return df;
}

double DocumentFrequencies::idf(uint32_t term) const {
  return std::log(static_cast<double>(documents_ + 1) / static_cast<double>(frequency(term) + 1));
}

void weigh_terms(std::span<const TermCount> bag, const DocumentFrequencies& df, uint32_t max_terms,
                 std::vector<WeightedTerm>* out) {
  out->clear();
  for (const TermCount& t : bag) {
    const double w = (1.0 + std::log(static_cast<double>(t.count))) * df.idf(t.term);
    if (w > 0) out->push_back({t.term, static_cast<float>(w)});
  }
  if (out->size() > max_terms) {
    std::nth_element(out->begin(), out->begin() + max_terms, out->end(), [](const WeightedTerm& a, const WeightedTerm& b) {
      return a.weight != b.weight ? a.weight > b.weight : a.term < b.term;
    });
    out->resize(max_terms);
    std::sort(out->begin(), out->end(), [](const WeightedTerm& a, const WeightedTerm& b) { return a.term < b.term; });
  }
  double norm = 0;
  for (const WeightedTerm& t : *out) norm += static_cast<double>(t.weight) * static_cast<double>(t.weight);
  if (norm <= 0) {
    out->clear();
    return;
  }
  const auto scale = static_cast<float>(1.0 / std::sqrt(norm));
  for (WeightedTerm& t : *out) t.weight *= scale;
}

void keep_heaviest(std::vector<WeightedTerm>* terms, uint32_t n) {
  if (terms->size() <= n) return;
  std::partial_sort(terms->begin(), terms->begin() + n, terms->end(), [](const WeightedTerm& a, const WeightedTerm& b) {
    return a.weight != b.weight ? a.weight > b.weight : a.term < b.term;
  });
  terms->resize(n);
}

float cosine(std::span<const WeightedTerm> a, std::span<const WeightedTerm> b) {
  float dot = 0;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i].term < b[j].term) {
      ++i;
    } else if (b[j].term < a[i].term) {
      ++j;
    } else {
      dot += a[i++].weight * b[j++].weight;
    }
  }
  return dot;
}

namespace {
uint32_t query_slot(uint32_t term, uint32_t mask) { return (term * 0x9E3779B1u >> 7) & mask; }
}  // namespace

void QueryVector::assign(std::span<const WeightedTerm> query) {
  // At most a quarter full, so that a lookup usually ends at its first slot.
  const size_t size = std::bit_ceil(std::max<size_t>(4 * query.size(), 16));
  mask_ = static_cast<uint32_t>(size - 1);
  slots_.assign(size, WeightedTerm{0, 0.0f});
  for (const WeightedTerm& t : query) {
    uint32_t at = query_slot(t.term, mask_);
    while (slots_[at].weight != 0.0f) at = (at + 1) & mask_;
    slots_[at] = t;
  }
}

float QueryVector::cosine_with(std::span<const WeightedTerm> b) const {
  float dot = 0;
  const WeightedTerm* slots = slots_.data();
  for (const WeightedTerm& t : b) {
    uint32_t at = query_slot(t.term, mask_);
    while (slots[at].term != t.term && slots[at].weight != 0.0f) at = (at + 1) & mask_;
    // Where the query lacks the term, slots[at] is empty and the product is zero.
    dot += slots[at].weight * t.weight;
  }
  return dot;
}

}  // namespace samestory
