// Cheap integrity checks of image and NetCDF files from their first and last bytes: empty files, wrong magic
// numbers, and truncation (NetCDF-4/HDF5 end-of-file address beyond the size, PNG without IEND, JPEG without
// its end-of-image marker). Decoding whole files is left to the stages that read them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace goesvfi::catalog {

enum class FileState { Ok = 0, Empty = 1, Truncated = 2, BadHeader = 3, Unreadable = 4 };
std::string_view to_string(FileState state);

struct Verification {
  FileState state = FileState::Ok;
  std::string reason;  // what was found and what was expected; empty when Ok
};

// Checks by extension (.nc/.nc4/.h5, .png, .jpg/.jpeg); other files only for emptiness. Never throws: a file
// that cannot be opened is Unreadable with the system's reason.
Verification verify_file(const std::filesystem::path& path);

}  // namespace goesvfi::catalog
