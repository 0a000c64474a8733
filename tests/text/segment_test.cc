#include "text/segment.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace samestory {
namespace {

std::vector<std::string> texts(std::string_view text, const std::vector<Span>& spans) {
  std::vector<std::string> out;
  for (const Span& s : spans) out.emplace_back(text.substr(s.begin, s.length()));
  return out;
}

TEST(Paragraphs, BlankLinesAndSingleLineBreaks) {
  const std::string text = "First para.\n\n  Second para.  \nThird on its own line.\n\n\n";
  EXPECT_EQ(texts(text, split_paragraphs(text)),
            (std::vector<std::string>{"First para.", "Second para.", "Third on its own line."}));
}

TEST(Paragraphs, HardWrappedWireCopyJoinsLinesUntilAnIndent) {
  const std::string text =
      "Showers continued throughout the week in\n"
      "the Bahia cocoa zone, alleviating the drought since early\n"
      "January and improving prospects for the coming temporao,\n"
      "although normal humidity levels have not been restored.\n"
      "    The dry period means the temporao will be late this year.\n"
      "    Arrivals for the week ended February 22 were 155,221 bags\n"
      "of 60 kilos making a cumulative total this season of 5.93 mln.\n";
  EXPECT_TRUE(is_hard_wrapped(text));
  const auto paras = texts(text, split_paragraphs(text));
  ASSERT_EQ(paras.size(), 3u);
  EXPECT_TRUE(paras[0].starts_with("Showers") && paras[0].ends_with("restored."));
  EXPECT_TRUE(paras[2].starts_with("Arrivals") && paras[2].ends_with("5.93 mln."));
}

TEST(Sentences, SplitAfterTerminatorsNotAfterAbbreviationsOrInitials) {
  const std::string text =
      "Mr. Healey met Dr. Smith on Jan. 5 in the U.S. capital. “We need a guarantee,” he said. "
      "Was it enough? John F. Kennedy said so! It rose 3.5 per cent.";
  EXPECT_EQ(texts(text, split_sentences(text)),
            (std::vector<std::string>{"Mr. Healey met Dr. Smith on Jan. 5 in the U.S. capital.",
                                      "“We need a guarantee,” he said.", "Was it enough?",
                                      "John F. Kennedy said so!", "It rose 3.5 per cent."}));
}

TEST(Sentences, ClosingQuotesStayWithTheirSentence) {
  const std::string text = "He said: “It is over.” Then he left.";
  EXPECT_EQ(texts(text, split_sentences(text)),
            (std::vector<std::string>{"He said: “It is over.”", "Then he left."}));
}

TEST(Sentences, ParagraphBreaksEndSentencesAndCjkStopsNeedNoSpace) {
  const std::string text = "Advertisement Hide Ad\n\nNo stop at the end\nNext line.\n美国官员会面。双方同意。";
  EXPECT_EQ(texts(text, split_sentences(text)),
            (std::vector<std::string>{"Advertisement Hide Ad", "No stop at the end", "Next line.", "美国官员会面。",
                                      "双方同意。"}));
}

TEST(Sentences, SpansAreTrimmedOrderedAndDisjoint) {
  REQUIRE_SHARED();
  const auto r = testing::read_all({testing::shared_dir() + "/seeds"});
  for (const Document& d : r.docs) {
    const auto sentences = split_sentences(d.text);
    EXPECT_GT(sentences.size(), 30u);
    uint32_t last = 0;
    for (const Span& s : sentences) {
      ASSERT_LE(last, s.begin);
      ASSERT_LT(s.begin, s.end);
      EXPECT_FALSE(std::isspace(static_cast<unsigned char>(d.text[s.begin])));
      EXPECT_FALSE(std::isspace(static_cast<unsigned char>(d.text[s.end - 1])));
      last = s.end;
    }
  }
}


// count_words goes 16 bytes at a time where it can: it must count exactly as a byte loop does,
// including words that cross a block's end and texts shorter than a block.
TEST(Words, BlockCountMatchesAByteLoop) {
  auto reference = [](std::string_view t) {
    uint32_t n = 0;
    bool in_word = false;
    for (char c : t) {
      const bool blank = c == ' ' || c == '\t' || c == '\n' || c == '\r';
      n += !blank && !in_word;
      in_word = !blank;
    }
    return n;
  };
  EXPECT_EQ(count_words(""), 0u);
  EXPECT_EQ(count_words("  \t\r\n "), 0u);
  EXPECT_EQ(count_words("one"), 1u);
  EXPECT_EQ(count_words("Sign up\tto our\r\nnewsletter – now\xC2\xA0" "free"), 7u);  // a dash is a word; NBSP joins two
  const std::string pieces[] = {" ", "\t", "\n", "\r", "a", "word", "\xE2\x80\x94", "x\x01y", "0"};
  uint64_t seed = 12345;
  for (int trial = 0; trial < 3000; ++trial) {
    std::string t;
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    const size_t parts = (seed >> 33) % 60;
    for (size_t i = 0; i < parts; ++i) {
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      t += pieces[(seed >> 33) % std::size(pieces)];
    }
    ASSERT_EQ(count_words(t), reference(t)) << "text: " << t;
  }
}

// The splitter skips 16 bytes at a time to the next byte that can begin a terminator: every
// terminator, one or three bytes long, must still be found at every position relative to a block,
// and curly quotes (whose lead byte is also a candidate) must not end a sentence.
TEST(Sentences, TerminatorsAreFoundAtEveryOffsetInABlock) {
  const std::string terminators[] = {".", "!", "?", "\xE2\x80\xA6", "\xE3\x80\x82", "\xEF\xBC\x81", "\xEF\xBC\x9F"};
  for (const std::string& stop : terminators) {
    const bool cjk = stop == "\xE3\x80\x82" || stop == "\xEF\xBC\x81" || stop == "\xEF\xBC\x9F";
    for (size_t pad = 1; pad < 40; ++pad) {
      const std::string first = std::string(pad, 'a') + " \xE2\x80\x9Cquoted\xE2\x80\x9D word" + stop;
      const std::string text = first + (cjk ? "" : " ") + "Next one here.";
      EXPECT_EQ(texts(text, split_sentences(text)), (std::vector<std::string>{first, "Next one here."}))
          << "terminator " << stop << " after " << pad << " bytes";
    }
  }
  EXPECT_EQ(split_sentences(std::string(50, 'x') + " \xE2\x80\x99tis so").size(), 1u);
}

TEST(Sentences, IntoAVectorGivesWhatTheReturnedOneHolds) {
  const std::string text = "Mr. Smith went to Washington. He said: \"No.\" Then he left.\n\nA new paragraph here.";
  std::vector<Span> into{{1, 2}};  // cleared first
  split_sentences(text, &into);
  EXPECT_EQ(into, split_sentences(text));
  split_paragraphs(text, &into);
  EXPECT_EQ(into, split_paragraphs(text));
}

}  // namespace
}  // namespace samestory
