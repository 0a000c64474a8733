#include "clean/boilerplate_model.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <algorithm>
#include <cassert>
#include <charconv>
#include <fstream>
#include <sstream>

#include "base/byte_codec.h"
#include "base/output_file.h"
#include "base/utf8.h"
#include "sketch/minhash.h"
#include "sketch/shingle.h"

namespace samestory {

namespace {

// Version 2: word hashes changed (text/tokenize.h: hash_token); units are keyed by them.
// Version 3: unit keys carry a tag of their first two words (clean/units.h: unit_key, UnitTags).
constexpr std::string_view kModelHeader = "# samestory boilerplate model 3";
bool is_older_model_header(std::string_view line) {
  return line == "# samestory boilerplate model 1" || line == "# samestory boilerplate model 2";
}

uint64_t outlet_hash_of(std::string_view outlet) {
  if (outlet.empty()) return 0;
  const uint64_t h = XXH3_64bits(outlet.data(), outlet.size());
  return h == 0 ? 1 : h;
}

// One key space for both scopes: the global scope is outlet hash 0.
uint64_t scoped_key(uint64_t outlet_hash, uint64_t unit_key) {
  uint64_t x = unit_key ^ (outlet_hash * 0x9E3779B97F4A7C15ull);
  x ^= x >> 31;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 29;
  return x;
}

// Up to `max_bytes` of `text` on one line, cut at a character boundary, for samples.
std::string one_line_sample(std::string_view text, size_t max_bytes) {
  std::string out(utf8_prefix(text, max_bytes));
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return out;
}

// A capitalised word that does not start a sentence: a name, most of the time.
bool is_name_like(std::string_view text, const Token& t) {
  if (!(t.flags & kTokenCapitalized)) return false;
  size_t i = t.begin;
  while (i > 0) {
    const char c = text[i - 1];
    if (c == ' ' || c == '"' || c == '\'' || c == '(' || c == '\t') {
      --i;
      continue;
    }
    if (c == '\xE2' || c == '\x80' || c == '\x9C' || c == '\x98') {  // the bytes of “ and ‘
      --i;
      continue;
    }
    return !(c == '.' || c == '!' || c == '?' || c == '\n' || c == ':');
  }
  return false;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// BoilerplateModel

const BoilerplateEvidence* BoilerplateModel::find(std::string_view outlet, uint64_t unit_key) const {
  if (unit_key == 0 || !unit_keys_.contains(unit_key)) return nullptr;
  if (!outlet.empty()) {
    auto it = entries_.find(scoped_key(outlet_hash_of(outlet), unit_key));
    if (it != entries_.end() && it->second.second.outlet == outlet) return &it->second.second;
  }
  auto it = entries_.find(scoped_key(0, unit_key));
  return it == entries_.end() ? nullptr : &it->second.second;
}

void BoilerplateModel::add(uint64_t unit_key, BoilerplateEvidence evidence) {
  const uint64_t key = scoped_key(evidence.global ? 0 : outlet_hash_of(evidence.outlet), unit_key);
  entries_[key] = {unit_key, std::move(evidence)};
  unit_keys_.insert(unit_key);
  unit_tags_.add(unit_key);
}

std::vector<std::pair<uint64_t, const BoilerplateEvidence*>> BoilerplateModel::entries() const {
  std::vector<std::pair<uint64_t, const BoilerplateEvidence*>> out;
  out.reserve(entries_.size());
  for (const auto& [key, entry] : entries_) out.emplace_back(entry.first, &entry.second);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    if (a.second->global != b.second->global) return a.second->global;
    if (a.second->outlet != b.second->outlet) return a.second->outlet < b.second->outlet;
    return a.first < b.first;
  });
  return out;
}

template <class IO>
void transfer(IO& io, BoilerplateEvidence& e) {
  io(e.global)(e.outlet)(e.stories)(e.articles)(e.outlets)(e.sample);
}

std::string BoilerplateModel::to_bytes() const {
  std::string out;
  ByteWriter w(&out);
  w(static_cast<uint64_t>(entries_.size()));
  for (const auto& [unit, e] : entries()) w(unit)(*e);
  return out;
}

Result<BoilerplateModel> BoilerplateModel::from_bytes(std::string_view bytes) {
  ByteReader r(bytes);
  uint64_t n = 0;
  r(n);
  BoilerplateModel model;
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    uint64_t unit = 0;
    BoilerplateEvidence e;
    r(unit)(e);
    if (r.ok()) model.add(unit, std::move(e));
  }
  if (!r.finished()) return Status::data_error("not a boilerplate model written by this build");
  return model;
}

Status BoilerplateModel::save(const std::string& path) const {
  auto file = OutputFile::open(path);
  if (!file) return file.status();
  std::string text(kModelHeader);
  text += "\n# scope\toutlet\tunit\tstories\tarticles\toutlets\tsample\n";
  for (const auto& [unit, e] : entries()) {
    text += fmt::format("{}\t{}\t{:016x}\t{}\t{}\t{}\t{}\n", e->global ? "global" : "outlet",
                        e->global ? "-" : one_line_sample(e->outlet, 1000), unit, e->stories, e->articles,
                        e->outlets, e->sample);
  }
  if (Status s = (*file)->write(text); !s) return s;
  return (*file)->commit();
}

Result<BoilerplateModel> BoilerplateModel::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::io_error(fmt::format("{}: cannot open the model", path));
  BoilerplateModel model;
  std::string line;
  uint64_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1) {
      if (is_older_model_header(line)) {
        return Status::data_error(fmt::format("{}:1: written by an earlier samestory, whose unit keys differ from "
                                              "this one's: learn it again (clean --relearn --model FILE)",
                                              path));
      }
      if (line != kModelHeader) {
        return Status::data_error(fmt::format("{}:1: not a samestory boilerplate model (expected '{}')", path,
                                              kModelHeader));
      }
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string_view> f;
    std::string_view rest = line;
    for (int i = 0; i < 6; ++i) {
      const size_t tab = rest.find('\t');
      if (tab == std::string_view::npos) break;
      f.push_back(rest.substr(0, tab));
      rest.remove_prefix(tab + 1);
    }
    f.push_back(rest);
    if (f.size() != 7) {
      return Status::data_error(fmt::format("{}:{}: expected 7 tab-separated fields, found {}", path, number,
                                            f.size()));
    }
    BoilerplateEvidence e;
    if (f[0] == "global") {
      e.global = true;
    } else if (f[0] != "outlet" || f[1].empty()) {
      return Status::data_error(fmt::format("{}:{}: scope must be 'global' or 'outlet' with an outlet", path,
                                            number));
    } else {
      e.outlet = std::string(f[1]);
    }
    uint64_t unit = 0;
    auto parse_u64 = [](std::string_view s, int base, uint64_t* v) {
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *v, base);
      return ec == std::errc() && p == s.data() + s.size() && !s.empty();
    };
    uint64_t stories = 0, articles = 0, outlets = 0;
    if (!parse_u64(f[2], 16, &unit) || unit == 0 || !parse_u64(f[3], 10, &stories) ||
        !parse_u64(f[4], 10, &articles) || !parse_u64(f[5], 10, &outlets) || stories > UINT32_MAX ||
        articles > UINT32_MAX || outlets > UINT32_MAX) {
      return Status::data_error(fmt::format("{}:{}: unit must be 16 hex digits, stories, articles and outlets "
                                            "numbers",
                                            path, number));
    }
    e.stories = static_cast<uint32_t>(stories);
    e.articles = static_cast<uint32_t>(articles);
    e.outlets = static_cast<uint32_t>(outlets);
    e.sample = std::string(f[6]);
    model.add(unit, std::move(e));
  }
  if (in.bad()) return Status::io_error(fmt::format("{}: cannot read the model", path));
  if (number == 0) return Status::data_error(fmt::format("{}: empty file, not a samestory boilerplate model", path));
  return model;
}

// ---------------------------------------------------------------------------------------------
// Profiles

void profile_article(std::string_view text, std::string_view outlet, const LearnOptions& options,
                     std::vector<Token>* tokens, ArticleProfile* out) {
  constexpr int kBins = ArticleProfile::kSignatureBins;
  tokens->clear();
  tokenize(text, tokens);
  out->outlet_hash = outlet_hash_of(outlet);
  out->units.clear();
  split_units(text, *tokens, options.units, &out->units);
  static const MinHasher hasher(kBins);
  shingle_signature(*tokens, 5, hasher, out->copy_signature);
  thread_local std::vector<uint64_t> hashes;
  hashes.clear();
  for (const Token& t : *tokens) {
    if (is_name_like(text, t)) hashes.push_back(t.hash);
  }
  std::sort(hashes.begin(), hashes.end());
  hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
  out->names = static_cast<uint32_t>(hashes.size());
  // An article without names must not look like every other article without names.
  if (hashes.empty()) hashes.push_back(XXH3_64bits(text.data(), text.size()));
  hasher.sign(hashes.data(), hashes.size(), out->name_signature);
}

// ---------------------------------------------------------------------------------------------
// BoilerplateLearner

namespace {

struct ArticleInfo {
  uint64_t outlet_hash;
  uint32_t copy[ArticleProfile::kSignatureBins];
  uint32_t names[ArticleProfile::kSignatureBins];
  uint32_t name_count;
};

struct Occurrences {
  uint32_t first_article;
  uint32_t articles = 1;
  uint32_t repeated = UINT32_MAX;  // index into State::repeated once a second article carries it
};

struct RepeatedUnit {
  uint64_t unit_key;
  uint64_t outlet_hash;  // 0: global scope
  std::vector<uint32_t> articles;
  std::string sample;
};

struct UnitId {
  uint64_t unit_key;
  uint64_t outlet_hash;
};

template <class IO>
void transfer(IO& io, ArticleInfo& a) {
  io(a.outlet_hash)(a.copy)(a.names)(a.name_count);
}
template <class IO>
void transfer(IO& io, Occurrences& o) {
  io(o.first_article)(o.articles)(o.repeated);
}
template <class IO>
void transfer(IO& io, RepeatedUnit& r) {
  io(r.unit_key)(r.outlet_hash)(r.articles)(r.sample);
}
template <class IO>
void transfer(IO& io, UnitId& u) {
  io(u.unit_key)(u.outlet_hash);
}

// Maps go as sorted vectors, so equal learners give equal bytes.
template <typename K, typename V>
std::vector<std::pair<K, V>> sorted_entries(const std::unordered_map<K, V>& map) {
  std::vector<std::pair<K, V>> out(map.begin(), map.end());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

}  // namespace

struct BoilerplateLearner::State {
  LearnOptions options;
  std::vector<ArticleInfo> articles;
  std::unordered_map<uint64_t, std::string> outlet_names;
  std::unordered_map<uint64_t, Occurrences> occurrences;
  std::vector<RepeatedUnit> repeated;
  std::vector<uint64_t> seen_in_article;
  bool mergeable = false;
  std::unordered_map<uint64_t, UnitId> unit_ids;  // by scoped key; mergeable learners only

  void count(uint64_t outlet_hash, const TextUnit& unit, uint32_t article, std::string_view text) {
    const uint64_t key = scoped_key(outlet_hash, unit.key);
    auto [it, fresh] = occurrences.try_emplace(key, Occurrences{article});
    if (fresh) {
      if (mergeable) unit_ids.emplace(key, UnitId{unit.key, outlet_hash});
      return;
    }
    Occurrences& o = it->second;
    ++o.articles;
    if (o.repeated == UINT32_MAX) {
      o.repeated = static_cast<uint32_t>(repeated.size());
      repeated.push_back({unit.key, outlet_hash, {o.first_article},
                          one_line_sample(text.substr(unit.span.begin, unit.span.length()), 120)});
    }
    RepeatedUnit& r = repeated[o.repeated];
    if (r.articles.size() < options.max_articles_per_unit) r.articles.push_back(article);
  }

  bool same_story(const ArticleInfo& a, const ArticleInfo& b) const {
    constexpr int k = ArticleProfile::kSignatureBins;
    if (estimate_jaccard(a.copy, b.copy, k) >= options.same_story_copy_jaccard) return true;
    return a.name_count >= options.min_names && b.name_count >= options.min_names &&
           estimate_jaccard(a.names, b.names, k) >= options.same_story_name_jaccard;
  }
};

BoilerplateLearner::BoilerplateLearner(LearnOptions options) : state_(std::make_unique<State>()) {
  state_->options = options;
}
BoilerplateLearner::~BoilerplateLearner() = default;
BoilerplateLearner::BoilerplateLearner(BoilerplateLearner&&) noexcept = default;
BoilerplateLearner& BoilerplateLearner::operator=(BoilerplateLearner&&) noexcept = default;

BoilerplateLearner BoilerplateLearner::mergeable(LearnOptions options) {
  BoilerplateLearner learner(options);
  learner.state_->mergeable = true;
  return learner;
}

void BoilerplateLearner::merge(BoilerplateLearner&& later) {
  assert(state_->mergeable && later.state_->mergeable);
  if (state_->articles.empty() && state_->occurrences.empty()) {  // nothing to merge into: take it
    const LearnOptions options = state_->options;
    std::swap(state_, later.state_);
    state_->options = options;
    later = BoilerplateLearner::mergeable(options);
    return;
  }
  State& s = *state_;
  State& t = *later.state_;
  const auto offset = static_cast<uint32_t>(s.articles.size());
  s.articles.insert(s.articles.end(), t.articles.begin(), t.articles.end());
  for (auto& [hash, name] : t.outlet_names) s.outlet_names.try_emplace(hash, std::move(name));
  const uint32_t cap = s.options.max_articles_per_unit;
  // Sorted, so the repeated units are appended in the same order whatever the hash map's.
  for (const auto& [key, theirs] : sorted_entries(t.occurrences)) {
    std::vector<uint32_t> articles{theirs.first_article};
    std::string sample;
    if (theirs.repeated != UINT32_MAX) {
      articles = std::move(t.repeated[theirs.repeated].articles);
      sample = std::move(t.repeated[theirs.repeated].sample);
    }
    for (uint32_t& a : articles) a += offset;
    const UnitId id = t.unit_ids.at(key);
    auto [it, fresh] = s.occurrences.try_emplace(key, Occurrences{articles.front(), theirs.articles});
    if (fresh) {
      s.unit_ids.emplace(key, id);
      if (theirs.repeated != UINT32_MAX) {
        it->second.repeated = static_cast<uint32_t>(s.repeated.size());
        s.repeated.push_back({id.unit_key, id.outlet_hash, std::move(articles), std::move(sample)});
      }
      continue;
    }
    Occurrences& ours = it->second;
    ours.articles += theirs.articles;
    if (ours.repeated == UINT32_MAX) {
      ours.repeated = static_cast<uint32_t>(s.repeated.size());
      s.repeated.push_back({id.unit_key, id.outlet_hash, {ours.first_article}, std::move(sample)});
    }
    std::vector<uint32_t>& list = s.repeated[ours.repeated].articles;
    for (uint32_t a : articles) {
      if (list.size() >= cap) break;
      list.push_back(a);
    }
  }
  later = BoilerplateLearner::mergeable(s.options);
}

std::string BoilerplateLearner::to_bytes() const {
  const State& s = *state_;
  assert(s.mergeable);
  std::string out;
  ByteWriter w(&out);
  w(s.articles)(sorted_entries(s.outlet_names))(sorted_entries(s.occurrences))(s.repeated)(sorted_entries(s.unit_ids));
  return out;
}

Result<BoilerplateLearner> BoilerplateLearner::from_bytes(std::string_view bytes, LearnOptions options) {
  BoilerplateLearner learner = mergeable(options);
  State& s = *learner.state_;
  ByteReader r(bytes);
  std::vector<std::pair<uint64_t, std::string>> names;
  std::vector<std::pair<uint64_t, Occurrences>> occurrences;
  std::vector<std::pair<uint64_t, UnitId>> ids;
  r(s.articles)(names)(occurrences)(s.repeated)(ids);
  const Status corrupt = Status::data_error("not a boilerplate learner written by this build");
  if (!r.finished() || occurrences.size() != ids.size()) return corrupt;
  s.outlet_names.insert(names.begin(), names.end());
  s.occurrences.insert(occurrences.begin(), occurrences.end());
  s.unit_ids.insert(ids.begin(), ids.end());
  // What merge() and finish() look up must be there, so bytes from elsewhere fail here.
  if (s.occurrences.size() != occurrences.size() || s.unit_ids.size() != ids.size()) return corrupt;
  for (const auto& [key, o] : s.occurrences) {
    if (o.first_article >= s.articles.size() || !s.unit_ids.contains(key)) return corrupt;
    if (o.repeated != UINT32_MAX) {
      if (o.repeated >= s.repeated.size()) return corrupt;
      const RepeatedUnit& u = s.repeated[o.repeated];
      if (scoped_key(u.outlet_hash, u.unit_key) != key || u.articles.empty()) return corrupt;
    }
  }
  for (const RepeatedUnit& u : s.repeated) {
    auto it = s.occurrences.find(scoped_key(u.outlet_hash, u.unit_key));
    if (it == s.occurrences.end() || it->second.repeated == UINT32_MAX ||
        &s.repeated[it->second.repeated] != &u) {
      return corrupt;
    }
    if (u.outlet_hash != 0 && !s.outlet_names.contains(u.outlet_hash)) return corrupt;
    for (uint32_t a : u.articles) {
      if (a >= s.articles.size()) return corrupt;
    }
  }
  return learner;
}

uint64_t BoilerplateLearner::articles() const { return state_->articles.size(); }

void BoilerplateLearner::add(const ArticleProfile& profile, std::string_view outlet, std::string_view text) {
  State& s = *state_;
  const auto article = static_cast<uint32_t>(s.articles.size());
  ArticleInfo info;
  info.outlet_hash = profile.outlet_hash;
  info.name_count = profile.names;
  std::copy(std::begin(profile.copy_signature), std::end(profile.copy_signature), info.copy);
  std::copy(std::begin(profile.name_signature), std::end(profile.name_signature), info.names);
  s.articles.push_back(info);
  if (profile.outlet_hash != 0) s.outlet_names.try_emplace(profile.outlet_hash, outlet);
  // An article that repeats a unit (a twice-printed ad line) counts once for it.
  s.seen_in_article.clear();
  for (const TextUnit& u : profile.units) {
    if (u.key == 0) continue;
    if (std::find(s.seen_in_article.begin(), s.seen_in_article.end(), u.key) != s.seen_in_article.end()) continue;
    s.seen_in_article.push_back(u.key);
    if (profile.outlet_hash != 0) s.count(profile.outlet_hash, u, article, text);
    s.count(0, u, article, text);
  }
}

BoilerplateModel BoilerplateLearner::finish() {
  State& s = *state_;
  const LearnOptions& o = s.options;
  BoilerplateModel model;
  std::vector<uint32_t> leaders;
  for (const RepeatedUnit& r : s.repeated) {
    const bool global = r.outlet_hash == 0;
    const uint32_t needed = global ? o.min_global_stories : o.min_outlet_stories;
    if (r.articles.size() < needed) continue;
    // Leader clustering in corpus order: an article joins the first story it is related to.
    leaders.clear();
    for (uint32_t a : r.articles) {
      bool known = false;
      for (uint32_t l : leaders) {
        if (s.same_story(s.articles[a], s.articles[l])) {
          known = true;
          break;
        }
      }
      if (!known) {
        leaders.push_back(a);
        if (leaders.size() >= o.max_stories) break;
      }
    }
    std::vector<uint64_t> outlets;
    for (uint32_t l : leaders) {
      if (s.articles[l].outlet_hash != 0) outlets.push_back(s.articles[l].outlet_hash);
    }
    std::sort(outlets.begin(), outlets.end());
    outlets.erase(std::unique(outlets.begin(), outlets.end()), outlets.end());
    if (leaders.size() < needed || (global && outlets.size() < o.min_global_outlets)) continue;
    BoilerplateEvidence e;
    e.global = global;
    if (!global) e.outlet = s.outlet_names.at(r.outlet_hash);
    e.stories = static_cast<uint32_t>(leaders.size());
    e.articles = s.occurrences.at(scoped_key(r.outlet_hash, r.unit_key)).articles;
    e.outlets = global ? static_cast<uint32_t>(outlets.size()) : 1;
    e.sample = r.sample;
    model.add(r.unit_key, std::move(e));
  }
  return model;
}

}  // namespace samestory
