// The bandwidth ceiling the benchmarks compare against: a plain OpenMP sum over the same bytes.
#pragma once
#include <cstddef>

namespace infokit {

template <class T>
double plain_sum(const T* x, std::size_t n, int n_threads);

}  // namespace infokit
