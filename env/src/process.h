// Child processes for the supervisor: who they run as, how they are started, what they cost.
//
//   ServiceUser u = resolve_user("1000", /*create=*/true);   // uid 1000, created if missing
//   Child c = spawn({"/usr/sbin/sshd", "-D"}, env, u, "/workspace");
//   // c.output: the read end of the child's stdout+stderr
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace tb::env {

struct ServiceUser {
  uid_t uid = 0;
  gid_t gid = 0;
  std::string name;  // "" when the uid has no passwd entry (an arbitrary --user in a container)
  std::string home;  // "" likewise
  bool drop = false; // true when the supervisor is root and must switch to this user
};

// The user services run as. When the supervisor is not root it is always the current user (and
// `spec` must name it or be empty). As root, `spec` is NAME, UID or UID:GID; a missing user is
// created (useradd, home in /home) when `create`, else it runs by number. Root itself is refused.
// Throws std::invalid_argument with the reason.
ServiceUser resolve_user(const std::string& spec, bool create);

struct Child {
  pid_t pid = -1;
  int output = -1;  // the child's stdout and stderr, merged
};

// fork + exec in a new session (its own process group), stdin from /dev/null, running as `user`
// (dropping root when user.drop), in `cwd`, with exactly `env`. argv[0] is a path or a name on PATH.
// Throws std::runtime_error when the fork or pipe fails; an exec failure shows as exit code 127
// with the reason on the output.
Child spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
            const ServiceUser& user, const std::string& cwd);

// Runs a command to its end (spawn, read all its output, wait): hooks, ssh-keygen, doctor's probe.
struct Finished {
  int status = 0;  // as waitpid reports it
  std::string output;
  bool ok() const;           // exited with code 0
  std::string how() const;   // "exit code 3", "signal 9 (Killed)"
};
Finished run_to_end(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                    const ServiceUser& user, const std::string& cwd);

// The absolute path of an executable given as a path or a name on `search_path` (default:
// $PATH); "" when there is none.
std::string find_executable(const std::string& name, const char* search_path = nullptr);
// This process's environment as a map (what children start from).
std::map<std::string, std::string> current_environment();
// The user this process runs as, for running something without switching user.
ServiceUser current_user();

// The interpreter of the environment this command was installed into (the python3 next to it in a
// venv's bin/), else "python3" from PATH.
std::string default_python();

// CPU seconds (user + system) and resident bytes of a process and all its descendants, for each
// root, from one reading of /proc.
struct Usage {
  double cpu_seconds = 0;
  double rss_bytes = 0;
};
std::vector<Usage> process_tree_usage(const std::vector<pid_t>& roots);
// The pids of all descendants of `root` (children, grandchildren, ...), from /proc.
std::vector<pid_t> descendants(pid_t root);

// Changes the owner of `path` (and everything under it when `recursive`) to the user; errors are
// ignored file by file (a read-only mount is not fatal) and counted in the return value.
int chown_to(const std::string& path, const ServiceUser& user, bool recursive);

}  // namespace tb::env
