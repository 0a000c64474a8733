// The align stage: the passages two articles share, with offsets into both original texts.
//
// What it offers:
//   align_texts, AlignText, AlignOptions, Alignment, SharedPassage  (align/aligner.h)
//       seed-and-extend alignment over words, robust to substituted, inserted and deleted words,
//       changed punctuation and paragraph breaks, reordered paragraphs and interleaved
//       boilerplate lines
//   write_alignment_json, render_terminal, render_html  (align/report.h)  the reports of
//       `samestory compare`
//
// What it guarantees: passages never overlap in either text; every offset is into the original
// text; the result is the same on any machine and thread count.
#pragma once

#include "align/aligner.h"
#include "align/report.h"
