#include "store/run_folder.h"

#include <fmt/format.h>

#include <filesystem>

#include "base/output_file.h"
#include "digest/story_json.h"
#include "store/story_database.h"

namespace samestory {

Status write_run_folder(const StoryMap& map, const std::string& folder, const RunFolderOptions& options,
                        RunFolderFiles* files) {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) return Status::io_error(fmt::format("{}: cannot create the folder: {}", folder, ec.message()));
  const std::filesystem::path dir(folder);
  *files = RunFolderFiles{};
  files->stories = (dir / "stories.jsonl").string();
  {
    auto file = OutputFile::open(files->stories);
    if (!file) return file.status();
    std::string buffer;
    for (uint32_t s = 0; s < map.stories.size(); ++s) {
      append_story_json(map, s, &buffer);
      if (buffer.size() > (1u << 20)) {
        if (Status st = (*file)->write(buffer); !st) return st;
        buffer.clear();
      }
    }
    if (Status st = (*file)->write(buffer); !st) return st;
    if (Status st = (*file)->commit(); !st) return st;
  }
  if (options.database) {
    files->database = (dir / "samestory.db").string();
    if (Status st = write_story_database(map, files->database); !st) return st;
  }
  if (options.report) {
    files->report = (dir / "report.html").string();
    auto file = OutputFile::open(files->report);
    if (!file) return file.status();
    const std::string page = render_report(map, options.report_options, &files->report_stats);
    if (Status st = (*file)->write(page); !st) return st;
    if (Status st = (*file)->commit(); !st) return st;
  }
  return Status::ok();
}

}  // namespace samestory
