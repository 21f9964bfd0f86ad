#include "ssh.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace tb::env {

namespace {

const char* find_program(std::initializer_list<const char*> candidates) {
  for (const char* c : candidates)
    if (::access(c, X_OK) == 0) return c;
  return nullptr;
}

}  // namespace

ServiceSpec ssh_service(const WorkspacePaths& ws, const ServiceUser& user, int private_port,
                        const std::string& authorized_keys, const std::map<std::string, std::string>& base_env) {
  const char* sshd = find_program({"/usr/sbin/sshd", "/usr/local/sbin/sshd"});
  const char* keygen = find_program({"/usr/bin/ssh-keygen", "/usr/local/bin/ssh-keygen"});
  if (!sshd || !keygen)
    throw std::invalid_argument("--ssh: OpenSSH's sshd is not installed (Debian: apt-get install openssh-server)");
  if (authorized_keys.empty())
    throw std::invalid_argument("--ssh needs --authorized-keys FILE: logins are by key only");
  std::ifstream keys_in(authorized_keys);
  if (!keys_in) throw std::invalid_argument("--authorized-keys " + authorized_keys + ": cannot read the file");
  const std::string keys((std::istreambuf_iterator<char>(keys_in)), {});
  if (keys.find("ssh-") == std::string::npos && keys.find("ecdsa-") == std::string::npos)
    throw std::invalid_argument("--authorized-keys " + authorized_keys + ": no public key in it (expected lines like 'ssh-ed25519 AAAA...')");

  const std::string host_key = ws.ssh + "/ssh_host_ed25519_key";
  if (!fs::exists(host_key)) {
    const Finished f = run_to_end({keygen, "-q", "-t", "ed25519", "-N", "", "-C", "tensorbox host key", "-f", host_key},
                                  base_env, user, ws.ssh);
    if (!f.ok())
      throw std::runtime_error("ssh-keygen failed to make the host key " + host_key + " (" + f.how() + "): " + f.output);
  }
  const std::string keys_path = ws.ssh + "/authorized_keys";
  {
    std::ofstream out(keys_path, std::ios::trunc);
    out << keys;
    if (!keys.empty() && keys.back() != '\n') out << "\n";
  }
  ::chmod(keys_path.c_str(), 0600);
  if (user.drop) chown_to(keys_path, user, false);

  const std::string config = ws.ssh + "/sshd_config";
  {
    std::ofstream out(config, std::ios::trunc);
    out << "# Written by tensorbox up on every start; edits are overwritten.\n"
        << "ListenAddress 127.0.0.1:" << private_port << "\n"
        << "HostKey " << host_key << "\n"
        << "PidFile none\n"
        << "AuthorizedKeysFile " << keys_path << "\n"
        << "PubkeyAuthentication yes\n"
        << "PasswordAuthentication no\n"
        << "KbdInteractiveAuthentication no\n"
        << "PermitEmptyPasswords no\n"
        << "PermitRootLogin no\n"
        << "UsePAM no\n"
        // The key file and its folder are written by us with safe modes; the workspace's own
        // parents (a mount, /tmp) are outside our control and would fail sshd's path walk.
        << "StrictModes no\n"
        << "X11Forwarding no\n"
        << "PermitUserEnvironment no\n"
        << "PrintMotd no\n"
        << "Subsystem sftp internal-sftp\n"
        << "LogLevel INFO\n";
    if (!user.name.empty()) out << "AllowUsers " << user.name << "\n";
  }
  ::chmod(config.c_str(), 0600);
  if (user.drop) chown_to(config, user, false);

  ServiceSpec s;
  s.name = "sshd";
  s.argv = {sshd, "-D", "-e", "-f", config};
  s.env = base_env;
  s.cwd = ws.root;
  s.user = user;
  return s;
}

}  // namespace tb::env
