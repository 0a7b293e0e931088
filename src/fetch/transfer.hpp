// One request through the HTTP engine (a file download, an in-memory document or a HEAD): where its body
// goes, what the response of the attempt in flight said, and the result handed back. An attempt is one
// libcurl easy handle, configured by begin_attempt() and fed by the header/body callbacks.
#pragma once

#include <curl/curl.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/atomic_file.hpp"
#include "fetch/curl_handles.hpp"
#include "fetch/http.hpp"
#include "fetch/retry.hpp"

namespace goesvfi::fetch {

// Where received bytes are counted (the engine's stats and the caller's on_bytes callback).
struct ByteObserver {
  TransferStats* stats = nullptr;
  const std::function<void(std::int64_t)>* on_bytes = nullptr;
};

struct TransferJob {
  // What to fetch.
  std::size_t index = 0;  // position in the caller's request list
  std::string url;
  std::string endpoint;                      // the circuit breaker's key (endpoint_of(url))
  const DownloadRequest* request = nullptr;  // null for in-memory documents
  bool head = false;                         // a HEAD request (HttpClient::head)

  // The body: a temporary beside the target (files) or `memory` (documents).
  std::unique_ptr<AtomicFile> temp;
  UniqueFd fd;
  std::int64_t written = 0;  // body bytes received for this file (in `fd` or `buffer`)
  std::string buffer;        // received bytes not yet written to `fd`
  std::string memory;
  bool io_error = false;
  std::string io_message;

  // Verification by the commit stage.
  std::string expected_md5;  // set when the body is complete
  bool verify_failed = false;
  std::string verify_message;

  // Scheduling across attempts.
  int attempts = 0;
  Clock::time_point not_before{};

  // The attempt in flight and what its response said.
  CurlEasy easy;
  CurlSlist headers;
  bool decided = false, accept_body = false, misaligned = false;
  std::string error_body, etag, retry_after, content_range, last_modified;
  std::int64_t content_length = -1;
  char errbuf[CURL_ERROR_SIZE] = {};
  ByteObserver observer;

  DownloadResult result;

  // Opens the temporary on the first attempt of a file and configures a new easy handle: resuming with
  // Range after `written` bytes, signer headers, timeouts. Io when the temporary cannot be created.
  void begin_attempt(const HttpOptions& options, const RequestSigner& signer);
  // Frees the easy handle and its headers (after curl_multi_remove_handle).
  void end_attempt();
  long response_code() const;

  void close_file();
  void reset_body();
  // Writes the buffered bytes to the temporary; false (io_error set) when that fails.
  bool flush();
};

}  // namespace goesvfi::fetch
