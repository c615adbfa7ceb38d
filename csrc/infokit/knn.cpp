#include "infokit/knn.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace infokit {
namespace {
// Leaves this small keep the distance loops short while the tree stays shallow.
constexpr std::size_t kLeafSize = 12;
}  // namespace

KDTree::KDTree(const double* data, std::size_t n, std::size_t d)
    : n_(n), d_(d), orig_(data, data + n * d), pts_(n * d), perm_(n) {
    if (d == 0) throw std::invalid_argument("points need at least one dimension");
    for (std::size_t i = 0; i < n * d; ++i)
        if (std::isnan(data[i])) throw std::invalid_argument("points must not contain NaN");
    std::iota(perm_.begin(), perm_.end(), std::size_t{0});
    nodes_.reserve(2 * (n / kLeafSize + 1));
    if (n > 0) build(0, n);
    for (std::size_t p = 0; p < n; ++p)
        std::copy(data + perm_[p] * d, data + perm_[p] * d + d, pts_.data() + p * d);
}

std::int64_t KDTree::build(std::size_t begin, std::size_t end) {
    const std::size_t id = nodes_.size();
    nodes_.push_back({begin, end, -1, -1});
    box_.resize((id + 1) * 2 * d_);
    double* lo = box_.data() + id * 2 * d_;
    double* hi = lo + d_;
    for (std::size_t k = 0; k < d_; ++k) {
        lo[k] = std::numeric_limits<double>::infinity();
        hi[k] = -std::numeric_limits<double>::infinity();
    }
    for (std::size_t p = begin; p < end; ++p) {
        const double* x = orig_.data() + perm_[p] * d_;
        for (std::size_t k = 0; k < d_; ++k) {
            lo[k] = std::min(lo[k], x[k]);
            hi[k] = std::max(hi[k], x[k]);
        }
    }
    if (end - begin <= kLeafSize) return static_cast<std::int64_t>(id);
    std::size_t split = 0;
    double widest = -1.0;
    for (std::size_t k = 0; k < d_; ++k) {
        if (hi[k] - lo[k] > widest) {
            widest = hi[k] - lo[k];
            split = k;
        }
    }
    if (!(widest > 0.0)) return static_cast<std::int64_t>(id);  // all points equal: one leaf
    const std::size_t mid = begin + (end - begin) / 2;
    std::nth_element(perm_.begin() + static_cast<std::ptrdiff_t>(begin), perm_.begin() + static_cast<std::ptrdiff_t>(mid),
                     perm_.begin() + static_cast<std::ptrdiff_t>(end), [&](std::size_t a, std::size_t b) {
                         const double va = orig_[a * d_ + split], vb = orig_[b * d_ + split];
                         return va < vb || (va == vb && a < b);
                     });
    const std::int64_t left = build(begin, mid);
    const std::int64_t right = build(mid, end);
    nodes_[id].left = left;
    nodes_[id].right = right;
    return static_cast<std::int64_t>(id);
}

double KDTree::min_dist(std::size_t node, const double* q) const {
    const double* lo = box_.data() + node * 2 * d_;
    const double* hi = lo + d_;
    double m = 0.0;
    for (std::size_t k = 0; k < d_; ++k) m = std::max(m, std::max(lo[k] - q[k], q[k] - hi[k]));
    return m;
}

double KDTree::max_dist(std::size_t node, const double* q) const {
    const double* lo = box_.data() + node * 2 * d_;
    const double* hi = lo + d_;
    double m = 0.0;
    // Each bound is a coordinate of a point in the node, so these are exact point distances.
    for (std::size_t k = 0; k < d_; ++k) m = std::max(m, std::max(std::fabs(q[k] - lo[k]), std::fabs(q[k] - hi[k])));
    return m;
}

void KDTree::knn(std::size_t self, std::size_t k, double* dist, std::size_t* idx) const {
    if (k == 0 || k >= n_) throw std::invalid_argument("k must lie in 1..n_samples-1");
    const double* q = point(self);
    // The k best so far, sorted ascending; dist[k-1] is the pruning bound once full.
    std::size_t found = 0;
    auto offer = [&](double dd, std::size_t j) {
        if (found == k && !(dd < dist[k - 1])) return;
        std::size_t pos = found < k ? found++ : k - 1;
        while (pos > 0 && dist[pos - 1] > dd) {
            dist[pos] = dist[pos - 1];
            idx[pos] = idx[pos - 1];
            --pos;
        }
        dist[pos] = dd;
        idx[pos] = j;
    };
    std::int64_t stack[128];
    int top = 0;
    stack[top++] = 0;
    while (top > 0) {
        // k neighbours at distance 0 cannot be improved on: stop, instead of scanning every
        // other copy of a heavily tied point (any later candidate would be refused anyway).
        if (found == k && dist[k - 1] == 0.0) break;
        const auto node = static_cast<std::size_t>(stack[--top]);
        if (found == k && min_dist(node, q) > dist[k - 1]) continue;
        const Node& nd = nodes_[node];
        if (nd.left < 0) {
            for (std::size_t p = nd.begin; p < nd.end && !(found == k && dist[k - 1] == 0.0); ++p) {
                const std::size_t j = perm_[p];
                if (j == self) continue;
                const double* x = pts_.data() + p * d_;
                double dd = 0.0;
                for (std::size_t c = 0; c < d_; ++c) dd = std::max(dd, std::fabs(q[c] - x[c]));
                offer(dd, j);
            }
            continue;
        }
        // Visit the nearer child first (pushed last).
        const auto l = static_cast<std::size_t>(nd.left), r = static_cast<std::size_t>(nd.right);
        const double dl = min_dist(l, q), dr = min_dist(r, q);
        if (dl <= dr) {
            stack[top++] = nd.right;
            stack[top++] = nd.left;
        } else {
            stack[top++] = nd.left;
            stack[top++] = nd.right;
        }
    }
}

std::size_t KDTree::count_within(const double* q, double r) const {
    if (n_ == 0) return 0;
    std::size_t count = 0;
    std::int64_t stack[128];
    int top = 0;
    stack[top++] = 0;
    while (top > 0) {
        const auto node = static_cast<std::size_t>(stack[--top]);
        if (min_dist(node, q) > r) continue;
        const Node& nd = nodes_[node];
        if (max_dist(node, q) <= r) {
            count += nd.end - nd.begin;
            continue;
        }
        if (nd.left < 0) {
            for (std::size_t p = nd.begin; p < nd.end; ++p) {
                const double* x = pts_.data() + p * d_;
                double dd = 0.0;
                for (std::size_t c = 0; c < d_; ++c) dd = std::max(dd, std::fabs(q[c] - x[c]));
                count += dd <= r;
            }
            continue;
        }
        stack[top++] = nd.left;
        stack[top++] = nd.right;
    }
    return count;
}

SortedAxis::SortedAxis(const double* v, std::size_t n, std::ptrdiff_t stride) : v_(n) {
    for (std::size_t i = 0; i < n; ++i) {
        v_[i] = v[static_cast<std::ptrdiff_t>(i) * stride];
        if (std::isnan(v_[i])) throw std::invalid_argument("values must not contain NaN");
    }
    std::sort(v_.begin(), v_.end());
}

std::size_t SortedAxis::count_within(double x, double r) const {
    // Right side: values >= x with v - x <= r (monotone non-decreasing in v).
    const auto mid = std::lower_bound(v_.begin(), v_.end(), x);
    const auto right = std::partition_point(mid, v_.end(), [&](double v) { return v - x <= r; });
    // Left side: values < x with x - v <= r (true on a suffix of [begin, mid)).
    const auto left = std::partition_point(v_.begin(), mid, [&](double v) { return x - v > r; });
    return static_cast<std::size_t>(right - left);
}

}  // namespace infokit
