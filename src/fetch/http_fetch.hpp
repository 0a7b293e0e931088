// Shared by the HTTP stores: turns RemoteFiles into downloads (skip complete files, make folders, verify
// sizes and single-part ETags) and the download results into FetchResults, advancing the progress task.
#pragma once

#include "fetch/http.hpp"
#include "fetch/store.hpp"

namespace goesvfi::fetch {

std::vector<FetchResult> fetch_over_http(HttpClient& client, const std::vector<RemoteFile>& files,
                                         const std::filesystem::path& dest, Layout layout,
                                         ProgressTask& progress, const CancelToken& cancel);

}  // namespace goesvfi::fetch
