#include "jupyter.h"

#include <httplib.h>
#include <sys/wait.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>

#include "tensorbox/io/atomic_write.h"

namespace tb::env {

namespace {

std::string read_secret(const std::string& path, const std::string& flag) {
  std::ifstream in(path);
  if (!in) throw std::invalid_argument(flag + " " + path + ": cannot read the file");
  std::string s((std::istreambuf_iterator<char>(in)), {});
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  if (s.empty()) throw std::invalid_argument(flag + " " + path + ": the file is empty");
  if (s.find('\n') != std::string::npos) throw std::invalid_argument(flag + " " + path + ": expected one line");
  return s;
}

std::string random_token() {
  std::random_device rd("/dev/urandom");  // the kernel CSPRNG, whatever the library's default
  static const char hex[] = "0123456789abcdef";
  std::string t;
  for (int i = 0; i < 48; ++i) t += hex[rd() & 15];
  return t;
}

}  // namespace

std::string jupyter_python_problem(const std::string& python, const ServiceUser& user,
                                   const std::map<std::string, std::string>& env) {
  // find_spec locates the packages without importing them: a few ms, not JupyterLab's start-up.
  static const char* probe =
      "import importlib.util as u, sys\n"
      "missing = [m for m in ('jupyterlab', 'ipykernel') if u.find_spec(m) is None]\n"
      "print(' and '.join(missing)); sys.exit(3 if missing else 0)\n";
  const Finished f = run_to_end({python, "-c", probe}, env, user, "/");
  if (f.ok()) return "";
  std::string out = f.output;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  const std::string fix = ". Fix: pass --python (or TENSORBOX_PYTHON) naming the interpreter of an environment with "
                          "jupyterlab, ipykernel and tensorbox that uid " + std::to_string(user.uid) +
                          " can run (scripts/env-python makes .venv-env)";
  if (WIFEXITED(f.status) && WEXITSTATUS(f.status) == 3)
    return "the Python interpreter " + python + " has no " + out + fix;
  return "the Python interpreter " + python + " does not run as uid " + std::to_string(user.uid) + " (" + f.how() +
         (out.empty() ? "" : ": " + out.substr(0, 300)) + ")" + fix;
}

JupyterAuth jupyter_auth(const std::string& token_file, const std::string& password_file) {
  JupyterAuth a;
  if (!token_file.empty() && !password_file.empty())
    throw std::invalid_argument("--token-file and --password-file both given: choose one");
  if (!token_file.empty()) {
    a.token = read_secret(token_file, "--token-file");
    if (a.token.size() < 16)
      throw std::invalid_argument("--token-file " + token_file + ": the token has " + std::to_string(a.token.size()) +
                                  " characters; use at least 16 (e.g. `openssl rand -hex 24`)");
  } else if (!password_file.empty()) {
    a.hashed_password = read_secret(password_file, "--password-file");
    const auto colon = a.hashed_password.find(':');
    const std::string algo = a.hashed_password.substr(0, colon);
    if (colon == std::string::npos || (algo != "argon2" && algo != "sha1" && algo != "sha256" && algo != "sha512"))
      throw std::invalid_argument(
          "--password-file " + password_file +
          ": expected a hashed password (argon2:... or sha1:...), not a plain one; make it with "
          "`python -c \"from jupyter_server.auth import passwd; print(passwd())\"`");
  } else {
    a.token = random_token();
    a.token_generated = true;
  }
  return a;
}

ServiceSpec jupyter_service(const std::string& python, const WorkspacePaths& ws, const ServiceUser& user,
                            int private_port, const JupyterAuth& auth,
                            const std::map<std::string, std::string>& base_env) {
  nlohmann::json cfg;
  cfg["IdentityProvider"]["token"] = auth.token;
  if (!auth.hashed_password.empty()) {
    cfg["PasswordIdentityProvider"]["hashed_password"] = auth.hashed_password;
    cfg["PasswordIdentityProvider"]["allow_password_change"] = false;
  }
  // Requests arrive through the relay with the public Host header; the relay is the gate, so
  // Jupyter's localhost-only Host check must not reject them.
  cfg["ServerApp"]["allow_remote_access"] = true;
  const std::string path = ws.jupyter_config + "/jupyter_server_config.json";
  // It holds the token: private to the service user from the first byte.
  tb::io::atomic_write(path, cfg.dump(2) + "\n", {.mode = 0600, .before_rename = [&](const std::string& tmp) {
                         if (user.drop) chown_to(tmp, user, false);
                       }});
  ServiceSpec s;
  s.name = "jupyter";
  s.argv = {python, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
            "--ServerApp.port=" + std::to_string(private_port), "--ServerApp.port_retries=0",
            "--ServerApp.root_dir=" + ws.root};
  s.env = base_env;
  s.env["JUPYTER_CONFIG_DIR"] = ws.jupyter_config;
  s.env["JUPYTER_DATA_DIR"] = ws.jupyter_data;
  s.env["JUPYTER_RUNTIME_DIR"] = ws.runtime;
  s.env["IPYTHONDIR"] = ws.ipython;
  s.env["TENSORBOX_METRICS_DIR"] = ws.metrics;
  s.env["PYTHONUNBUFFERED"] = "1";
  s.cwd = ws.root;
  s.user = user;
  return s;
}

static Readiness not_ready(std::string why) { return {false, std::move(why), ""}; }

Readiness jupyter_readiness(const std::string& runtime_dir, pid_t pid) {
  if (pid <= 0) return not_ready("jupyter is not running");
  const std::string file = runtime_dir + "/jpserver-" + std::to_string(pid) + ".json";
  std::ifstream in(file);
  if (!in) return not_ready("jupyter (pid " + std::to_string(pid) + ") has not written " + file + " yet");
  nlohmann::json rt;
  try {
    in >> rt;
  } catch (const std::exception&) {
    return not_ready(file + " is not complete yet");
  }
  const std::string url = rt.value("url", "");
  // "http://127.0.0.1:41234/" (+ base_url): split into host:port and path.
  const auto scheme = url.find("://");
  const auto slash = scheme == std::string::npos ? std::string::npos : url.find('/', scheme + 3);
  if (slash == std::string::npos) return not_ready(file + " has no usable url: '" + url + "'");
  const std::string host_port = url.substr(scheme + 3, slash - scheme - 3);
  const auto colon = host_port.rfind(':');
  if (colon == std::string::npos) return not_ready(file + " has no port in its url: '" + url + "'");
  std::string path = url.substr(slash);
  if (path.empty() || path.back() != '/') path += "/";
  httplib::Client cli(host_port.substr(0, colon), std::stoi(host_port.substr(colon + 1)));
  cli.set_connection_timeout(2);
  cli.set_read_timeout(2);
  auto res = cli.Get((path + "api").c_str());
  if (!res) return not_ready("GET " + url + "api: " + httplib::to_string(res.error()));
  if (res->status != 200) return not_ready("GET " + url + "api answered " + std::to_string(res->status));
  return {true, url, path};
}

}  // namespace tb::env
