// NOAA STAR's CDN of ready-made JPGs (cdn.star.nesdis.noaa.gov/GOES16/ABI/FD/13/...): recent days only, one
// band per folder, several sizes per scan. Lists the folder's index page and keeps one size per scan (the
// configured one, or the largest).
#pragma once

#include "fetch/http_fetch.hpp"

namespace goesvfi::fetch {

struct CdnStoreOptions {
  // CdnStoreOptions{} equals from_config(Config::defaults()) (the fetch.* rows of the schema).
  CdnStoreOptions();

  std::string base_url;
  std::string size;  // "5424x5424", "1808x1808", ...; "" = the largest listed
  HttpOptions http;

  // fetch.cdn_url, fetch.cdn_size and the HTTP keys.
  static CdnStoreOptions from_config(const Config& config);

 private:
  struct FromConfig {};
  explicit CdnStoreOptions(FromConfig) {}
};

class CdnStore : public HttpStore {
 public:
  explicit CdnStore(CdnStoreOptions options);
  std::string describe() const override;
  std::vector<RemoteFile> list_satellite(const ListQuery& query, const CancelToken& cancel) override;
  // HEAD of the listed URL, or of <base>/<key> for a file another store listed.
  std::optional<ObjectInfo> stat(const RemoteFile& file, const CancelToken& cancel) override;

  // "GOES16/ABI/FD/13/" (CONUS: "CONUS", mesoscale: "MESO/M1"). InvalidArgument without a band.
  static std::string folder_path(const ListQuery& query);

 private:
  CdnStoreOptions m_options;
};

// The href targets of an HTML index page (Apache/nginx autoindex), decoded, without query strings.
std::vector<std::string> parse_index_links(std::string_view html);

}  // namespace goesvfi::fetch
