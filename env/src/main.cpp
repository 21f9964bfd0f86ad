// The `tensorbox` command: `tensorbox up` (the environment's services), `tensorbox doctor`
// (machine checks with fixes) and `tensorbox version`. Every option of `up` and `doctor` can
// also be set by a TENSORBOX_* environment variable (the flag wins).
#include <CLI/CLI.hpp>
#include <iostream>

#include "doctor.h"
#include "health.h"
#include "process.h"
#include "supervisor.h"
#include "up.h"

int main(int argc, char** argv) {
  CLI::App app{"tensorbox: a pre-built deep-learning environment with a native C++ engine"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("tensorbox ") + TB_VERSION);

  tb::env::UpOptions up;
  auto* up_cmd = app.add_subcommand("up", "Start JupyterLab (and sshd), supervised, with health checks, metrics and JSON logs");
  up_cmd->add_option("--port", up.port, "JupyterLab's port")->envname("TENSORBOX_PORT")->capture_default_str();
  up_cmd->add_option("--health-port", up.health_port, "Port of /healthz, /readyz and /metrics")->envname("TENSORBOX_HEALTH_PORT")->capture_default_str();
  up_cmd->add_option("--ip", up.ip, "Address to listen on (0.0.0.0 for every interface)")->envname("TENSORBOX_IP")->capture_default_str();
  up_cmd->add_option("--workspace", up.workspace, "Folder for notebooks and everything you make (mount it)")->envname("TENSORBOX_WORKSPACE")->capture_default_str();
  up_cmd->add_option("--allow-from", up.allow_from, "Only these source addresses may connect: CIDR[,CIDR] (default: any)")->envname("TENSORBOX_ALLOW_FROM");
  up_cmd->add_option("--token-file", up.token_file, "File holding Jupyter's token (default: a random token, printed)")->envname("TENSORBOX_TOKEN_FILE");
  up_cmd->add_option("--password-file", up.password_file, "File holding a hashed Jupyter password (jupyter_server.auth.passwd())")->envname("TENSORBOX_PASSWORD_FILE");
  up_cmd->add_option("--user", up.user, "As root: run services as NAME, UID or UID:GID (default 1000, or the workspace's owner)")->envname("TENSORBOX_USER");
  up_cmd->add_flag("--ssh", up.ssh, "Also start sshd (key-only logins)")->envname("TENSORBOX_SSH");
  up_cmd->add_option("--ssh-port", up.ssh_port, "sshd's port")->envname("TENSORBOX_SSH_PORT")->capture_default_str();
  up_cmd->add_option("--authorized-keys", up.authorized_keys, "Public keys allowed to log in over ssh")->envname("TENSORBOX_AUTHORIZED_KEYS");
  up_cmd->add_option("--log-file", up.log_file, "Also append the JSON log lines to this file")->envname("TENSORBOX_LOG_FILE");
  up_cmd->add_option("--python", up.python, "Python interpreter with jupyterlab, ipykernel and tensorbox (default: the python3 next to this command, else python3 on PATH)")->envname("TENSORBOX_PYTHON");
  up_cmd->add_option("--hooks-dir", up.hooks_dir, "System start hooks (run before the workspace's .tensorbox/start.d)")->envname("TENSORBOX_HOOKS_DIR")->capture_default_str();
  up_cmd->add_option("--notebooks", up.notebooks, "Example notebooks copied into a new workspace")->envname("TENSORBOX_NOTEBOOKS");

  // A flag given twice takes the last value, as `docker run IMAGE --ip 127.0.0.1` expects when the
  // image's entrypoint already says `--ip 0.0.0.0`.
  for (CLI::Option* opt : up_cmd->get_options())
    if (opt->get_type_size() > 0) opt->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);

  tb::env::DoctorOptions doc;
  auto* doc_cmd = app.add_subcommand("doctor", "Check CPU, memory, GPU, Python packages and the workspace; print fixes");
  doc_cmd->add_flag("--json", doc.json, "Print the report as JSON");
  doc_cmd->add_option("--python", doc.python, "Python interpreter to check (default as for up)")->envname("TENSORBOX_PYTHON");
  doc_cmd->add_option("--lock", doc.lock, "Lock file to compare the Python packages with")->envname("TENSORBOX_LOCK");
  doc_cmd->add_option("--workspace", doc.workspace, "Workspace to check")->envname("TENSORBOX_WORKSPACE")->capture_default_str();
  doc_cmd->add_option("--user", doc.user, "Service user to check the workspace for")->envname("TENSORBOX_USER");

  int check_port = 0;
  std::string check_path = "/readyz", check_workspace = "./workspace";
  auto* check_cmd = app.add_subcommand("healthcheck", "GET http://127.0.0.1:PORT/readyz of a running `tensorbox up`; exit 0 when it answers 200 (the image's HEALTHCHECK)");
  check_cmd->add_option("--port", check_port, "The health port (default: the one the running `tensorbox up` of --workspace announced, else 8889)")->envname("TENSORBOX_HEALTH_PORT");
  check_cmd->add_option("--workspace", check_workspace, "Workspace of the running `tensorbox up`")->envname("TENSORBOX_WORKSPACE")->capture_default_str();
  check_cmd->add_option("--path", check_path, "/readyz or /healthz")->capture_default_str();

  app.add_subcommand("version", "Print the version")->callback([] { std::cout << "tensorbox " << TB_VERSION << "\n"; });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : tb::env::exit_usage;
  }
  if (up.python.empty()) up.python = tb::env::default_python();
  if (doc.python.empty()) doc.python = tb::env::default_python();
  if (up_cmd->parsed()) return tb::env::up(up);
  if (doc_cmd->parsed()) return tb::env::doctor(doc);
  if (check_cmd->parsed())
    return tb::env::healthcheck(check_port > 0 ? check_port : tb::env::announced_health_port(check_workspace), check_path);
  return 0;
}
