// Story files: how stories are written (stories.jsonl, assignments) and read back by eval.
//
// stories.jsonl, one story a line:
//   {"story":1,"size":2,"title":"...","representative":"ID","first":"2025-02-18","last":"2025-02-18",
//    "outlets":["independent.co.uk","scotsman.com"],"members":["ID","ID"]}
// members are in date order (undated last, then input order); the representative is the member
// most similar to the others (ties: the earliest); outlets in order of their first member.
// An assignments file has one line an article: {"id":"ID","story":1}.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "io/document.h"

namespace samestory {

struct StoryMember {
  std::string id;
  std::string outlet;
  std::string title;
  PublishedTime published;
  uint64_t index = 0;      // position in the input
  float centrality = 0;    // summed similarity to the story's other members
};

// Sorts `members` into story order and appends the story's line to `out`.
void append_story_jsonl(uint64_t story, std::vector<StoryMember>* members, std::string* out);
void append_assignment_jsonl(std::string_view id, uint64_t story, std::string* out);

// Member order within a story, and story order within a file: by date (undated last), then input.
bool story_order(const StoryMember& a, const StoryMember& b);

// The members grouped by their story label (story[i] for members[i]: any numbers below
// members.size(), such as a story's smallest member), each story in story order,
// the stories in the order of their first members: the order stories are numbered and written in.
std::vector<std::vector<StoryMember>> group_stories(std::vector<StoryMember> members,
                                                    const std::vector<uint32_t>& story);

struct Prediction {
  std::string id;
  std::string story;
};

// Reads a stories.jsonl (of `cluster`: member ids; of `run`: member objects with "id") or an
// assignments file (detected per line). Errors name the file, the line
// and the reason.
Result<std::vector<Prediction>> read_predictions(const std::string& path);

}  // namespace samestory
