// The clean stage: outlet boilerplate out of article text, each removal explained.
//
// What it offers:
//   RuleSet, Rule                        (clean/rules.h)   generic boilerplate rules from a rules
//                                                          file (data/clean-rules.txt is built in)
//   split_units, TextUnit                (clean/units.h)   paragraphs and sentences with keys that
//                                                          compare normalised words
//   BoilerplateLearner, BoilerplateModel (clean/boilerplate_model.h) what an outlet repeats across
//                                                          unrelated stories, learned from a corpus,
//                                                          saved and loaded
//   CleaningSetup, load_cleaning         (clean/cleaning_setup.h) built-in rules + a saved model
//   Cleaner, CleanedText, RemovedSpan    (clean/cleaner.h) one article cleaned with rules and/or a
//                                                          model, with every removed span's reason
//
// What it guarantees: removed spans are byte ranges of the original text; wire copy that many
// outlets share within one story is never learned as boilerplate; results do not depend on the
// thread count.
#pragma once

#include "clean/boilerplate_model.h"
#include "clean/cleaner.h"
#include "clean/cleaning_setup.h"
#include "clean/rules.h"
#include "clean/units.h"
