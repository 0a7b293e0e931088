#include "fetch/composite_store.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "core/log.hpp"

namespace goesvfi::fetch {

namespace {

std::int64_t minute_of(UtcTime t) {
  return std::chrono::duration_cast<std::chrono::minutes>(t.time_since_epoch()).count();
}

}  // namespace

CompositeStore::CompositeStore(CompositeStoreParts parts) : m_parts(std::move(parts)) {
  if (!m_parts.local && !m_parts.cdn && !m_parts.s3)
    fail(ErrorKind::InvalidArgument, "a composite store needs at least one store");
  if (!m_parts.now) {
    m_parts.now = [] {
      return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
    };
  }
}

std::vector<Store*> CompositeStore::parts() const {
  std::vector<Store*> out;
  for (Store* s : {m_parts.local.get(), m_parts.cdn.get(), m_parts.s3.get()}) {
    if (s != nullptr) out.push_back(s);
  }
  return out;
}

std::string CompositeStore::describe() const {
  std::string text = "auto:";
  for (Store* s : parts()) text += " [" + s->describe() + "]";
  return text;
}

std::vector<RemoteFile> CompositeStore::list_satellite(const ListQuery& query, const CancelToken& cancel) {
  std::vector<RemoteFile> files;
  if (m_parts.local) files = m_parts.local->list(query, cancel);

  std::vector<RemoteFile> remote;
  const bool recent = query.start >= m_parts.now() - std::chrono::days(m_parts.cdn_days);
  bool listed = false;
  if (m_parts.cdn && recent && query.band) {
    try {
      remote = m_parts.cdn->list(query, cancel);
      listed = !remote.empty() || !m_parts.s3;
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::Cancelled || !m_parts.s3) throw;
      spdlog::warn("STAR CDN unavailable, using S3 instead: {}", e.describe());
    }
  }
  if (!listed && m_parts.s3) remote = m_parts.s3->list(query, cancel);

  // Scans already present locally are not fetched again from elsewhere.
  std::set<std::int64_t> local_minutes;
  for (const RemoteFile& f : files) local_minutes.insert(minute_of(f.time));
  for (RemoteFile& f : remote) {
    if (!local_minutes.count(minute_of(f.time))) files.push_back(std::move(f));
  }
  std::stable_sort(files.begin(), files.end(),
                   [](const RemoteFile& a, const RemoteFile& b) { return a.time < b.time; });
  return files;
}

std::optional<ObjectInfo> CompositeStore::stat(const RemoteFile& file, const CancelToken& cancel) {
  std::optional<Error> failure;
  for (Store* store : parts()) {
    try {
      if (auto info = store->stat(file, cancel)) return info;
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::Cancelled) throw;
      spdlog::warn("{} could not be asked for {}: {}", store->describe(), file.key, e.describe());
      failure = e;
    }
  }
  if (failure) throw *failure;
  return std::nullopt;
}

std::vector<FetchResult> CompositeStore::fetch(const std::vector<RemoteFile>& files,
                                               const std::filesystem::path& dest, Layout layout,
                                               ProgressTask& progress, const CancelToken& cancel) {
  std::vector<FetchResult> results(files.size());
  std::vector<bool> done(files.size(), false);
  for (Store* store : parts()) {
    const std::string origin = store->describe();
    std::vector<RemoteFile> mine;
    std::vector<std::size_t> index;
    for (std::size_t i = 0; i < files.size(); ++i) {
      if (files[i].origin == origin) {
        mine.push_back(files[i]);
        index.push_back(i);
      }
    }
    if (mine.empty()) continue;
    std::vector<FetchResult> part = store->fetch(mine, dest, layout, progress, cancel);
    for (std::size_t k = 0; k < part.size(); ++k) {
      results[index[k]] = std::move(part[k]);
      done[index[k]] = true;
    }
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (done[i]) continue;
    results[i].file = files[i];
    results[i].status = FetchStatus::Failed;
    results[i].error =
        Error(ErrorKind::InvalidArgument, fmt::format("{}: listed by '{}', which is not part of {}",
                                                      files[i].key, files[i].origin, describe()));
    progress.advance();
  }
  return results;
}

TransferTotals CompositeStore::totals() const {
  TransferTotals sum;
  for (Store* s : parts()) {
    const TransferTotals t = s->totals();
    sum.attempts += t.attempts;
    sum.succeeded += t.succeeded;
    sum.failed += t.failed;
    sum.retries += t.retries;
    sum.bytes += t.bytes;
    sum.not_found += t.not_found;
    sum.access_denied += t.access_denied;
    sum.throttled += t.throttled;
    sum.network += t.network;
    sum.corrupt += t.corrupt;
    sum.breaker_opened += t.breaker_opened;
  }
  return sum;
}

std::string CompositeStore::stats_summary() const {
  std::string text;
  for (Store* s : parts()) {
    const std::string summary = s->stats_summary();
    if (summary.empty() || s->totals().attempts == 0) continue;
    text += (text.empty() ? "" : "; ") + s->describe() + ": " + summary;
  }
  return text;
}

}  // namespace goesvfi::fetch
