#include "tensorbox/keras/utils/progbar.h"

#include <cmath>
#include <cstdio>

#include "tensorbox/keras/utils/console.h"

namespace tb::keras::utils {

namespace {
std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}
}  // namespace

Progbar::Progbar(int64_t target, int verbose, int width, double interval, std::string unit)
    : target_(target), verbose_(verbose), width_(width), interval_(interval),
      unit_(std::move(unit)), start_(std::chrono::steady_clock::now()) {}

double Progbar::now() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

std::string Progbar::format_time(double t, const std::string& unit) {
  if (t >= 1 || t == 0) return fmt(" %.0fs/", t) + unit;
  if (t >= 1e-3) return fmt(" %.0fms/", t * 1e3) + unit;
  return fmt(" %.0fus/", t * 1e6) + unit;
}

std::string Progbar::format_eta(double eta) {
  char buf[64];
  const long e = long(eta);
  if (eta > 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", e / 3600, (e % 3600) / 60, e % 60);
  else if (eta > 60) std::snprintf(buf, sizeof buf, "%ld:%02ld", e / 60, e % 60);
  else std::snprintf(buf, sizeof buf, "%lds", e);
  return buf;
}

std::string Progbar::format_value(double v) {
  return std::abs(v) > 1e-3 ? fmt(" %.4f", v) : fmt(" %.4e", v);
}

void Progbar::update(int64_t current, const std::vector<std::pair<std::string, double>>& values, bool finalize) {
  if (target_ > 0 && current >= target_) finalize = true;
  for (const auto& [k, v] : values) {
    bool found = false;
    for (auto& [k2, v2] : values_)
      if (k2 == k) { v2 = v; found = true; }
    if (!found) values_.emplace_back(k, v);
  }
  const double t = now();
  if (current == 1 && time_after_first_step_ < 0) time_after_first_step_ = t;
  std::string info = fmt(" - %.0fs", t);
  const double per_unit = current <= 0 ? 0.0
                          : (time_after_first_step_ >= 0 && current > 1)
                              ? (t - time_after_first_step_) / double(current - 1)
                              : t / double(current);
  if (verbose_ == 1) {
    if (t - last_update_ < interval_ && !finalize) return;
    last_update_ = t;
    const size_t prev = total_width_;
    std::string line(prev, '\b');
    line += '\r';
    const int digits = target_ > 0 ? int(std::floor(std::log10(double(target_)))) + 1 : 7;
    char head[64];
    std::snprintf(head, sizeof head, "%*lld/%lld [", digits, (long long)current, (long long)target_);
    std::string bar = head;
    const int prog_width = target_ > 0 ? int(double(width_) * double(current) / double(target_)) : 0;
    if (prog_width > 0) {
      bar += std::string(size_t(prog_width - 1), '=');
      bar += current < target_ ? '>' : '=';
    }
    bar += std::string(size_t(std::max(0, width_ - prog_width)), '.');
    bar += ']';
    total_width_ = bar.size();
    if (finalize) info += format_time(per_unit, unit_);
    else info = " - ETA: " + format_eta(per_unit * double(target_ - current));
    for (const auto& [k, v] : values_) info += " - " + k + ":" + format_value(v);
    total_width_ += info.size();
    if (prev > total_width_) info += std::string(prev - total_width_, ' ');
    if (finalize) info += '\n';
    print(line + bar + info);
  } else if (verbose_ == 2 && finalize) {
    const int digits = target_ > 0 ? int(std::floor(std::log10(double(target_)))) + 1 : 7;
    char head[64];
    std::snprintf(head, sizeof head, "%*lld/%lld", digits, (long long)current, (long long)target_);
    std::string line = head + info + format_time(per_unit, unit_);
    for (const auto& [k, v] : values_) line += " - " + k + ":" + format_value(v);
    line += '\n';
    print(line);
  }
}

}  // namespace tb::keras::utils
