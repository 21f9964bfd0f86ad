#include "tensorbox/core/node.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>

namespace tb {
namespace {

struct Registry {
  std::mutex mu;
  std::map<std::string, const OpDef*, std::less<>> ops;
};

Registry& registry() {
  static Registry* r = new Registry();  // leaked: registrations outlive every static
  return *r;
}

}  // namespace

void register_op(const OpDef& def) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  if (!r.ops.emplace(def.name, &def).second) {
    // Two definitions of one op: a link-time bug that no caller could handle.
    std::fprintf(stderr, "tensorbox: op %s is registered twice\n", def.name);
    std::abort();
  }
}

const OpDef* find_op(std::string_view name) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  auto it = r.ops.find(name);
  return it == r.ops.end() ? nullptr : it->second;
}

std::vector<const OpDef*> registered_ops() {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  std::vector<const OpDef*> out;
  for (const auto& entry : r.ops) out.push_back(entry.second);
  return out;
}

}  // namespace tb
