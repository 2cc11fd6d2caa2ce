// CDigest: SHA-256 block compression in C, with the CPU's SHA extensions when it has them.
//
// Document hashes cost about a tenth of extraction time in portable Swift; x86's SHA-NI
// instructions (Goldmont, Zen and later) do the same work several times faster. The choice is
// made once at run time, so one binary runs on every x86-64 and on other architectures.
#ifndef GRAPHINGEST_CDIGEST_H
#define GRAPHINGEST_CDIGEST_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Compresses `blocks` whole 64-byte blocks of `data` into the SHA-256 state (FIPS 180-4,
/// section 6.2.2), with the SHA extensions when the CPU has them, else portable C.
void gi_sha256_compress(uint32_t state[8], const uint8_t *data, size_t blocks);

/// The same with portable C only (for tests that compare both paths).
void gi_sha256_compress_portable(uint32_t state[8], const uint8_t *data, size_t blocks);

/// Whether `gi_sha256_compress` uses the CPU's SHA extensions on this machine.
int gi_sha256_uses_cpu_extensions(void);

#ifdef __cplusplus
}
#endif

#endif
