#include "align/report.h"

#include <fmt/format.h>
#include <utf8proc.h>

#include <algorithm>

#include "text/offsets.h"

namespace samestory {
namespace {

// How each byte range of one text is shown: inside passage `passage` (-1: outside any), and
// whether it is a line only this side has inside that passage.
struct Piece {
  uint32_t begin;
  uint32_t end;
  int passage;
  bool inserted;
};

// Passages never overlap within one text, so one sweep in that text's order covers it.
std::vector<Piece> pieces_for(std::string_view text, const Alignment& al, bool side_a) {
  std::vector<size_t> order(al.passages.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  if (!side_a) {  // passages come in a's order; b may have them in another
    std::sort(order.begin(), order.end(),
              [&](size_t x, size_t y) { return al.passages[x].b.begin < al.passages[y].b.begin; });
  }
  std::vector<Piece> out;
  uint32_t at = 0;
  for (size_t n : order) {
    const SharedPassage& p = al.passages[n];
    const ByteRange r = side_a ? p.a : p.b;
    if (r.begin > at) out.push_back({at, r.begin, -1, false});
    uint32_t inside = r.begin;
    for (const ByteRange& ins : side_a ? p.a_inserted_lines : p.b_inserted_lines) {
      if (ins.begin > inside) out.push_back({inside, ins.begin, static_cast<int>(n), false});
      out.push_back({ins.begin, ins.end, static_cast<int>(n), true});
      inside = ins.end;
    }
    if (r.end > inside) out.push_back({inside, r.end, static_cast<int>(n), false});
    at = r.end;
  }
  if (text.size() > at) out.push_back({at, static_cast<uint32_t>(text.size()), -1, false});
  return out;
}

void write_side(JsonWriter& w, const AlignedDocument& d, uint32_t words, uint32_t shared_words) {
  w.begin_object();
  w.field("id", d.doc->id);
  w.field("outlet", d.doc->outlet);
  if (d.doc->published.known()) {
    w.field("date", d.doc->published.iso());
  } else {
    w.key("date").null();
  }
  w.field("title", d.doc->title);
  w.field("words", words);
  w.field("shared_words", shared_words);
  w.field("shared", words ? static_cast<double>(shared_words) / words : 0.0);
  w.end_object();
}

void write_range(JsonWriter& w, std::string_view text, const CodePointIndex& cp, ByteRange r, uint32_t words,
                 const std::vector<ByteRange>& inserted) {
  w.begin_object();
  w.field("begin", r.begin);
  w.field("end", r.end);
  w.field("char_begin", cp.at(r.begin));
  w.field("char_end", cp.at(r.end));
  w.field("words", words);
  w.field("text", text.substr(r.begin, r.end - r.begin));
  w.key("inserted_lines").begin_array();
  for (const ByteRange& ins : inserted) {
    w.begin_object();
    w.field("begin", ins.begin);
    w.field("end", ins.end);
    w.field("char_begin", cp.at(ins.begin));
    w.field("char_end", cp.at(ins.end));
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

// ---- terminal ----

constexpr const char* kColors[] = {"\x1b[32m", "\x1b[36m", "\x1b[33m", "\x1b[35m", "\x1b[34m", "\x1b[31m"};
constexpr const char* kReset = "\x1b[0m";
constexpr const char* kDim = "\x1b[2m";
constexpr const char* kBold = "\x1b[1m";

struct Glyph {
  std::string bytes;
  int width;
  int style;  // -1 plain, -2 marker, n: passage n, n + 1000: inserted line in passage n
};

std::vector<Glyph> glyphs_of(std::string_view text, const std::vector<Piece>& pieces) {
  std::vector<Glyph> out;
  out.reserve(text.size());
  for (const Piece& piece : pieces) {
    if (piece.passage >= 0 && !piece.inserted) {
      // The passage number where the passage starts (and again after an inserted line).
      for (char c : fmt::format("[{}]", piece.passage + 1)) {
        Glyph g{{}, 1, -2 - piece.passage};
        g.bytes.push_back(c);
        out.push_back(std::move(g));
      }
    }
    const int style = piece.passage < 0 ? -1 : piece.passage + (piece.inserted ? 1000 : 0);
    size_t i = piece.begin;
    while (i < piece.end) {
      utf8proc_int32_t cp = 0;
      const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
                                      static_cast<utf8proc_ssize_t>(piece.end - i), &cp);
      const size_t len = n > 0 ? static_cast<size_t>(n) : 1;
      if (cp == '\r') {
        i += len;
        continue;
      }
      const int width = cp == '\n' ? 0 : std::max(0, utf8proc_charwidth(cp));
      Glyph g{{}, cp == '\t' ? 1 : width, style};
      if (cp == '\t') {
        g.bytes.push_back(' ');
      } else {
        g.bytes.append(text.data() + i, len);
      }
      out.push_back(std::move(g));
      i += len;
    }
  }
  return out;
}

// Greedy word wrap to `width` columns; each line is a range of glyphs (line breaks excluded).
std::vector<std::pair<size_t, size_t>> wrap(const std::vector<Glyph>& g, int width) {
  std::vector<std::pair<size_t, size_t>> lines;
  size_t start = 0;
  while (start <= g.size()) {
    int used = 0;
    size_t i = start, last_space = std::string::npos;
    while (i < g.size() && g[i].bytes != "\n") {
      if (used + g[i].width > width) break;
      if (g[i].bytes == " ") last_space = i;
      used += g[i].width;
      ++i;
    }
    if (i >= g.size() || g[i].bytes == "\n") {
      lines.emplace_back(start, i);
      start = i + 1;
      if (i >= g.size()) break;
      continue;
    }
    const size_t cut = (last_space != std::string::npos && last_space > start) ? last_space : i;
    lines.emplace_back(start, cut);
    start = cut == last_space ? cut + 1 : cut;
  }
  // Collapse runs of blank lines to one.
  std::vector<std::pair<size_t, size_t>> out;
  for (const auto& l : lines) {
    const bool blank = l.first == l.second;
    if (blank && (out.empty() || out.back().first == out.back().second)) continue;
    out.push_back(l);
  }
  return out;
}

std::string render_line(const std::vector<Glyph>& g, std::pair<size_t, size_t> line, int pad_to, bool color) {
  std::string out;
  int used = 0, style = -1;
  for (size_t i = line.first; i < line.second; ++i) {
    if (color && g[i].style != style) {
      out += kReset;
      if (g[i].style <= -2) {
        out += kBold;
        out += kColors[(-2 - g[i].style) % 6];
      } else if (g[i].style >= 1000) {
        out += kDim;
      } else if (g[i].style >= 0) {
        out += kColors[g[i].style % 6];
      }
      style = g[i].style;
    }
    out += g[i].bytes;
    used += g[i].width;
  }
  if (color && style != -1) out += kReset;
  if (pad_to > used) out.append(static_cast<size_t>(pad_to - used), ' ');
  return out;
}

std::string header_line(const AlignedDocument& d, uint32_t words, uint32_t shared) {
  return fmt::format("{} | {} | {} | {} words, {:.0f}% shared", d.doc->id, d.doc->outlet.empty() ? "-" : d.doc->outlet,
                     d.doc->published.known() ? d.doc->published.iso() : "no date", words,
                     words ? 100.0 * shared / words : 0.0);
}

// ---- HTML ----

void append_html_escaped(std::string_view s, std::string* out) {
  for (char c : s) {
    switch (c) {
      case '<': *out += "&lt;"; break;
      case '>': *out += "&gt;"; break;
      case '&': *out += "&amp;"; break;
      case '"': *out += "&quot;"; break;
      default: *out += c;
    }
  }
}

std::string html_text(const AlignedDocument& d, const Alignment& al, bool side_a) {
  const std::string_view text = d.text->text;
  std::string out;
  const char side = side_a ? 'a' : 'b', other = side_a ? 'b' : 'a';
  int open = -1;
  for (const Piece& p : pieces_for(text, al, side_a)) {
    if (p.passage != open && open >= 0) {
      out += "</mark>";
      open = -1;
    }
    if (p.passage >= 0 && open < 0) {
      const int n = p.passage + 1;
      out += fmt::format("<mark class=\"p{}\" id=\"{}{}\" data-other=\"{}{}\" title=\"passage {}\"><sup>{}</sup>", n % 6,
                         side, n, other, n, n, n);
      open = p.passage;
    }
    if (p.inserted) out += "<span class=\"ins\" title=\"only this text has this line\">";
    append_html_escaped(text.substr(p.begin, p.end - p.begin), &out);
    if (p.inserted) out += "</span>";
  }
  if (open >= 0) out += "</mark>";
  return out;
}

}  // namespace

void write_alignment_json(JsonWriter& w, const AlignedDocument& a, const AlignedDocument& b, const Alignment& al) {
  const CodePointIndex cp_a(a.text->text), cp_b(b.text->text);
  w.begin_object();
  w.key("a");
  write_side(w, a, al.a_words, al.a_shared_words);
  w.key("b");
  write_side(w, b, al.b_words, al.b_shared_words);
  w.key("passages").begin_array();
  for (size_t n = 0; n < al.passages.size(); ++n) {
    const SharedPassage& p = al.passages[n];
    w.begin_object();
    w.field("n", static_cast<uint64_t>(n + 1));
    w.field("score", p.score);
    w.field("matched_words", p.matched_words);
    w.key("a");
    write_range(w, a.text->text, cp_a, p.a, p.a_words, p.a_inserted_lines);
    w.key("b");
    write_range(w, b.text->text, cp_b, p.b, p.b_words, p.b_inserted_lines);
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

std::string render_terminal(const AlignedDocument& a, const AlignedDocument& b, const Alignment& al,
                            const TerminalOptions& options) {
  std::string out;
  const bool color = options.color;
  auto bold = [&](const std::string& s) { return color ? std::string(kBold) + s + kReset : s; };
  out += bold("A  " + header_line(a, al.a_words, al.a_shared_words)) + "\n";
  out += bold("B  " + header_line(b, al.b_words, al.b_shared_words)) + "\n";
  out += fmt::format("{} shared passage{}", al.passages.size(), al.passages.size() == 1 ? "" : "s");
  for (size_t n = 0; n < al.passages.size(); ++n) {
    const auto& p = al.passages[n];
    const std::string item = fmt::format("[{}] {} words, {:.0f}%", n + 1, p.matched_words, 100 * p.score);
    out += n == 0 ? ": " : ", ";
    out += color ? std::string(kColors[(n + 1) % 6]) + item + kReset : item;
  }
  out += "\n\n";
  const std::vector<Glyph> ga = glyphs_of(a.text->text, pieces_for(a.text->text, al, true));
  const std::vector<Glyph> gb = glyphs_of(b.text->text, pieces_for(b.text->text, al, false));
  if (options.width >= options.side_by_side_min_width) {
    const int column = (options.width - 3) / 2;
    const auto la = wrap(ga, column), lb = wrap(gb, column);
    for (size_t i = 0; i < std::max(la.size(), lb.size()); ++i) {
      out += i < la.size() ? render_line(ga, la[i], column, color) : std::string(static_cast<size_t>(column), ' ');
      out += " | ";
      if (i < lb.size()) out += render_line(gb, lb[i], 0, color);
      while (!out.empty() && out.back() == ' ') out.pop_back();
      out += "\n";
    }
  } else {
    for (const auto& [label, glyphs] : {std::pair{"A", &ga}, std::pair{"B", &gb}}) {
      out += bold(std::string("── ") + label + " ") + "\n";
      for (const auto& line : wrap(*glyphs, options.width)) out += render_line(*glyphs, line, 0, color) + "\n";
      out += "\n";
    }
  }
  return out;
}

std::string render_html(const AlignedDocument& a, const AlignedDocument& b, const Alignment& al) {
  std::string out = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>samestory compare</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#222}
header{padding:12px 20px;border-bottom:1px solid #ddd;background:#fafafa}
h1{font-size:17px;margin:0 0 6px}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:0}
.doc{padding:14px 20px;white-space:pre-wrap;overflow-wrap:anywhere;border-right:1px solid #eee;height:calc(100vh - 150px);overflow:auto}
.meta{font-size:13px;color:#555}
mark{cursor:pointer;border-radius:3px}
mark sup{font-weight:bold;margin-right:2px}
.p0{background:#d7f5dd}.p1{background:#d6ecfb}.p2{background:#fdf1c7}.p3{background:#f5dcf5}.p4{background:#e2e0fb}.p5{background:#fbdcdc}
.ins{opacity:.45;text-decoration:line-through}
.flash{outline:3px solid #e67e22}
</style></head><body><header><h1>Shared passages</h1>
)";
  auto meta = [&](const char* label, const AlignedDocument& d, uint32_t words, uint32_t shared) {
    out += "<div class=\"meta\"><b>";
    out += label;
    out += "</b> ";
    append_html_escaped(header_line(d, words, shared), &out);
    if (!d.doc->title.empty()) {
      out += " — ";
      append_html_escaped(d.doc->title, &out);
    }
    out += "</div>\n";
  };
  meta("A", a, al.a_words, al.a_shared_words);
  meta("B", b, al.b_words, al.b_shared_words);
  out += fmt::format("<div class=\"meta\">{} shared passages. Click a passage to see it in the other text; struck-through "
                     "lines are inside a passage but only in one text.</div></header>\n",
                     al.passages.size());
  out += "<div class=\"cols\"><div class=\"doc\" id=\"doc-a\">";
  out += html_text(a, al, true);
  out += "</div><div class=\"doc\" id=\"doc-b\">";
  out += html_text(b, al, false);
  out += R"(</div></div>
<script>
document.querySelectorAll('mark').forEach(m => m.addEventListener('click', () => {
  const other = document.getElementById(m.dataset.other);
  if (!other) return;
  other.scrollIntoView({behavior: 'smooth', block: 'center'});
  [m, other].forEach(e => { e.classList.add('flash'); setTimeout(() => e.classList.remove('flash'), 1200); });
}));
</script></body></html>
)";
  return out;
}

}  // namespace samestory
