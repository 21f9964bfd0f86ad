// io::atomic_write: the target holds the old content or the new, never a part; failures name the
// path, leave the target as it was and leave no temporary file behind.
#include "tensorbox/io/atomic_write.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "tensorbox/core/errors.h"

namespace tb::io {
namespace {
namespace fs = std::filesystem;

struct AtomicWrite : ::testing::Test {
  fs::path dir = fs::temp_directory_path() / ("tb-atomic-" + std::to_string(::getpid()));
  std::string target = (dir / "file").string();
  void SetUp() override { fs::create_directories(dir); }
  void TearDown() override { fs::remove_all(dir); }
  std::string read(const std::string& p) const {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::vector<std::string> files() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    return names;
  }
};

TEST_F(AtomicWrite, WritesAndReplacesWithNothingLeftOver) {
  atomic_write(target, "first");
  EXPECT_EQ(read(target), "first");
  const std::string binary("a\0b\n", 4);
  atomic_write(target, binary, {.sync = false});
  EXPECT_EQ(read(target), binary);
  atomic_write(target, "");
  EXPECT_EQ(read(target), "");
  EXPECT_EQ(files(), std::vector<std::string>{"file"});
}

TEST_F(AtomicWrite, GivesTheModeEvenOverAStaleTemporaryFile) {
  // What a crashed writer with our pid would have left: world-readable.
  const std::string stale = target + ".tmp." + std::to_string(::getpid());
  std::ofstream(stale) << "old secret";
  ::chmod(stale.c_str(), 0666);
  atomic_write(target, "token", {.mode = 0600});
  struct stat st{};
  ASSERT_EQ(::stat(target.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(read(target), "token");
  EXPECT_EQ(files(), std::vector<std::string>{"file"});
}

TEST_F(AtomicWrite, AMissingFolderIsNotFoundNamingThePath) {
  const std::string p = (dir / "no" / "such" / "file").string();
  try {
    atomic_write(p, "x");
    FAIL() << "no error";
  } catch (const NotFoundError& e) {
    EXPECT_NE(std::string(e.what()).find(p), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("No such file or directory"), std::string::npos) << e.what();
  }
}

TEST_F(AtomicWrite, AFailureBeforeTheRenameLeavesTheTargetAsItWas) {
  atomic_write(target, "kept");
  EXPECT_THROW(atomic_write(target, "lost", {.before_rename = [](const std::string&) { throw DataLossError("chown failed"); }}),
               DataLossError);
  EXPECT_EQ(read(target), "kept");
  EXPECT_EQ(files(), std::vector<std::string>{"file"});
}

TEST_F(AtomicWrite, BeforeRenameSeesTheCompleteTemporaryFile) {
  std::string seen;
  atomic_write(target, "whole", {.before_rename = [&](const std::string& tmp) { seen = read(tmp); }});
  EXPECT_EQ(seen, "whole");
}

TEST_F(AtomicWrite, ARenameOntoAFolderFailsAndCleansUp) {
  fs::create_directories(dir / "sub" / "inner");
  const std::string onto = (dir / "sub").string();
  EXPECT_THROW(atomic_write(onto, "x"), DataLossError);
  EXPECT_TRUE(fs::is_directory(onto));
  EXPECT_EQ(files(), std::vector<std::string>{"sub"});
}

}  // namespace
}  // namespace tb::io
