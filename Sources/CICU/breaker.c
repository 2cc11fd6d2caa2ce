// Break iterators: opening one (and deciding whether its ASCII fast path may be used), closing
// it, and plain segmentation.
#include "internal.h"

#include <stdlib.h>
#include <string.h>

// Whether `segment_end` gives the same boundaries as `iterator` on the ASCII text `probe`: the
// check both fast paths make when an iterator is opened (another locale or ICU version then keeps
// ICU throughout).
int gi_ascii_probe_agrees(UBreakIterator *iterator, const char *probe, int32_t length,
                          int32_t (*segment_end)(const UChar *, int32_t, int32_t)) {
    UChar text[1024];
    if (length > (int32_t)(sizeof text / sizeof text[0])) {
        return 0;
    }
    for (int32_t i = 0; i < length; i++) {
        text[i] = (UChar)(unsigned char)probe[i];
    }
    UErrorCode error = U_ZERO_ERROR;
    ubrk_setText(iterator, text, length, &error);
    int agree = U_SUCCESS(error);
    int32_t start = ubrk_first(iterator);
    for (int32_t end = ubrk_next(iterator); agree && end != UBRK_DONE;
         start = end, end = ubrk_next(iterator)) {
        agree = segment_end(text, start, length) == end;
    }
    UErrorCode ignored = U_ZERO_ERROR;
    ubrk_setText(iterator, NULL, 0, &ignored);
    return agree;
}

// Whether the ASCII segmentation above gives the same boundaries as `iterator` on a text that

// MARK: - Break iterators

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
    if (kind == GI_BREAK_WORD) {
        breaker->ascii_fast = gi_ascii_rules_agree(iterator);
    } else {
        // Only the root locale's rules are reduced to ASCII here (see gi_ascii_sentence_end).
        int root = locale != NULL && (locale[0] == '\0' || strcmp(locale, "root") == 0);
        breaker->ascii_fast = root && gi_ascii_sentence_classes_agree() &&
                              gi_ascii_sentence_rules_agree(iterator);
    }
    breaker->scratch = NULL;
    breaker->scratch_capacity = 0;
    breaker->scratch2 = NULL;
    breaker->scratch2_capacity = 0;
    breaker->cache = NULL;
    return breaker;
}

int gi_breaker_ascii_fast(const gi_breaker *breaker) { return breaker->ascii_fast; }

void gi_breaker_disable_ascii_fast(gi_breaker *breaker) { breaker->ascii_fast = 0; }

void gi_breaker_close(gi_breaker *breaker) {
    if (breaker == NULL) {
        return;
    }
    ubrk_close(breaker->iterator);
    free(breaker->scratch);
    free(breaker->scratch2);
    free(breaker->cache);
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
