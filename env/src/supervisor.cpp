#include "supervisor.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <thread>

#include "log.h"

namespace tb::env {

namespace {

sigset_t stop_and_child_signals() {
  sigset_t s;
  sigemptyset(&s);
  for (int sig : {SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGQUIT}) sigaddset(&s, sig);
  return s;
}

// Jupyter prefixes its lines with "[W 2026-11-26 05:07:17.123 ServerApp]": take the level from it.
std::string level_of(const std::string& line) {
  if (line.size() > 3 && line[0] == '[' && line[2] == ' ') {
    switch (line[1]) {
      case 'D': return "debug";
      case 'W': return "warning";
      case 'E': return "error";
      case 'C': return "critical";
      default: break;
    }
  }
  return "info";
}

}  // namespace

void Supervisor::block_signals() {
  const sigset_t s = stop_and_child_signals();
  pthread_sigmask(SIG_BLOCK, &s, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

void Supervisor::add(ServiceSpec spec) {
  Service s;
  s.st.name = spec.name;
  s.spec = std::move(spec);
  services_.push_back(std::move(s));
}

void Supervisor::start(Service& s) {
  try {
    Child c = spawn(s.spec.argv, s.spec.env, s.spec.user, s.spec.cwd);
    {
      std::lock_guard lock(mu_);
      s.st.pid = c.pid;
      s.st.up = true;
    }
    s.started = Clock::now();
    ::fcntl(c.output, F_SETFL, ::fcntl(c.output, F_GETFL) | O_NONBLOCK);
    outputs_.push_back({c.output, s.spec.name, ""});
    log().info("supervisor", "started " + s.spec.name,
               {{"service", s.spec.name}, {"pid", c.pid}, {"uid", s.spec.user.uid}, {"argv", s.spec.argv}});
  } catch (const std::exception& e) {
    log().error("supervisor", "cannot start " + s.spec.name + ": " + e.what(), {{"service", s.spec.name}});
    s.pending_restart = true;
    s.restart_at = Clock::now() + std::chrono::seconds(1);
  }
}

void Supervisor::read_output(Output& o, bool flush) {
  // The pipe is non-blocking: drain what is there now.
  char buf[8192];
  for (;;) {
    const ssize_t n = ::read(o.fd, buf, sizeof buf);
    if (n > 0) {
      o.buffer.append(buf, size_t(n));
      continue;
    }
    if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
      ::close(o.fd);
      o.fd = -1;
    }
    if (n < 0 && errno == EINTR) continue;
    break;
  }
  size_t start = 0;
  for (size_t nl; (nl = o.buffer.find('\n', start)) != std::string::npos; start = nl + 1) {
    std::string line = o.buffer.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) log().write(level_of(line), o.component, line, {{"stream", "output"}});
  }
  o.buffer.erase(0, start);
  // A line longer than 64 KiB, or the tail of a closed pipe, goes out as it is.
  if ((flush || o.fd < 0 || o.buffer.size() >= 65536) && !o.buffer.empty()) {
    log().write(level_of(o.buffer), o.component, o.buffer, {{"stream", "output"}});
    o.buffer.clear();
  }
}

void Supervisor::reap(bool stopping) {
  int status = 0;
  pid_t pid;
  while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
    auto it = std::find_if(services_.begin(), services_.end(), [&](const Service& s) { return s.st.pid == pid; });
    if (it == services_.end()) continue;  // an orphan we adopted (subreaper / PID 1): reaped, nothing more
    Service& s = *it;
    const double lived = std::chrono::duration<double>(Clock::now() - s.started).count();
    const std::string how = WIFEXITED(status) ? "exited with code " + std::to_string(WEXITSTATUS(status))
                                              : "was killed by signal " + std::to_string(WTERMSIG(status)) +
                                                    " (" + strsignal(WTERMSIG(status)) + ")";
    {
      std::lock_guard lock(mu_);
      s.st.up = false;
      s.st.pid = -1;
    }
    if (stopping) {
      log().info("supervisor", s.spec.name + " stopped", {{"service", s.spec.name}, {"pid", pid}, {"how", how}});
      continue;
    }
    s.failures = lived >= policy_.healthy_after_s ? 1 : s.failures + 1;
    if (s.failures >= policy_.max_failures) {
      std::lock_guard lock(mu_);
      s.st.given_up = true;
      ++gave_up_;
      log().error("supervisor", s.spec.name + " " + how + "; it failed " + std::to_string(s.failures) +
                                    " times in a row, giving up",
                  {{"service", s.spec.name}, {"pid", pid}, {"failures", s.failures}});
      continue;
    }
    const double backoff = std::min(policy_.max_backoff_s, policy_.initial_backoff_s * std::pow(2.0, s.failures - 1));
    s.pending_restart = true;
    s.restart_at = Clock::now() + std::chrono::milliseconds(int64_t(backoff * 1000));
    log().warning("supervisor", s.spec.name + " " + how + " after " + std::to_string(int(lived)) +
                                    " s; restarting in " + std::to_string(int(backoff)) + " s",
                  {{"service", s.spec.name}, {"pid", pid}, {"backoff_s", backoff}, {"failures", s.failures}});
  }
}

int Supervisor::run() {
  // Orphaned grandchildren (a kernel whose Jupyter died) are re-parented to us, so we can reap
  // them and stop them at the end; as PID 1 that happens anyway.
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  const sigset_t sigs = stop_and_child_signals();
  const int sfd = ::signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK);
  for (auto& s : services_) start(s);
  int stop_signal = 0;
  while (!stop_signal && !gave_up_) {
    std::vector<pollfd> fds{{sfd, POLLIN, 0}};
    for (const auto& o : outputs_) fds.push_back({o.fd, POLLIN, 0});
    ::poll(fds.data(), fds.size(), 250);
    signalfd_siginfo si;
    while (::read(sfd, &si, sizeof si) == ssize_t(sizeof si)) {
      if (si.ssi_signo == SIGCHLD) continue;  // reaped below in any case
      stop_signal = int(si.ssi_signo);
    }
    for (size_t i = 1; i < fds.size(); ++i)
      if (fds[i].revents) read_output(outputs_[i - 1], false);
    std::erase_if(outputs_, [](const Output& o) { return o.fd < 0; });
    reap(false);
    for (auto& s : services_)
      if (s.pending_restart && Clock::now() >= s.restart_at && !stop_signal) {
        s.pending_restart = false;
        {
          std::lock_guard lock(mu_);
          ++s.st.restarts;
        }
        start(s);
      }
    if (tick_) tick_();
  }
  if (stop_signal)
    log().info("supervisor", std::string("received ") + strsignal(stop_signal) + "; stopping all services",
               {{"signal", stop_signal}});
  stop_all();
  ::close(sfd);
  return gave_up_ ? exit_gave_up : exit_ok;
}

void Supervisor::stop_all() {
  for (auto& s : services_)
    if (s.st.pid > 0) ::kill(-s.st.pid, SIGTERM);
  const auto deadline = Clock::now() + std::chrono::milliseconds(int64_t(policy_.stop_timeout_s * 1000));
  auto all_gone = [&] { return descendants(::getpid()).empty(); };
  while (Clock::now() < deadline) {
    for (auto& o : outputs_)
      if (o.fd >= 0) {
        pollfd p{o.fd, POLLIN, 0};
        if (::poll(&p, 1, 0) > 0) read_output(o, false);
      }
    reap(true);
    if (std::none_of(services_.begin(), services_.end(), [](const Service& s) { return s.st.pid > 0; }) && all_gone())
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  // Whatever is left (a service ignoring SIGTERM, an orphaned kernel) is killed.
  const auto left = descendants(::getpid());
  for (pid_t p : left) ::kill(p, SIGKILL);
  if (!left.empty()) log().warning("supervisor", "killed processes left after the grace period", {{"pids", left}});
  while (::waitpid(-1, nullptr, left.empty() ? WNOHANG : 0) > 0) {
  }
  reap(true);
  for (auto& o : outputs_) {
    if (o.fd >= 0) read_output(o, true);
    if (o.fd >= 0) ::close(o.fd);
  }
  outputs_.clear();
  log().info("supervisor", "all services stopped");
}

std::vector<ServiceStatus> Supervisor::status() const {
  std::lock_guard lock(mu_);
  std::vector<ServiceStatus> out;
  for (const auto& s : services_) out.push_back(s.st);
  return out;
}

pid_t Supervisor::pid_of(const std::string& name) const {
  std::lock_guard lock(mu_);
  for (const auto& s : services_)
    if (s.spec.name == name) return s.st.pid;
  return -1;
}

}  // namespace tb::env
