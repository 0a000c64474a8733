// The store stage: samestory's results in SQLite.
//
// What it offers:
//   write_story_database  (store/story_database.h)  a story map as one SQLite file, the schema
//                         documented in the README, for querying with `sqlite3`
//   write_run_folder      (store/run_folder.h)      the main job's folder: stories.jsonl,
//                         samestory.db and report.html
//
// What it guarantees: a database appears under its final name only when complete (written beside
// it and renamed), so an interrupted run never leaves a half-written one.
#pragma once

#include "store/run_folder.h"
#include "store/story_database.h"
