// The text stage: how samestory reads words.
//
// What it offers:
//   normalize_text, normalize_token  (text/normalize.h)  NFKC + case folding + unified quotes,
//                                    dashes and spaces: the form in which spellings compare equal
//   tokenize, Token                  (text/tokenize.h)   words with normalised hashes and byte
//                                    ranges in the original text; one token per character in
//                                    scripts without spaces
//   split_paragraphs, split_sentences (text/segment.h)   byte ranges of paragraphs and sentences
//   CorpusProfile                    (text/corpus_profile.h) documents, outlets, dates, tokens
//   CodePointIndex                   (text/offsets.h)    byte offsets as code point offsets
//
// What it guarantees: every position is a byte offset into the original text, never into a
// normalised copy.
#pragma once

#include "text/corpus_profile.h"
#include "text/normalize.h"
#include "text/offsets.h"
#include "text/segment.h"
#include "text/tokenize.h"
