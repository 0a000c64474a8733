#include "text/tokenize.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "test_util.h"
#include "text/normalize.h"

namespace samestory {
namespace {

std::vector<std::string> originals(std::string_view text) {
  std::vector<Token> tokens;
  tokenize(text, &tokens);
  std::vector<std::string> out;
  for (const Token& t : tokens) out.emplace_back(text.substr(t.begin, t.length()));
  return out;
}

std::vector<std::string> normalised(std::string_view text) {
  std::vector<Token> tokens;
  tokenize(text, &tokens);
  std::vector<std::string> out;
  std::string n;
  for (const Token& t : tokens) {
    normalize_token(text.substr(t.begin, t.length()), &n);
    out.push_back(n);
  }
  return out;
}

// Every token's range is its original spelling, and its hash is the hash of normalize_token() of
// those bytes: positions always point into the original text.
void expect_round_trip(std::string_view text) {
  std::vector<Token> tokens;
  tokenize(text, &tokens);
  std::string n;
  uint32_t last_end = 0;
  for (const Token& t : tokens) {
    ASSERT_LE(last_end, t.begin);
    ASSERT_LT(t.begin, t.end);
    ASSERT_LE(t.end, text.size());
    normalize_token(text.substr(t.begin, t.length()), &n);
    EXPECT_EQ(t.hash, hash_token(n)) << "token '" << text.substr(t.begin, t.length()) << "'";
    last_end = t.end;
  }
}

TEST(Tokenize, WordsNumbersApostrophesAndAcronyms) {
  EXPECT_EQ(originals("Mr Healey’s “backstop” — the U.S. and 1,000 troops (3.5%), co-operation; don't!"),
            (std::vector<std::string>{"Mr", "Healey’s", "backstop", "the", "U.S.", "and", "1,000", "troops", "3.5",
                                      "co", "operation", "don't"}));
  EXPECT_EQ(normalised("Healey’s U.S. 1,000 DON'T"), (std::vector<std::string>{"healey's", "us", "1000", "don't"}));
  // A trailing apostrophe or one between digits does not join.
  EXPECT_EQ(originals("students' 90's"), (std::vector<std::string>{"students", "90", "s"}));
}

TEST(Tokenize, FlagsMarkCapitalsAndNumbers) {
  std::vector<Token> tokens;
  tokenize("Lavrov met 12 Élysée officials", &tokens);
  ASSERT_EQ(tokens.size(), 5u);
  EXPECT_TRUE(tokens[0].flags & kTokenCapitalized);
  EXPECT_FALSE(tokens[1].flags & kTokenCapitalized);
  EXPECT_TRUE(tokens[2].flags & kTokenNumeric);
  EXPECT_TRUE(tokens[3].flags & kTokenCapitalized);
}

TEST(Tokenize, SpellingsThatShouldMatchHashAlike) {
  auto hashes = [](std::string_view s) {
    std::vector<Token> t;
    tokenize(s, &t);
    std::vector<uint64_t> h;
    for (const Token& x : t) h.push_back(x.hash);
    return h;
  };
  EXPECT_EQ(hashes("Healey’s SECURITY guarantee"), hashes("healey's security Guarantee"));
  EXPECT_EQ(hashes("ﬁnance Ｎｏｗ"), hashes("finance now"));
  EXPECT_EQ(hashes("impor\u00adtant"), hashes("important"));
  EXPECT_NE(hashes("Sergey"), hashes("Sergei"));
}

TEST(Tokenize, ScriptsWithoutSpacesGiveOneTokenPerCharacter) {
  EXPECT_EQ(originals("美国和俄罗斯官员周二会面。"),
            (std::vector<std::string>{"美", "国", "和", "俄", "罗", "斯", "官", "员", "周", "二", "会", "面"}));
  EXPECT_EQ(originals("ロシアと米国").size(), 6u);
  EXPECT_EQ(originals("ประเทศไทย").size(), 9u);  // Thai: per character (marks included as characters)
  // Mixed text: Latin words stay words.
  EXPECT_EQ(originals("Trump与Putin会谈"), (std::vector<std::string>{"Trump", "与", "Putin", "会", "谈"}));
  // Korean is written with spaces: words.
  EXPECT_EQ(originals("미국 러시아 회담"), (std::vector<std::string>{"미국", "러시아", "회담"}));
}

TEST(Tokenize, OffsetsRoundTripOnVariedText) {
  expect_round_trip("Plain ASCII text, with punctuation... and U.S.A. and e.g. 1,000.50!");
  expect_round_trip("“Quoted” — dashes – and ‘single’ quotes; Zelensky’s 2nd term");
  expect_round_trip("Ünïcödé ẞtraße ΑΘΗΝΑ Москва naïve coöperate ﬁ ﬂ");
  expect_round_trip("美国和俄罗斯 ประเทศไทย 🙂 emoji 🇬🇧 flags");
  expect_round_trip("soft\u00adhyphen zero\u200bwidth joiner\u200d");
  expect_round_trip(std::string(500, 'a') + " long " + std::string(300, '9'));
  expect_round_trip("");
}

TEST(Tokenize, OffsetsRoundTripOnTheSeeds) {
  REQUIRE_SHARED();
  for (const char* name : {"000_87ac6df4963aa302.txt", "004_70fe69c53f983c99.txt"}) {
    std::ifstream in(testing::shared_dir() + "/seeds/" + name);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    expect_round_trip(text);
    std::vector<Token> tokens;
    tokenize(text, &tokens);
    EXPECT_GT(tokens.size(), 800u);
    // Spot-check: the names the seeds spell differently are single tokens.
    bool found_lavrov = false;
    for (const Token& t : tokens) found_lavrov = found_lavrov || text.substr(t.begin, t.length()) == "Lavrov";
    EXPECT_TRUE(found_lavrov);
  }
}

}  // namespace
}  // namespace samestory

namespace samestory {
namespace {

// Found by fuzz_text_layer: a modifier-letter apostrophe (U+02BC) where a word could start made
// the tokenizer emit empty tokens forever.
TEST(Tokenize, AnApostropheNeverStartsAWord) {
  for (std::string_view text : {"\xCA\xBC", "\xEF\xBF\xBD\xCA\xBC\xEF\xBF\xBD", " \xCA\xBCtis", "x \xCA\xBC"}) {
    std::vector<Token> tokens;
    tokenize(text, &tokens);
    for (const Token& t : tokens) EXPECT_LT(t.begin, t.end);
    EXPECT_LE(tokens.size(), 1u) << text;
  }
  std::vector<Token> tokens;
  tokenize("rock\xCA\xBCn roll", &tokens);
  ASSERT_EQ(tokens.size(), 2u);  // still joins letters inside a word
  EXPECT_EQ(tokens[0].end, 7u);
}

}  // namespace
}  // namespace samestory

namespace samestory {
namespace {

void expect_same_as_reference(std::string_view text) {
  std::vector<Token> fast, reference;
  tokenize(text, &fast);
  tokenize_one_byte_at_a_time(text, &reference);
  ASSERT_EQ(fast.size(), reference.size()) << text;
  for (size_t i = 0; i < fast.size(); ++i) {
    EXPECT_EQ(fast[i].hash, reference[i].hash) << i << " in " << text;
    EXPECT_EQ(fast[i].begin, reference[i].begin) << i << " in " << text;
    EXPECT_EQ(fast[i].end, reference[i].end) << i << " in " << text;
    EXPECT_EQ(fast[i].flags, reference[i].flags) << i << " in " << text;
  }
  // first_tokens() stops after the tokens asked for, and they are the same ones.
  for (size_t count : {1, 2, 3}) {
    Token first[3];
    ASSERT_EQ(first_tokens(text, count, first), std::min(count, reference.size())) << text;
    for (size_t i = 0; i < std::min(count, reference.size()); ++i) {
      EXPECT_EQ(first[i].hash, reference[i].hash) << text;
      EXPECT_EQ(first[i].begin, reference[i].begin) << text;
      EXPECT_EQ(first[i].end, reference[i].end) << text;
      EXPECT_EQ(first[i].flags, reference[i].flags) << text;
    }
  }
}

// The vectorised path for short ASCII words must give exactly the byte-at-a-time tokens: random
// texts over the characters where the rules differ (apostrophes, '.' and ',' after letters and
// digits, single letters with periods, capitals, non-ASCII letters and quotes right after a word,
// words of 15, 16 and 17 bytes, text ending within 16 bytes of a word, words across the 64-byte
// blocks).
TEST(Tokenize, VectorisedPathGivesTheReferenceTokens) {
  const std::vector<std::string> pieces = {"a", "B", "z", "Z", "0", "9", "ab", "Xy", "123", "U", ".", ",", "'", " ",
                                           "  ", "-", "é", "É", "’", "ʼ", "美", "\n", "\t", "\u00ad", "a.", "S.",
                                           "1.", "2,", "don't", "U.S.", "e.g.", "3.5", "1,000", "@", "[", "`", "{",
                                           "1,2", "1.2.3", "1,,2", "a'b", "rock'n'roll", "''", "9'a", "a'9", "7,",
                                           "x.1", "1.x",
                                           std::string(15, 'q'), std::string(16, 'Q'), std::string(17, '7'),
                                           std::string(63, 'w'), std::string(64, 'W'), "Ab9 ", " cd. ", "x, "};
  uint64_t state = 0x9E3779B97F4A7C15ull;
  auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    // Short texts, and long ones that the 64-byte blocks see (words across block ends included).
    const size_t count = next() % (round % 2 == 0 ? 24 : 160);
    for (size_t i = 0; i < count; ++i) text += pieces[next() % pieces.size()];
    expect_same_as_reference(text);
    if (HasFailure()) return;
  }
}

TEST(Tokenize, VectorisedPathGivesTheReferenceTokensOnTheSeeds) {
  REQUIRE_SHARED();
  for (const char* name : {"000_87ac6df4963aa302.txt", "004_70fe69c53f983c99.txt"}) {
    std::ifstream in(testing::shared_dir() + "/seeds/" + name);
    std::stringstream ss;
    ss << in.rdbuf();
    expect_same_as_reference(ss.str());
  }
}

}  // namespace
}  // namespace samestory
