// Networking for the supervisor: source-address allow-lists, listening sockets that say who holds
// a taken port, and the relay that puts every public port behind the allow-list.
//
// Every service (JupyterLab, sshd, the health server) listens on a private loopback port; the
// supervisor owns the public ports and relays each accepted connection whose source address is
// allowed, byte for byte (so HTTP, WebSockets and SSH all pass unchanged). A refused connection
// is closed at once and logged with its address. One mechanism for every service.
//
//   AllowList allow = AllowList::parse("10.0.0.0/8,127.0.0.1/32");
//   int fd = listen_tcp("0.0.0.0", 8888);                 // throws PortTakenError naming the holder
//   Relay relay("jupyter", fd, 41234, allow);             // forwards to 127.0.0.1:41234
#pragma once

#include <netinet/in.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace tb::env {

// A CIDR list (IPv4 and IPv6). Empty means everyone is allowed. IPv4-mapped IPv6 addresses
// (::ffff:a.b.c.d) match IPv4 entries.
class AllowList {
 public:
  // "a.b.c.d/n,..." or "x::/n,..."; a bare address means /32 (/128). Throws std::invalid_argument
  // naming the entry that is not a CIDR.
  static AllowList parse(const std::string& text);
  bool allows(const sockaddr_storage& addr) const;
  bool empty() const { return entries_.empty(); }
  std::string str() const { return text_; }

 private:
  struct Entry {
    bool v6;
    std::array<uint8_t, 16> addr;
    int prefix;
  };
  std::vector<Entry> entries_;
  std::string text_;
};

std::string address_string(const sockaddr_storage& addr);

class PortTakenError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A listening TCP socket on ip:port (close-on-exec). Throws PortTakenError saying which process
// holds the port (found through /proc) when it is taken, std::runtime_error otherwise.
int listen_tcp(const std::string& ip, int port);
// "pid 1234 (jupyter-lab --port 8888)" for the process listening on TCP `port`, or "" if unknown.
std::string port_holder(int port);
// A currently free loopback port for a service's private side.
int free_loopback_port();

// Accepts on `listen_fd` in its own thread and relays allowed connections to 127.0.0.1:target_port.
class Relay {
 public:
  Relay(std::string service, int listen_fd, int target_port, AllowList allow);
  ~Relay();  // stops accepting; open connections end with the process
  Relay(const Relay&) = delete;
  Relay& operator=(const Relay&) = delete;
  uint64_t accepted() const { return accepted_; }
  uint64_t refused() const { return refused_; }

 private:
  void run();
  std::string service_;
  int listen_fd_, target_port_, stop_fd_;
  AllowList allow_;
  std::atomic<uint64_t> accepted_{0}, refused_{0};
  std::thread thread_;
};

}  // namespace tb::env
