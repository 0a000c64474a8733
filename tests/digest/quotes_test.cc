// Quotes and speakers on small invented texts, one form at a time.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "digest/quotes.h"

namespace samestory {
namespace {

struct Found {
  std::string quote;
  std::string speaker;
  SpeakerKind kind;
  QuoteForm form;
};

std::vector<Found> quotes_of(const std::string& text, std::vector<TextRange> skip = {}) {
  QuoteExtraction q;
  extract_quotes(text, skip, {}, &q);
  std::vector<Found> out;
  for (const QuoteMention& m : q.quotes) {
    out.push_back({text.substr(m.quote.begin, m.quote.end - m.quote.begin), m.speaker, m.speaker_kind, m.form});
  }
  return out;
}

TEST(Quotes, AttributionBeforeTheQuoteWithTitleAndColon) {
  const auto q = quotes_of("Mayor Tobias Renner said: “This bridge has served Port Callow for ninety years.”");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].quote, "This bridge has served Port Callow for ninety years.");
  EXPECT_EQ(q[0].speaker, "Tobias Renner");
  EXPECT_EQ(q[0].form, QuoteForm::kDirect);
}

TEST(Quotes, AttributionAfterTheQuoteResolvesASurnameToTheFullName) {
  const auto q = quotes_of(
      "Chief engineer Mairead Quinlan inspected the girders on Monday.\n\n"
      "“We are not prepared to take any risks with public safety,” Quinlan told reporters.\n\n"
      "“The cracks are small,” said Ms Quinlan.");
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].speaker, "Mairead Quinlan");
  EXPECT_EQ(q[1].speaker, "Mairead Quinlan");
}

TEST(Quotes, PronounsAndTitlesResolveToTheNearestNamedSpeaker) {
  const auto q = quotes_of(
      "Chief engineer Mairead Quinlan said the survey would take three weeks.\n\n"
      "Mayor Tobias Renner said the council had set money aside.\n\n"
      "He added: “We intend to make sure it serves the town for ninety more years.”\n\n"
      "The chief engineer said: “The load is greatest exactly where the cracks are.”");
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].speaker, "Tobias Renner");
  EXPECT_EQ(q[1].speaker, "Mairead Quinlan");
}

TEST(Quotes, AnAppositiveTitleIsSkippedAndRemembered) {
  const auto q = quotes_of(
      "Ruth Okafor, the harbour master, told the Gazette the ferries would run “every twenty minutes until dark”.\n\n"
      "The harbour master said: “Nobody will be stranded on the wrong side tonight.”");
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0].speaker, "Ruth Okafor");
  EXPECT_EQ(q[0].form, QuoteForm::kPartial);
  EXPECT_EQ(q[1].speaker, "Ruth Okafor");
}

TEST(Quotes, AnUnquotedStatementEndingInAnAttribution) {
  const auto q = quotes_of("Tobias Renner is the mayor.\n\nThe bridge will reopen to buses in the first week of April, Renner said.");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].quote, "The bridge will reopen to buses in the first week of April");
  EXPECT_EQ(q[0].speaker, "Tobias Renner");
  EXPECT_EQ(q[0].form, QuoteForm::kUnquoted);
}

TEST(Quotes, AQuoteOverSeveralParagraphsKeepsItsSpeaker) {
  const auto q = quotes_of(
      "Mayor Tobias Renner said: “This bridge has served the town for ninety years.\n\n"
      "“We intend to make sure it serves it for ninety more, whatever the repairs cost.”\n\n"
      "Sir Alan Pike said he agreed.\n\n"
      "“It is the right decision,” he said.\n\n"
      "“And it is the only one we could take.”");
  ASSERT_EQ(q.size(), 4u);
  EXPECT_EQ(q[0].speaker, "Tobias Renner");
  EXPECT_EQ(q[1].speaker, "Tobias Renner");
  EXPECT_EQ(q[2].speaker, "Alan Pike");
  EXPECT_EQ(q[3].speaker, "Alan Pike") << "a bare quote paragraph continues the previous speaker";
}

TEST(Quotes, FragmentsShareTheSpeakerOfTheirSentenceAndScareQuotesAreNotQuotes) {
  const auto q = quotes_of(
      "Ferry operator Lena Marsh said the timetable was “being rewritten” and the new one would be "
      "“ready before the weekend rush”, calling the closure a “nuisance”.");
  ASSERT_EQ(q.size(), 1u) << "“being rewritten” and “nuisance” are under three words";
  EXPECT_EQ(q[0].quote, "ready before the weekend rush");
  EXPECT_EQ(q[0].speaker, "Lena Marsh");
}

TEST(Quotes, AnonymousSourcesAreNotResolvedToSomeoneElse) {
  const auto q = quotes_of(
      "Mayor Tobias Renner spoke first.\n\n"
      "A council spokesperson said: “Residents will get letters this week.”");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].kind, SpeakerKind::kAnonymous);
  EXPECT_EQ(q[0].speaker, "A council spokesperson");
}

TEST(Quotes, SkippedBoilerplateIsNeverRead) {
  const std::string text =
      "Mayor Tobias Renner said: “The bridge will reopen soon enough.”\n\n"
      "“Support our journalism today,” the editor said.";
  const auto ad = static_cast<uint32_t>(text.find("“Support"));
  const auto q = quotes_of(text, {{ad, static_cast<uint32_t>(text.size())}});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].speaker, "Tobias Renner");
}

TEST(Quotes, AsciiQuotationMarks) {
  const auto q = quotes_of("\"We expected worse,\" said Harbour Master Ruth Okafor.");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].quote, "We expected worse,");
  EXPECT_EQ(q[0].speaker, "Ruth Okafor");
}

TEST(Quotes, UnbalancedAndEmptyInputDoNotBreakIt) {
  EXPECT_TRUE(quotes_of("").empty());
  EXPECT_TRUE(quotes_of("”””").empty());
  const auto q = quotes_of("He said: “this never closes and runs to the end of the text");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].kind, SpeakerKind::kNone) << "a pronoun with no one before it stays unresolved";
}

TEST(SamePerson, TransliterationsTyposAndPartialNames) {
  EXPECT_TRUE(same_person("Sergey Lavrov", "Sergei Lavrov"));
  EXPECT_TRUE(same_person("John Healey", "Healy"));
  EXPECT_TRUE(same_person("Lavrov", "Sergei Lavrov"));
  EXPECT_TRUE(same_person("Tobias Renner", "Tobias Rennér"));
  EXPECT_FALSE(same_person("John Smith", "Jane Smith"));
  EXPECT_FALSE(same_person("Marco Rubio", "Olaf Scholz"));
  EXPECT_FALSE(same_person("Ed Davey", "Ed Day"));
  EXPECT_FALSE(same_person("", "Ed Davey"));
}

TEST(EditDistance, StopsAtTheLimit) {
  EXPECT_EQ(edit_distance(U"healey", U"healy", 3), 1);
  EXPECT_EQ(edit_distance(U"sergey", U"sergei", 3), 1);
  EXPECT_EQ(edit_distance(U"abc", U"xyzxyz", 2), 3);
  EXPECT_EQ(edit_distance(U"", U"", 0), 0);
}

}  // namespace
}  // namespace samestory
