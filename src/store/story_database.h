// write_story_database: a story map (digest/story_map.h) as one SQLite database.
//
// Tables (the README lists every column):
//   articles           one row an input document: metadata, text, its story and relation there
//   stories            headline, size, first publisher and why, dates
//   duplicate_groups   dedup's groups: each member, its relation and similarity to the representative
//   shared_passages    passages two members of a story share, with offsets in both
//   own_passages       passages only one member of its story carries
//   boilerplate        removed spans with category and reason
//   quotes, quote_occurrences, speakers
// Offsets are in characters (Unicode code points) of articles.text, begin inclusive, end
// exclusive, so `substr(text, begin + 1, end - begin)` gives the span in SQLite. Articles and
// stories are numbered from 1 (articles in input order, stories as in stories.jsonl), and
// articles.id keeps the input's own id.
//
// Guarantees: written in one transaction into `PATH.tmp-PID`, then renamed over PATH; on error
// the temporary file is removed and PATH is untouched.
#pragma once

#include <string>

#include "base/status.h"
#include "digest/story_map.h"

namespace samestory {

Status write_story_database(const StoryMap& map, const std::string& path);

// The schema, as the CREATE statements run (for the README and for tests).
const char* story_database_schema();

}  // namespace samestory
