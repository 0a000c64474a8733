// The cluster stage: which articles report the same story, and how well that agrees with labels.
//
// What it offers:
//   count_terms, weigh_terms, DocumentFrequencies (cluster/term_vector.h)  TF-IDF term vectors
//   StoryClusterer         (cluster/story_clusterer.h)   batch: all articles, one decision
//   StreamClusterer        (cluster/stream_clusterer.h)  stream: each article as it arrives
//   average_linkage        (cluster/average_linkage.h)   sparse agglomerative clustering
//   score_clustering       (cluster/metrics.h)           ARI, AMI, pairwise and B-cubed scores
//   append_story_jsonl, read_predictions (cluster/story_file.h)  the story file formats
//
// What it guarantees: stories depend on the articles, their order and the options only, never on
// the thread count; every article is in exactly one story.
#pragma once

#include "cluster/average_linkage.h"
#include "cluster/metrics.h"
#include "cluster/story_clusterer.h"
#include "cluster/story_file.h"
#include "cluster/stream_clusterer.h"
#include "cluster/term_vector.h"
