#include "up.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <optional>

#include "health.h"
#include "jupyter.h"
#include "log.h"
#include "net.h"
#include "ssh.h"
#include "supervisor.h"
#include "workspace.h"

namespace tb::env {

namespace {

// The environment every service starts with: ours, less the supervisor's own settings
// (TENSORBOX_*) and any secret a user may have put there by habit, plus who the user is.
std::map<std::string, std::string> child_environment(const ServiceUser& user, const std::string& python,
                                                     const std::string& workspace) {
  std::map<std::string, std::string> env = current_environment();
  std::erase_if(env, [](const auto& kv) {
    return kv.first.rfind("TENSORBOX_", 0) == 0 || kv.first == "JUPYTER_TOKEN" || kv.first == "JUPYTER_PASSWORD";
  });
  // A uid without a passwd entry (docker run --user 12345) or a read-only home (--read-only)
  // gets the workspace as its home: whatever a tool writes to ~ is then kept with the work.
  const bool home_ok = !user.home.empty() && std::filesystem::is_directory(user.home) &&
                       writability_problem(user.home, user).empty();
  env["HOME"] = home_ok ? user.home : workspace;
  // Python's getpass.getuser() (Jupyter) reads these before the passwd file.
  env["USER"] = env["LOGNAME"] = user.name.empty() ? std::to_string(user.uid) : user.name;
  env["SHELL"] = "/bin/bash";
  std::string path = env.count("PATH") ? env["PATH"] : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  // Terminals and `!pip` in notebooks should find the environment's own tools first.
  if (const auto slash = python.rfind('/'); slash != std::string::npos) path = python.substr(0, slash) + ":" + path;
  env["PATH"] = path;
  return env;
}

std::string browser_host(const std::string& ip) {
  if (ip == "0.0.0.0" || ip == "::") return "127.0.0.1";
  return ip.find(':') != std::string::npos ? "[" + ip + "]" : ip;
}

}  // namespace

int up(const UpOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  Supervisor::block_signals();
  try {
    if (!o.log_file.empty()) log().open_file(o.log_file);
    for (int p : {o.port, o.health_port, o.ssh_port})
      if (p < 1 || p > 65535) throw std::invalid_argument("port " + std::to_string(p) + " is outside 1..65535");
    if (o.port == o.health_port || (o.ssh && (o.ssh_port == o.port || o.ssh_port == o.health_port)))
      throw std::invalid_argument("--port, --health-port and --ssh-port must differ");
    const AllowList allow = AllowList::parse(o.allow_from);
    const std::string python = find_executable(o.python);
    if (python.empty())
      throw std::invalid_argument("--python '" + o.python + "': no such executable (the interpreter with jupyterlab, ipykernel and tensorbox)");
    const JupyterAuth auth = jupyter_auth(o.token_file, o.password_file);

    // Who the services run as. As root without --user, a mounted workspace owned by someone
    // decides (so files stay theirs on the host); otherwise uid 1000.
    std::string who = o.user;
    if (::geteuid() == 0 && who.empty()) {
      struct stat st{};
      if (::stat(o.workspace.c_str(), &st) == 0 && st.st_uid != 0) {
        who = std::to_string(st.st_uid) + ":" + std::to_string(st.st_gid);
        log().info("supervisor", "the workspace belongs to uid " + std::to_string(st.st_uid) + "; services run as that user",
                   {{"uid", st.st_uid}, {"gid", st.st_gid}});
      }
    } else if (::geteuid() != 0 && !o.user.empty()) {
      log().warning("supervisor", "--user is ignored: tensorbox up is not running as root, services run as uid " +
                                      std::to_string(::geteuid()));
    }
    const ServiceUser user = resolve_user(who, true);
    // Failures a restart cannot fix end start-up here (exit 1, with the fix), before any service
    // starts: an existing workspace is checked before anything is written into it.
    const auto writable_or_stop = [&user](const std::string& root) {
      if (const std::string p = writability_problem(root, user); !p.empty()) throw std::runtime_error(p);
    };
    if (::access(o.workspace.c_str(), F_OK) == 0) writable_or_stop(o.workspace);
    const WorkspacePaths ws = prepare_workspace(o.workspace, user);
    writable_or_stop(ws.root);
    const std::string notebooks = o.notebooks.empty() ? default_notebooks_dir() : o.notebooks;
    if (const int n = seed_notebooks(ws, notebooks, user); n > 0)
      log().info("workspace", "first start: copied " + std::to_string(n) + " example notebook(s) into " + ws.root,
                 {{"from", notebooks}});

    // Public ports before anything starts: a taken port stops us here, naming its holder.
    const int jupyter_fd = listen_tcp(o.ip, o.port);
    const int health_fd = listen_tcp(o.ip, o.health_port);
    const int ssh_fd = o.ssh ? listen_tcp(o.ip, o.ssh_port) : -1;

    // System hooks (the image's) run as the supervisor's user; the workspace's, which the user
    // can edit, only ever as the service user.
    const auto base_env = child_environment(user, python, ws.root);
    run_hooks(o.hooks_dir, nullptr, ws.root, base_env);
    run_hooks(ws.state + "/start.d", &user, ws.root, base_env);

    if (const std::string p = jupyter_python_problem(python, user, base_env); !p.empty()) throw std::runtime_error(p);

    Supervisor sup;
    const int jupyter_port = free_loopback_port();
    sup.add(jupyter_service(python, ws, user, jupyter_port, auth, base_env));
    int ssh_private = -1;
    if (o.ssh) {
      ssh_private = free_loopback_port();
      sup.add(ssh_service(ws, user, ssh_private, o.authorized_keys, base_env));
    }
    // Declared before the health server, so that it stops (and stops reading them) first.
    std::vector<std::unique_ptr<Relay>> relays;
    HealthServer health({&sup, ws.runtime, ws.metrics, {}, t0});
    const int health_private = health.bind();
    auto relay = [&](const std::string& name, int fd, int to) {
      relays.push_back(std::make_unique<Relay>(name, fd, to, allow));
      health.sources().relays.push_back({name, relays.back().get()});
    };
    relay("jupyter", jupyter_fd, jupyter_port);
    relay("health", health_fd, health_private);
    if (o.ssh) relay("sshd", ssh_fd, ssh_private);
    health.serve();
    announce_ports(ws.runtime, o.port, o.health_port);

    const std::string origin = "http://" + browser_host(o.ip) + ":" + std::to_string(o.port);
    log().info("supervisor", "tensorbox up", {{"workspace", ws.root}, {"ip", o.ip}, {"port", o.port},
                                              {"health_port", o.health_port}, {"ssh", o.ssh},
                                              {"ssh_port", o.ssh_port},
                                              {"allow_from", allow.empty() ? "any" : allow.str()},
                                              {"uid", user.uid}, {"gid", user.gid}});
    pid_t announced = -1;
    sup.on_tick([&] {
      const pid_t pid = sup.pid_of("jupyter");
      if (pid <= 0 || pid == announced) return;
      const Readiness r = jupyter_readiness(ws.runtime, pid);
      if (!r.ready) return;
      announced = pid;
      // The public URL, with the base_url Jupyter really uses (a user's own config may set one).
      const std::string lab = origin + r.base_url + "lab";
      const std::string url = auth.token_generated ? lab + "?token=" + auth.token : lab;
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      const std::string how = auth.token_generated ? "" : auth.token.empty() ? " (log in with your password)" : " (token from --token-file)";
      log().info("supervisor", "JupyterLab is ready: " + url + how,
                 {{"url", url}, {"seconds_since_start", s}, {"health", "http://" + browser_host(o.ip) + ":" + std::to_string(o.health_port) + "/readyz"}});
    });
    return sup.run();
  } catch (const std::invalid_argument& e) {
    log().error("supervisor", e.what());
    return exit_usage;
  } catch (const PortTakenError& e) {
    log().error("supervisor", e.what());
    return exit_port_taken;
  } catch (const std::exception& e) {
    log().error("supervisor", std::string("cannot start: ") + e.what());
    return exit_failure;
  }
}

}  // namespace tb::env
