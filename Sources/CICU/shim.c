// Forwards CICU.h to ICU. Only this file sees ICU's headers (see CICU.h for why).
#include "CICU.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/uversion.h>
#include <unicode/utypes.h>

struct gi_breaker {
    UBreakIterator *iterator;
};

const char *gi_status_name(gi_status status) { return u_errorName((UErrorCode)status); }

int gi_status_is_failure(gi_status status) { return U_FAILURE((UErrorCode)status) ? 1 : 0; }

gi_breaker *gi_breaker_open(gi_break_kind kind, const char *locale, gi_status *status) {
    UErrorCode error = U_ZERO_ERROR;
    UBreakIteratorType type = kind == GI_BREAK_SENTENCE ? UBRK_SENTENCE : UBRK_WORD;
    UBreakIterator *iterator = ubrk_open(type, locale, NULL, 0, &error);
    *status = (gi_status)error;
    if (U_FAILURE(error)) {
        return NULL;
    }
    gi_breaker *breaker = malloc(sizeof(gi_breaker));
    if (breaker == NULL) {
        ubrk_close(iterator);
        *status = (gi_status)U_MEMORY_ALLOCATION_ERROR;
        return NULL;
    }
    breaker->iterator = iterator;
    return breaker;
}

void gi_breaker_close(gi_breaker *breaker) {
    if (breaker == NULL) {
        return;
    }
    ubrk_close(breaker->iterator);
    free(breaker);
}

int32_t gi_breaker_segments(gi_breaker *breaker, const uint16_t *text, int32_t length,
                            int words_only, int32_t *starts, int32_t *ends, int32_t *rule_status,
                            int32_t capacity, gi_status *status) {
    UErrorCode error = U_ZERO_ERROR;
    ubrk_setText(breaker->iterator, (const UChar *)text, length, &error);
    if (U_FAILURE(error)) {
        *status = (gi_status)error;
        return 0;
    }
    int32_t count = 0;
    int32_t start = ubrk_first(breaker->iterator);
    for (int32_t end = ubrk_next(breaker->iterator); end != UBRK_DONE;
         start = end, end = ubrk_next(breaker->iterator)) {
        int32_t ruleStatus = ubrk_getRuleStatus(breaker->iterator);
        if (words_only && ruleStatus < UBRK_WORD_NUMBER) {
            continue;
        }
        if (count < capacity) {
            starts[count] = start;
            ends[count] = end;
            rule_status[count] = ruleStatus;
        }
        count += 1;
    }
    // Drop the iterator's pointer to the caller's buffer.
    ubrk_setText(breaker->iterator, NULL, 0, &error);
    *status = (gi_status)U_ZERO_ERROR;
    return count;
}

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

const char *gi_icu_version(void) {
    static char text[U_MAX_VERSION_STRING_LENGTH];
    UVersionInfo version;
    u_getVersion(version);
    u_versionToString(version, text);
    return text;
}
