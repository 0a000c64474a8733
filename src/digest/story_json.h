// The story map as JSON Lines: one story a line, the form of `samestory run`'s stories.jsonl.
//
// {"story": 1, "headline", "size", "first_date", "last_date", "outlets": [...],
//  "first": {"id", "outlet", "published", "reason"},
//  "members": [{"id", "outlet", "published", "title", "relation", "relative_to", "similarity",
//               "summary", "words", "shared_share", "original_share", "boilerplate_spans",
//               "own_passages": [{"begin", "end", "char_begin", "char_end", "text"}]}],
//  "shared_passages": [{"a", "b", "passages": [{"a": {"begin", "end", "char_begin", "char_end"},
//                                              "b": {...}, "matched_words", "score"}]}],
//  "quotes": [{"speaker", "text", "outlets": [...], "occurrences": [{"id", "begin", "end",
//              "char_begin", "char_end", "form", "written"}]}],
//  "speakers": [{"name", "spellings", "quotes"}]}
// begin/end are byte offsets into the member's original text, char_* the same in code points.
// Members are in publication order; "relative_to" is the id of the member a relation is to.
#pragma once

#include <string>

#include "digest/story_map.h"

namespace samestory {

// Appends story number `s` (0-based; written as s + 1) and a newline.
void append_story_json(const StoryMap& map, uint32_t s, std::string* out);

// "near copy of lantern-1041 (Jaccard 0.91)", "shares 43% of its words with earlier members
// (most with lantern-1041)", "independent report", "first publisher".
std::string describe_member(const StoryMap& map, const StoryDigest& story, const StoryMemberDigest& m);

}  // namespace samestory
