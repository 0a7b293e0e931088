// libnetcdf (and the HDF5 under it) is not thread-safe: every call into it holds this one lock.
#pragma once

#include <mutex>

namespace goesvfi {

std::mutex& netcdf_library_mutex();
// Stops HDF5 from printing its error stack for the calling thread (netCDF probes absent attributes; we read
// return codes). Call before netCDF calls on a thread.
void silence_hdf5_error_printing_on_this_thread();

}  // namespace goesvfi
