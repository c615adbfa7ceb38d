// The softmax family over the classes of a C-contiguous array: log-sum-exp, softmax and
// log-softmax, the fused softmax cross-entropy (torch.nn.functional.cross_entropy's
// definition) with its gradient, and binary cross-entropy with logits. Each row is computed
// by one work item in one pass (plus, for outputs, a second pass while the row is in cache),
// so results are the same at any thread count; the softmax itself is never stored.
#pragma once
#include <cstddef>
#include <cstdint>

namespace infokit {

// A C-contiguous array viewed as (outer, classes, inner): the softmax runs along `classes`
// (element stride `inner`) for each of the outer * inner rows, row r = o * inner + i.
struct ClassLayout {
    std::size_t outer = 1;
    std::size_t classes = 0;
    std::size_t inner = 1;
    std::size_t rows() const { return outer * inner; }
};

// lse[r] = log sum_c exp(x[r, c]) for every row; if entropy is not null, also the entropy of
// softmax(x[r, :]) in nats. NaN or +inf in a row gives NaN, an all -inf row -inf.
template <class T>
void logsumexp_rows(const T* x, const ClassLayout& layout, double* lse, double* entropy, int n_threads);

// y = softmax(x) (log = false) or log_softmax(x) (log = true) along the classes; y has x's
// layout and may be x itself. lse[r] receives each row's log-sum-exp.
template <class T>
void softmax_rows(const T* x, const ClassLayout& layout, bool log, T* y, double* lse, int n_threads);

template <class T>
struct CrossEntropyArgs {
    const T* x = nullptr;
    ClassLayout layout;
    const std::int64_t* target = nullptr;  // a class index per row, or
    const T* target_prob = nullptr;        // class probabilities in x's layout
    const T* weight = nullptr;             // per class, or null
    std::int64_t ignore_index = -100;
    double label_smoothing = 0.0;
    T* grad = nullptr;                  // x's layout (may be x itself); null: forward only
    double grad_scale = 1.0;            // d(reduced loss) / d(row loss): 1/denominator for 'mean'
    const double* row_scale = nullptr;  // optional per-row factor (autograd's grad_output for 'none')
};

// loss[r]: the loss of row r before reduction (0 for ignored rows). Throws
// std::out_of_range, before any work, for a class index outside [0, classes) that is not
// ignore_index.
template <class T>
void cross_entropy(const CrossEntropyArgs<T>& args, double* loss, int n_threads);

template <class T>
struct BceArgs {
    const T* x = nullptr;
    const T* target = nullptr;
    const T* weight = nullptr;      // x's size, or null
    const T* pos_weight = nullptr;  // period pos_weight_len along the flattened input, or null
    std::size_t pos_weight_len = 0;
    std::size_t n = 0;
    T* loss = nullptr;  // per element, or null
    T* grad = nullptr;  // grad_scale * dloss/dx, or null
    double grad_scale = 1.0;
};

// Binary cross-entropy with logits (torch's formula); returns the sum of the losses.
template <class T>
double bce_with_logits(const BceArgs<T>& args, int n_threads);

}  // namespace infokit
