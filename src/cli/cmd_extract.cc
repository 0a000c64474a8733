// samestory extract: web pages (HTML files, WARC crawls) to documents, and the extractor's score
// against a person's article bodies (--score).

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <unordered_map>

#include "base/output_file.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/progress.h"
#include "extract/extract.h"

namespace samestory::cli {

namespace {

struct ExtractArgs {
  InputArgs input;
  std::string output;
  std::string truth;
  size_t worst = 10;
};

// The article bodies a person marked, by page id: the article-extraction benchmark's
// ground-truth.json, {"ID": {"articleBody": "...", "url": "..."}, ...}.
Status read_truth(const std::string& path, std::unordered_map<std::string, std::string>* truth) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto err = parser.load(path).get(root); err) {
    return Status::data_error(fmt::format("{}: {}", path, simdjson::error_message(err)));
  }
  simdjson::dom::object pages;
  if (root.get(pages) != simdjson::SUCCESS) {
    return Status::data_error(fmt::format("{}: expected an object of pages by id", path));
  }
  for (auto [id, page] : pages) {
    std::string_view body;
    if (page["articleBody"].get(body) != simdjson::SUCCESS) {
      return Status::data_error(fmt::format("{}: page '{}' has no string articleBody", path, id));
    }
    truth->emplace(std::string(id), std::string(body));
  }
  return Status::ok();
}

struct PageResult {
  std::string id;
  ShingleMatch match;
  bool extracted = false;
};

int run_extract(const GlobalOptions& global, const ExtractArgs& args) {
  auto fail = [](const Status& s, int code) {
    fmt::print(stderr, "samestory extract: {}\n", s.message());
    return code;
  };
  auto options = make_read_options(args.input);
  if (!options) return fail(options.status(), kExitUsage);
  std::unordered_map<std::string, std::string> truth;
  if (!args.truth.empty()) {
    if (Status s = read_truth(args.truth, &truth); !s) return fail(s, kExitUsage);
  }
  const std::string output_path = args.output.empty() ? (args.truth.empty() ? "-" : "") : args.output;
  std::unique_ptr<OutputFile> output;
  if (!output_path.empty()) {
    auto opened = OutputFile::open(output_path);
    if (!opened) return fail(opened.status(), kExitIoFailure);
    output = std::move(opened).value();
  }

  ProblemLog log(problem_log_options(global, args.input));
  CorpusReader reader(args.input.inputs, *options, &log);
  Progress progress("extract", !global.quiet && output_path != "-");
  std::unordered_map<std::string, std::string> bodies;  // --score: extracted text by id
  Status write_status;
  std::string buffer;
  uint64_t done = 0;
  Document doc;
  while (reader.next(&doc)) {
    if (stop_requested().load()) break;
    if (output != nullptr) {
      append_document_jsonl(doc, &buffer);
      if (buffer.size() > (1u << 20)) {
        if (write_status) write_status = output->write(buffer);
        buffer.clear();
      }
    }
    if (!truth.empty() && truth.count(doc.id) != 0) bodies[doc.id] = doc.text;
    if (++done % 64 == 0) progress.update(reader.bytes_done(), reader.bytes_total(), done);
  }
  progress.finish();
  if (output != nullptr) {
    if (write_status) write_status = output->write(buffer);
    if (write_status && !stop_requested().load()) write_status = output->commit();
    if (!write_status) return fail(write_status, kExitIoFailure);
  }

  std::string report;
  if (!truth.empty()) {
    // Pages of the truth in id order; one the input lacked, or whose extraction was rejected,
    // scores as an empty extraction.
    std::vector<PageResult> pages;
    for (const auto& [id, body] : truth) {
      auto it = bodies.find(id);
      PageResult r;
      r.id = id;
      r.extracted = it != bodies.end();
      r.match = match_shingles(r.extracted ? std::string_view(it->second) : std::string_view(), body);
      pages.push_back(std::move(r));
    }
    std::sort(pages.begin(), pages.end(), [](const PageResult& a, const PageResult& b) { return a.id < b.id; });
    ExtractionScore score;
    size_t missing = 0;
    for (const PageResult& p : pages) {
      score.add(p.match);
      missing += !p.extracted;
    }
    std::vector<const PageResult*> worst;
    for (const PageResult& p : pages) worst.push_back(&p);
    std::stable_sort(worst.begin(), worst.end(),
                     [](const PageResult* a, const PageResult* b) { return a->match.f1() < b->match.f1(); });
    worst.resize(std::min(worst.size(), args.worst));
    auto diff_of = [&](const PageResult& p) {
      auto it = bodies.find(p.id);
      return describe_difference(it == bodies.end() ? std::string_view() : std::string_view(it->second), truth.at(p.id));
    };
    if (global.json) {
      JsonWriter w(&report);
      w.begin_object();
      w.field("pages", score.pages).field("pages_without_extraction", missing);
      w.field("precision", score.total.precision()).field("recall", score.total.recall()).field("f1", score.total.f1());
      w.key("worst").begin_array();
      for (const PageResult* p : worst) {
        const ExtractionDiff d = diff_of(*p);
        w.begin_object();
        w.field("id", p->id).field("f1", p->match.f1()).field("precision", p->match.precision());
        w.field("recall", p->match.recall()).field("extracted", p->extracted);
        w.field("first_extra", d.first_extra).field("first_missed", d.first_missed);
        w.end_object();
      }
      w.end_array();
      w.end_object();
      report.push_back('\n');
    } else {
      report += fmt::format("{} pages ({} without an extraction): precision {:.4f}  recall {:.4f}  F1 {:.4f}\n",
                            score.pages, missing, score.total.precision(), score.total.recall(), score.total.f1());
      report += fmt::format("the {} worst pages:\n", worst.size());
      for (const PageResult* p : worst) {
        const ExtractionDiff d = diff_of(*p);
        report += fmt::format("  {:.3f}  P {:.3f}  R {:.3f}  {}\n", p->match.f1(), p->match.precision(),
                              p->match.recall(), p->id);
        if (!p->extracted) report += "         no extraction: not among the inputs, or rejected (see the messages above)\n";
        if (!d.first_extra.empty()) report += fmt::format("         kept, not in the article: \"{}\"\n", d.first_extra);
        if (!d.first_missed.empty()) report += fmt::format("         missed: \"{}\"\n", d.first_missed);
      }
    }
    fmt::print("{}", report);
  }
  const ReadCounts& counts = reader.counts();
  std::string summary;
  if (global.json && truth.empty()) {
    JsonWriter w(&summary);
    w.begin_object();
    write_accounting_json(w, counts, log);
    w.field("output", output_path);
    w.end_object();
    fmt::print(stderr, "{}\n", summary);
  } else if (!global.quiet) {
    fmt::print(stderr, "samestory extract: {}\n", accounting_text(counts, log));
  }
  return accounting_exit_code(counts, log, args.input.strict);
}

}  // namespace

void add_extract_command(CLI::App& app, const GlobalOptions& global, CommandTable* commands) {
  auto args = std::make_shared<ExtractArgs>();
  CLI::App* cmd = app.add_subcommand(
      "extract",
      "Extract the article of each web page (HTML files, WARC crawls) and write documents as JSON Lines, with "
      "the page's authors, site name, language and charset; or score the extraction with --score");
  add_input_options(cmd, &args->input);
  cmd->add_option("-o,--output", args->output,
                  "Where to write the documents (- for standard output; the default, unless --score is given)");
  cmd->add_option("--score", args->truth,
                  "Score the extracted bodies against a ground truth ({ID: {articleBody}}, the article-extraction "
                  "benchmark's format; pages matched by file name without extensions): prints precision, recall, "
                  "F1 and the worst pages")
      ->type_name("GROUND_TRUTH.json");
  cmd->add_option("--worst", args->worst, "How many of the worst-scoring pages --score lists")->capture_default_str();
  commands->push_back({cmd, [&global, args] { return run_extract(global, *args); }});
}

}  // namespace samestory::cli
