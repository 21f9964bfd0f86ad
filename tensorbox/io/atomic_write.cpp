#include "tensorbox/io/atomic_write.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "tensorbox/core/errors.h"

namespace tb::io {

namespace {

// Removes the temporary file unless the rename consumed it.
struct TempFile {
  std::string path;
  int fd = -1;
  bool keep = false;
  ~TempFile() {
    if (fd >= 0) ::close(fd);
    if (!keep) ::unlink(path.c_str());
  }
};

// A missing folder is NotFoundError, as tf.io reports it; any other failure loses the write.
[[noreturn]] void fail(const std::string& path, const std::string& what, int err) {
  const std::string msg = "cannot write " + path + ": " + what + ": " + std::strerror(err);
  if (err == ENOENT || err == ENOTDIR) throw NotFoundError(msg);
  throw DataLossError(msg);
}

}  // namespace

void atomic_write(const std::string& path, std::string_view data, const AtomicWriteOptions& options) {
  // The pid keeps two processes writing the same target from sharing a temporary file.
  TempFile tmp{path + ".tmp." + std::to_string(::getpid())};
  // A leftover of a crashed process with the same pid goes first, so O_EXCL gives a new file
  // with exactly `mode` (an old one would keep its own permissions).
  ::unlink(tmp.path.c_str());
  tmp.fd = ::open(tmp.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, options.mode);
  if (tmp.fd < 0) {
    tmp.keep = true;  // not ours: never unlink a file we did not create
    fail(path, "creating " + tmp.path, errno);
  }
  for (size_t done = 0; done < data.size();) {
    const ssize_t n = ::write(tmp.fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(path, "writing " + tmp.path, errno);
    done += size_t(n);
  }
  if (options.sync && ::fsync(tmp.fd) != 0) fail(path, "flushing " + tmp.path, errno);
  const int fd = tmp.fd;
  tmp.fd = -1;
  if (::close(fd) != 0) fail(path, "closing " + tmp.path, errno);
  if (options.before_rename) options.before_rename(tmp.path);
  if (std::rename(tmp.path.c_str(), path.c_str()) != 0) fail(path, "renaming " + tmp.path + " over it", errno);
  tmp.keep = true;
}

}  // namespace tb::io
