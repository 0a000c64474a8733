#include "text/tokenize.h"

#include <xxhash.h>

#include <array>

#include "base/utf8.h"
#include "text/normalize.h"

namespace samestory {

namespace {

enum AsciiClass : uint8_t { kOther = 0, kLower = 1, kUpper = 2, kDigit = 3 };

constexpr std::array<uint8_t, 128> make_ascii_classes() {
  std::array<uint8_t, 128> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<size_t>(c)] = kLower;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<size_t>(c)] = kUpper;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<size_t>(c)] = kDigit;
  return t;
}
constexpr std::array<uint8_t, 128> kAsciiClass = make_ascii_classes();

inline uint8_t ascii_class(unsigned char c) { return c < 0x80 ? kAsciiClass[c] : uint8_t{kOther}; }
inline bool ascii_alpha(unsigned char c) { return c < 0x80 && (kAsciiClass[c] == kLower || kAsciiClass[c] == kUpper); }
inline bool ascii_alnum(unsigned char c) { return c < 0x80 && kAsciiClass[c] != kOther; }

class Tokenizer {
 public:
  Tokenizer(std::string_view text, std::vector<Token>* out) : s_(text), n_(text.size()), out_(out) {}

  void run() {
    size_t i = 0;
    while (i < n_) {
      const auto c = static_cast<unsigned char>(s_[i]);
      if (c < 0x80) {
        if (kAsciiClass[c] == kOther) {
          ++i;
          continue;
        }
        i = word(i);
        continue;
      }
      size_t next = i;
      const char32_t cp = decode_utf8(s_, next);
      if (is_unspaced_script(cp)) {
        emit_slow(i, next, kTokenUnspaced);
        i = next;
      } else if (is_word_code_point(cp)) {
        i = word(i);
      } else {
        i = next;
      }
    }
  }

 private:
  unsigned char at(size_t k) const { return k < n_ ? static_cast<unsigned char>(s_[k]) : 0; }

  // The code point at k (0 past the end), and its byte length in *len.
  char32_t peek_cp(size_t k, size_t* len) const {
    if (k >= n_) {
      *len = 0;
      return 0;
    }
    size_t j = k;
    const char32_t cp = decode_utf8(s_, j);
    *len = j - k;
    return cp;
  }

  bool word_start_at(size_t k) const {
    const unsigned char c = at(k);
    if (c < 0x80) return ascii_alnum(c);
    size_t len;
    const char32_t cp = peek_cp(k, &len);
    return is_word_code_point(cp) && !is_unspaced_script(cp);
  }

  // Scans the word starting at `begin` and emits it; returns the position after it.
  size_t word(size_t begin) {
    // "U.S.", "e.g.": single letters each followed by a period.
    size_t pairs = 0;
    while (ascii_alpha(at(begin + 2 * pairs)) && at(begin + 2 * pairs + 1) == '.') ++pairs;
    if (pairs >= 2 && !ascii_alnum(at(begin + 2 * pairs))) {
      buf_.clear();
      for (size_t p = 0; p < pairs; ++p) buf_.push_back(static_cast<char>(at(begin + 2 * p) | 0x20));
      emit(begin, begin + 2 * pairs, at(begin) < 'a' ? kTokenCapitalized : 0);
      return begin + 2 * pairs;
    }

    buf_.clear();
    bool slow = false;
    bool numeric = true;
    uint8_t flags = 0;
    size_t j = begin;
    if (ascii_class(at(j)) == kUpper) {
      flags |= kTokenCapitalized;
    } else if (at(j) >= 0x80) {
      size_t len;
      if (is_uppercase_code_point(peek_cp(j, &len))) flags |= kTokenCapitalized;
    }
    unsigned char prev_class = kOther;  // class of the previous ASCII byte in the word, kOther if non-ASCII
    while (j < n_) {
      const auto c = static_cast<unsigned char>(s_[j]);
      if (c < 0x80) {
        const uint8_t cls = kAsciiClass[c];
        if (cls != kOther) {
          buf_.push_back(cls == kUpper ? static_cast<char>(c | 0x20) : static_cast<char>(c));
          numeric = numeric && cls == kDigit;
          prev_class = cls;
          ++j;
          continue;
        }
        if (c == '\'' && prev_class != kOther && prev_class != kDigit && ascii_alpha(at(j + 1))) {
          buf_.push_back('\'');
          numeric = false;
          prev_class = kOther;
          ++j;
          continue;
        }
        if ((c == '.' || c == ',') && prev_class == kDigit && ascii_class(at(j + 1)) == kDigit) {
          if (c == '.') buf_.push_back('.');
          prev_class = kOther;
          ++j;
          continue;
        }
        break;
      }
      size_t len;
      const char32_t cp = peek_cp(j, &len);
      if (is_apostrophe(cp)) {
        if (j > begin && word_start_at(j + len) && !(ascii_class(at(j - 1)) == kDigit)) {
          buf_.push_back('\'');
          numeric = false;
          prev_class = kOther;
          j += len;
          continue;
        }
        break;
      }
      if (is_unspaced_script(cp)) break;
      if (is_word_code_point(cp)) {
        slow = true;
        numeric = false;
        prev_class = kOther;
        j += len;
        continue;
      }
      // Soft hyphens and zero-width joiners inside a word (normalisation drops them).
      if ((cp == 0x00AD || cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060) && j > begin &&
          word_start_at(j + len)) {
        slow = true;
        j += len;
        continue;
      }
      break;
    }
    if (numeric) flags |= kTokenNumeric;
    if (slow) {
      emit_slow(begin, j, flags);
    } else {
      emit(begin, j, flags);
    }
    return j;
  }

  void emit(size_t begin, size_t end, uint8_t flags) {
    out_->push_back(Token{XXH3_64bits(buf_.data(), buf_.size()), static_cast<uint32_t>(begin),
                          static_cast<uint32_t>(end), flags});
  }

  void emit_slow(size_t begin, size_t end, uint8_t flags) {
    normalize_token(s_.substr(begin, end - begin), &buf_);
    if (buf_.empty()) return;  // only ignorable code points
    emit(begin, end, flags);
  }

  std::string_view s_;
  size_t n_;
  std::vector<Token>* out_;
  std::string buf_;
};

}  // namespace

void tokenize(std::string_view text, std::vector<Token>* out) { Tokenizer(text, out).run(); }

uint64_t hash_token(std::string_view normalized) { return XXH3_64bits(normalized.data(), normalized.size()); }

}  // namespace samestory
