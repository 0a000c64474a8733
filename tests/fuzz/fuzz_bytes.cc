// Fuzzes what a distributed run reads from other processes (base/byte_codec.h): articles, story
// digests, boilerplate learners and models from arbitrary bytes. Each must be rejected or read;
// read articles and digests encode back to the same bytes, and a read learner merges and
// finishes without failing.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "clean/boilerplate_model.h"
#include "digest/story_map_codec.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace samestory;
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      if (auto a = decode_articles(bytes)) check(encode_articles(*a) == bytes);
      break;
    case 1:
      if (auto d = decode_digests(bytes)) check(encode_digests(*d) == bytes);
      break;
    case 2:
      if (auto learner = BoilerplateLearner::from_bytes(bytes)) {
        BoilerplateLearner merged = BoilerplateLearner::mergeable();
        auto again = BoilerplateLearner::from_bytes(bytes);
        check(again.is_ok());
        merged.merge(std::move(learner).value());
        merged.merge(std::move(again).value());
        (void)merged.finish();
      }
      break;
    default:
      if (auto model = BoilerplateModel::from_bytes(bytes)) (void)model->entries();
      break;
  }
  return 0;
}
