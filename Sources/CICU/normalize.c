// Case folding and normalization: of a whole buffer, and of one token for gi_tokenize.
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>

// MARK: - Normalizing a buffer

int32_t gi_fold_case(const uint16_t *src, int32_t length, uint16_t *dest, int32_t capacity,
                     gi_status *status) {
    UErrorCode error = U_ZERO_ERROR;
    int32_t written = u_strFoldCase((UChar *)dest, capacity, (const UChar *)src, length,
                                    U_FOLD_CASE_DEFAULT, &error);
    if (error == U_BUFFER_OVERFLOW_ERROR || error == U_STRING_NOT_TERMINATED_WARNING) {
        error = U_ZERO_ERROR;
    }
    *status = (gi_status)error;
    return written;
}

static const UNormalizer2 *gi_normalizer(gi_normal_form form, UErrorCode *error) {
    switch (form) {
    case GI_NFC:
        return unorm2_getNFCInstance(error);
    case GI_NFKC:
        return unorm2_getNFKCInstance(error);
    case GI_NFKC_CASEFOLD:
        return unorm2_getNFKCCasefoldInstance(error);
    }
    *error = U_ILLEGAL_ARGUMENT_ERROR;
    return NULL;
}

int32_t gi_normalize(gi_normal_form form, const uint16_t *src, int32_t length, uint16_t *dest,
                     int32_t capacity, gi_status *status) {
    UErrorCode error = U_ZERO_ERROR;
    const UNormalizer2 *normalizer = gi_normalizer(form, &error);
    if (U_FAILURE(error)) {
        *status = (gi_status)error;
        return 0;
    }
    int32_t written = unorm2_normalize(normalizer, (const UChar *)src, length, (UChar *)dest,
                                       capacity, &error);
    if (error == U_BUFFER_OVERFLOW_ERROR || error == U_STRING_NOT_TERMINATED_WARNING) {
        error = U_ZERO_ERROR;
    }
    *status = (gi_status)error;
    return written;
}

int32_t gi_normalized_prefix_length(gi_normal_form form, const uint16_t *src, int32_t length,
                                    gi_status *status) {
    UErrorCode error = U_ZERO_ERROR;
    const UNormalizer2 *normalizer = gi_normalizer(form, &error);
    if (U_FAILURE(error)) {
        *status = (gi_status)error;
        return 0;
    }
    int32_t span = unorm2_spanQuickCheckYes(normalizer, (const UChar *)src, length, &error);
    *status = (gi_status)error;
    return span;
}

// MARK: - Normalizing one token

static int gi_grow(UChar **buffer, int32_t *capacity, int32_t needed) {
    if (needed <= *capacity) {
        return 1;
    }
    int32_t grown = needed < 64 ? 64 : needed + needed / 2;
    UChar *larger = realloc(*buffer, (size_t)grown * sizeof(UChar));
    if (larger == NULL) {
        return 0;
    }
    *buffer = larger;
    *capacity = grown;
    return 1;
}

// Normalizes `src` with `normalizer` into *buffer (grown as needed). Returns the length, or -1.
static int32_t gi_normalize_into(const UNormalizer2 *normalizer, const UChar *src, int32_t length,
                                 UChar **buffer, int32_t *capacity, UErrorCode *error) {
    if (!gi_grow(buffer, capacity, length * 3 + 8)) {
        *error = U_MEMORY_ALLOCATION_ERROR;
        return -1;
    }
    int32_t span = unorm2_spanQuickCheckYes(normalizer, src, length, error);
    if (U_FAILURE(*error)) {
        return -1;
    }
    if (span == length) {
        memcpy(*buffer, src, (size_t)length * sizeof(UChar));
        return length;
    }
    for (;;) {
        UErrorCode local = U_ZERO_ERROR;
        int32_t written = unorm2_normalize(normalizer, src, length, *buffer, *capacity, &local);
        if (local == U_BUFFER_OVERFLOW_ERROR) {
            if (!gi_grow(buffer, capacity, written + 1)) {
                *error = U_MEMORY_ALLOCATION_ERROR;
                return -1;
            }
            continue;
        }
        if (U_FAILURE(local)) {
            *error = local;
            return -1;
        }
        return written;
    }
}

static UChar32 gi_strip_stroke(UChar32 c) {
    switch (c) {
    case 0x0131: return 0x69; // ı
    case 0x0142: return 0x6C; // ł
    case 0x00F8: return 0x6F; // ø
    case 0x0111: return 0x64; // đ
    case 0x0127: return 0x68; // ħ
    default: return c;
    }
}

// Normalizes one token into breaker->scratch; returns its length or -1 on failure.
int32_t gi_normalize_token(gi_breaker *breaker, const UNormalizer2 *normalizer, int32_t flags,
                           const UChar *src, int32_t length, UErrorCode *error) {
    int ascii = 1;
    for (int32_t i = 0; i < length; i++) {
        if (src[i] >= 0x80) {
            ascii = 0;
            break;
        }
    }
    if (ascii) {
        // NFKC_Casefold of ASCII is its lower case: the common case costs no ICU call.
        if (!gi_grow(&breaker->scratch, &breaker->scratch_capacity, length)) {
            *error = U_MEMORY_ALLOCATION_ERROR;
            return -1;
        }
        int fold = !(flags & GI_TOKENIZE_NFKC_ONLY);
        for (int32_t i = 0; i < length; i++) {
            UChar c = src[i];
            breaker->scratch[i] = (fold && c >= 'A' && c <= 'Z') ? (UChar)(c + 32) : c;
        }
        return length;
    }
    int32_t n = gi_normalize_into(normalizer, src, length, &breaker->scratch,
                                  &breaker->scratch_capacity, error);
    if (n < 0 || (flags & GI_TOKENIZE_NFKC_ONLY)) {
        return n;
    }
    if (flags & GI_TOKENIZE_FOLD_DIACRITICS) {
        const UNormalizer2 *nfd = unorm2_getNFDInstance(error);
        const UNormalizer2 *nfc = unorm2_getNFCInstance(error);
        if (U_FAILURE(*error)) {
            return -1;
        }
        int32_t d = gi_normalize_into(nfd, breaker->scratch, n, &breaker->scratch2,
                                      &breaker->scratch2_capacity, error);
        if (d < 0) {
            return -1;
        }
        int32_t kept = 0;
        for (int32_t i = 0; i < d;) {
            UChar32 c;
            int32_t at = i;
            U16_NEXT(breaker->scratch2, i, d, c);
            if (u_charType(c) == U_NON_SPACING_MARK &&
                u_getIntPropertyValue(c, UCHAR_SCRIPT) == USCRIPT_INHERITED) {
                continue;
            }
            c = gi_strip_stroke(c);
            // Copy the code point (possibly mapped) back in place; it never grows.
            if (c <= 0xFFFF) {
                breaker->scratch2[kept++] = (UChar)c;
            } else {
                breaker->scratch2[kept++] = breaker->scratch2[at];
                breaker->scratch2[kept++] = breaker->scratch2[at + 1];
            }
        }
        n = gi_normalize_into(nfc, breaker->scratch2, kept, &breaker->scratch,
                              &breaker->scratch_capacity, error);
        if (n < 0) {
            return -1;
        }
    }
    // A dot above after a soft-dotted i or j is invisible: drop it, so that "İ" (folded to
    // "i" + U+0307) matches "I" and "i". Curly apostrophes become straight ones.
    int32_t kept = 0;
    for (int32_t i = 0; i < n; i++) {
        UChar c = breaker->scratch[i];
        if (c == 0x0307 && kept > 0 &&
            (breaker->scratch[kept - 1] == 'i' || breaker->scratch[kept - 1] == 'j')) {
            continue;
        }
        breaker->scratch[kept++] = c == 0x2019 ? (UChar)'\'' : c;
    }
    return kept;
}
