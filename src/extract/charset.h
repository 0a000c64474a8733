// Charset detection and conversion of web pages to UTF-8.
//
// A page's bytes are decoded by the first of these that applies, in the order browsers use:
//   1. a byte order mark (UTF-8, UTF-16LE, UTF-16BE);
//   2. the charset of the HTTP Content-Type header (from a WARC response record);
//   3. a <meta charset> or <meta http-equiv="Content-Type"> in the first 4 KiB;
//   4. none declared: UTF-8 when the bytes are valid UTF-8, else windows-1252.
// A declaration that lies is caught where it can be: bytes that are valid UTF-8 with non-ASCII
// characters are read as UTF-8 whatever a legacy label says (a page re-encoded by its CMS that
// kept the old meta tag is the common case), and labels are mapped as WHATWG does (iso-8859-1 and
// ascii mean windows-1252). An unknown label falls back to windows-1252.
//
// Guarantees: the output is valid UTF-8; bytes that cannot be decoded become U+FFFD and are
// counted; memory is proportional to the input.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace samestory {

struct DecodedPage {
  std::string text;         // the page as valid UTF-8, without a byte order mark
  std::string charset;      // the charset that decoded it, lower case ("utf-8", "windows-1251")
  std::string source;       // which rule chose it: "bom", "http", "meta", "sniffed" or "default"
  size_t replacements = 0;  // undecodable byte sequences replaced by U+FFFD
};

// The charset named by a Content-Type value ("text/html; charset=ISO-8859-1" -> "iso-8859-1"),
// lower case; "" when none.
std::string charset_from_content_type(std::string_view content_type);

// The charset a <meta> tag declares in the first 4 KiB of `bytes`; "" when none.
std::string charset_from_meta(std::string_view bytes);

// Decodes `bytes` by the rules above. `http_content_type` is the HTTP header's value, "" if none.
DecodedPage decode_page(std::string_view bytes, std::string_view http_content_type = {});

}  // namespace samestory
