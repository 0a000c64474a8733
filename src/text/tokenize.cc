#include "text/tokenize.h"

// Inline XXH3: tokens are short, and a call through the shared library's PLT cost more than the
// hashing itself (13% of read+tokenise time before this).
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base/utf8.h"
#include "text/normalize.h"

namespace samestory {

namespace {

enum AsciiClass : uint8_t { kOther = 0, kLower = 1, kUpper = 2, kDigit = 3 };

enum : uint8_t { kNonAscii = 4 };

constexpr std::array<uint8_t, 256> make_ascii_classes() {
  std::array<uint8_t, 256> t{};
  for (int c = 0x80; c < 0x100; ++c) t[static_cast<size_t>(c)] = kNonAscii;
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<size_t>(c)] = kLower;
  for (int c = 'A'; c <= 'Z'; ++c) t[static_cast<size_t>(c)] = kUpper;
  for (int c = '0'; c <= '9'; ++c) t[static_cast<size_t>(c)] = kDigit;
  return t;
}
constexpr std::array<uint8_t, 256> kAsciiClass = make_ascii_classes();

inline uint8_t ascii_class(unsigned char c) { return kAsciiClass[c] == kNonAscii ? uint8_t{kOther} : kAsciiClass[c]; }
inline bool ascii_alpha(unsigned char c) { return kAsciiClass[c] == kLower || kAsciiClass[c] == kUpper; }
inline bool ascii_alnum(unsigned char c) { return kAsciiClass[c] >= kLower && kAsciiClass[c] <= kDigit; }

// The word hash (hash_token() in tokenize.h) of up to 16 bytes, given as two little-endian words
// zero-padded past `len`: XXH3's 9-16-byte mixing (a folded 128-bit product of the two words, each
// keyed, plus the length and both words) and its rrmxmx finish, by one path for every length.
// XXH3 itself chooses among four paths by the length, and the lengths of running words follow no
// pattern: its branches missed on about every other word, a quarter of all tokenising time.
inline uint64_t hash_short_word(uint64_t lo, uint64_t hi, size_t len) {
  __extension__ using u128 = unsigned __int128;
  const u128 product = static_cast<u128>(lo ^ 0xBE4BA423396CFEB8ull) * (hi ^ 0x1CAD21F72C81017Cull);
  uint64_t h = static_cast<uint64_t>(len) + __builtin_bswap64(lo) + hi +
               (static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64));
  // XXH3's stronger finish (rrmxmx, from its 4-8-byte path): with only the one-multiply avalanche
  // of its 9-16-byte path, words of up to 8 bytes (one input word) came out correlated enough to
  // bias MinHash: dedup recall against brute force fell from 0.99+ to 0.89 on Giveme5W1H.
  h ^= std::rotl(h, 49) ^ std::rotl(h, 24);
  h *= 0x9FB21C651E98DF25ull;
  h ^= (h >> 35) + static_cast<uint64_t>(len);
  h *= 0x9FB21C651E98DF25ull;
  h ^= h >> 28;
  return h;
}

inline uint64_t load_le64(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

// hash_token() of `n` normalised bytes at `p`.
inline uint64_t hash_word(const char* p, size_t n) {
  if (n > 16) return XXH3_64bits(p, n);
  unsigned char padded[16] = {};
  std::memcpy(padded, p, n);
  return hash_short_word(load_le64(padded), load_le64(padded + 8), n);
}

// Tokens up to this many normalised bytes are built in a stack buffer; longer ones (URLs, runs
// of garbage) go through normalize_token(), which gives the same result.
constexpr size_t kFastTokenBytes = 128;

// Whether an ASCII word of `len` letters and digits followed by the byte `stop` ends there, as
// the byte-at-a-time rules would end it: not when a non-ASCII character or an apostrophe may join
// it, nor at a '.' or ',' after a digit ("3.5", "1,000") or a '.' after a single letter ("U.S.").
inline bool ends_plainly(unsigned char stop, bool last_is_digit, int len) {
  if (stop >= 0x80 || stop == '\'') return false;
  return !((stop == '.' || stop == ',') && (last_is_digit || (len == 1 && stop == '.')));
}

#if defined(__SSE2__)
// Byte masks that keep the first n bytes of 16: loaded from kFirstBytes + 16 - n.
constexpr unsigned char kFirstBytes[32] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                           0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

// hash_word() of the first `len` bytes of `x`.
inline uint64_t hash_word_in_register(__m128i x, int len) {
  const __m128i kept =
      _mm_and_si128(x, _mm_loadu_si128(reinterpret_cast<const __m128i*>(kFirstBytes + 16 - len)));
  return hash_short_word(static_cast<uint64_t>(_mm_cvtsi128_si64(kept)),
                         static_cast<uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(kept, kept))),
                         static_cast<size_t>(len));
}

// The bytes of `x` in [lo, hi], as 0xFF. Signed compares: bytes >= 0x80 are negative and fall
// outside every ASCII range.
inline __m128i bytes_in_range(__m128i x, char lo, char hi) {
  return _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8(static_cast<char>(lo - 1))),
                       _mm_cmplt_epi8(x, _mm_set1_epi8(static_cast<char>(hi + 1))));
}

inline uint32_t byte_bits(__m128i mask) { return static_cast<uint32_t>(_mm_movemask_epi8(mask)); }
#endif

class Tokenizer {
 public:
  Tokenizer(std::string_view text, std::vector<Token>* out, bool vectorised = true)
      : s_(text), n_(text.size()), out_(out), vectorised_(vectorised) {}

  void run() {
    size_t i = 0;
#if defined(__SSE2__)
    if (vectorised_) i = run_blocks();
#endif
    while (i < n_) i = advance(i);
  }

  // run() until `count` tokens are out: the same tokens, since run_blocks() emits what advance()
  // would, one word at a time.
  void run_until(size_t count) {
    size_t i = 0;
    while (i < n_ && out_->size() < count) i = advance(i);
  }

 private:
  // One step at byte i: past a byte between words, or past the word or character that starts
  // there (emitting it). Returns where the next step starts.
  size_t advance(size_t i) {
    const uint8_t cls = kAsciiClass[static_cast<unsigned char>(s_[i])];
    if (cls == kOther) return i + 1;
    if (cls != kNonAscii) return word(i);
    return step(i);
  }

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
    if (c < 0x80) return k < n_ && ascii_alnum(c);
    size_t len;
    const char32_t cp = peek_cp(k, &len);
    return is_word_code_point(cp) && !is_unspaced_script(cp);
  }

  // Scans the word starting at `begin` and emits it; returns the position after it.
  size_t word(size_t begin) {
#if defined(__SSE2__)
    if (vectorised_) {
      if (const size_t end = short_ascii_word(begin)) return end;
    }
#endif
    return word_scalar(begin);
  }

#if defined(__SSE2__)
  // The common case in one step: an ASCII word of 1-15 letters and digits ending at a byte that
  // cannot join it, classified 16 bytes at a time. Returns the position after it and emits it, or
  // 0 (nothing emitted) when word_scalar() has to decide: a non-ASCII, an apostrophe, a '.' or ','
  // after a digit or after a single letter ("U.S."), a word of 16 bytes or more, or too few bytes
  // left to load. The byte-at-a-time loop cost most of the tokeniser's time in branch misses.
  size_t short_ascii_word(size_t begin) {
    if (n_ - begin < 16) return 0;
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s_.data() + begin));
    const uint32_t digit_bits = byte_bits(bytes_in_range(v, '0', '9'));
    const uint32_t word_bits = byte_bits(bytes_in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z')) | digit_bits;
    const int len = std::countr_zero(~word_bits);
    if (len == 0 || len == 16) return 0;
    const auto end = begin + static_cast<size_t>(len);
    if (!ends_plainly(static_cast<unsigned char>(s_[end]), (digit_bits >> (len - 1)) & 1, len)) return 0;
    const uint32_t len_mask = (1u << len) - 1;
    emit_ascii_word(begin, len, (digit_bits & len_mask) == len_mask, s_[begin] >= 'A' && s_[begin] <= 'Z');
    return end;
  }

  // Emits the ASCII word of `len` (1-15) letters and digits at `begin`, which has 16 readable
  // bytes: lower-cased in a register and hashed.
  void emit_ascii_word(size_t begin, int len, bool numeric, bool capitalized) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s_.data() + begin));
    const __m128i upper = bytes_in_range(v, 'A', 'Z');
    const __m128i lowered = _mm_or_si128(v, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
    const uint8_t flags = (numeric ? kTokenNumeric : 0) | (capitalized ? kTokenCapitalized : 0);
    emit_hash(hash_word_in_register(lowered, len), begin, begin + static_cast<size_t>(len), flags);
  }

  // 64-byte masks of the bytes in [at, at + 64): ASCII letters and digits, digits, upper case
  // letters, bytes >= 0x80, and the ASCII joiners inside a word: a '.' or ',' between two digits
  // ("3.5", "1,000"), an apostrophe between two letters ("don't"). A joiner's neighbours must
  // both be in the block, so bit 0 and bit 63 are never joiners (the words there are settled by
  // the next block or by word_scalar()).
  struct BlockMasks {
    uint64_t alnum, digit, upper, non_ascii, joiner, comma;
  };
  BlockMasks classify_block(size_t at) const {
    BlockMasks m{0, 0, 0, 0, 0, 0};
    uint64_t separator = 0, apostrophe = 0;
    for (int part = 0; part < 4; ++part) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s_.data() + at + 16 * part));
      const __m128i upper = bytes_in_range(v, 'A', 'Z');
      const __m128i digit = bytes_in_range(v, '0', '9');
      const __m128i alnum = _mm_or_si128(_mm_or_si128(upper, digit), bytes_in_range(v, 'a', 'z'));
      const __m128i comma = _mm_cmpeq_epi8(v, _mm_set1_epi8(','));
      const __m128i dot = _mm_cmpeq_epi8(v, _mm_set1_epi8('.'));
      const int shift = 16 * part;
      m.alnum |= static_cast<uint64_t>(byte_bits(alnum)) << shift;
      m.digit |= static_cast<uint64_t>(byte_bits(digit)) << shift;
      m.upper |= static_cast<uint64_t>(byte_bits(upper)) << shift;
      m.non_ascii |= static_cast<uint64_t>(byte_bits(v)) << shift;
      m.comma |= static_cast<uint64_t>(byte_bits(comma)) << shift;
      separator |= static_cast<uint64_t>(byte_bits(_mm_or_si128(comma, dot))) << shift;
      apostrophe |= static_cast<uint64_t>(byte_bits(_mm_cmpeq_epi8(v, _mm_set1_epi8('\'')))) << shift;
    }
    const uint64_t alpha = m.alnum & ~m.digit;
    m.joiner = (separator & (m.digit << 1) & (m.digit >> 1)) | (apostrophe & (alpha << 1) & (alpha >> 1));
    m.comma &= m.joiner;
    return m;
  }

  // Tokenizes from the start while at least 80 bytes are left, 64 bytes at a time: the words of a
  // block come from its masks, so finding the next word no longer waits for the previous one's
  // end to be computed (the chain of loads and compares per word was most of the tokeniser's
  // time). A word is a run of letters, digits and joiners; one that the masks cannot settle
  // (non-ASCII next to it, a '.' after a single letter as in "U.S.", 16 bytes or more) goes
  // through word_scalar(), and a non-ASCII byte between words through step(); the block then
  // restarts where they stopped. A word that ends within two bytes of the block's end (its stop
  // byte's joiner bit is not known there) starts the next block. Returns where the byte-at-a-time
  // loop is to go on.
  size_t run_blocks() {
    size_t base = 0;
    while (n_ - base >= 80) {  // 64 classified bytes, and 16 readable past any word start
      const BlockMasks m = classify_block(base);
      const uint64_t in_word = m.alnum | m.joiner;
      uint64_t starts = in_word & ~(in_word << 1);  // base itself is never inside a word
      size_t resume = base + 64;
      while (true) {
        const int next_word = starts ? std::countr_zero(starts) : 64;
        const int next_other = m.non_ascii ? std::countr_zero(m.non_ascii) : 64;
        if (next_other < next_word) {
          resume = step(base + static_cast<size_t>(next_other));
          break;
        }
        if (next_word == 64) break;
        const int len = std::countr_zero(~(in_word >> next_word));
        const size_t begin = base + static_cast<size_t>(next_word);
        if (len >= 16) {
          resume = word_scalar(begin);
          break;
        }
        if (next_word + len >= 63) {  // ends too near the block's end: the next block starts with it
          resume = begin;
          break;
        }
        const auto stop = static_cast<unsigned char>(s_[begin + static_cast<size_t>(len)]);
        if (stop >= 0x80 || (stop == '.' && len == 1)) {
          resume = word_scalar(begin);
          break;
        }
        emit_block_word(begin, len, m, next_word);
        starts &= starts - 1;
      }
      base = resume;
    }
    return base;
  }

  // Emits the word of `len` (1-15) bytes at bit `bit` of the block whose masks are `m`, as
  // word_scalar() would: letters lower-cased, joining commas left out ("1,000" is "1000"), numeric
  // when it has no letters (an apostrophe joins only letters).
  void emit_block_word(size_t begin, int len, const BlockMasks& m, int bit) {
    const uint64_t len_mask = (uint64_t{1} << len) - 1;
    const bool numeric = ((m.alnum & ~m.digit) >> bit & len_mask) == 0;
    const bool capitalized = (m.upper >> bit) & 1;
    const uint64_t commas = m.comma >> bit & len_mask;
    if (commas == 0) {
      emit_ascii_word(begin, len, numeric, capitalized);
      return;
    }
    char lowered[16];
    size_t kept = 0;
    for (int i = 0; i < len; ++i) {
      if ((commas >> i) & 1) continue;
      const auto c = static_cast<unsigned char>(s_[begin + static_cast<size_t>(i)]);
      lowered[kept++] = static_cast<char>(c >= 'A' && c <= 'Z' ? (c | 0x20) : c);
    }
    const uint8_t flags = (numeric ? kTokenNumeric : 0) | (capitalized ? kTokenCapitalized : 0);
    emit_hash(hash_word(lowered, kept), begin, begin + static_cast<size_t>(len), flags);
  }

#endif

  // One step of run() at a non-ASCII byte: a character of a script without spaces, a word, or a
  // character to pass over. Returns the position after it.
  size_t step(size_t i) {
    size_t next = i;
    const char32_t cp = decode_utf8(s_, next);
    if (is_unspaced_script(cp)) {
      emit_slow(i, next, kTokenUnspaced);
      return next;
    }
    // (ʼ U+02BC is a letter to Unicode but only joins words here: alone it starts none, and
    // word() would stop before it and make no progress.)
    if (is_word_code_point(cp) && !is_apostrophe(cp)) return word(i);
    return next;
  }

  size_t word_scalar(size_t begin) {
    // "U.S.", "e.g.": single letters each followed by a period.
    size_t pairs = 0;
    while (ascii_alpha(at(begin + 2 * pairs)) && at(begin + 2 * pairs + 1) == '.') ++pairs;
    if (pairs >= 2 && !ascii_alnum(at(begin + 2 * pairs))) {
      char letters[kFastTokenBytes];
      const size_t count = std::min(pairs, kFastTokenBytes);
      for (size_t p = 0; p < count; ++p) letters[p] = static_cast<char>(at(begin + 2 * p) | 0x20);
      emit_hash(hash_word(letters, count), begin, begin + 2 * pairs, at(begin) < 'a' ? kTokenCapitalized : 0);
      return begin + 2 * pairs;
    }

    char fast[kFastTokenBytes];
    size_t len = 0;
    bool slow = false;
    bool numeric = true;
    uint8_t flags = 0;
    size_t j = begin;
    if (ascii_class(at(j)) == kUpper) {
      flags |= kTokenCapitalized;
    } else if (at(j) >= 0x80) {
      size_t cp_len;
      if (is_uppercase_code_point(peek_cp(j, &cp_len))) flags |= kTokenCapitalized;
    }
    uint8_t prev_class = kOther;  // class of the previous ASCII byte in the word, kOther if non-ASCII
    const auto* p = reinterpret_cast<const unsigned char*>(s_.data());
    while (j < n_) {
      const unsigned char c = p[j];
      const uint8_t cls = kAsciiClass[c];
      if (cls >= kLower && cls <= kDigit) {
        if (len < kFastTokenBytes) fast[len] = static_cast<char>(cls == kUpper ? (c | 0x20) : c);
        ++len;
        numeric = numeric && cls == kDigit;
        prev_class = cls;
        ++j;
        continue;
      }
      if (cls == kOther) {
        if (c == '\'' && (prev_class == kLower || prev_class == kUpper) && ascii_alpha(at(j + 1))) {
          if (len < kFastTokenBytes) fast[len] = '\'';
          ++len;
          numeric = false;
          prev_class = kOther;
          ++j;
          continue;
        }
        if ((c == '.' || c == ',') && prev_class == kDigit && ascii_class(at(j + 1)) == kDigit) {
          if (c == '.') {
            if (len < kFastTokenBytes) fast[len] = '.';
            ++len;
          }
          prev_class = kOther;
          ++j;
          continue;
        }
        break;
      }
      size_t cp_len;
      const char32_t cp = peek_cp(j, &cp_len);
      if (is_apostrophe(cp)) {
        if (j > begin && word_start_at(j + cp_len) && ascii_class(at(j - 1)) != kDigit) {
          if (len < kFastTokenBytes) fast[len] = '\'';
          ++len;
          numeric = false;
          prev_class = kOther;
          j += cp_len;
          continue;
        }
        break;
      }
      if (is_unspaced_script(cp)) break;
      if (is_word_code_point(cp)) {
        slow = true;
        numeric = false;
        prev_class = kOther;
        j += cp_len;
        continue;
      }
      // Soft hyphens and zero-width joiners inside a word (normalisation drops them).
      if ((cp == 0x00AD || cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060) && j > begin &&
          word_start_at(j + cp_len)) {
        slow = true;
        j += cp_len;
        continue;
      }
      break;
    }
    if (numeric) flags |= kTokenNumeric;
    if (slow || len > kFastTokenBytes) {
      emit_slow(begin, j, flags);
    } else {
      emit_hash(hash_word(fast, len), begin, j, flags);
    }
    return j;
  }

  void emit_hash(uint64_t hash, size_t begin, size_t end, uint8_t flags) {
    out_->push_back(Token{hash, static_cast<uint32_t>(begin), static_cast<uint32_t>(end), flags});
  }

  void emit_slow(size_t begin, size_t end, uint8_t flags) {
    normalize_token(s_.substr(begin, end - begin), &buf_);
    if (buf_.empty()) return;  // only ignorable code points
    emit_hash(hash_word(buf_.data(), buf_.size()), begin, end, flags);
  }

  std::string_view s_;
  size_t n_;
  std::vector<Token>* out_;
  bool vectorised_;
  std::string buf_;
};

}  // namespace

void tokenize(std::string_view text, std::vector<Token>* out) { Tokenizer(text, out).run(); }

void tokenize_one_byte_at_a_time(std::string_view text, std::vector<Token>* out) {
  Tokenizer(text, out, /*vectorised=*/false).run();
}

size_t first_tokens(std::string_view text, size_t count, Token* out) {
  thread_local std::vector<Token> scratch;
  scratch.clear();
  Tokenizer(text, &scratch).run_until(count);
  std::copy(scratch.begin(), scratch.end(), out);
  return scratch.size();
}

uint64_t hash_token(std::string_view normalized) { return hash_word(normalized.data(), normalized.size()); }

}  // namespace samestory
