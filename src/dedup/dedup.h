// The dedup stage: exact, near-duplicate and contained copies, verified and grouped.
//
// What it offers:
//   Deduplicator, DedupOptions, DuplicateGroup  (dedup/deduplicator.h)  sketches, candidates,
//                                               verification, groups
//   deduplicate_corpus                          (dedup/corpus_dedup.h)  both passes over a corpus
//   GroupReport, append_group_jsonl              (dedup/group_report.h)  the --report line of a group
//   pair_bucket, for_each_equal_key_run         (dedup/lsh_buckets.h)   LSH buckets to candidate pairs
//   set_similarity                              (dedup/similarity.h)    exact Jaccard and containment
//   UnionFind                                   (dedup/union_find.h)
//
// What it guarantees: every reported relation holds on exact shingle sets; groups and their order
// depend only on the input, not on the thread count.
#pragma once

#include "dedup/corpus_dedup.h"
#include "dedup/deduplicator.h"
#include "dedup/group_report.h"
#include "dedup/lsh_buckets.h"
#include "dedup/similarity.h"
#include "dedup/union_find.h"
