// Shared helpers for goesvfi tests: temporary folders, paths to ../shared and the CLI, running the CLI,
// synthetic images and image comparison.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/image.hpp"

namespace goesvfi::test {

// A fresh empty folder removed at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

 private:
  std::filesystem::path m_path;
};

std::filesystem::path shared_dir();  // ../shared beside the checkout
std::filesystem::path source_dir();  // the repository root
std::filesystem::path cli_path();    // the built goesvfi binary
// The bytes of a file ("" when it cannot be read).
std::string read_file(const std::filesystem::path& path);

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};
// Runs the goesvfi CLI with args (each quoted for the shell), capturing stdout and stderr.
CommandResult run_cli(const std::vector<std::string>& args, const std::string& env = "");

// A smooth, textured, deterministic test pattern shifted by (dx, dy) pixels (sub-pixel allowed): cloud-like.
Image make_pattern(int width, int height, int channels, SampleType type, double dx = 0, double dy = 0,
                   int seed = 1);
double psnr(const Image& a, const Image& b);  // over all channels, peak by sample type (1.0 for float)
// The mean of every sample of an 8-bit image (all channels).
double mean_level(const Image& img);
// PSNR away from the frame edges, where content enters or leaves the frame and no backend can know it.
double interior_psnr(const Image& a, const Image& b, int margin);

// Runs fn and checks that it throws a goesvfi::Error of `kind` whose describe() text (message and context
// lines) contains `fragment`. Anything else is a failure that says what happened instead: no exception,
// another kind, another message, or an exception that is not a goesvfi::Error. Use through EXPECT_ERROR /
// ASSERT_ERROR.
template <typename Fn>
::testing::AssertionResult throws_error(Fn&& fn, ErrorKind kind, std::string_view fragment,
                                        const char* what) {
  try {
    fn();
  } catch (const Error& e) {
    if (e.kind() != kind) {
      return ::testing::AssertionFailure() << what << " threw an Error of kind '" << to_string(e.kind())
                                           << "', expected '" << to_string(kind) << "':\n  " << e.describe();
    }
    if (e.describe().find(fragment) == std::string::npos) {
      return ::testing::AssertionFailure()
             << what << " threw an Error of kind '" << to_string(kind) << "' without \"" << fragment
             << "\" in its text:\n  " << e.describe();
    }
    return ::testing::AssertionSuccess();
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << what << " threw a non-goesvfi exception: " << e.what();
  } catch (...) {
    return ::testing::AssertionFailure() << what << " threw something that is not a std::exception";
  }
  return ::testing::AssertionFailure() << what << " threw nothing, expected an Error of kind '"
                                       << to_string(kind) << "' mentioning \"" << fragment << "\"";
}

// EXPECT_ERROR(statement, ErrorKind::X, "fragment"): the statement throws a goesvfi::Error of kind X whose
// text contains the fragment (see throws_error).
#define EXPECT_ERROR(statement, kind, fragment) \
  EXPECT_TRUE(::goesvfi::test::throws_error([&] { statement; }, kind, fragment, #statement))
#define ASSERT_ERROR(statement, kind, fragment) \
  ASSERT_TRUE(::goesvfi::test::throws_error([&] { statement; }, kind, fragment, #statement))

// Runs fn, expecting a goesvfi::Error of kind InvalidArgument whose text mentions `needle`.
template <typename Fn>
void expect_invalid(Fn&& fn, const std::string& needle) {
  EXPECT_TRUE(throws_error(std::forward<Fn>(fn), ErrorKind::InvalidArgument, needle, "the call"));
}

// Skips the current test when built with sanitizers (for full-size compute tests).
#define GOESVFI_SKIP_IF_SANITIZED()                                                      \
  do {                                                                                   \
    if (::goesvfi::test::built_with_sanitizers()) GTEST_SKIP() << "too slow under ASan"; \
  } while (0)
bool built_with_sanitizers();

}  // namespace goesvfi::test
