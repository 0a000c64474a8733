#include "clean/cleaning_setup.h"

namespace samestory {

Status load_cleaning(bool no_clean, const std::string& model_path, CleaningSetup* out) {
  if (no_clean) return Status::ok();
  static const std::string kOrigin = "built-in rules";
  Status s = out->rules.add(RuleSet::builtin_text(), kOrigin);
  if (s) s = out->rules.compile();
  if (!s) return s;
  if (!model_path.empty()) {
    Result<BoilerplateModel> loaded = BoilerplateModel::load(model_path);
    if (!loaded) return loaded.status();
    out->model = std::move(loaded).value();
    out->model_used = &out->model;
  }
  out->rules_used = &out->rules;
  return s;
}

}  // namespace samestory
