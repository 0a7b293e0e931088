// libFuzzer target for the ncnn model loader: input = .param text, optionally followed by a NUL byte and .bin
// bytes. Every input must end in a parsed graph or a goesvfi::Error, never a crash, leak or UB.
//   ./fuzz_rife_param -max_len=20000 corpus/   (seed corpus: ../shared/golden/rife-v4.6/flownet.param)
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "core/error.hpp"
#include "interp/rife/net.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto* chars = reinterpret_cast<const char*>(data);
  const void* nul = std::memchr(data, 0, size);
  const std::size_t text_size =
      nul != nullptr ? static_cast<std::size_t>(static_cast<const std::uint8_t*>(nul) - data) : size;
  try {
    auto graph = goesvfi::rife::parse_param(std::string_view(chars, text_size), "fuzz.param");
    const std::size_t bin_at = nul != nullptr ? text_size + 1 : size;
    // Graphs declaring more weights than the input could hold are rejected by load_weights' size checks.
    goesvfi::rife::load_weights(
        graph, std::span(reinterpret_cast<const std::byte*>(data) + bin_at, size - bin_at), "fuzz.bin");
    goesvfi::rife::Net net(std::move(graph), "fuzz.param");
  } catch (const goesvfi::Error&) {
  }
  return 0;
}
