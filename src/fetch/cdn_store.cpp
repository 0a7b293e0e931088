#include "fetch/cdn_store.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "goes/names.hpp"

namespace goesvfi::fetch {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> parse_index_links(std::string_view html) {
  std::vector<std::string> links;
  std::size_t pos = 0;
  while ((pos = html.find("href=", pos)) != std::string_view::npos) {
    pos += 5;
    if (pos >= html.size()) break;
    const char quote = html[pos];
    std::size_t end;
    if (quote == '"' || quote == '\'') {
      ++pos;
      end = html.find(quote, pos);
    } else {
      end = html.find_first_of(" >", pos);
    }
    if (end == std::string_view::npos) break;
    std::string_view target = html.substr(pos, end - pos);
    pos = end;
    const auto q = target.find('?');
    if (q != std::string_view::npos) target = target.substr(0, q);
    const auto slash = target.rfind('/');
    if (slash != std::string_view::npos && slash + 1 < target.size()) target = target.substr(slash + 1);
    if (target.empty() || target.ends_with("/")) continue;
    links.push_back(percent_decode(target));
  }
  return links;
}

CdnStoreOptions::CdnStoreOptions() : CdnStoreOptions(from_config(Config::defaults())) {}

CdnStoreOptions CdnStoreOptions::from_config(const Config& config) {
  CdnStoreOptions o(FromConfig{});
  o.base_url = config.get_string("fetch.cdn_url");
  o.size = config.get_string("fetch.cdn_size");
  o.http = HttpOptions::from_config(config);
  return o;
}

CdnStore::CdnStore(CdnStoreOptions options) : HttpStore(options.http), m_options(std::move(options)) {
  while (!m_options.base_url.empty() && m_options.base_url.back() == '/') m_options.base_url.pop_back();
}

std::string CdnStore::describe() const {
  return "cdn " + m_options.base_url;
}

std::string CdnStore::folder_path(const ListQuery& query) {
  if (!query.band) {
    fail(ErrorKind::InvalidArgument,
         "the STAR CDN serves single bands: give query.band 1..16 for {} (or use fetch.source s3)",
         query.folder.name());
  }
  std::string sector;
  switch (query.folder.sector) {
    case goes::Sector::FullDisk:
      sector = "FD";
      break;
    case goes::Sector::Conus:
      sector = "CONUS";
      break;
    // Mesoscale folders are GOESnn/ABI/MESO/M1/<band>/ and .../M2/<band>/, holding names such as
    // 2025126143026_GOES19-ABI-MESO-13-22N-93W-1000x1000.jpg (seconds, and the sector centre instead of
    // M1/M2). Checked against public code that reads these folders: the folder and name pattern in a weather
    // viewer's test of cdn.star.nesdis.noaa.gov/GOES19/ABI/MESO/M1/13/, and a script listing
    // https://cdn.star.nesdis.noaa.gov/GOES16/ABI/MESO/M1/13/ for its 1000x1000 images.
    case goes::Sector::Meso1:
      sector = "MESO/M1";
      break;
    case goes::Sector::Meso2:
      sector = "MESO/M2";
      break;
  }
  return fmt::format("{}/ABI/{}/{:02}/", goes::satellite_goes_name(query.satellite), sector, *query.band);
}

std::optional<ObjectInfo> CdnStore::stat(const RemoteFile& file, const CancelToken& cancel) {
  if (file.origin == describe() && !file.url.empty()) return stat_url(file.url, cancel);
  return stat_url(m_options.base_url + "/" + uri_encode(file.key, true), cancel);
}

std::vector<RemoteFile> CdnStore::list_satellite(const ListQuery& query, const CancelToken& cancel) {
  const std::string folder = folder_path(query);
  const std::string url = m_options.base_url + "/" + folder;
  const std::string html = with_context(fmt::format("while listing the STAR CDN folder {}", url),
                                        [&] { return m_client.get_text(url, cancel); });
  // One file per scan: the configured size, else the largest.
  std::map<UtcTime, std::pair<RemoteFile, std::int64_t>> best;
  for (const std::string& name : parse_index_links(html)) {
    const auto parsed = goes::try_parse_cdn_name(name);
    if (!parsed || parsed->satellite != query.satellite || parsed->band != query.band) continue;
    // MESO names do not say M1 or M2; the folder listed does.
    const bool meso_folder = goes::sector_folder_code(query.folder.sector) == "M";
    if (parsed->sector() != query.folder.sector && !(meso_folder && parsed->sector_code == "MESO")) continue;
    if (parsed->time < query.start || parsed->time >= query.end) continue;
    const std::string size = fmt::format("{}x{}", parsed->width, parsed->height);
    if (!m_options.size.empty() && size != m_options.size) continue;
    const std::int64_t pixels = static_cast<std::int64_t>(parsed->width) * parsed->height;
    auto it = best.find(parsed->time);
    if (it != best.end() && it->second.second >= pixels) continue;
    RemoteFile file;
    file.key = folder + name;
    file.name = name;
    file.url = url + name;
    file.time = parsed->time;
    file.origin = describe();
    best[parsed->time] = {std::move(file), pixels};
  }
  std::vector<RemoteFile> files;
  for (auto& [time, entry] : best) files.push_back(std::move(entry.first));
  return files;
}

}  // namespace goesvfi::fetch
