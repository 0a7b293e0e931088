// OpenCV's own parallel loops (parallel_for_, used by DIS optical flow, remap, resize, image codecs) run on
// ThreadPool::global() instead of threads of their own: one pool per process.
#pragma once

namespace goesvfi {

// Installs the pool as OpenCV's parallel backend. Idempotent; main() calls it before any OpenCV work, and
// the users of OpenCV's parallel kernels (FlowInterpolator) call it too.
void use_global_pool_for_opencv();

}  // namespace goesvfi
