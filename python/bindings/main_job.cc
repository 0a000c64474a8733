// The main job (`samestory run`) in pieces, for samestory.dask.run: the steps of build_story_map
// (digest/story_map.h) applied to partitions on the workers, and the story map assembled and
// written on the client by the same code as the CLI's (store/run_folder.h).
//
//   _learn_part(docs)                 a mergeable boilerplate learner of a partition, as bytes
//   _merge_learners(parts)            learners merged in corpus order, as bytes
//   _finish_learners(parts)           the model learned by those merged, as bytes
//   _load_model(path)                 a saved model (clean --model), as bytes
//   _prepare_part(docs, rules, model) a PreparedPart (articles after cleaning) and the cleaned
//                                     documents that dedup and cluster read
//   _link_counts(...)                 shared link sequences of article pairs, for one shuffle partition
//   _select_links(...)                the pairs whose summed counts make copy links
//   _digest_stories(...)              digests of some stories, from their articles
//   RunMap                            the client's map: articles, groups, stories; writes the folder

#include <pybind11/stl.h>

#include <algorithm>
#include <unordered_map>

#include "base/byte_codec.h"
#include "base/parallel_region.h"
#include "clean/clean.h"
#include "clean/cleaning_setup.h"
#include "common.h"
#include "dedup/dedup.h"
#include "digest/digest.h"
#include "store/store.h"

namespace samestory::python {
namespace {

std::string_view view_of(const py::bytes& b) {
  char* data = nullptr;
  py::ssize_t size = 0;
  if (PYBIND11_BYTES_AS_STRING_AND_SIZE(b.ptr(), &data, &size) != 0) throw py::error_already_set();
  return {data, static_cast<size_t>(size)};
}

BoilerplateLearner learner_from(const py::bytes& b) {
  auto learner = BoilerplateLearner::from_bytes(view_of(b));
  if (!learner) raise(learner.status());
  return std::move(learner).value();
}

py::bytes learn_part(const py::sequence& docs) {
  const DocRefs refs = doc_refs(docs);
  std::string bytes;
  {
    py::gil_scoped_release release;
    BoilerplateLearner learner = BoilerplateLearner::mergeable();
    learn_boilerplate(refs.size(), [&](size_t i) -> const Document& { return *refs[i]; }, LearnOptions{}, &learner);
    bytes = learner.to_bytes();
  }
  return py::bytes(bytes);
}

BoilerplateLearner merged(const std::vector<py::bytes>& parts) {
  BoilerplateLearner all = BoilerplateLearner::mergeable();
  for (const py::bytes& part : parts) all.merge(learner_from(part));
  return all;
}

py::bytes merge_learners(const std::vector<py::bytes>& parts) { return py::bytes(merged(parts).to_bytes()); }

// The root of the merge tree: merges and finishes without a round trip through bytes.
py::bytes finish_learners(const std::vector<py::bytes>& parts) { return py::bytes(merged(parts).finish().to_bytes()); }

// Results of a model are unwrapped out of line: GCC 12 reports a false -Wfree-nonheap-object (an
// error under CI's -Werror) when one is destroyed inline.
[[gnu::noinline]] BoilerplateModel model_or_raise(Result<BoilerplateModel> model) {
  if (!model) raise(model.status());
  return std::move(model).value();
}

py::bytes load_model(const std::string& path) {
  return py::bytes(model_or_raise(BoilerplateModel::load(path)).to_bytes());
}

// A partition's articles after cleaning, with their copy-link samples; kept on its worker.
struct PreparedPart {
  std::vector<MapArticle> articles;
  std::vector<std::vector<uint64_t>> samples;
};

// The cleaning the main job does: the CLI's setup (built-in rules unless `rules` is false), plus
// the model that came as bytes.
struct RunCleaning {
  CleaningSetup setup;
  StoryMapOptions options;

  RunCleaning(bool use_rules, const std::optional<py::bytes>& model_bytes) {
    if (Status s = load_cleaning(!use_rules, "", &setup); !s) raise(s);
    options.rules = setup.rules_used;
    if (model_bytes) {
      setup.model = model_or_raise(BoilerplateModel::from_bytes(view_of(*model_bytes)));
      options.model = &setup.model;
    }
  }
};

py::tuple prepare_part(const py::sequence& docs, bool use_rules, const std::optional<py::bytes>& model_bytes) {
  const DocRefs refs = doc_refs(docs);
  const RunCleaning cleaning(use_rules, model_bytes);
  auto part = std::make_unique<PreparedPart>();
  std::vector<Document> cleaned(refs.size());
  {
    py::gil_scoped_release release;
    const Cleaner cleaner(cleaning.options.rules, cleaning.options.model, cleaning.options.cleaner);
    const Deduplicator dedup(cleaning.options.dedup);
    part->articles.resize(refs.size());
    part->samples.resize(refs.size());
    parallel_for_index(size_t{0}, refs.size(), [&](size_t i) {
      MapArticle& a = part->articles[i];
      a.doc = *refs[i];
      PreparedArticle prepared;
      prepare_article(cleaner, dedup, cleaning.options, &a, &prepared);
      part->samples[i] = std::move(prepared.link_sample);
      Document& c = cleaned[i];
      c.id = a.doc.id;
      c.outlet = a.doc.outlet;
      c.published = a.doc.published;
      c.title = a.doc.title;
      c.text = std::move(prepared.cleaned);
    });
  }
  return py::make_tuple(std::move(part), std::move(cleaned));
}

// Postings (sequence, article, outlet code) of a partition whose first article is `offset`.
py::tuple part_postings(const PreparedPart& part, uint64_t offset, const std::unordered_map<std::string, uint32_t>& codes) {
  std::vector<uint64_t> sequence;
  std::vector<int64_t> article;
  std::vector<uint32_t> outlet;
  for (size_t i = 0; i < part.articles.size(); ++i) {
    const uint32_t code = codes.at(part.articles[i].doc.outlet);
    for (uint64_t h : part.samples[i]) {
      sequence.push_back(h);
      article.push_back(static_cast<int64_t>(offset + i));
      outlet.push_back(code);
    }
  }
  return py::make_tuple(owned_array(std::move(sequence)), owned_array(std::move(article)), owned_array(std::move(outlet)));
}

// The articles of `part` (first article `offset`) whose numbers are in `wanted`, as bytes.
py::bytes part_articles(const PreparedPart& part, uint64_t offset, const InArray<int64_t>& wanted) {
  std::vector<MapArticle> chosen;
  const int64_t* w = wanted.data();
  for (py::ssize_t k = 0; k < wanted.size(); ++k) {
    const uint64_t i = static_cast<uint64_t>(w[k]) - offset;
    if (i >= part.articles.size()) throw py::index_error("an article number outside its partition");
    chosen.push_back(part.articles[i]);
  }
  return py::bytes(encode_articles(chosen));
}

py::tuple link_counts(const InArray<uint64_t>& sequence, const InArray<int64_t>& article, const InArray<uint32_t>& outlet,
                      uint32_t max_articles) {
  std::vector<LinkPosting> postings(static_cast<size_t>(sequence.size()));
  for (size_t i = 0; i < postings.size(); ++i) {
    postings[i] = {sequence.data()[i], static_cast<uint32_t>(article.data()[i]), outlet.data()[i]};
  }
  LinkCounts shared;
  {
    py::gil_scoped_release release;
    std::sort(postings.begin(), postings.end());
    count_shared_sequences(postings, max_articles, &shared);
  }
  std::vector<uint64_t> keys;
  std::vector<uint32_t> counts;
  keys.reserve(shared.size());
  counts.reserve(shared.size());
  for (const auto& [key, n] : shared) {
    keys.push_back(key);
    counts.push_back(n);
  }
  return py::make_tuple(owned_array(std::move(keys)), owned_array(std::move(counts)));
}

// The pairs of `keys` (a << 32 | b) whose summed `counts` make them copy links (is_copy_link).
py::tuple select_links(const InArray<uint64_t>& keys, const InArray<uint32_t>& counts, const InArray<uint32_t>& sizes) {
  const StoryMapOptions defaults;
  std::vector<uint32_t> a, b;
  for (py::ssize_t i = 0; i < keys.size(); ++i) {
    const auto x = static_cast<uint32_t>(keys.data()[i] >> 32), y = static_cast<uint32_t>(keys.data()[i]);
    if (x >= sizes.size() || y >= sizes.size()) throw py::index_error("a link names an unknown article");
    if (is_copy_link(counts.data()[i], sizes.data()[x], sizes.data()[y], defaults.link_share)) {
      a.push_back(x);
      b.push_back(y);
    }
  }
  return py::make_tuple(owned_array(std::move(a)), owned_array(std::move(b)));
}

// Digests of stories: `stories` lists each story's article numbers (input order); `copies` are
// (representative, relation, similarity) for those numbers, concatenated in the same order;
// `pieces` hold the articles (part_articles) whose numbers are in `piece_numbers`.
py::bytes digest_stories(const std::vector<InArray<int64_t>>& stories, const InArray<uint32_t>& copy_rep,
                         const InArray<uint8_t>& copy_relation, const InArray<double>& copy_similarity,
                         const std::vector<py::bytes>& pieces, const std::vector<InArray<int64_t>>& piece_numbers) {
  if (pieces.size() != piece_numbers.size()) throw py::value_error("one list of numbers per piece");
  std::vector<MapArticle> articles;
  std::vector<uint32_t> numbers_of_articles;
  for (size_t p = 0; p < pieces.size(); ++p) {
    auto decoded = decode_articles(view_of(pieces[p]));
    if (!decoded) raise(decoded.status());
    if (decoded->size() != static_cast<size_t>(piece_numbers[p].size())) {
      throw py::value_error("a piece holds another number of articles than it names");
    }
    for (size_t k = 0; k < decoded->size(); ++k) {
      articles.push_back(std::move((*decoded)[k]));
      numbers_of_articles.push_back(static_cast<uint32_t>(piece_numbers[p].data()[k]));
    }
  }
  std::unordered_map<uint32_t, const MapArticle*> by_number;
  for (size_t k = 0; k < articles.size(); ++k) by_number[numbers_of_articles[k]] = &articles[k];
  std::vector<std::vector<uint32_t>> numbers(stories.size());
  std::vector<std::vector<const MapArticle*>> members(stories.size());
  std::vector<std::vector<CopyOf>> copies(stories.size());
  size_t at = 0;
  for (size_t s = 0; s < stories.size(); ++s) {
    for (py::ssize_t k = 0; k < stories[s].size(); ++k, ++at) {
      const auto number = static_cast<uint32_t>(stories[s].data()[k]);
      auto it = by_number.find(number);
      if (it == by_number.end() || at >= static_cast<size_t>(copy_rep.size())) {
        throw py::value_error("a story member's article was not sent");
      }
      numbers[s].push_back(number);
      members[s].push_back(it->second);
      copies[s].push_back({copy_rep.data()[at], static_cast<Relation>(copy_relation.data()[at]), copy_similarity.data()[at]});
    }
  }
  std::vector<StoryDigest> digests(stories.size());
  {
    py::gil_scoped_release release;
    const DigestOptions options;
    parallel_for_index(size_t{0}, stories.size(),
                       [&](size_t s) { digests[s] = digest_articles(numbers[s], members[s], copies[s], options); });
  }
  return py::bytes(encode_digests(digests));
}

// The client's story map.
class RunMap {
 public:
  explicit RunMap(const std::vector<py::bytes>& parts) {
    for (const py::bytes& p : parts) {
      auto decoded = decode_articles(view_of(p));
      if (!decoded) raise(decoded.status());
      for (MapArticle& a : *decoded) map_.articles.push_back(std::move(a));
    }
    count_cleaning(&map_);
  }

  size_t size() const { return map_.articles.size(); }

  uint64_t boilerplate_units = 0;  // of the model the articles were cleaned with, for stats()

  void set_groups(const py::list& groups) {
    std::unordered_map<std::string_view, uint32_t> index;
    for (uint32_t i = 0; i < map_.articles.size(); ++i) index.emplace(map_.articles[i].doc.id, i);
    auto number = [&](const std::string& id) {
      auto it = index.find(id);
      if (it == index.end()) throw py::value_error("a duplicate group names an unknown article: " + id);
      return it->second;
    };
    map_.groups.clear();
    copies_.clear();
    for (const py::handle h : groups) {
      const GroupReport r = group_from_dict(h.cast<py::dict>());
      DuplicateGroup g;
      g.representative = number(r.representative);
      for (const MemberReport& m : r.members) {
        GroupMember gm;
        gm.doc = number(m.id);
        gm.relation = m.relation;
        gm.jaccard = m.jaccard;
        gm.in_rep = m.in_rep;
        gm.rep_in = m.rep_in;
        gm.estimated = m.estimated;
        gm.via = m.via.empty() ? g.representative : number(m.via);
        g.members.push_back(gm);
      }
      map_.groups.push_back(std::move(g));
    }
    map_.stats.duplicate_groups = map_.groups.size();
    map_.stats.duplicates = 0;
    for (const DuplicateGroup& g : map_.groups) map_.stats.duplicates += g.members.size();
  }

  // The final stories (assign_stories), each an array of article numbers.
  std::vector<py::array_t<int64_t>> assign(const InArray<uint32_t>& story, const InArray<uint32_t>& link_a,
                                           const InArray<uint32_t>& link_b) {
    if (static_cast<size_t>(story.size()) != map_.articles.size()) throw py::value_error("one story per article");
    std::vector<std::pair<uint32_t, uint32_t>> links;
    for (py::ssize_t i = 0; i < link_a.size(); ++i) links.emplace_back(link_a.data()[i], link_b.data()[i]);
    std::sort(links.begin(), links.end());
    const auto stories = assign_stories(map_.articles, map_.groups,
                                        std::vector<uint32_t>(story.data(), story.data() + story.size()), links,
                                        &map_.stats);
    std::vector<py::array_t<int64_t>> out;
    for (const auto& s : stories) out.push_back(owned_array(std::vector<int64_t>(s.begin(), s.end())));
    return out;
  }

  // CopyOf of each of `numbers`, as three arrays.
  py::tuple copies(const InArray<int64_t>& numbers) {
    if (copies_.empty()) copies_ = copies_of(map_.articles.size(), map_.groups);
    std::vector<uint32_t> rep;
    std::vector<uint8_t> relation;
    std::vector<double> similarity;
    for (py::ssize_t k = 0; k < numbers.size(); ++k) {
      const CopyOf& c = copies_.at(static_cast<size_t>(numbers.data()[k]));
      rep.push_back(c.representative);
      relation.push_back(static_cast<uint8_t>(c.relation));
      similarity.push_back(c.similarity);
    }
    return py::make_tuple(owned_array(std::move(rep)), owned_array(std::move(relation)), owned_array(std::move(similarity)));
  }

  void set_digests(const std::vector<py::bytes>& batches) {
    map_.stories.clear();
    for (const py::bytes& b : batches) {
      auto decoded = decode_digests(view_of(b));
      if (!decoded) raise(decoded.status());
      for (StoryDigest& d : *decoded) map_.stories.push_back(std::move(d));
    }
    index_story_members(&map_);
  }

  py::dict write(const std::string& folder, bool database, bool report, uint64_t max_stories) {
    RunFolderOptions options;
    options.database = database;
    options.report = report;
    options.report_options.max_stories = max_stories;
    RunFolderFiles files;
    {
      py::gil_scoped_release release;
      if (Status s = write_run_folder(map_, folder, options, &files); !s) {
        py::gil_scoped_acquire acquire;
        raise(s);
      }
    }
    py::dict d;
    d["stories"] = files.stories;
    if (database) d["database"] = files.database;
    if (report) {
      d["report"] = files.report;
      d["report_stories"] = files.report_stats.stories;
      d["report_stories_left_out"] = files.report_stats.left_out;
    }
    return d;
  }

  py::dict stats() const {
    const StoryMapStats& st = map_.stats;
    uint64_t multi = 0, largest = 0;
    for (const StoryDigest& s : map_.stories) {
      multi += s.members.size() > 1;
      largest = std::max<uint64_t>(largest, s.members.size());
    }
    py::dict d;
    d["articles"] = map_.articles.size();
    d["boilerplate_model_units"] = boilerplate_units;
    d["stories"] = map_.stories.size();
    d["stories_with_several_articles"] = multi;
    d["largest_story"] = largest;
    d["duplicate_groups"] = st.duplicate_groups;
    d["duplicates"] = st.duplicates;
    d["copies_moved_to_representative_story"] = st.moved_to_representative;
    d["copy_links"] = st.copy_links;
    d["boilerplate_spans_removed"] = st.removed_spans;
    d["boilerplate_bytes_removed"] = st.removed_bytes;
    d["quotes"] = st.quotes;
    return d;
  }

 private:
  StoryMap map_;
  std::vector<CopyOf> copies_;
};

}  // namespace

void add_main_job(py::module_& m) {
  m.def("_learn_part", &learn_part);
  m.def("_merge_learners", &merge_learners);
  m.def("_finish_learners", &finish_learners);
  m.def("_load_model", &load_model);
  py::class_<PreparedPart>(m, "_PreparedPart")
      .def("__len__", [](const PreparedPart& p) { return p.articles.size(); })
      .def("outlets",
           [](const PreparedPart& p) {
             std::vector<std::string> out;
             for (const MapArticle& a : p.articles) out.push_back(a.doc.outlet);
             std::sort(out.begin(), out.end());
             out.erase(std::unique(out.begin(), out.end()), out.end());
             return out;
           })
      .def("sample_sizes",
           [](const PreparedPart& p) {
             std::vector<uint32_t> sizes;
             for (const auto& s : p.samples) sizes.push_back(static_cast<uint32_t>(s.size()));
             return owned_array(std::move(sizes));
           })
      .def("postings", &part_postings)
      .def("articles", &part_articles)
      .def("all_articles", [](const PreparedPart& p) { return py::bytes(encode_articles(p.articles)); })
      .def(py::pickle(
          [](const PreparedPart& p) {
            std::string bytes;
            ByteWriter w(&bytes);
            w(encode_articles(p.articles))(p.samples);
            return py::bytes(bytes);
          },
          [](const py::bytes& b) {
            auto p = std::make_unique<PreparedPart>();
            std::string articles;
            ByteReader r(view_of(b));
            r(articles)(p->samples);
            auto decoded = decode_articles(articles);
            if (!r.finished() || !decoded || decoded->size() != p->samples.size()) {
              throw py::value_error("not a prepared partition written by this build");
            }
            p->articles = std::move(decoded).value();
            return p;
          }));
  m.def("_prepare_part", &prepare_part, py::arg("docs"), py::arg("rules"), py::arg("model"));
  m.def("_link_counts", &link_counts, py::arg("sequence"), py::arg("article"), py::arg("outlet"),
        py::arg("max_articles") = StoryMapOptions{}.link_max_articles);
  m.def("_select_links", &select_links);
  m.def("_model_size", [](const py::bytes& b) { return model_or_raise(BoilerplateModel::from_bytes(view_of(b))).size(); });
  m.def("_digest_stories", &digest_stories);
  py::class_<RunMap>(m, "_RunMap")
      .def(py::init<const std::vector<py::bytes>&>())
      .def("__len__", &RunMap::size)
      .def("set_groups", &RunMap::set_groups)
      .def("assign", &RunMap::assign)
      .def("copies", &RunMap::copies)
      .def("set_digests", &RunMap::set_digests)
      .def("write", &RunMap::write)
      .def("stats", &RunMap::stats)
      .def_readwrite("boilerplate_units", &RunMap::boilerplate_units);
}

}  // namespace samestory::python
