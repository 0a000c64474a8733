#include "extract/charset.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>

#include "base/ascii.h"
#include "base/utf8.h"

namespace samestory {

namespace {

constexpr size_t kMetaScanBytes = 4096;

bool is_label_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == ':' || c == '.';
}

// The label after "charset" at `pos` in `s` (which is lower case), skipping '=', blanks and quotes.
std::string label_after(std::string_view s, size_t pos) {
  while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t')) ++pos;
  if (pos >= s.size() || s[pos] != '=') return {};
  ++pos;
  while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '"' || s[pos] == '\'')) ++pos;
  size_t end = pos;
  while (end < s.size() && is_label_char(s[end])) ++end;
  return std::string(s.substr(pos, end - pos));
}

// WHATWG's label mapping for the labels that matter: the Latin-1 family decodes as windows-1252.
std::string canonical_label(std::string label) {
  if (label == "utf8" || label == "unicode-1-1-utf-8" || label == "x-unicode20utf8") return "utf-8";
  if (label == "iso-8859-1" || label == "iso8859-1" || label == "latin1" || label == "l1" || label == "ascii" ||
      label == "us-ascii" || label == "iso_8859-1" || label == "cp1252" || label == "x-cp1252" ||
      label == "iso-ir-100" || label == "cp819")
    return "windows-1252";
  if (label == "gb2312" || label == "x-gbk" || label == "gbk") return "gb18030";
  if (label == "x-sjis" || label == "sjis" || label == "ms_kanji") return "shift_jis";
  return label;
}

bool has_non_ascii(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

// Converts with iconv; an undecodable byte becomes U+FFFD and decoding resumes at the next byte.
// False when iconv does not know `charset`.
bool convert(std::string_view bytes, const std::string& charset, std::string* out, size_t* replacements) {
  iconv_t cd = iconv_open("UTF-8", charset.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  out->clear();
  out->reserve(bytes.size() + bytes.size() / 4);
  char buffer[16384];
  char* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  while (in_left > 0) {
    char* dst = buffer;
    size_t dst_left = sizeof buffer;
    const size_t rc = iconv(cd, &in, &in_left, &dst, &dst_left);
    out->append(buffer, static_cast<size_t>(dst - buffer));
    if (rc == static_cast<size_t>(-1) && errno != E2BIG) {
      // EILSEQ or EINVAL (a sequence cut by the end): skip one byte.
      out->append("\xEF\xBF\xBD");
      ++*replacements;
      ++in;
      --in_left;
      iconv(cd, nullptr, nullptr, nullptr, nullptr);
    }
  }
  iconv_close(cd);
  // iconv's UTF-8 is valid, but a defective converter must not break the guarantee.
  if (!is_valid_utf8(*out)) {
    std::string repaired;
    *replacements += repair_utf8(*out, &repaired);
    *out = std::move(repaired);
  }
  return true;
}

}  // namespace

std::string charset_from_content_type(std::string_view content_type) {
  const std::string s = lower_ascii(content_type);
  size_t pos = 0;
  while ((pos = s.find("charset", pos)) != std::string::npos) {
    std::string label = label_after(s, pos + 7);
    if (!label.empty()) return label;
    pos += 7;
  }
  return {};
}

std::string charset_from_meta(std::string_view bytes) {
  const std::string head = lower_ascii(bytes.substr(0, kMetaScanBytes));
  size_t pos = 0;
  while ((pos = head.find("<meta", pos)) != std::string::npos) {
    const size_t end = std::min(head.find('>', pos), head.size());
    const std::string_view tag = std::string_view(head).substr(pos, end - pos);
    size_t at = 0;
    while ((at = tag.find("charset", at)) != std::string_view::npos) {
      std::string label = label_after(tag, at + 7);
      if (!label.empty()) return label;
      at += 7;
    }
    pos = end;
  }
  return {};
}

DecodedPage decode_page(std::string_view bytes, std::string_view http_content_type) {
  DecodedPage page;
  std::string declared;
  if (bytes.starts_with("\xEF\xBB\xBF")) {
    bytes.remove_prefix(3);
    declared = "utf-8";
    page.source = "bom";
  } else if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
    declared = bytes[0] == '\xFF' ? "utf-16le" : "utf-16be";
    bytes.remove_prefix(2);
    page.source = "bom";
  } else if (std::string label = charset_from_content_type(http_content_type); !label.empty()) {
    declared = std::move(label);
    page.source = "http";
  } else if (std::string meta = charset_from_meta(bytes); !meta.empty()) {
    declared = std::move(meta);
    page.source = "meta";
  }
  declared = canonical_label(std::move(declared));
  // A meta tag can only declare an ASCII-compatible charset: one saying UTF-16 is a page that was
  // re-encoded and kept its old tag (the HTML standard reads it as UTF-8).
  if (page.source == "meta" && declared.starts_with("utf-16")) declared = "utf-8";

  const bool utf16 = declared.starts_with("utf-16");
  if (!utf16 && (declared.empty() || declared == "utf-8" || !has_non_ascii(bytes) || is_valid_utf8(bytes))) {
    // UTF-8 by declaration, or bytes that any ASCII-compatible reading gives the same, or valid
    // UTF-8 with non-ASCII characters, which a legacy charset almost never produces by chance.
    if (is_valid_utf8(bytes)) {
      page.text.assign(bytes);
      page.charset = "utf-8";
      if (!declared.empty() && declared != "utf-8" && has_non_ascii(bytes)) page.source = "sniffed";
      if (page.source.empty()) page.source = "default";
      return page;
    }
    if (declared == "utf-8") {
      page.replacements = repair_utf8(bytes, &page.text);
      page.charset = "utf-8";
      return page;
    }
  }
  if (declared.empty()) {
    declared = "windows-1252";
    page.source = "default";
  }
  if (!convert(bytes, declared, &page.text, &page.replacements)) {
    // An unknown label: read the bytes the way browsers read undeclared pages.
    declared = "windows-1252";
    page.source = "default";
    page.replacements = 0;
    convert(bytes, declared, &page.text, &page.replacements);
  }
  page.charset = declared;
  return page;
}

}  // namespace samestory
