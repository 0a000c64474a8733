// Byte offsets into UTF-8 text as code point offsets: what Python's str indexing and most JSON
// consumers call a character position.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace samestory {

// Maps byte offsets of one text to code point offsets. Built once per text (one pass, a
// checkpoint every 256 bytes); each lookup then scans at most 256 bytes.
class CodePointIndex {
 public:
  explicit CodePointIndex(std::string_view text);

  // The number of code points before byte `offset` (which should fall on a character boundary).
  uint32_t at(uint32_t offset) const;

 private:
  static constexpr uint32_t kStride = 256;
  std::string_view text_;
  std::vector<uint32_t> code_points_before_;  // at every kStride-th byte
};

}  // namespace samestory
