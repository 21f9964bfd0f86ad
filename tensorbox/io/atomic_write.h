// One way to replace a file so that a reader (or a crash) never sees it half-written: the data go
// to a temporary file beside the target, which is flushed, given (through `before_rename`)
// e.g. its owner, and renamed over the target. On any failure the temporary file
// is removed, the target is left as it was, and the error names the path and the reason
// (NotFoundError for a missing folder, DataLossError otherwise).
//
//   tb::io::atomic_write("model.weights", bytes);                       // 0644, fsync'd
//   tb::io::atomic_write(cfg, text, {.mode = 0600});                     // private
//   tb::io::atomic_write(stats, json, {.sync = false});                  // rewritten every second
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <sys/types.h>

namespace tb::io {

struct AtomicWriteOptions {
  // The new file's permissions, less the umask (as for any file a program creates).
  mode_t mode = 0644;
  // fsync before the rename, so that the new content survives a power loss as well as a crash.
  // Files rewritten continually (live metrics) turn it off: each rename is still atomic.
  bool sync = true;
  // Runs on the temporary file's path before the rename (e.g. chown to a service user); what it
  // throws aborts the write, with the target untouched.
  std::function<void(const std::string& tmp_path)> before_rename = nullptr;
};

void atomic_write(const std::string& path, std::string_view data, const AtomicWriteOptions& options = {});

}  // namespace tb::io
