// samestory clean: outlet boilerplate out of article text, each removal explained.
//
// Without a saved model the input is read twice: pass 1 learns what each outlet repeats across
// unrelated stories, pass 2 cleans. With --model FILE an existing model is loaded and the input is
// read once (so a stream on standard input is cleaned as it arrives); a missing one is learned and
// saved there. Standard input is spooled to a temporary file only when it must be read twice.

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>

#include "base/output_file.h"
#include "base/utf8.h"
#include "clean/clean.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/progress.h"
#include "cli/spooled_stdin.h"
#include "io/batches.h"
#include "text/offsets.h"

namespace samestory::cli {

namespace {

struct CleanArgs {
  InputArgs input;
  std::string output = "-";
  std::string model;
  std::vector<std::string> rule_files;
  bool relearn = false;
  bool rules_only = false;
  bool no_builtin_rules = false;
  bool explain = false;
  bool list_rules = false;
  LearnOptions learn;
};

struct CleanTotals {
  uint64_t documents = 0;
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  uint64_t emptied = 0;
  uint64_t spans = 0;
  std::map<std::string, uint64_t, std::less<>> spans_by_category;
  std::map<std::string, uint64_t, std::less<>> bytes_by_category;
};

struct CleanedBatch {
  std::string payload;
  std::vector<CleanedText> cleaned;  // kept when the batch is reused: Cleaner::clean clears each
  void clear() { payload.clear(); }
};

void write_cleaned(const Document& doc, const CleanedText& c, bool explain, std::string* out) {
  JsonWriter w(out);
  w.begin_object();
  write_document_fields(w, doc, c.text);
  if (!c.byline.empty()) w.field("byline", c.byline);
  if (!c.dateline.empty()) w.field("dateline", c.dateline);
  if (explain) {
    const CodePointIndex cp(doc.text);
    w.key("removed").begin_array();
    for (const RemovedSpan& r : c.removed) {
      w.begin_object();
      w.field("begin", static_cast<uint64_t>(r.begin)).field("end", static_cast<uint64_t>(r.end));
      w.field("begin_char", static_cast<uint64_t>(cp.at(r.begin))).field("end_char", static_cast<uint64_t>(cp.at(r.end)));
      w.field("category", r.category);
      if (r.rule) w.field("rule", r.rule->name);
      if (r.layout) w.field("rule", kUnpunctuatedLineReason);
      if (r.metadata) w.field("kept_as", r.category);
      if (r.evidence) {
        const BoilerplateEvidence& e = *r.evidence;
        w.field("unit", r.sentence ? "sentence" : "paragraph");
        w.key("evidence").begin_object();
        w.field("scope", e.global ? "all outlets" : "outlet");
        if (!e.global) w.field("outlet", e.outlet);
        w.field("unrelated_stories", static_cast<uint64_t>(e.stories));
        w.field("articles", static_cast<uint64_t>(e.articles));
        if (e.global) w.field("outlets", static_cast<uint64_t>(e.outlets));
        w.end_object();
      }
      w.field("text", std::string_view(doc.text).substr(r.begin, r.end - r.begin));
      w.end_object();
    }
    w.end_array();
  }
  w.end_object();
  out->push_back('\n');
}

// One line a removal, for a person reading --explain in a terminal.
void render_explained(const Document& doc, const CleanedText& c, std::string* out) {
  const double share = doc.text.empty() ? 0.0 : 100.0 * static_cast<double>(c.removed_bytes()) / static_cast<double>(doc.text.size());
  *out += fmt::format("== {} ({}): {} removed, {:.1f}% of {} bytes\n", doc.id, doc.outlet.empty() ? "no outlet" : doc.outlet,
                      c.removed.size(), share, doc.text.size());
  for (const RemovedSpan& r : c.removed) {
    const std::string why = describe_removal(r);
    std::string snippet(std::string_view(doc.text).substr(r.begin, std::min<uint32_t>(r.end - r.begin, 90)));
    for (char& ch : snippet) {
      if (ch == '\n' || ch == '\t') ch = ' ';
    }
    while (!snippet.empty() && (static_cast<unsigned char>(snippet.back()) & 0xC0) == 0x80) snippet.pop_back();
    if (!snippet.empty() && static_cast<unsigned char>(snippet.back()) >= 0xC0) snippet.pop_back();
    *out += fmt::format("  {:>6}-{:<6} {:<44} {}{}\n", r.begin, r.end, why, snippet, r.end - r.begin > 90 ? "…" : "");
  }
}

Result<BoilerplateModel> learn_model(const GlobalOptions& global, const CleanArgs& args, const ReadOptions& options,
                                     const BatchOptions& batch_options) {
  ProblemLogOptions silent;
  silent.sink = nullptr;
  ProblemLog quiet(silent);  // problems are reported once, by the cleaning pass
  CorpusReader reader(args.input.inputs, options, &quiet);
  BoilerplateLearner learner(args.learn);
  Progress progress("clean 1/2 learn", !global.quiet);
  process_in_batches<std::vector<ArticleProfile>>(
      reader, batch_options,
      [&](DocumentBatch<std::vector<ArticleProfile>>& batch) {
        thread_local std::vector<Token> tokens;
        batch.payload.resize(batch.documents.size());
        for (size_t i = 0; i < batch.documents.size(); ++i) {
          profile_article(batch.documents[i].text, batch.documents[i].outlet, args.learn, &tokens, &batch.payload[i]);
        }
      },
      [&](DocumentBatch<std::vector<ArticleProfile>>& batch) {
        for (size_t i = 0; i < batch.documents.size(); ++i) {
          learner.add(batch.payload[i], batch.documents[i].outlet, batch.documents[i].text);
        }
        progress.update(reader.bytes_done(), reader.bytes_total(), batch.first_index + batch.documents.size());
      });
  progress.finish();
  if (stop_requested().load()) return Status::io_error("interrupted");
  return learner.finish();
}

int run_clean(const GlobalOptions& global, CleanArgs args) {
  auto fail = [](const Status& s, int code) {
    fmt::print(stderr, "samestory clean: {}\n", s.message());
    return code;
  };
  RuleSet rules;
  if (!args.no_builtin_rules) {
    if (Status s = rules.add(RuleSet::builtin_text(), "built-in rules"); !s) return fail(s, kExitUsage);
  }
  for (const std::string& file : args.rule_files) {
    if (Status s = rules.add_file(file); !s) return fail(s, s.code() == StatusCode::kIoError ? kExitIoFailure : kExitUsage);
  }
  if (Status s = rules.compile(); !s) return fail(s, kExitUsage);
  if (args.list_rules) {
    std::string out;
    for (const Rule& r : rules.rules()) {
      out += fmt::format("{:<24} {:<5} {:<10} {}\n", r.name, r.scope == RuleScope::kLine ? "line" : "span", r.category,
                         r.pattern);
    }
    fmt::print("{}", out);
    return kExitOk;
  }
  if (args.input.inputs.empty()) {
    fmt::print(stderr, "samestory clean: no INPUT given (a file, a directory, @LIST or - for standard input)\n");
    return kExitUsage;
  }
  auto options = make_read_options(args.input);
  if (!options) return fail(options.status(), kExitUsage);

  const auto start = std::chrono::steady_clock::now();
  BatchOptions batch_options;
  batch_options.stop = &stop_requested();

  BoilerplateModel model;
  std::string model_source = "none (--rules-only)";
  SpooledStdin spooled;  // learning reads the input twice
  bool learned_here = false;
  if (!args.rules_only) {
    const bool load = !args.model.empty() && !args.relearn && std::filesystem::exists(args.model);
    if (load) {
      auto loaded = BoilerplateModel::load(args.model);
      if (!loaded) {
        return fail(loaded.status(), loaded.status().code() == StatusCode::kIoError ? kExitIoFailure : kExitUsage);
      }
      model = std::move(loaded).value();
      model_source = "loaded from " + args.model;
    } else {
      if (Status s = spooled.replace_dash(&args.input.inputs); !s) {
        return fail(s, stop_requested().load() ? kExitInterrupted : kExitIoFailure);
      }
      auto learned = learn_model(global, args, *options, batch_options);
      if (stop_requested().load()) return kExitInterrupted;
      if (!learned) return fail(learned.status(), kExitIoFailure);
      model = std::move(learned).value();
      learned_here = true;
      model_source = "learned from the input";
      if (!args.model.empty()) {
        if (Status s = model.save(args.model); !s) return fail(s, kExitIoFailure);
        model_source += ", saved to " + args.model;
      }
    }
  }

  auto output = OutputFile::open(args.output);
  if (!output) return fail(output.status(), kExitIoFailure);
  const bool human = args.explain && args.output == "-" && ::isatty(STDOUT_FILENO);
  const Cleaner cleaner(&rules, &model);
  ProblemLog log(problem_log_options(global, args.input));
  CorpusReader reader(args.input.inputs, *options, &log);
  Progress progress(learned_here ? "clean 2/2 clean" : "clean",
                    !global.quiet && args.output != "-");
  CleanTotals totals;
  Status write_status;
  process_in_batches<CleanedBatch>(
      reader, batch_options,
      [&](DocumentBatch<CleanedBatch>& batch) {
        batch.payload.cleaned.resize(batch.documents.size());
        for (size_t i = 0; i < batch.documents.size(); ++i) {
          const Document& doc = batch.documents[i];
          CleanedText& c = batch.payload.cleaned[i];
          cleaner.clean(doc.text, doc.outlet, &c);
          if (human) {
            render_explained(doc, c, &batch.payload.payload);
          } else {
            write_cleaned(doc, c, args.explain, &batch.payload.payload);
          }
        }
      },
      [&](DocumentBatch<CleanedBatch>& batch) {
        if (write_status) write_status = (*output)->write(batch.payload.payload);
        for (size_t i = 0; i < batch.documents.size(); ++i) {
          const CleanedText& c = batch.payload.cleaned[i];
          ++totals.documents;
          totals.bytes_in += batch.documents[i].text.size();
          totals.bytes_out += c.text.size();
          totals.emptied += c.text.empty() && !batch.documents[i].text.empty();
          for (const RemovedSpan& r : c.removed) {
            ++totals.spans;
            ++totals.spans_by_category[std::string(r.category)];
            totals.bytes_by_category[std::string(r.category)] += r.end - r.begin;
          }
        }
        progress.update(reader.bytes_done(), reader.bytes_total(), batch.first_index + batch.documents.size());
      });
  progress.finish();
  if (stop_requested().load()) return kExitInterrupted;
  if (write_status) write_status = (*output)->commit();
  if (!write_status) return fail(write_status, kExitIoFailure);

  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const ReadCounts& counts = reader.counts();
  std::string summary;
  if (global.json) {
    JsonWriter w(&summary);
    w.begin_object();
    write_accounting_json(w, counts, log);
    w.key("clean").begin_object();
    w.field("documents_written", totals.documents).field("documents_emptied", totals.emptied);
    w.field("bytes_in", totals.bytes_in).field("bytes_out", totals.bytes_out);
    w.field("removed_spans", totals.spans);
    w.key("removed_spans_by_category").begin_object();
    for (const auto& [category, n] : totals.spans_by_category) w.field(category, n);
    w.end_object();
    w.key("removed_bytes_by_category").begin_object();
    for (const auto& [category, n] : totals.bytes_by_category) w.field(category, n);
    w.end_object();
    w.field("rules", static_cast<uint64_t>(rules.rules().size()));
    w.field("model", model_source).field("model_units", static_cast<uint64_t>(model.size()));
    w.end_object();
    w.field("output", args.output);
    w.field("seconds", seconds);
    w.end_object();
  } else {
    summary = "samestory clean: " + accounting_text(counts, log);
    std::string categories;
    for (const auto& [category, n] : totals.spans_by_category) {
      categories += fmt::format("{}{} {}", categories.empty() ? "" : ", ", n, category);
    }
    summary += fmt::format(
        "\n{} documents written ({} emptied); {} spans removed ({}), {:.1f}% of {} bytes\n"
        "rules: {}; model: {} ({} boilerplate units); time: {:.2f} s",
        totals.documents, totals.emptied, totals.spans, categories.empty() ? "none" : categories,
        totals.bytes_in ? 100.0 * static_cast<double>(totals.bytes_in - totals.bytes_out) / static_cast<double>(totals.bytes_in) : 0.0,
        totals.bytes_in, rules.rules().size(), model_source, model.size(), seconds);
  }
  if (!global.quiet || global.json) fmt::print(stderr, "{}\n", summary);
  return accounting_exit_code(counts, log, args.input.strict);
}

}  // namespace

void add_clean_command(CLI::App& app, const GlobalOptions& global, CommandTable* commands) {
  auto args = std::make_shared<CleanArgs>();
  CLI::App* cmd = app.add_subcommand(
      "clean", "Remove outlet boilerplate (prompts, ads, share bars, captions, repeated footers) and say why each "
               "piece went; wire copy shared within a story is kept");
  cmd->add_option("inputs", args->input.inputs,
                  "Files, directories, @LIST files (one input per line) or - for standard input; plain, .gz or .zst")
      ->type_name("INPUT");
  add_reading_flags(cmd, &args->input);
  cmd->add_option("-o,--output", args->output, "Where to write the cleaned documents as JSONL (- for standard output)")
      ->capture_default_str();
  cmd->add_option("--model", args->model,
                  "Boilerplate statistics: loaded from FILE if it exists (the input is then read once), else "
                  "learned from the input and saved to FILE");
  cmd->add_flag("--relearn", args->relearn, "Learn from the input even if --model FILE exists, and overwrite it");
  cmd->add_flag("--rules-only", args->rules_only, "Use the rules alone: no corpus statistics (one pass)");
  cmd->add_option("--rules", args->rule_files, "Add the rules of FILE (format: see --list-rules and the README)")
      ->type_name("FILE");
  cmd->add_flag("--no-builtin-rules", args->no_builtin_rules, "Do not use the built-in rules");
  cmd->add_flag("--list-rules", args->list_rules, "Print the rules in use and exit");
  cmd->add_flag("--explain", args->explain,
                "Add to each document the removed spans with offsets into the original text and the reason (a "
                "rule, or how many unrelated stories of which outlet carry it); in a terminal, one line a span");
  cmd->add_option("--min-outlet-stories", args->learn.min_outlet_stories,
                  "Learned boilerplate: a paragraph or sentence one outlet repeats in this many unrelated stories")
      ->capture_default_str()
      ->check(CLI::Range(2u, 1000u))
      ->group("Learning");
  cmd->add_option("--min-global-stories", args->learn.min_global_stories,
                  "Learned boilerplate for every outlet: repeated in this many unrelated stories...")
      ->capture_default_str()
      ->check(CLI::Range(2u, 1000u))
      ->group("Learning");
  cmd->add_option("--min-global-outlets", args->learn.min_global_outlets, "...of at least this many outlets")
      ->capture_default_str()
      ->check(CLI::Range(1u, 1000u))
      ->group("Learning");
  commands->push_back({cmd, [&global, args] { return run_clean(global, *args); }});
}

}  // namespace samestory::cli
