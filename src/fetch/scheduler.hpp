// The scheduler of the HTTP engine: one loop on the calling thread drives up to `jobs` transfers on a libcurl
// multi handle (one connection pool), starts attempts when their backoff and the endpoint's circuit breaker
// allow, hands complete files to the commit stage and reports each request as it ends. run() returns once
// every job has ended (or throws Cancelled / the first unexpected error after stopping every transfer).
#pragma once

#include <functional>
#include <vector>

#include "core/cancel.hpp"
#include "fetch/attempt.hpp"
#include "fetch/commit_stage.hpp"
#include "fetch/curl_handles.hpp"
#include "fetch/http.hpp"
#include "fetch/transfer.hpp"

namespace goesvfi::fetch {

using OnDone = std::function<void(std::size_t, const DownloadResult&)>;
using OnBytes = std::function<void(std::int64_t)>;

class TransferScheduler {
 public:
  // `commit` verifies and commits complete files (verify_and_commit; tests inject failing ones).
  TransferScheduler(const HttpOptions& options, const RequestSigner& signer, TransferStats& stats,
                    CommitFn commit = verify_and_commit);

  // Downloads `requests` into their targets; one result per request, in order.
  std::vector<DownloadResult> download(const std::vector<DownloadRequest>& requests,
                                       const CancelToken& cancel, const OnDone& on_done = {},
                                       const OnBytes& on_bytes = {});
  // Runs prepared jobs (documents, HEAD requests) to their end.
  void run(std::vector<TransferJob>& jobs, const CancelToken& cancel, const OnDone& on_done,
           const OnBytes* on_bytes = nullptr);

 private:
  void abort_all(std::vector<TransferJob>& jobs);

  const HttpOptions& m_options;
  const RequestSigner& m_signer;
  TransferStats& m_stats;
  CommitFn m_commit;
  CurlMulti m_multi;
  AttemptPolicy m_policy;
};

}  // namespace goesvfi::fetch
