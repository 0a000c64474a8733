// Presenting an alignment: as JSON, in a terminal, and as one self-contained HTML page.
//
// Every form numbers passages from 1 in order of their position in the first text, so "passage
// 3" means the same stretch in all three.
#pragma once

#include <string>

#include "align/aligner.h"
#include "base/json_writer.h"
#include "io/document.h"

namespace samestory {

// One document of an aligned pair as the reports show it.
struct AlignedDocument {
  const Document* doc;
  const AlignText* text;
};

// {"a": {id, outlet, date, words, shared_words, shared}, "b": {...}, "passages": [{n, score,
// matched_words, a: {begin, end, char_begin, char_end, words, text, inserted_lines}, b: {...}}]}.
// begin/end are byte offsets into the original text; char_* the same in Unicode code points.
void write_alignment_json(JsonWriter& w, const AlignedDocument& a, const AlignedDocument& b, const Alignment& al);

struct TerminalOptions {
  int width = 100;       // columns available
  bool color = true;     // ANSI colours for passages
  int side_by_side_min_width = 110;  // narrower terminals get the two texts one after the other
};

// Coverage figures, then the two texts side by side (or stacked), each passage coloured and
// marked with its number where it starts.
std::string render_terminal(const AlignedDocument& a, const AlignedDocument& b, const Alignment& al,
                            const TerminalOptions& options);

// A page with both articles side by side; each passage is highlighted, and clicking it in one
// text scrolls to and flashes its partner in the other.
std::string render_html(const AlignedDocument& a, const AlignedDocument& b, const Alignment& al);

}  // namespace samestory
