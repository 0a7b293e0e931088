// An ordered fallback over stores, with one rule: local files first; for scans the local store lacks, the
// STAR CDN when the whole range lies within the last `cdn_days` days (and a band is asked for), else S3. When
// the CDN cannot be listed or has nothing, S3 is asked instead.
#pragma once

#include <functional>
#include <memory>

#include "core/config.hpp"
#include "fetch/store.hpp"

namespace goesvfi::fetch {

struct CompositeStoreParts {
  std::unique_ptr<Store> local;  // optional
  std::unique_ptr<Store> cdn;    // optional
  std::unique_ptr<Store> s3;     // optional (at least one part is required)
  int cdn_days = static_cast<int>(Config::defaults().get_int("fetch.cdn_days"));  // the schema's default
  std::function<UtcTime()> now;  // default: the system clock (tests pin it)
};

class CompositeStore : public Store {
 public:
  explicit CompositeStore(CompositeStoreParts parts);
  std::string describe() const override;
  std::vector<RemoteFile> list_satellite(const ListQuery& query, const CancelToken& cancel) override;
  // The first part (local, CDN, S3) that has the file; a part that cannot be asked is skipped with a
  // warning, and its error is thrown when no other part has the file.
  std::optional<ObjectInfo> stat(const RemoteFile& file, const CancelToken& cancel) override;
  std::vector<FetchResult> fetch(const std::vector<RemoteFile>& files, const std::filesystem::path& dest,
                                 Layout layout, ProgressTask& progress, const CancelToken& cancel) override;
  TransferTotals totals() const override;
  std::string stats_summary() const override;

 private:
  std::vector<Store*> parts() const;
  CompositeStoreParts m_parts;
};

}  // namespace goesvfi::fetch
