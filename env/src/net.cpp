#include "net.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netdb.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "log.h"

namespace tb::env {

namespace {

// Address bytes and family of a socket address; IPv4-mapped IPv6 becomes IPv4.
bool address_bytes(const sockaddr_storage& a, std::array<uint8_t, 16>& out, bool& v6) {
  out.fill(0);
  if (a.ss_family == AF_INET) {
    std::memcpy(out.data(), &reinterpret_cast<const sockaddr_in&>(a).sin_addr, 4);
    v6 = false;
    return true;
  }
  if (a.ss_family == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(a).sin6_addr;
    if (IN6_IS_ADDR_V4MAPPED(&in6)) {
      std::memcpy(out.data(), in6.s6_addr + 12, 4);
      v6 = false;
    } else {
      std::memcpy(out.data(), in6.s6_addr, 16);
      v6 = true;
    }
    return true;
  }
  return false;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

}  // namespace

AllowList AllowList::parse(const std::string& text) {
  AllowList list;
  list.text_ = text;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    item = trim(item);
    if (item.empty()) continue;
    const auto slash = item.find('/');
    const std::string ip = item.substr(0, slash);
    Entry e{};
    if (inet_pton(AF_INET, ip.c_str(), e.addr.data()) == 1) {
      e.v6 = false;
    } else if (inet_pton(AF_INET6, ip.c_str(), e.addr.data()) == 1) {
      e.v6 = true;
    } else {
      throw std::invalid_argument("--allow-from: '" + item + "' is not an address or CIDR (like 10.0.0.0/8 or fd00::/8)");
    }
    const int max = e.v6 ? 128 : 32;
    e.prefix = max;
    if (slash != std::string::npos) {
      const std::string p = item.substr(slash + 1);
      char* end = nullptr;
      const long v = std::strtol(p.c_str(), &end, 10);
      if (p.empty() || *end || v < 0 || v > max)
        throw std::invalid_argument("--allow-from: '" + item + "' has a prefix length outside 0.." + std::to_string(max));
      e.prefix = int(v);
    }
    list.entries_.push_back(e);
  }
  return list;
}

bool AllowList::allows(const sockaddr_storage& a) const {
  if (entries_.empty()) return true;
  std::array<uint8_t, 16> bytes;
  bool v6 = false;
  if (!address_bytes(a, bytes, v6)) return false;
  for (const auto& e : entries_) {
    if (e.v6 != v6) continue;
    int bits = e.prefix, i = 0;
    bool match = true;
    for (; bits >= 8; bits -= 8, ++i)
      if (bytes[i] != e.addr[i]) match = false;
    if (match && bits > 0) {
      const uint8_t mask = uint8_t(0xff << (8 - bits));
      match = (bytes[i] & mask) == (e.addr[i] & mask);
    }
    if (match) return true;
  }
  return false;
}

std::string address_string(const sockaddr_storage& a) {
  std::array<uint8_t, 16> bytes;
  bool v6 = false;
  if (!address_bytes(a, bytes, v6)) return "?";
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof buf);
  return buf;
}

std::string port_holder(int port) {
  // /proc/net/tcp{,6}: "sl local rem st ... uid timeout inode"; LISTEN is state 0A.
  std::vector<std::string> inodes;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      std::istringstream ls(line);
      std::string sl, local, rem, st, txrx, tr, retr, uid, timeout, inode;
      ls >> sl >> local >> rem >> st >> txrx >> tr >> retr >> uid >> timeout >> inode;
      const auto colon = local.rfind(':');
      if (colon == std::string::npos || st != "0A") continue;
      if (std::stoi(local.substr(colon + 1), nullptr, 16) == port) inodes.push_back("socket:[" + inode + "]");
    }
  }
  if (inodes.empty()) return "";
  DIR* proc = opendir("/proc");
  if (!proc) return "";
  std::string found;
  while (dirent* d = readdir(proc)) {
    if (!std::isdigit(static_cast<unsigned char>(d->d_name[0]))) continue;
    const std::string fd_dir = std::string("/proc/") + d->d_name + "/fd";
    DIR* fds = opendir(fd_dir.c_str());
    if (!fds) continue;
    while (dirent* f = readdir(fds)) {
      char target[64] = {};
      const std::string link = fd_dir + "/" + f->d_name;
      const ssize_t n = readlink(link.c_str(), target, sizeof target - 1);
      if (n <= 0) continue;
      for (const auto& want : inodes)
        if (want == target) found = d->d_name;
      if (!found.empty()) break;
    }
    closedir(fds);
    if (!found.empty()) break;
  }
  closedir(proc);
  if (found.empty()) return "another process (not visible from here: another user or container)";
  std::ifstream cmd("/proc/" + found + "/cmdline");
  std::string cmdline((std::istreambuf_iterator<char>(cmd)), {});
  for (auto& c : cmdline)
    if (c == '\0') c = ' ';
  return "pid " + found + " (" + trim(cmdline) + ")";
}

int listen_tcp(const std::string& ip, int port) {
  addrinfo hints{}, *res = nullptr;
  hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
  hints.ai_socktype = SOCK_STREAM;
  const std::string port_s = std::to_string(port);
  if (int rc = getaddrinfo(ip.c_str(), port_s.c_str(), &hints, &res); rc != 0)
    throw std::invalid_argument("--ip '" + ip + "' is not an IP address (" + gai_strerror(rc) + ")");
  const int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  const int rc = bind(fd, res->ai_addr, res->ai_addrlen);
  const int err = errno;
  freeaddrinfo(res);
  if (rc != 0) {
    ::close(fd);
    if (err == EADDRINUSE) {
      const std::string holder = port_holder(port);
      throw PortTakenError("port " + port_s + " on " + ip + " is already in use" +
                           (holder.empty() ? "" : " by " + holder) +
                           ": stop that process or choose another port (--port / --health-port / --ssh-port)");
    }
    throw std::runtime_error("cannot listen on " + ip + ":" + port_s + ": " + std::strerror(err));
  }
  if (::listen(fd, 128) != 0) {
    const int e = errno;
    ::close(fd);
    throw std::runtime_error("cannot listen on " + ip + ":" + port_s + ": " + std::strerror(e));
  }
  return fd;
}

int free_loopback_port() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    ::close(fd);
    throw std::runtime_error(std::string("cannot find a free loopback port: ") + std::strerror(errno));
  }
  ::close(fd);
  return ntohs(a.sin_port);
}

namespace {

// Copies both ways until either side closes; half-closes are passed on so protocols that rely
// on them (HTTP/1.0 clients, ssh's EOF) still work.
void pump(int a, int b) {
  char buf[65536];
  bool a_open = true, b_open = true;
  while (a_open || b_open) {
    // A direction that reached EOF is left out (fd -1): its POLLHUP would otherwise spin.
    pollfd p[2] = {{a_open ? a : -1, POLLIN, 0}, {b_open ? b : -1, POLLIN, 0}};
    if (poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    bool broken = false;
    for (int i = 0; i < 2 && !broken; ++i) {
      if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const int from = i == 0 ? a : b, to = i == 0 ? b : a;
      const ssize_t n = ::read(from, buf, sizeof buf);
      if (n <= 0) {
        if (n < 0 && errno != ECONNRESET) broken = true;
        shutdown(to, SHUT_WR);
        (i == 0 ? a_open : b_open) = false;
        continue;
      }
      for (ssize_t off = 0; off < n;) {
        const ssize_t w = ::send(to, buf + off, size_t(n - off), MSG_NOSIGNAL);
        if (w <= 0) {
          broken = true;
          break;
        }
        off += w;
      }
    }
    if (broken) break;
  }
  ::close(a);
  ::close(b);
}

}  // namespace

Relay::Relay(std::string service, int listen_fd, int target_port, AllowList allow)
    : service_(std::move(service)), listen_fd_(listen_fd), target_port_(target_port),
      stop_fd_(eventfd(0, EFD_CLOEXEC)), allow_(std::move(allow)) {
  thread_ = std::thread([this] { run(); });
}

Relay::~Relay() {
  const uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(stop_fd_, &one, sizeof one);
  thread_.join();
  ::close(stop_fd_);
  ::close(listen_fd_);
}

void Relay::run() {
  for (;;) {
    pollfd p[2] = {{listen_fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
    if (poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (p[1].revents) return;
    sockaddr_storage peer{};
    socklen_t len = sizeof peer;
    const int client = accept4(listen_fd_, reinterpret_cast<sockaddr*>(&peer), &len, SOCK_CLOEXEC);
    if (client < 0) continue;
    const std::string from = address_string(peer);
    if (!allow_.allows(peer)) {
      ++refused_;
      // Reset rather than FIN: the client sees "connection refused/reset", not an empty reply.
      linger lg{1, 0};
      setsockopt(client, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
      ::close(client);
      log().warning("relay", "connection refused: source address not in --allow-from",
                    {{"service", service_}, {"peer", from}, {"allow_from", allow_.str()}});
      continue;
    }
    const int upstream = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    to.sin_port = htons(uint16_t(target_port_));
    if (connect(upstream, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
      log().warning("relay", "service not answering; connection closed",
                    {{"service", service_}, {"peer", from}, {"error", std::strerror(errno)}});
      ::close(upstream);
      ::close(client);
      continue;
    }
    ++accepted_;
    std::thread([client, upstream] { pump(client, upstream); }).detach();
  }
}

}  // namespace tb::env
