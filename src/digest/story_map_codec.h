// The parts of a story map as bytes (base/byte_codec.h), for moving them between the processes
// of a distributed run (samestory.dask): articles after cleaning, and story digests.
//
// Guarantees: decode(encode(x)) == x field for field; bytes that the same build did not write
// give an error, never a crash. Not a file format (see byte_codec.h).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "digest/story_map.h"

namespace samestory {

std::string encode_articles(std::span<const MapArticle> articles);
Result<std::vector<MapArticle>> decode_articles(std::string_view bytes);

std::string encode_digests(std::span<const StoryDigest> digests);
Result<std::vector<StoryDigest>> decode_digests(std::string_view bytes);

}  // namespace samestory
