// The digest stage: what a story is made of, and the main job that builds a story map.
//
// What it offers:
//   extract_quotes, same_person          (digest/quotes.h)        quotes and their speakers
//   digest_story, StoryDigest            (digest/story_digest.h)  first publisher and why, each
//       member's relation, shared and original share, own passages, merged quotes and speakers
//   build_story_map, StoryMap            (digest/story_map.h)     clean → quotes → dedup →
//       cluster → digest over a corpus in memory: what `samestory run` runs
//   encode_articles, encode_digests      (digest/story_map_codec.h) map parts as bytes, for
//       distributed runs
//   append_story_json                    (digest/story_json.h)    stories.jsonl
//   render_report                        (digest/report_page.h)   report.html
//
// What it guarantees: every offset is a byte range of an article's original text (converted to
// code points or UTF-16 units only where an output says so); results are the same for any thread
// count.
#pragma once

#include "digest/quotes.h"
#include "digest/report_page.h"
#include "digest/story_digest.h"
#include "digest/story_json.h"
#include "digest/story_map.h"
#include "digest/story_map_codec.h"
