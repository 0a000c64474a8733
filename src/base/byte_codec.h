// ByteWriter and ByteReader: engine values as bytes, for moving them between processes of one
// distributed run (the Python module pickles with them for Dask).
//
// Not a file format: there is no version and no byte-order mark, so both ends must be the same
// build on the same kind of machine, which a Dask cluster running one installation is.
//
// A type is written field by field by one function that serves both directions,
//   template <class IO> void transfer(IO& io, TextRange& r) { io(r.begin); io(r.end); }
// found by argument-dependent lookup; arithmetic types, enums, std::string, std::vector, std::pair
// and fixed arrays are built in. The reader never trusts a size it reads: a buffer that is short,
// or that announces more elements than bytes remain, leaves the reader failed (ok() == false) and
// the values it filled unspecified, so a corrupt pickle is an error, not a crash.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace samestory {

class ByteWriter {
 public:
  explicit ByteWriter(std::string* out) : out_(out) {}

  template <typename T>
  ByteWriter& operator()(const T& value) {
    if constexpr (std::is_same_v<T, bool>) {
      out_->push_back(value ? 1 : 0);
    } else if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T>) {
      out_->append(reinterpret_cast<const char*>(&value), sizeof value);
    } else if constexpr (std::is_same_v<T, std::string>) {
      (*this)(static_cast<uint64_t>(value.size()));
      out_->append(value);
    } else if constexpr (std::is_array_v<T>) {
      for (const auto& v : value) (*this)(v);
    } else {
      transfer(*this, const_cast<T&>(value));  // transfer() only reads when given a writer
    }
    return *this;
  }
  template <typename T>
  ByteWriter& operator()(const std::vector<T>& values) {
    (*this)(static_cast<uint64_t>(values.size()));
    for (const T& v : values) (*this)(v);
    return *this;
  }
  template <typename A, typename B>
  ByteWriter& operator()(const std::pair<A, B>& p) {
    return (*this)(p.first)(p.second);
  }

 private:
  std::string* out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}

  bool ok() const { return ok_; }
  // True when every byte was read and nothing failed.
  bool finished() const { return ok_ && in_.empty(); }

  template <typename T>
  ByteReader& operator()(T& value) {
    if constexpr (std::is_same_v<T, bool>) {  // any other byte would be an invalid bool
      uint8_t b = 0;
      (*this)(b);
      ok_ = ok_ && b <= 1;
      value = b == 1;
    } else if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T>) {
      if (!take(sizeof value)) return *this;
      std::memcpy(&value, in_.data() - sizeof value, sizeof value);
    } else if constexpr (std::is_same_v<T, std::string>) {
      const uint64_t n = size(1);
      if (!take(n)) return *this;
      value.assign(in_.data() - n, n);
    } else if constexpr (std::is_array_v<T>) {
      for (auto& v : value) (*this)(v);
    } else {
      transfer(*this, value);
    }
    return *this;
  }
  template <typename T>
  ByteReader& operator()(std::vector<T>& values) {
    const uint64_t n = size(1);
    values.clear();
    values.reserve(n);
    for (uint64_t i = 0; i < n && ok_; ++i) (*this)(values.emplace_back());
    return *this;
  }
  template <typename A, typename B>
  ByteReader& operator()(std::pair<A, B>& p) {
    return (*this)(p.first)(p.second);
  }

 private:
  // A count of elements of at least `min_bytes` each, checked against what remains.
  uint64_t size(uint64_t min_bytes) {
    uint64_t n = 0;
    (*this)(n);
    if (!ok_ || n > in_.size() / min_bytes) {
      ok_ = false;
      return 0;
    }
    return n;
  }
  bool take(uint64_t n) {
    if (!ok_ || n > in_.size()) {
      ok_ = false;
      return false;
    }
    in_.remove_prefix(n);
    return true;
  }

  std::string_view in_;
  bool ok_ = true;
};

}  // namespace samestory
