// CICU: an opaque C shim over the system ICU.
//
// This header must include no ICU header: Foundation on Linux carries its own ICU as the clang
// module `_FoundationICU`, and a Swift file that sees both gets conflicting definitions of
// UErrorCode. Everything here is plain C types; shim.c includes ICU and forwards.
// Calls are whole operations (a buffer in, an array of results out), never one call per token.
#ifndef GRAPHINGEST_CICU_H
#define GRAPHINGEST_CICU_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// ICU's UErrorCode as a plain int: 0 is success, negative a warning, positive a failure.
typedef int32_t gi_status;

/// Returns ICU's name for a status code ("U_ZERO_ERROR", "U_BUFFER_OVERFLOW_ERROR", ...).
const char *gi_status_name(gi_status status);

/// Whether the status means failure (ICU's U_FAILURE).
int gi_status_is_failure(gi_status status);

/// An ICU break iterator, reused across texts (opening one is expensive).
typedef struct gi_breaker gi_breaker;

/// What a break iterator splits at.
typedef enum gi_break_kind {
    GI_BREAK_WORD = 0,
    GI_BREAK_SENTENCE = 1,
} gi_break_kind;

/// Opens a break iterator of the given kind for a locale ("" for the root locale).
gi_breaker *gi_breaker_open(gi_break_kind kind, const char *locale, gi_status *status);

/// Closes a break iterator opened by `gi_breaker_open`.
void gi_breaker_close(gi_breaker *breaker);

/// Splits UTF-16 text into segments in one call.
///
/// Writes the start offsets (UTF-16 code units) of each segment into `starts`, its end into
/// `ends` and ICU's rule status into `rule_status` (for words: 0 none/punctuation/space,
/// 100..199 number, 200..299 letter, 300..399 kana, 400..499 ideographic). With
/// `words_only` set, segments whose rule status is below 100 (spaces, punctuation) are left out.
/// Returns the number of segments; when it exceeds `capacity`, nothing beyond capacity was
/// written and the caller retries with a larger buffer.
int32_t gi_breaker_segments(gi_breaker *breaker, const uint16_t *text, int32_t length,
                            int words_only, int32_t *starts, int32_t *ends, int32_t *rule_status,
                            int32_t capacity, gi_status *status);

/// Full Unicode case folding (u_strFoldCase, default mappings: "ß" -> "ss", "İ" -> "i̇").
/// Returns the folded length in UTF-16 code units (which may exceed `capacity`).
int32_t gi_fold_case(const uint16_t *src, int32_t length, uint16_t *dest, int32_t capacity,
                     gi_status *status);

/// The normalization forms the shim exposes.
typedef enum gi_normal_form {
    GI_NFC = 0,
    GI_NFKC = 1,
    /// NFKC with case folding and default ignorables removed (ICU's "nfkc_cf").
    GI_NFKC_CASEFOLD = 2,
} gi_normal_form;

/// Normalizes UTF-16 text. Returns the normalized length (which may exceed `capacity`).
int32_t gi_normalize(gi_normal_form form, const uint16_t *src, int32_t length, uint16_t *dest,
                     int32_t capacity, gi_status *status);

/// Length of the prefix of `src` that is already in the given form (unorm2_spanQuickCheckYes):
/// when it equals `length`, normalizing can be skipped.
int32_t gi_normalized_prefix_length(gi_normal_form form, const uint16_t *src, int32_t length,
                                    gi_status *status);

/// The version of the ICU library this shim is linked against ("72.1").
const char *gi_icu_version(void);

#ifdef __cplusplus
}
#endif

#endif
