#include "clean/cleaning_setup.h"

namespace samestory {

namespace {

// A function of its own: GCC 12 reports a false -Wfree-nonheap-object (an error under CI's
// -Werror) when the Result is destroyed inline in load_cleaning().
Status load_model(const std::string& path, BoilerplateModel* model) {
  Result<BoilerplateModel> loaded = BoilerplateModel::load(path);
  if (!loaded) return loaded.status();
  *model = std::move(loaded).value();
  return Status::ok();
}

}  // namespace

Status load_cleaning(bool no_clean, const std::string& model_path, CleaningSetup* out) {
  if (no_clean) return Status::ok();
  static const std::string kOrigin = "built-in rules";
  Status s = out->rules.add(RuleSet::builtin_text(), kOrigin);
  if (s) s = out->rules.compile();
  if (s && !model_path.empty()) s = load_model(model_path, &out->model);
  if (!s) return s;
  out->rules_used = &out->rules;
  if (!model_path.empty()) out->model_used = &out->model;
  return s;
}

}  // namespace samestory
