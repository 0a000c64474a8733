#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace samestory::cli {

void add_input_options(CLI::App* cmd, InputArgs* args) {
  cmd->add_option("inputs", args->inputs,
                  "Files, directories, @LIST files (one input per line) or - for standard input; "
                  "plain, .gz or .zst")
      ->required()
      ->type_name("INPUT");
  add_reading_flags(cmd, args);
}

void add_reading_flags(CLI::App* cmd, InputArgs* args) {
  cmd->add_option("--format", args->format, "Input format: auto, text, jsonl, json, csv, tsv, html, warc")
      ->capture_default_str()
      ->group("Input");
  cmd->add_option("--field", args->fields,
                  "Where a document field comes from, e.g. --field text=body or --field id=attrs.newid "
                  "(fields: id, outlet, date, url, title, text; several names separated by commas)")
      ->type_name("FIELD=NAME")
      ->group("Input");
  cmd->add_option("--outlet", args->outlet, "Outlet for documents whose record names none and has no URL")
      ->group("Input");
  cmd->add_option("--max-doc-bytes", args->max_doc_bytes, "Reject documents larger than this")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{1}, uint64_t{0xFFFFFFFFu}))
      ->group("Input");
  cmd->add_flag("--strict", args->strict,
                "Reject documents with invalid UTF-8 instead of repairing them, and exit with status 1 if the "
                "input had any problem")
      ->group("Input");
  cmd->add_option("--max-messages", args->max_messages, "Messages printed per kind of input problem")
      ->capture_default_str()
      ->group("Input");
}

Result<ReadOptions> make_read_options(const InputArgs& args) {
  ReadOptions options;
  auto format = parse_input_format(args.format);
  if (!format) return format.status();
  options.format = *format;
  for (const std::string& spec : args.fields) {
    if (Status s = options.fields.set(spec); !s) return s;
  }
  options.default_outlet = args.outlet;
  options.max_document_bytes = args.max_doc_bytes;
  options.strict = args.strict;
  return options;
}

ProblemLogOptions problem_log_options(const GlobalOptions& global, const InputArgs& args) {
  ProblemLogOptions o;
  o.max_messages_per_reason = args.max_messages;
  o.sink = global.quiet ? nullptr : stderr;
  return o;
}

void write_accounting_json(JsonWriter& w, const ReadCounts& counts, const ProblemLog& log) {
  w.key("documents").begin_object();
  w.field("read", counts.read).field("accepted", counts.accepted).field("rejected", log.rejected());
  w.key("rejected_by_reason").begin_object();
  for (size_t r = 0; r < kReasonCount; ++r) {
    const auto reason = static_cast<Reason>(r);
    if (reason_rejects(reason) && log.count(reason) > 0) w.field(reason_name(reason), log.count(reason));
  }
  w.end_object();
  w.key("kept_with_problems").begin_object();
  for (size_t r = 0; r < kReasonCount; ++r) {
    const auto reason = static_cast<Reason>(r);
    if (!reason_rejects(reason) && log.count(reason) > 0) w.field(reason_name(reason), log.count(reason));
  }
  w.end_object();
  w.end_object();
  w.key("files").begin_object();
  w.field("read", counts.files).field("skipped_unknown_type", counts.skipped_files);
  w.end_object();
}

std::string accounting_text(const ReadCounts& counts, const ProblemLog& log) {
  std::string out = fmt::format("{} documents read: {} accepted, {} rejected", counts.read, counts.accepted,
                                log.rejected());
  if (log.total() == 0) return out;
  out += "\nproblems:";
  for (size_t r = 0; r < kReasonCount; ++r) {
    const auto reason = static_cast<Reason>(r);
    if (log.count(reason) == 0) continue;
    out += fmt::format("\n  {:>10}  {} ({})", log.count(reason), reason_phrase(reason),
                       reason_rejects(reason) ? "rejected" : "kept");
  }
  if (log.messages_left_out() > 0) {
    out += fmt::format("\n  ({} messages not printed; --max-messages N shows more)", log.messages_left_out());
  }
  return out;
}

int accounting_exit_code(const ReadCounts& counts, const ProblemLog& log, bool strict) {
  if (stop_requested().load()) return kExitInterrupted;
  if (counts.read > 0 && counts.accepted == 0 && log.count(Reason::kUnreadableFile) == counts.read) {
    return kExitIoFailure;
  }
  if (strict && log.total() > 0) return kExitInputProblems;
  return kExitOk;
}

namespace {

}  // namespace


int exit_code_of(const Status& s) { return s.code() == StatusCode::kIoError ? kExitIoFailure : kExitUsage; }

}  // namespace samestory::cli
