// Small pieces of the HTTP engine: libcurl start-up, MD5 of a finished file, text helpers for headers and S3
// error bodies, and the hint each error kind adds to a failure message.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace goesvfi::fetch {

// curl_global_init once per process (Internal error when it fails).
void ensure_curl_initialised();

// Hex MD5 of a file, read in 1 MB blocks; Io naming the file when it cannot be read.
std::string file_md5(const std::filesystem::path& path);

// The text between the first `open` and the next `close` ("" when either is missing).
std::string between(std::string_view text, std::string_view open, std::string_view close);
std::string lower(std::string_view text);
std::string trim(std::string_view text);

// What a user can do about a failure of this kind (the tail of every give-up message).
std::string_view hint_for(ErrorKind kind);

}  // namespace goesvfi::fetch
