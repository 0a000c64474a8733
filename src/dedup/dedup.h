// The dedup stage: exact, near-duplicate and contained copies, verified and grouped.
//
// What it offers:
//   Deduplicator, DedupOptions, DuplicateGroup  (dedup/deduplicator.h)  sketches, candidates,
//                                               verification, groups
//   deduplicate_corpus                          (dedup/corpus_dedup.h)  both passes over a corpus
//   set_similarity                              (dedup/similarity.h)    exact Jaccard and containment
//   UnionFind                                   (dedup/union_find.h)
//
// What it guarantees: every reported relation holds on exact shingle sets; groups and their order
// depend only on the input, not on the thread count.
#pragma once

#include "dedup/corpus_dedup.h"
#include "dedup/deduplicator.h"
#include "dedup/similarity.h"
#include "dedup/union_find.h"
