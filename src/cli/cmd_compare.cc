// samestory compare: the passages two articles share.

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "align/align.h"
#include "align/report.h"
#include "base/output_file.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace samestory::cli {

namespace {

struct CompareArgs {
  InputArgs input;  // only the reading flags; the two documents are positional
  std::string a, b;
  std::string html;
  std::string color = "auto";
  int width = 0;
  AlignOptions align;
};

// "PATH" (a file holding one document) or "PATH#ID" (the document with that id in a corpus).
// Ids may contain '#' (renamed duplicates are ID#2), so the split is at the first '#' whose
// prefix is an existing path.
struct DocumentRef {
  std::string path;
  std::string id;  // empty: the file's only document
};

DocumentRef parse_ref(const std::string& arg) {
  if (arg == "-" || std::filesystem::exists(arg)) return {arg, ""};
  for (size_t at = arg.find('#'); at != std::string::npos; at = arg.find('#', at + 1)) {
    if (std::filesystem::exists(arg.substr(0, at))) return {arg.substr(0, at), arg.substr(at + 1)};
  }
  return {arg, ""};
}

Result<Document> load(const DocumentRef& ref, const ReadOptions& options, ProblemLog* log) {
  CorpusReader reader({ref.path}, options, log);
  Document doc, found;
  size_t count = 0;
  while (reader.next(&doc)) {
    ++count;
    if (ref.id.empty()) {
      if (count == 1) found = doc;
      continue;
    }
    if (doc.id == ref.id) return doc;
  }
  if (!ref.id.empty()) return Status::invalid_argument(fmt::format("{}: no document with id '{}'", ref.path, ref.id));
  if (count == 0) return Status::invalid_argument(fmt::format("{}: no readable document", ref.path));
  if (count > 1) {
    return Status::invalid_argument(
        fmt::format("{} holds {} documents: pick one with {}#ID", ref.path, count, ref.path));
  }
  return found;
}

int terminal_width(int requested) {
  if (requested > 0) return requested;
  winsize ws{};
  if (::isatty(STDOUT_FILENO) && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20) return ws.ws_col;
  if (const char* columns = std::getenv("COLUMNS")) {
    const int c = std::atoi(columns);
    if (c > 20) return c;
  }
  return 100;
}

int run_compare(const GlobalOptions& global, CompareArgs& args) {
  args.input.inputs = {args.a};
  auto options = make_read_options(args.input);
  if (!options) {
    fmt::print(stderr, "samestory compare: {}\n", options.status().message());
    return kExitUsage;
  }
  ProblemLog log(problem_log_options(global, args.input));
  Result<Document> a = load(parse_ref(args.a), *options, &log);
  Result<Document> b = a ? load(parse_ref(args.b), *options, &log) : Result<Document>(a.status());
  if (!a || !b) {
    const Status& s = (!a ? a : b).status();
    fmt::print(stderr, "samestory compare: {}\n", s.message());
    // A missing or ambiguous id is the caller's mistake; anything else is the input's.
    return s.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitIoFailure;
  }
  const AlignText ta = AlignText::of(a->text), tb = AlignText::of(b->text);
  const Alignment al = align_texts(ta, tb, args.align);
  const AlignedDocument da{&*a, &ta}, db{&*b, &tb};

  if (!args.html.empty()) {
    auto out = OutputFile::open(args.html);
    Status s = out ? (*out)->write(render_html(da, db, al)) : out.status();
    if (s) s = (*out)->commit();
    if (!s) {
      fmt::print(stderr, "samestory compare: {}\n", s.message());
      return kExitIoFailure;
    }
  }
  if (global.json) {
    std::string json;
    JsonWriter w(&json);
    write_alignment_json(w, da, db, al);
    fmt::print("{}\n", json);
  } else if (args.html.empty() || ::isatty(STDOUT_FILENO)) {
    TerminalOptions t;
    t.width = terminal_width(args.width);
    t.color = args.color == "always" || (args.color == "auto" && ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR"));
    fmt::print("{}", render_terminal(da, db, al, t));
  }
  return kExitOk;
}

}  // namespace

void add_compare_command(CLI::App& app, const GlobalOptions& global, CommandTable* commands) {
  auto args = std::make_shared<CompareArgs>();
  CLI::App* cmd = app.add_subcommand(
      "compare",
      "Show the passages two articles share, with offsets in both, robust to edits, insertions, changed "
      "punctuation and reordered paragraphs");
  cmd->add_option("A", args->a, "First article: a file holding one document, or INPUT#ID to pick one from a corpus")
      ->required();
  cmd->add_option("B", args->b, "Second article, the same way")->required();
  cmd->add_option("--html", args->html, "Also write a self-contained page with both texts side by side to FILE");
  cmd->add_option("--color", args->color, "Colour passages in the terminal: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  cmd->add_option("--width", args->width, "Terminal width in columns (default: the terminal's, else 100)");
  cmd->add_option("--min-words", args->align.min_words, "Shortest passage reported, in matched words")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--seed-words", args->align.seed_words, "Anchor length in words")
      ->check(CLI::Range(1, 32))
      ->capture_default_str();
  cmd->add_option("--max-gap-edits", args->align.max_gap_edits, "Word edits bridged inside a passage")
      ->check(CLI::Range(0, 16))
      ->capture_default_str();
  add_reading_flags(cmd, &args->input);
  commands->push_back({cmd, [&global, args] { return run_compare(global, *args); }});
}

}  // namespace samestory::cli
