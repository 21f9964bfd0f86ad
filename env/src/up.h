// `tensorbox up`: the service layer of the environment in one native process.
//
// Prepares the workspace (state folder, first-start notebooks, hooks), binds the public ports
// (refusing to start when one is taken, naming the holder), starts JupyterLab (and sshd with
// --ssh) as an unprivileged user behind the allow-list relay, serves /healthz, /readyz and
// /metrics, and supervises everything until SIGTERM.
//
// Every option is also read from a TENSORBOX_* environment variable (TENSORBOX_PORT, ...).
// Secrets never travel by environment: tokens and passwords come from files.
#pragma once

#include <string>

namespace tb::env {

struct UpOptions {
  int port = 8888;            // JupyterLab
  int health_port = 8889;     // /healthz, /readyz, /metrics
  int ssh_port = 2222;        // sshd (with --ssh)
  std::string ip = "127.0.0.1";
  std::string workspace = "./workspace";
  std::string allow_from;     // CIDR[,CIDR]; empty = everyone who can reach --ip
  std::string token_file, password_file;
  std::string user;           // as root: NAME, UID or UID:GID (default 1000, or the workspace's owner)
  bool ssh = false;
  std::string authorized_keys;
  std::string log_file;
  std::string python;  // the interpreter that has jupyterlab, ipykernel and tensorbox (main: default_python())
  std::string hooks_dir = "/etc/tensorbox/start.d";
  std::string notebooks;      // where first-start notebooks come from (default: the installed examples)
};

// Runs until stopped; returns an ExitCode (supervisor.h).
int up(const UpOptions& options);

}  // namespace tb::env
