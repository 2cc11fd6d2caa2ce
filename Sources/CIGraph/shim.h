// CIGraph: igraph's C API (Debian libigraph-dev 0.10) as a Swift module. The Communities module
// wraps it; nothing else uses it.
#ifndef GRAPHINGEST_CIGRAPH_SHIM_H
#define GRAPHINGEST_CIGRAPH_SHIM_H
#include <igraph.h>

/// igraph's default error handler aborts the process. This one makes every failing call return
/// its error code instead (after igraph frees its temporaries), and silences warnings on stderr.
/// Both handlers are process-wide: call it with igraph's lock held.
static inline void gi_igraph_install_quiet_handlers(void) {
    igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
}

/// 1 when the library keeps its global state (RNG, error stack) per thread, else 0.
static inline int gi_igraph_thread_safe(void) { return IGRAPH_THREAD_SAFE; }

#endif
