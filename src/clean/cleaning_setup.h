// CleaningSetup: the rules and boilerplate model a command cleans with, loaded the same way by the
// CLI's cluster and run and by the Python module.
#pragma once

#include <string>

#include "base/status.h"
#include "clean/boilerplate_model.h"
#include "clean/rules.h"

namespace samestory {

struct CleaningSetup {
  RuleSet rules;
  BoilerplateModel model;
  const RuleSet* rules_used = nullptr;            // null: no cleaning
  const BoilerplateModel* model_used = nullptr;   // null: rules only
};

// Built-in rules (unless `no_clean`), plus the model saved at `model_path` when it is not empty.
// Errors name the model file and the reason.
Status load_cleaning(bool no_clean, const std::string& model_path, CleaningSetup* out);

}  // namespace samestory
