// CLibPQ: libpq's C API as a Swift module. The Registry module wraps it; nothing else uses it.
#ifndef GRAPHINGEST_CLIBPQ_SHIM_H
#define GRAPHINGEST_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
