// What `goesvfi --version` prints: the program's version and commit, and the versions of the libraries it
// runs with (read from the libraries at run time, so a package built on one Debian and run on another tells
// the truth).
#pragma once

#include <string>

namespace goesvfi {

// "0.1.0"
std::string program_version();
// "goesvfi 0.1.0 (commit 1156e31a2b)\nlibavcodec 59.37.100\n..." — one library per line.
std::string version_report();

}  // namespace goesvfi
