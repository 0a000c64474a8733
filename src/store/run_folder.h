// write_run_folder: the main job's outputs, a story map written into one folder:
//   stories.jsonl   one story a line (digest/story_json.h)
//   samestory.db    the same as SQLite (store/story_database.h)
//   report.html     one page to browse it (digest/report_page.h)
// `samestory run` and its distributed form (samestory.dask.run) both write through here, so the
// two give the same files.
//
// Guarantees: each file appears under its name only when complete; on error the message names
// the file.
#pragma once

#include <string>

#include "base/status.h"
#include "digest/report_page.h"
#include "digest/story_map.h"

namespace samestory {

struct RunFolderOptions {
  bool database = true;
  bool report = true;
  ReportOptions report_options;
};

struct RunFolderFiles {
  std::string stories;
  std::string database;  // "" when not written
  std::string report;    // "" when not written
  ReportStats report_stats;
};

// Creates `folder` if needed.
Status write_run_folder(const StoryMap& map, const std::string& folder, const RunFolderOptions& options,
                        RunFolderFiles* files);

}  // namespace samestory
