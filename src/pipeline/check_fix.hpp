// `goesvfi check [--fix]` as library calls: the check options from the query.* and catalog.* keys, and the
// repair that fetches a series' missing scans into the checked folder through the stores of src/fetch.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "catalog/check.hpp"
#include "core/cancel.hpp"
#include "core/config.hpp"
#include "core/progress.hpp"

namespace goesvfi {

// Check options for `folder`: only the query.* keys that were set (file, flag, GUI) narrow the series; the
// rest is read from the files. catalog.mode, catalog.interval_s; catalog.path unless `use_catalog` is false.
catalog::CheckOptions check_options_from(const Config& config, const std::filesystem::path& folder,
                                         bool use_catalog = true);

struct FixSummary {
  std::string store;                  // describe() of the store fetched from
  std::size_t missing = 0;            // missing scans of the report
  std::size_t requested = 0;          // files listed for them
  std::vector<std::string> failures;  // "key: reason" per file that could not be fetched
  std::string transfer_stats;
};

// Fetches the missing scans of `report`'s series into options.folder, from the store of fetch.source (a
// folder, s3, cdn or auto) in fetch.layout ("auto": as the folder is laid out). The satellite and product
// come from `options` or the series' files; InvalidArgument naming query.satellite / query.product when
// neither says. Per-file failures are returned, not thrown.
FixSummary fetch_missing(const catalog::CheckReport& report, const catalog::CheckOptions& options,
                         const Config& config, Progress& progress, const CancelToken& cancel);

struct CheckFixResult {
  catalog::CheckReport before;    // the first check
  std::optional<FixSummary> fix;  // when scans were missing
  catalog::CheckReport after;     // the check after the fix (== before without a fix)
};

// Checks, fetches what is missing, and checks the same range again.
CheckFixResult check_and_fix(catalog::CheckOptions options, const Config& config, Progress& progress,
                             const CancelToken& cancel);

}  // namespace goesvfi
