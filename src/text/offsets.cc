#include "text/offsets.h"

namespace samestory {
namespace {

bool starts_code_point(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

}  // namespace

CodePointIndex::CodePointIndex(std::string_view text) : text_(text) {
  code_points_before_.reserve(text.size() / kStride + 1);
  uint32_t count = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i % kStride == 0) code_points_before_.push_back(count);
    count += starts_code_point(text[i]);
  }
  if (text.size() % kStride == 0) code_points_before_.push_back(count);
}

uint32_t CodePointIndex::at(uint32_t offset) const {
  if (offset > text_.size()) offset = static_cast<uint32_t>(text_.size());
  const uint32_t block = offset / kStride;
  uint32_t count = code_points_before_[block];
  for (uint32_t i = block * kStride; i < offset; ++i) count += starts_code_point(text_[i]);
  return count;
}

}  // namespace samestory
