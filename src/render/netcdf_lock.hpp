// libnetcdf (and the HDF5 under it) is not thread-safe: every call into it holds this one lock.
#pragma once

#include <mutex>

namespace goesvfi {

std::mutex& netcdf_library_mutex();

}  // namespace goesvfi
