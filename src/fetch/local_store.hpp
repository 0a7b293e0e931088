// A local archive as a store: a bucket mirror (<root>/<product>/<YYYY>/<DOY>/<HH>/, also below
// <root>/noaa-goesNN/ as `aws s3 sync` leaves it) or a flat folder of NOAA, STAR CDN or goesproc (goestools
// receiver) names. "Fetching" copies atomically into the destination (nothing when it is the same file).
#pragma once

#include "fetch/store.hpp"

namespace goesvfi::fetch {

class LocalStore : public Store {
 public:
  // NotFound naming `root` when it is not a folder.
  explicit LocalStore(std::filesystem::path root);
  std::string describe() const override;
  std::vector<RemoteFile> list_satellite(const ListQuery& query, const CancelToken& cancel) override;
  // The file's size and modification time: the listed path, else <root>/<key>, the key below the
  // satellite's bucket folder, or <root>/<name>.
  std::optional<ObjectInfo> stat(const RemoteFile& file, const CancelToken& cancel) override;
  std::vector<FetchResult> fetch(const std::vector<RemoteFile>& files, const std::filesystem::path& dest,
                                 Layout layout, ProgressTask& progress, const CancelToken& cancel) override;

 private:
  std::filesystem::path m_root;
};

}  // namespace goesvfi::fetch
