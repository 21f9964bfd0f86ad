// OpenSSH's sshd as a supervised service, key-only.
//
// Host keys are generated on first start into <workspace>/.tensorbox/ssh and kept, so clients see
// the same host key after a restart. authorized_keys comes from --authorized-keys (copied in, mode
// 0600). Password, keyboard-interactive and root logins are off. sshd runs as the service user
// (never root), so that user is the only one who can log in; it listens on a private loopback
// port behind the allow-list relay.
#pragma once

#include <string>

#include "supervisor.h"
#include "workspace.h"

namespace tb::env {

// Throws std::invalid_argument (no key file, no sshd) or std::runtime_error (key generation failed).
ServiceSpec ssh_service(const WorkspacePaths& ws, const ServiceUser& user, int private_port,
                        const std::string& authorized_keys, const std::map<std::string, std::string>& base_env);

}  // namespace tb::env
