// The one interface over every source of GOES files: NOAA's S3 buckets, the STAR CDN, local archives, and an
// ordered composite of them. A store lists the files of a satellite/product/band/sector over a time range and
// fetches a list of them into a folder, skipping files already complete there.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/cancel.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "core/time.hpp"
#include "fetch/transfer_stats.hpp"
#include "goes/domain.hpp"

namespace goesvfi::fetch {

struct ListQuery {
  goes::Satellite satellite = goes::Satellite::G16;  // with `orbit`: the one serving it at `start`
  // Set for the aliases east/west: the range is listed from each satellite serving the orbit for its part
  // of [start, end) (split_by_satellite), so a range across an operational switch gets both.
  std::optional<goes::Orbit> orbit;
  goes::ProductFolder folder;  // product and sector (Meso1/Meso2 select RadM1/RadM2 names)
  std::optional<int> band;     // nullopt: any band (and band-less products)
  UtcTime start, end;          // scan start times in [start, end)
};

struct RemoteFile {
  std::string
      key;  // relative path in bucket layout: "ABI-L2-CMIPF/2024/122/00/OR_...nc", CDN "GOES16/ABI/FD/13/..."
  std::string name;        // file name
  std::string url;         // where the store fetches it from (a URL, or a path for LocalStore)
  std::int64_t size = -1;  // -1: unknown until fetched (CDN)
  std::string etag;        // S3 ETag (single-part ones are MD5s, verified)
  UtcTime time;            // scan start
  std::string origin;      // describe() of the store that listed it (CompositeStore routes by it)
};

// Where fetched files go: `bucket` mirrors the key (<product>/<YYYY>/<DOY>/<HH>/<name>), `flat` keeps names
// only.
enum class Layout { Bucket, Flat };
Layout parse_layout(std::string_view text);  // "bucket" | "flat"
// How `folder` is laid out: Bucket when it holds <product>/<YYYY>/<DOY>/<HH>/<name> paths or no file at all
// (a new folder), Flat when it holds files but none that deep.
Layout detect_layout(const std::filesystem::path& folder);
std::filesystem::path destination_path(const RemoteFile& file, const std::filesystem::path& dest,
                                       Layout layout);

// What a store knows of one object without downloading it.
struct ObjectInfo {
  std::int64_t size = -1;           // -1: unknown
  std::optional<UtcTime> modified;  // last modification, when the store reports it
  std::string etag;                 // S3/HTTP ETag as sent (quotes removed); empty for local files
};

enum class FetchStatus { Downloaded, Skipped, Failed };
struct FetchResult {
  RemoteFile file;
  std::filesystem::path path;  // destination
  FetchStatus status = FetchStatus::Failed;
  std::int64_t bytes = 0;  // size on disk when done
  int attempts = 0;
  std::optional<Error> error;  // classified, naming the URL or key, when Failed
};

class Store {
 public:
  virtual ~Store() = default;
  // "s3 http://127.0.0.1:4568 (path style)", "cdn https://cdn.star.nesdis.noaa.gov", "local /data/goes".
  virtual std::string describe() const = 0;
  // The files matching `query`, in time order: list_satellite() for each part of split_by_satellite(query).
  // Throws a classified Error when the source cannot be listed.
  std::vector<RemoteFile> list(const ListQuery& query, const CancelToken& cancel);
  // Fetches `files` below `dest` (created if missing), skipping files already complete there. One result per
  // file, in order; failures are reported per file, never thrown (Cancelled is thrown). `progress` advances
  // by one per file and gets the bytes received.
  virtual std::vector<FetchResult> fetch(const std::vector<RemoteFile>& files,
                                         const std::filesystem::path& dest, Layout layout,
                                         ProgressTask& progress, const CancelToken& cancel) = 0;
  // Size, modification time and ETag of `file` (as listed by this or another store: a store that did not
  // list it finds it by its key) without downloading it; nullopt when this store does not have it. Throws
  // a classified Error when the source cannot be asked (network, access denied).
  virtual std::optional<ObjectInfo> stat(const RemoteFile& file, const CancelToken& cancel) = 0;
  // Transfer statistics since the store was made (zero for local stores).
  virtual TransferTotals totals() const { return {}; }
  virtual std::string stats_summary() const { return {}; }

 protected:
  // The files of one satellite (query.orbit is unset here), in time order.
  virtual std::vector<RemoteFile> list_satellite(const ListQuery& query, const CancelToken& cancel) = 0;
};

// The one-satellite queries that make up `query`: itself when it names a satellite; for east/west one per
// satellite that served the orbit during [start, end), each with its part of the range.
std::vector<ListQuery> split_by_satellite(const ListQuery& query);

// Whether `file` is already complete at `path`: it exists with the listed size (any size when unknown; every
// write is atomic, so an existing file is whole).
bool already_complete(const RemoteFile& file, const std::filesystem::path& path);

}  // namespace goesvfi::fetch
