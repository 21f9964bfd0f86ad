// JupyterLab as a supervised service: its auth, its command line and its readiness.
//
// Auth is never off. The token (random, or read from --token-file) or the hashed password
// (--password-file) go into a config file only the service user can read, never into the
// command line or the environment. Jupyter listens on a private loopback port; the public port
// is the supervisor's relay. Readiness is found the way Jupyter publishes it: the runtime file
// jpserver-<pid>.json names the real URL (port, base_url), and GET <url>api must answer 200.
#pragma once

#include <sys/types.h>

#include <string>

#include "supervisor.h"
#include "workspace.h"

namespace tb::env {

struct JupyterAuth {
  std::string token;            // "" when a password is used
  std::string hashed_password;  // Jupyter's "argon2:..." / "sha1:..." form
  bool token_generated = false;
};

// Reads --token-file / --password-file (at most one may be given) or makes a random token.
// Throws std::invalid_argument naming the file and what is wrong with it.
JupyterAuth jupyter_auth(const std::string& token_file, const std::string& password_file);

// Writes the auth config into ws.jupyter_config and returns the service.
ServiceSpec jupyter_service(const std::string& python, const WorkspacePaths& ws, const ServiceUser& user,
                            int private_port, const JupyterAuth& auth,
                            const std::map<std::string, std::string>& base_env);

// Why `python` cannot serve JupyterLab for `user` ("" when it can): it does not run as that user
// (a venv under /root, say) or lacks jupyterlab or ipykernel. A restart cannot fix either, so
// `tensorbox up` stops at once with this message instead of restarting Jupyter.
std::string jupyter_python_problem(const std::string& python, const ServiceUser& user,
                                   const std::map<std::string, std::string>& env);

struct Readiness {
  bool ready = false;
  std::string detail;    // the URL that answered, or why not ready
  std::string base_url;  // Jupyter's base_url ("/" unless configured), when ready
};
Readiness jupyter_readiness(const std::string& runtime_dir, pid_t pid);

}  // namespace tb::env
