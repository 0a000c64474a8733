// Helpers the binding files share: numpy arrays that own engine buffers, documents by
// reference, errors as Python exceptions, duplicate groups from their dict form.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "base/status.h"
#include "dedup/group_report.h"
#include "io/document.h"

namespace py = pybind11;

namespace samestory::python {

template <typename T>
using InArray = py::array_t<T, py::array::c_style | py::array::forcecast>;

// A numpy array that owns `v`'s buffer.
template <typename T>
inline py::array_t<T> owned_array(std::vector<T>&& v, std::vector<py::ssize_t> shape = {}) {
  auto* heap = new std::vector<T>(std::move(v));
  py::capsule owner(heap, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  if (shape.empty()) shape = {static_cast<py::ssize_t>(heap->size())};
  std::vector<py::ssize_t> strides(shape.size(), sizeof(T));
  for (size_t d = shape.size() - 1; d > 0; --d) strides[d - 1] = strides[d] * shape[d];
  return py::array_t<T>(shape, strides, heap->data(), owner);
}

// Documents of a Python sequence, by reference: converting to std::vector<Document> would copy
// every text.
using DocRefs = std::vector<const Document*>;
inline DocRefs doc_refs(const py::sequence& docs) {
  DocRefs out;
  out.reserve(py::len(docs));
  for (const py::handle h : docs) out.push_back(&h.cast<const Document&>());
  return out;
}

// Per-item lists of records as two flat columns and offsets (items + 1 entries).
template <typename Record, typename A, typename B>
inline py::tuple flat_columns(const std::vector<std::vector<Record>>& lists, A Record::*first, B Record::*second) {
  std::vector<A> a;
  std::vector<B> b;
  std::vector<uint64_t> offsets{0};
  for (const auto& list : lists) {
    for (const Record& r : list) {
      a.push_back(r.*first);
      b.push_back(r.*second);
    }
    offsets.push_back(a.size());
  }
  return py::make_tuple(owned_array(std::move(a)), owned_array(std::move(b)), owned_array(std::move(offsets)));
}

[[noreturn]] inline void raise(const Status& s) {
  if (s.code() == StatusCode::kIoError) throw std::runtime_error(std::string(s.message()));
  throw py::value_error(std::string(s.message()));
}

// A group as samestory.dedup() returns it.
GroupReport group_from_dict(const py::dict& d);

// The main job's pieces (main_job.cc).
void add_main_job(py::module_& m);

}  // namespace samestory::python
