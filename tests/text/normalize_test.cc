#include "text/normalize.h"

#include <gtest/gtest.h>

namespace samestory {
namespace {

TEST(Normalize, CaseFoldingAndNfkc) {
  EXPECT_EQ(normalize_text("Sergei LAVROV"), "sergei lavrov");
  EXPECT_EQ(normalize_text("Straße"), "strasse");            // case folding, not just lower-casing
  EXPECT_EQ(normalize_text("ＵＫ ﬁnance ²"), "uk finance 2");  // NFKC: full-width, ligature, superscript
  EXPECT_EQ(normalize_text("Cafe\u0301"), "caf\u00e9");      // composed
  EXPECT_EQ(normalize_text("ΟΔΥΣΣΕΥΣ"), "οδυσσευσ");
}

TEST(Normalize, QuotesDashesAndWhitespaceAreUnified) {
  EXPECT_EQ(normalize_text("“We’re in a new era” — he said"), "\"we're in a new era\" - he said");
  EXPECT_EQ(normalize_text("‘single’ «double» a–b a‑b"), "'single' \"double\" a-b a-b");
  EXPECT_EQ(normalize_text("  a\u00a0\u00a0b\t\r\nc\u2028d  "), "a b c d");
  EXPECT_EQ(normalize_text("soft\u00adhyphen zero\u200bwidth"), "softhyphen zerowidth");
  EXPECT_EQ(normalize_text(""), "");
  EXPECT_EQ(normalize_text(" \n\t "), "");
}

TEST(Normalize, AsciiFastPathAgreesWithUtf8proc) {
  // The same words with and without a non-ASCII character elsewhere must normalise alike.
  const std::string ascii = "The U.S. Defence Secretary, John HEALEY, said: \"It's 3.5%\"";
  const std::string with_accent = ascii + " é";
  EXPECT_EQ(normalize_text(with_accent), normalize_text(ascii) + " é");
}

TEST(Normalize, Tokens) {
  std::string out;
  normalize_token("U.S.", &out);
  EXPECT_EQ(out, "us");
  normalize_token("1,000", &out);
  EXPECT_EQ(out, "1000");
  normalize_token("3.5", &out);
  EXPECT_EQ(out, "3.5");
  normalize_token("Healey’s", &out);
  EXPECT_EQ(out, "healey's");
  normalize_token("ZELENSKY", &out);
  EXPECT_EQ(out, "zelensky");
}

}  // namespace
}  // namespace samestory
