#include "process.h"

#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace tb::env {

namespace {

ServiceUser from_passwd(const passwd* pw) {
  return {pw->pw_uid, pw->pw_gid, pw->pw_name, pw->pw_dir, false};
}

bool all_digits(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

ServiceUser resolve_user(const std::string& spec, bool create) {
  if (::geteuid() != 0) {
    const passwd* pw = getpwuid(::geteuid());
    ServiceUser me = pw ? from_passwd(pw) : ServiceUser{::geteuid(), ::getegid(), "", "", false};
    me.gid = ::getegid();
    return me;
  }
  std::string who = spec.empty() ? "1000" : spec;
  std::string gid_part;
  if (auto colon = who.find(':'); colon != std::string::npos) {
    gid_part = who.substr(colon + 1);
    who = who.substr(0, colon);
    if (!all_digits(gid_part)) throw std::invalid_argument("--user '" + spec + "': the group after ':' must be a number");
  }
  ServiceUser u;
  const passwd* pw = all_digits(who) ? getpwuid(uid_t(std::stoul(who))) : getpwnam(who.c_str());
  if (!pw && create) {
    // A missing user is created so that services have a name and a home (Jupyter and ssh want both).
    const std::string name = all_digits(who) ? "tensorbox" : who;
    std::string cmd = "useradd --create-home --shell /bin/bash --user-group";
    if (all_digits(who)) cmd += " --uid " + who;
    cmd += " " + name + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) == 0) pw = getpwnam(name.c_str());
  }
  if (pw) {
    u = from_passwd(pw);
  } else if (all_digits(who)) {
    u.uid = uid_t(std::stoul(who));
    u.gid = u.uid;
  } else {
    throw std::invalid_argument("--user '" + spec + "': no such user, and it could not be created");
  }
  if (!gid_part.empty()) u.gid = gid_t(std::stoul(gid_part));
  if (u.uid == 0)
    throw std::invalid_argument("--user '" + spec + "' is root: services never run as root; name an unprivileged user");
  u.drop = true;
  return u;
}

Child spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
            const ServiceUser& user, const std::string& cwd) {
  // Everything the child needs is built before fork: after it only async-signal-safe calls run
  // (the supervisor has threads).
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> cargv, cenv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  for (auto& e : env_strings) cenv.push_back(e.data());
  cenv.push_back(nullptr);
  // A bare name is looked up on the child's PATH; when nothing is found exec reports it.
  const auto env_path = env.find("PATH");
  std::string path = find_executable(argv.at(0), env_path == env.end() ? "/usr/local/bin:/usr/bin:/bin"
                                                                        : env_path->second.c_str());
  if (path.empty()) path = argv.at(0);
  const std::string exec_error = "exec " + path + ": ";
  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(pipefd[0]);
    ::close(pipefd[1]);
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::setsid();
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    signal(SIGPIPE, SIG_DFL);
    const int devnull = ::open("/dev/null", O_RDONLY);
    ::dup2(devnull, 0);
    ::dup2(pipefd[1], 1);
    ::dup2(pipefd[1], 2);
    auto fail = [&](const char* what) {
      const char* err = std::strerror(errno);
      [[maybe_unused]] auto n1 = ::write(2, what, std::strlen(what));
      [[maybe_unused]] auto n2 = ::write(2, err, std::strlen(err));
      [[maybe_unused]] auto n3 = ::write(2, "\n", 1);
      ::_exit(127);
    };
    if (user.drop) {
      if (::setgroups(1, &user.gid) != 0) fail("setgroups: ");
      if (::setgid(user.gid) != 0) fail("setgid: ");
      if (::setuid(user.uid) != 0) fail("setuid: ");
    }
    if (::chdir(cwd.c_str()) != 0) fail("chdir to the workspace: ");
    ::execve(path.c_str(), cargv.data(), cenv.data());
    fail(exec_error.c_str());
  }
  ::close(pipefd[1]);
  return {pid, pipefd[0]};
}

namespace {

struct ProcStat {
  pid_t ppid = 0;
  double cpu = 0, rss = 0;
};

std::map<pid_t, ProcStat> read_all_stats() {
  std::map<pid_t, ProcStat> all;
  static const double tick = double(::sysconf(_SC_CLK_TCK));
  static const double page = double(::sysconf(_SC_PAGESIZE));
  DIR* proc = opendir("/proc");
  if (!proc) return all;
  while (dirent* d = readdir(proc)) {
    if (!std::isdigit(static_cast<unsigned char>(d->d_name[0]))) continue;
    std::ifstream in(std::string("/proc/") + d->d_name + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), {});
    // The command name (field 2) may hold spaces and parentheses: parse after the last ')'.
    const auto close = text.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(text.substr(close + 2));
    std::string f[22];
    for (auto& x : f) rest >> x;  // fields 3..24: state ppid ... utime(14) stime(15) ... rss(24)
    try {
      ProcStat s;
      s.ppid = pid_t(std::stol(f[1]));
      s.cpu = (std::stod(f[11]) + std::stod(f[12])) / tick;
      s.rss = std::stod(f[21]) * page;
      all[pid_t(std::atol(d->d_name))] = s;
    } catch (const std::exception&) {
    }
  }
  closedir(proc);
  return all;
}

std::vector<pid_t> tree(const std::map<pid_t, ProcStat>& all, pid_t root) {
  std::vector<pid_t> out;
  std::vector<pid_t> frontier{root};
  while (!frontier.empty()) {
    const pid_t p = frontier.back();
    frontier.pop_back();
    for (const auto& [pid, s] : all)
      if (s.ppid == p) {
        out.push_back(pid);
        frontier.push_back(pid);
      }
  }
  return out;
}

}  // namespace

std::vector<Usage> process_tree_usage(const std::vector<pid_t>& roots) {
  const auto all = read_all_stats();
  std::vector<Usage> out;
  for (pid_t root : roots) {
    Usage u;
    auto pids = tree(all, root);
    pids.push_back(root);
    for (pid_t p : pids)
      if (auto it = all.find(p); it != all.end()) {
        u.cpu_seconds += it->second.cpu;
        u.rss_bytes += it->second.rss;
      }
    out.push_back(u);
  }
  return out;
}

Finished run_to_end(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                    const ServiceUser& user, const std::string& cwd) {
  Child c = spawn(argv, env, user, cwd);
  Finished f;
  char buf[4096];
  for (ssize_t n; (n = ::read(c.output, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR);)
    if (n > 0) f.output.append(buf, size_t(n));
  ::close(c.output);
  while (::waitpid(c.pid, &f.status, 0) < 0 && errno == EINTR) {
  }
  return f;
}

bool Finished::ok() const { return WIFEXITED(status) && WEXITSTATUS(status) == 0; }

std::string Finished::how() const {
  if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
  return "signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
}

std::map<std::string, std::string> current_environment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; *e; ++e) {
    const std::string kv = *e;
    if (const auto eq = kv.find('='); eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return env;
}

ServiceUser current_user() { return {::geteuid(), ::getegid(), "", "", false}; }

std::string find_executable(const std::string& name, const char* search_path) {
  if (name.find('/') != std::string::npos) {
    if (::access(name.c_str(), X_OK) != 0) return "";
    std::error_code ec;
    return std::filesystem::absolute(name, ec).lexically_normal().string();  // not canonical: a venv's python is a symlink that must stay one
  }
  const char* path = search_path ? search_path : std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':'))
    if (!dir.empty() && ::access((dir + "/" + name).c_str(), X_OK) == 0) return dir + "/" + name;
  return "";
}

std::string default_python() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto next_to_us = exe.parent_path() / "python3";
    if (::access(next_to_us.c_str(), X_OK) == 0) return next_to_us.string();
  }
  return "python3";
}

std::vector<pid_t> descendants(pid_t root) { return tree(read_all_stats(), root); }

int chown_to(const std::string& path, const ServiceUser& user, bool recursive) {
  int failures = 0;
  if (::lchown(path.c_str(), user.uid, user.gid) != 0) ++failures;
  if (!recursive) return failures;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(path, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
    if (::lchown(it->path().c_str(), user.uid, user.gid) != 0) ++failures;
  return failures;
}

}  // namespace tb::env
