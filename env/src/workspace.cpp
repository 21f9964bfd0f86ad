#include "workspace.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "log.h"

namespace fs = std::filesystem;

namespace tb::env {

namespace {

void make_dir(const std::string& path, mode_t mode, const ServiceUser& user) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) throw std::runtime_error("cannot create the folder " + path + ": " + ec.message());
  if (user.drop) chown_to(path, user, false);
  ::chmod(path.c_str(), mode);
}

void clear_dir(const std::string& path) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(path, ec)) fs::remove_all(e.path(), ec);
}

}  // namespace

WorkspacePaths prepare_workspace(const std::string& root_in, const ServiceUser& user) {
  std::error_code ec;
  const std::string root = fs::weakly_canonical(fs::absolute(root_in), ec).lexically_normal().string();
  WorkspacePaths ws;
  ws.root = root;
  ws.state = root + "/.tensorbox";
  ws.runtime = ws.state + "/runtime";
  ws.metrics = ws.state + "/metrics";
  ws.jupyter_config = ws.state + "/jupyter/config";
  ws.jupyter_data = ws.state + "/jupyter/data";
  ws.ipython = ws.state + "/ipython";
  ws.ssh = ws.state + "/ssh";
  if (!fs::exists(root)) make_dir(root, 0755, user);
  make_dir(ws.state, 0700, user);
  for (const auto& d : {ws.state + "/jupyter", ws.runtime, ws.metrics, ws.jupyter_config, ws.jupyter_data, ws.ipython, ws.ssh})
    make_dir(d, 0700, user);
  make_dir(ws.state + "/start.d", 0755, user);
  // Left-overs of a previous run (runtime files of a dead Jupyter, metrics of dead kernels).
  clear_dir(ws.runtime);
  clear_dir(ws.metrics);
  return ws;
}

std::string default_notebooks_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share/tensorbox/notebooks";
    if (fs::is_directory(installed)) return installed.string();
  }
  return TB_SOURCE_NOTEBOOKS;
}

int seed_notebooks(const WorkspacePaths& ws, const std::string& notebooks_dir, const ServiceUser& user) {
  const std::string marker = ws.state + "/seeded";
  if (fs::exists(marker)) return 0;
  int copied = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(notebooks_dir, ec)) {
    if (!e.is_regular_file()) continue;
    const fs::path to = fs::path(ws.root) / e.path().filename();
    if (fs::exists(to)) continue;
    std::error_code cec;
    fs::copy_file(e.path(), to, cec);
    if (cec) {
      log().warning("workspace", "cannot copy example " + e.path().string() + ": " + cec.message());
      continue;
    }
    ::chmod(to.c_str(), 0644);
    if (user.drop) chown_to(to.string(), user, false);
    ++copied;
  }
  if (ec) log().warning("workspace", "no example notebooks in " + notebooks_dir + ": " + ec.message());
  std::ofstream(marker) << "notebooks seeded by tensorbox up; delete this file to seed again\n";
  if (user.drop) chown_to(marker, user, false);
  return copied;
}

std::string writability_problem(const std::string& root, const ServiceUser& user) {
  struct stat st{};
  if (::stat(root.c_str(), &st) != 0) return "workspace " + root + " does not exist";
  bool ok;
  if (user.drop) {
    ok = (st.st_uid == user.uid && (st.st_mode & S_IWUSR)) || (st.st_gid == user.gid && (st.st_mode & S_IWGRP)) ||
         (st.st_mode & S_IWOTH);
  } else {
    ok = ::access(root.c_str(), W_OK) == 0;
  }
  if (ok) return "";
  return "the workspace " + root + " (owner uid " + std::to_string(st.st_uid) + ", mode " +
         ([&] { char b[8]; std::snprintf(b, sizeof b, "%o", unsigned(st.st_mode & 07777)); return std::string(b); })() +
         ") is not writable by uid " + std::to_string(user.uid) + ": nothing can be saved. Fix: `chown -R " +
         std::to_string(user.uid) + ":" + std::to_string(user.gid) + " <host folder>` on the host, or run with `--user " +
         std::to_string(st.st_uid) + "`";
}

void run_hooks(const std::string& dir, const ServiceUser* user, const std::string& cwd,
               std::map<std::string, std::string> env) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return;
  std::vector<fs::path> hooks;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && ::access(e.path().c_str(), X_OK) == 0) hooks.push_back(e.path());
  std::sort(hooks.begin(), hooks.end());
  const ServiceUser self = current_user();
  for (const auto& h : hooks) {
    const std::string component = "hook:" + h.filename().string();
    log().info("supervisor", "running start hook " + h.string(), {{"hook", h.string()}});
    env["TENSORBOX_WORKSPACE"] = cwd;
    try {
      const Finished f = run_to_end({h.string()}, env, user ? *user : self, cwd);
      size_t start = 0;
      for (size_t nl; (nl = f.output.find('\n', start)) != std::string::npos; start = nl + 1)
        log().info(component, f.output.substr(start, nl - start), {{"stream", "output"}});
      if (start < f.output.size()) log().info(component, f.output.substr(start), {{"stream", "output"}});
      if (!f.ok())
        log().error("supervisor", "start hook " + h.string() + " failed (" + f.how() + "); start-up continues",
                    {{"hook", h.string()}});
    } catch (const std::exception& e) {
      log().error("supervisor", "cannot run start hook " + h.string() + ": " + e.what());
    }
  }
}

}  // namespace tb::env
