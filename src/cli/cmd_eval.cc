// samestory eval: score predicted stories against gold story labels.
//
// Gold labels come from the documents themselves (the `label` field: Giveme5W1H's
// newsCluster.EventId, the UCI CSV's STORY, a JSONL {id, label}); predictions from a
// stories.jsonl or an assignments file. Articles are matched by id.

#include <fmt/format.h>

#include <cmath>
#include <unordered_map>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cluster/metrics.h"
#include "cluster/story_file.h"

namespace samestory::cli {

namespace {

struct EvalArgs {
  InputArgs gold;
  std::string predictions;
};

uint32_t intern(std::unordered_map<std::string, uint32_t>* ids, const std::string& s) {
  return ids->emplace(s, static_cast<uint32_t>(ids->size())).first->second;
}

int run_eval(const GlobalOptions& global, EvalArgs args) {
  auto fail = [](const Status& s, int code) {
    fmt::print(stderr, "samestory eval: {}\n", s.message());
    return code;
  };
  auto options = make_read_options(args.gold);
  if (!options) return fail(options.status(), kExitUsage);
  options->labels_only = true;  // a gold file may be just {id, label} lines
  auto predictions = read_predictions(args.predictions);
  if (!predictions) {
    return fail(predictions.status(), predictions.status().code() == StatusCode::kIoError ? kExitIoFailure : kExitUsage);
  }
  std::unordered_map<std::string, std::string> predicted;
  uint64_t repeated = 0;
  for (Prediction& p : *predictions) {
    if (!predicted.emplace(std::move(p.id), std::move(p.story)).second) ++repeated;
  }

  ProblemLog log(problem_log_options(global, args.gold));
  CorpusReader reader(args.gold.inputs, *options, &log);
  std::unordered_map<std::string, uint32_t> gold_ids, predicted_ids;
  std::vector<uint32_t> gold, pred;
  uint64_t unlabelled = 0, unpredicted = 0;
  Document doc;
  while (reader.next(&doc)) {
    if (doc.label.empty()) {
      ++unlabelled;
      continue;
    }
    auto it = predicted.find(doc.id);
    if (it == predicted.end()) {
      ++unpredicted;
      continue;
    }
    gold.push_back(intern(&gold_ids, doc.label));
    pred.push_back(intern(&predicted_ids, it->second));
    predicted.erase(it);
  }
  if (stop_requested().load()) return kExitInterrupted;
  const uint64_t not_in_gold = predicted.size();
  const ClusteringScores s = score_clustering(gold, pred);

  std::string out;
  if (global.json) {
    JsonWriter w(&out);
    w.begin_object();
    write_accounting_json(w, reader.counts(), log);
    w.key("eval").begin_object();
    w.field("articles", s.articles).field("gold_stories", s.gold_clusters).field("predicted_stories", s.predicted_clusters);
    w.field("ari", s.ari);
    if (std::isnan(s.ami)) {
      w.key("ami").null();
    } else {
      w.field("ami", s.ami);
    }
    w.field("pairwise_precision", s.pair_precision).field("pairwise_recall", s.pair_recall).field("pairwise_f1", s.pair_f1);
    w.field("bcubed_precision", s.bcubed_precision).field("bcubed_recall", s.bcubed_recall).field("bcubed_f1", s.bcubed_f1);
    w.field("gold_without_label", unlabelled).field("gold_without_prediction", unpredicted);
    w.field("predicted_not_in_gold", not_in_gold).field("predicted_repeated", repeated);
    w.end_object();
    w.end_object();
    out.push_back('\n');
  } else {
    out = fmt::format(
        "articles scored     {}\n"
        "stories             {} gold, {} predicted\n"
        "ARI                 {:.4f}\n"
        "AMI                 {}\n"
        "pairwise P / R / F1 {:.4f} / {:.4f} / {:.4f}\n"
        "B-cubed  P / R / F1 {:.4f} / {:.4f} / {:.4f}\n",
        s.articles, s.gold_clusters, s.predicted_clusters, s.ari,
        std::isnan(s.ami) ? std::string("not computed (too many stories)") : fmt::format("{:.4f}", s.ami),
        s.pair_precision, s.pair_recall, s.pair_f1, s.bcubed_precision, s.bcubed_recall, s.bcubed_f1);
    if (unlabelled + unpredicted + not_in_gold + repeated > 0) {
      out += fmt::format("not scored          {} gold articles without a label, {} without a prediction; {} predicted "
                         "ids not in the gold set, {} predicted twice\n",
                         unlabelled, unpredicted, not_in_gold, repeated);
    }
  }
  fmt::print("{}", out);
  if (s.articles == 0) {
    fmt::print(stderr, "samestory eval: no article has both a gold label and a prediction (gold labels are read "
                       "from the `label` field: see --field label=NAME)\n");
    return kExitUsage;
  }
  return accounting_exit_code(reader.counts(), log, args.gold.strict);
}

}  // namespace

void add_eval_command(CLI::App& app, const GlobalOptions& global, CommandTable* commands) {
  auto args = std::make_shared<EvalArgs>();
  CLI::App* cmd = app.add_subcommand(
      "eval", "Score predicted stories against gold labels: ARI, AMI, pairwise and B-cubed precision/recall/F1");
  cmd->add_option("--gold", args->gold.inputs,
                  "Documents with gold story labels (the `label` field; defaults read Giveme5W1H's "
                  "newsCluster.EventId and the UCI CSV's STORY)")
      ->required()
      ->expected(1, -1)
      ->type_name("INPUT");
  add_reading_flags(cmd, &args->gold);
  cmd->add_option("--pred", args->predictions, "Predicted stories: a stories.jsonl or an --assignments file")
      ->required()
      ->type_name("FILE");
  commands->push_back({cmd, [&global, args] { return run_eval(global, *args); }});
}

}  // namespace samestory::cli
