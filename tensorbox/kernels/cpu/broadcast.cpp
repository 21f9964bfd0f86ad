#include "tensorbox/kernels/cpu/broadcast.h"

namespace tb::kernels::cpu {

template <size_t K>
int64_t BroadcastPlan<K>::rows() const {
  int64_t r = 1;
  for (size_t i = 0; i + 1 < dims.size(); ++i) r *= dims[i];
  return r;
}

template <size_t K>
std::array<int64_t, K> BroadcastPlan<K>::row_offsets(int64_t r) const {
  std::array<int64_t, K> off{};
  for (int64_t i = int64_t(dims.size()) - 2; i >= 0; --i) {
    const int64_t idx = r % dims[size_t(i)];
    r /= dims[size_t(i)];
    for (size_t k = 0; k < K; ++k) off[k] += idx * strides[k][size_t(i)];
  }
  return off;
}

template <size_t K>
BroadcastPlan<K> plan_broadcast(const Shape& out, const std::array<const Shape*, K>& in) {
  const int64_t r = out.rank();
  // Full-rank strides of each operand in the output's index space (0 where broadcast).
  std::array<std::vector<int64_t>, K> full;
  for (size_t k = 0; k < K; ++k) {
    full[k].assign(size_t(r), 0);
    const Shape& s = *in[k];
    int64_t acc = 1;
    for (int64_t i = s.rank() - 1; i >= 0; --i) {
      const int64_t oi = i + (r - s.rank());
      full[k][size_t(oi)] = s.dims()[size_t(i)] == 1 ? 0 : acc;
      acc *= s.dims()[size_t(i)];
    }
  }
  BroadcastPlan<K> p;
  for (int64_t i = 0; i < r; ++i) {
    const int64_t d = out.dims()[size_t(i)];
    if (d == 1) continue;
    bool merge = !p.dims.empty();
    for (size_t k = 0; k < K && merge; ++k) {
      const int64_t prev = p.strides[k].back();
      const int64_t cur = full[k][size_t(i)];
      merge = (prev == 0 && cur == 0) || (cur != 0 && prev == cur * d);
    }
    if (merge) {
      p.dims.back() *= d;
      for (size_t k = 0; k < K; ++k) p.strides[k].back() = full[k][size_t(i)];
    } else {
      p.dims.push_back(d);
      for (size_t k = 0; k < K; ++k) p.strides[k].push_back(full[k][size_t(i)]);
    }
  }
  return p;
}

template struct BroadcastPlan<2>;
template struct BroadcastPlan<3>;
template BroadcastPlan<2> plan_broadcast<2>(const Shape&, const std::array<const Shape*, 2>&);
template BroadcastPlan<3> plan_broadcast<3>(const Shape&, const std::array<const Shape*, 3>&);

}  // namespace tb::kernels::cpu
