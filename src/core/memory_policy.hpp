// Process-wide memory policy of the programs (CLI and app), set once at the start of main.
#pragma once

namespace goesvfi {

// Frames are large (a 2712² RGB frame is 22 MB) and are allocated and freed on many pool threads. glibc
// raises its mmap threshold each time such a block is freed, after which frames come from per-thread
// arenas that fragment and keep growing over a long video (measured: peak RSS +25 % from 6 to 30 scans of
// the same size). A fixed threshold of 256 KiB keeps every frame buffer a mapping of its own, returned to
// the system when freed, so memory stays flat in the number of frames. Buffers that are reused (the flow
// backend's scratch) are unaffected. OpenCV's temporaries would then be fresh mappings that fault in anew on
// every frame pair (DIS optical flow allocates its pyramids and gradients on every call: 1 500 page faults
// per 1080p frame), so OpenCV's default allocator is replaced by one that keeps freed buffers of 64 KiB and
// more (256 MiB at most in all) for the next Mat of the same size.
void use_flat_memory_policy();

}  // namespace goesvfi
