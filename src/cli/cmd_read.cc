// samestory read: any supported input to the document model, as JSON Lines.

#include <fmt/format.h>

#include "base/output_file.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/progress.h"
#include "io/batches.h"

namespace samestory::cli {

namespace {

struct ReadArgs {
  InputArgs input;
  std::string output = "-";
};

int run_read(const GlobalOptions& global, const ReadArgs& args) {
  auto options = make_read_options(args.input);
  if (!options) {
    fmt::print(stderr, "samestory read: {}\n", options.status().message());
    return kExitUsage;
  }
  auto output = OutputFile::open(args.output);
  if (!output) {
    fmt::print(stderr, "samestory read: {}\n", output.status().message());
    return kExitIoFailure;
  }
  ProblemLog log(problem_log_options(global, args.input));
  CorpusReader reader(args.input.inputs, *options, &log);
  Progress progress("read", !global.quiet && args.output != "-");
  Status write_status;
  uint64_t done = 0;
  BatchOptions batch_options;
  batch_options.stop = &stop_requested();
  process_in_batches<std::string>(
      reader, batch_options,
      [](DocumentBatch<std::string>& batch) {
        for (const Document& doc : batch.documents) append_document_jsonl(doc, &batch.payload);
      },
      [&](DocumentBatch<std::string>& batch) {
        if (write_status) write_status = (*output)->write(batch.payload);
        done += batch.documents.size();
        progress.update(reader.bytes_done(), reader.bytes_total(), done);
      });
  progress.finish();
  if (write_status && !stop_requested().load()) write_status = (*output)->commit();
  if (!write_status) {
    fmt::print(stderr, "samestory read: {}\n", write_status.message());
    return kExitIoFailure;
  }
  const ReadCounts& counts = reader.counts();
  std::string summary;
  if (global.json) {
    JsonWriter w(&summary);
    w.begin_object();
    write_accounting_json(w, counts, log);
    w.field("output", args.output);
    w.end_object();
  } else {
    summary = "samestory read: " + accounting_text(counts, log);
  }
  if (!global.quiet || global.json) fmt::print(stderr, "{}\n", summary);
  return accounting_exit_code(counts, log, args.input.strict);
}

}  // namespace

void add_read_command(CLI::App& app, const GlobalOptions& global, CommandTable* commands) {
  auto args = std::make_shared<ReadArgs>();
  CLI::App* cmd = app.add_subcommand(
      "read", "Read any supported input and write its documents as JSON Lines (id, outlet, date, url, title, "
              "text, source)");
  add_input_options(cmd, &args->input);
  cmd->add_option("-o,--output", args->output, "Where to write the documents (- for standard output)")
      ->capture_default_str();
  commands->push_back({cmd, [&global, args] { return run_read(global, *args); }});
}

}  // namespace samestory::cli
