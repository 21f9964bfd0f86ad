// The workspace: the one folder where everything the user makes lives (mount it to keep it).
//
//   <workspace>/                 notebooks and files, served by JupyterLab
//   <workspace>/.tensorbox/      state kept across restarts: ssh host keys, Jupyter settings,
//                                start.d hooks; runtime/ and metrics/ are cleared on each start
//
// On first start (no .tensorbox/seeded marker) the example notebooks are copied in, never over
// a file of the same name.
#pragma once

#include <map>
#include <string>

#include "process.h"

namespace tb::env {

struct WorkspacePaths {
  std::string root, state, runtime, metrics, jupyter_config, jupyter_data, ipython, ssh;
};

// Creates the folders (owned by `user`, state 0700) and returns their paths. Throws
// std::runtime_error naming the folder that cannot be made.
WorkspacePaths prepare_workspace(const std::string& root, const ServiceUser& user);
// Copies the example notebooks into a new workspace; returns how many were copied.
int seed_notebooks(const WorkspacePaths& ws, const std::string& notebooks_dir, const ServiceUser& user);
// The example notebooks shipped with this build: $prefix/share/tensorbox/notebooks next to the
// executable, else the source tree's examples/notebooks.
std::string default_notebooks_dir();
// "" when `user` can write `root`; otherwise a warning with the fix.
std::string writability_problem(const std::string& root, const ServiceUser& user);
// Runs the executables of `dir` in name order (as `user`, or as ourselves when user is null) with
// `env` plus TENSORBOX_WORKSPACE, logging their output; a failing hook is logged and does not stop
// start-up.
void run_hooks(const std::string& dir, const ServiceUser* user, const std::string& cwd,
               std::map<std::string, std::string> env);

}  // namespace tb::env
