// SHA-256 compression (FIPS 180-4): x86 SHA extensions when present, portable C otherwise.
#include "CDigest.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#define GI_SHA_X86 1
#endif

static const uint32_t gi_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define GI_ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

void gi_sha256_compress_portable(uint32_t state[8], const uint8_t *data, size_t blocks) {
    uint32_t w[64];
    for (; blocks > 0; blocks--, data += 64) {
        for (int i = 0; i < 16; i++) {
            w[i] = (uint32_t)data[4 * i] << 24 | (uint32_t)data[4 * i + 1] << 16 |
                   (uint32_t)data[4 * i + 2] << 8 | (uint32_t)data[4 * i + 3];
        }
        for (int i = 16; i < 64; i++) {
            uint32_t s0 = GI_ROTR(w[i - 15], 7) ^ GI_ROTR(w[i - 15], 18) ^ (w[i - 15] >> 3);
            uint32_t s1 = GI_ROTR(w[i - 2], 17) ^ GI_ROTR(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
        uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
        for (int i = 0; i < 64; i++) {
            uint32_t t1 = h + (GI_ROTR(e, 6) ^ GI_ROTR(e, 11) ^ GI_ROTR(e, 25)) + ((e & f) ^ (~e & g)) +
                          gi_k[i] + w[i];
            uint32_t t2 = (GI_ROTR(a, 2) ^ GI_ROTR(a, 13) ^ GI_ROTR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
        }
        state[0] += a; state[1] += b; state[2] += c; state[3] += d;
        state[4] += e; state[5] += f; state[6] += g; state[7] += h;
    }
}

#ifdef GI_SHA_X86

// Four rounds with message words `msg` (already in host order) and constants k[4i..4i+3].
#define GI_ROUNDS(msg, i)                                                                          \
    do {                                                                                           \
        __m128i m = _mm_add_epi32((msg), _mm_loadu_si128((const __m128i *)&gi_k[4 * (i)]));        \
        state1 = _mm_sha256rnds2_epu32(state1, state0, m);                                         \
        state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_shuffle_epi32(m, 0x0E));               \
    } while (0)

// The next four schedule words from the previous sixteen (w0 oldest ... w3 newest).
#define GI_SCHEDULE(w0, w1, w2, w3)                                                                \
    _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32((w0), (w1)),                           \
                                       _mm_alignr_epi8((w3), (w2), 4)),                            \
                         (w3))

__attribute__((target("sha,sse4.1,ssse3")))
static void gi_sha256_compress_ni(uint32_t state[8], const uint8_t *data, size_t blocks) {
    const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    // The instructions want the state as ABEF and CDGH.
    __m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[0]), 0xB1);
    __m128i state1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&state[4]), 0x1B);
    __m128i state0 = _mm_alignr_epi8(tmp, state1, 8);
    state1 = _mm_blend_epi16(state1, tmp, 0xF0);
    for (; blocks > 0; blocks--, data += 64) {
        __m128i save0 = state0, save1 = state1;
        __m128i w0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 0)), swap);
        __m128i w1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16)), swap);
        __m128i w2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 32)), swap);
        __m128i w3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 48)), swap);
        GI_ROUNDS(w0, 0);
        GI_ROUNDS(w1, 1);
        GI_ROUNDS(w2, 2);
        GI_ROUNDS(w3, 3);
        for (int i = 4; i < 16; i += 4) {
            w0 = GI_SCHEDULE(w0, w1, w2, w3);
            GI_ROUNDS(w0, i);
            w1 = GI_SCHEDULE(w1, w2, w3, w0);
            GI_ROUNDS(w1, i + 1);
            w2 = GI_SCHEDULE(w2, w3, w0, w1);
            GI_ROUNDS(w2, i + 2);
            w3 = GI_SCHEDULE(w3, w0, w1, w2);
            GI_ROUNDS(w3, i + 3);
        }
        state0 = _mm_add_epi32(state0, save0);
        state1 = _mm_add_epi32(state1, save1);
    }
    // Back from ABEF/CDGH to ABCD/EFGH.
    tmp = _mm_shuffle_epi32(state0, 0x1B);
    state1 = _mm_shuffle_epi32(state1, 0xB1);
    state0 = _mm_blend_epi16(tmp, state1, 0xF0);
    state1 = _mm_alignr_epi8(state1, tmp, 8);
    _mm_storeu_si128((__m128i *)&state[0], state0);
    _mm_storeu_si128((__m128i *)&state[4], state1);
}

static int gi_cpu_has_sha(void) {
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) {
        return 0;
    }
    int ssse3 = (ecx >> 9) & 1, sse41 = (ecx >> 19) & 1;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) {
        return 0;
    }
    return ssse3 && sse41 && ((ebx >> 29) & 1);
}
#endif

// 0 unknown, 1 portable, 2 SHA extensions; a benign race at first use settles on the same value.
static int gi_sha_kind = 0;

int gi_sha256_uses_cpu_extensions(void) {
    int kind = __atomic_load_n(&gi_sha_kind, __ATOMIC_RELAXED);
    if (kind == 0) {
#ifdef GI_SHA_X86
        kind = gi_cpu_has_sha() ? 2 : 1;
#else
        kind = 1;
#endif
        __atomic_store_n(&gi_sha_kind, kind, __ATOMIC_RELAXED);
    }
    return kind == 2;
}

void gi_sha256_compress(uint32_t state[8], const uint8_t *data, size_t blocks) {
#ifdef GI_SHA_X86
    if (gi_sha256_uses_cpu_extensions()) {
        gi_sha256_compress_ni(state, data, blocks);
        return;
    }
#endif
    gi_sha256_compress_portable(state, data, blocks);
}
