#include "core/memory_policy.hpp"

#include <malloc.h>

namespace goesvfi {

void use_flat_memory_policy() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
}

}  // namespace goesvfi
