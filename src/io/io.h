// The io stage: reading news corpora into Documents.
//
// What it offers:
//   Document, PublishedTime, Provenance  (io/document.h)   one article, whatever its format
//   CorpusReader, ReadOptions             (io/corpus_reader.h) every document of files, directory
//                                          trees, @lists and stdin; text, JSONL, JSON, CSV/TSV;
//                                          plain, gzip or zstd; in constant memory
//   FieldMap                              (io/field_map.h)  which input fields hold what
//   ProblemLog, Reason                    (io/problems.h)   every bad record reported and counted
//   parse_date                            (io/date.h)       the date forms news data uses
//   open_byte_source, BufferedReader      (io/byte_source.h) decompressed bytes and lines
//
// What it guarantees: documents come out in a deterministic order, with valid UTF-8, unique ids
// and their provenance; nothing read is lost without a reason being counted.
#pragma once

#include "io/byte_source.h"
#include "io/corpus_reader.h"
#include "io/date.h"
#include "io/document.h"
#include "io/field_map.h"
#include "io/problems.h"
