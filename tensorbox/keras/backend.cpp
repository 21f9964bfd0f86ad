#include "tensorbox/keras/backend.h"

#include <cctype>
#include <map>
#include <mutex>

namespace tb::keras::backend {
namespace {
std::mutex g_mu;
std::map<std::string, int> g_uids;
}  // namespace

std::string unique_object_name(const std::string& prefix, bool zero_based) {
  std::lock_guard<std::mutex> lock(g_mu);
  const int n = g_uids[prefix]++;
  if (!zero_based) return prefix + "_" + std::to_string(n + 1);
  return n == 0 ? prefix : prefix + "_" + std::to_string(n);
}

void clear_session() {
  std::lock_guard<std::mutex> lock(g_mu);
  g_uids.clear();
}

std::string to_snake_case(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (std::isupper(static_cast<unsigned char>(c))) {
      const bool prev_lower = i > 0 && std::islower(static_cast<unsigned char>(s[i - 1]));
      const bool next_lower = i + 1 < s.size() && std::islower(static_cast<unsigned char>(s[i + 1]));
      if (i > 0 && (prev_lower || (next_lower && std::isupper(static_cast<unsigned char>(s[i - 1])))))
        out += '_';
      out += char(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace tb::keras::backend
