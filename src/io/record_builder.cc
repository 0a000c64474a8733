#include <fmt/format.h>
#include <xxhash.h>

#include <algorithm>
#include <cctype>

#include "base/ascii.h"
#include "base/utf8.h"
#include "io/date.h"
#include "io/format_reader.h"

namespace samestory {

bool FileContext::wanted(uint64_t record) const {
  if (!options->record_filter || options->record_filter(file_index, record)) return true;
  ++counts->filtered;
  return false;
}

void FileContext::reject(Reason reason, const Provenance& where, std::string_view detail) const {
  ++counts->read;
  log->report(reason, where.to_string(), detail);
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string lower_host(std::string_view host) {
  std::string out = lower_ascii(host);
  if (out.starts_with("www.")) out.erase(0, 4);
  return out;
}

// A value such as "www.npr.org" names a host; "NPR" or "Los Angeles Times" is a name.
bool looks_like_host(std::string_view s) {
  if (s.find('.') == std::string_view::npos) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) || c == '.' || c == '-'; });
}

// Copies `in` (a part of `raw`'s text) into `out`, repairing invalid UTF-8. Returns the number of
// replacements.
size_t assign_valid(const RawValue& raw, std::string_view in, std::string* out) {
  out->clear();
  if (raw.valid_utf8 || is_valid_utf8(in)) {
    out->assign(in);
    return 0;
  }
  return repair_utf8(in, out);
}

}  // namespace

std::string outlet_from_url(std::string_view url) {
  url = trim(url);
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  std::string_view rest = url.substr(scheme + 3);
  const size_t end = rest.find_first_of("/?#");
  std::string_view host = rest.substr(0, end);
  if (const size_t at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
  if (const size_t colon = host.find(':'); colon != std::string_view::npos) host = host.substr(0, colon);
  if (host.empty()) return "";
  return lower_host(host);
}

bool build_document(const RawRecord& raw, const Provenance& where, bool sole_record, const FileContext& ctx,
                    Document* doc) {
  const auto& get = [&](Field f) -> const RawValue& { return raw[static_cast<size_t>(f)]; };
  const ReadOptions& options = *ctx.options;
  const RawValue& text = get(Field::kText);
  const RawValue& title = get(Field::kTitle);

  if (!options.labels_only && trim(text.text).empty() && trim(title.text).empty()) {
    ctx.reject(Reason::kMissingText, where,
               text.present ? "the text and title are empty" : "no text or title field (see --field)");
    return false;
  }
  if (text.text.size() > options.max_document_bytes) {
    ctx.reject(Reason::kTooLarge, where,
               fmt::format("text of {} bytes is over the limit of {} (--max-doc-bytes)", text.text.size(),
                           options.max_document_bytes));
    return false;
  }

  if (ctx.seen_ids != nullptr) {
    const std::string_view id = trim(get(Field::kId).text);
    if (!id.empty()) ctx.seen_ids->prefetch(XXH3_64bits(id.data(), id.size()));
  }
  size_t replaced = 0;
  // (Trimming ASCII spaces keeps valid text valid.)
  auto assign_trimmed = [](const RawValue& value, std::string* out) {
    return assign_valid(value, trim(value.text), out);
  };
  replaced += assign_valid(text, text.text, &doc->text);
  replaced += assign_trimmed(title, &doc->title);
  replaced += assign_trimmed(get(Field::kUrl), &doc->url);
  std::string id_value;
  replaced += assign_trimmed(get(Field::kId), &id_value);
  std::string outlet_value;
  replaced += assign_trimmed(get(Field::kOutlet), &outlet_value);
  replaced += assign_trimmed(get(Field::kLabel), &doc->label);
  if (replaced > 0) {
    if (options.strict) {
      ctx.reject(Reason::kInvalidUtf8Strict, where, fmt::format("{} invalid byte sequence(s)", replaced));
      return false;
    }
    ctx.log->report(Reason::kInvalidUtf8, where.to_string(),
                    fmt::format("{} invalid byte sequence(s) replaced with U+FFFD", replaced));
  }

  doc->source = where;
  doc->source.file_index = ctx.file_index;
  doc->page.reset();
  if (!id_value.empty()) {
    doc->id = std::move(id_value);
  } else if (options.require_id) {
    ctx.reject(Reason::kMissingId, where, "the record has no id field");
    return false;
  } else if (sole_record) {
    doc->id = ctx.stem;
  } else {
    doc->id = fmt::format("{}:{}", ctx.stem, where.record);
  }

  if (!outlet_value.empty()) {
    doc->outlet = looks_like_host(outlet_value) ? lower_host(outlet_value) : std::move(outlet_value);
  } else if (std::string host = outlet_from_url(doc->url); !host.empty()) {
    doc->outlet = std::move(host);
  } else if (!options.default_outlet.empty()) {
    doc->outlet = options.default_outlet;
  } else {
    doc->outlet = ctx.stem;
  }

  doc->published = PublishedTime();
  const RawValue& date = get(Field::kDate);
  std::string_view date_text = trim(date.text);
  if (date_text.empty()) {
    if (!options.labels_only) ctx.log->report(Reason::kMissingDate, where.to_string(), date.present ? "the date field is empty" : "");
  } else {
    const DateParse parsed = date.is_number ? parse_epoch(date_text) : parse_date(date_text);
    if (parsed.error == DateError::kNone) {
      doc->published = parsed.time;
    } else {
      std::string shown;
      repair_utf8(date_text.substr(0, 60), &shown);
      ctx.log->report(parsed.error == DateError::kImpossible ? Reason::kImpossibleDate : Reason::kMalformedDate,
                      where.to_string(), fmt::format("'{}'", shown));
    }
  }
  ++ctx.counts->accepted;
  ++ctx.counts->read;
  return true;
}

}  // namespace samestory
