// Regular expressions: compiling, cloning for another thread, finding every match.
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uregex.h>

struct gi_regex {
    URegularExpression *expression;
};

static gi_regex *gi_regex_wrap(URegularExpression *expression, gi_status *status) {
    gi_regex *regex = malloc(sizeof(gi_regex));
    if (regex == NULL) {
        uregex_close(expression);
        *status = (gi_status)U_MEMORY_ALLOCATION_ERROR;
        return NULL;
    }
    regex->expression = expression;
    return regex;
}

gi_regex *gi_regex_open(const uint16_t *pattern, int32_t length, int case_insensitive,
                        int32_t *error_line, int32_t *error_offset, gi_status *status) {
    UErrorCode error = U_ZERO_ERROR;
    UParseError parse;
    memset(&parse, 0, sizeof(parse));
    URegularExpression *expression = uregex_open((const UChar *)pattern, length,
                                                 case_insensitive ? UREGEX_CASE_INSENSITIVE : 0,
                                                 &parse, &error);
    *status = (gi_status)error;
    *error_line = parse.line;
    *error_offset = parse.offset;
    if (U_FAILURE(error)) {
        return NULL;
    }
    // A pathological pattern on a hostile text must not hang a worker: ICU stops a match after
    // about this many milliseconds of work (U_REGEX_TIME_OUT), and the document is rejected.
    uregex_setTimeLimit(expression, 2000, &error);
    return gi_regex_wrap(expression, status);
}

gi_regex *gi_regex_clone(const gi_regex *regex, gi_status *status) {
    UErrorCode error = U_ZERO_ERROR;
    URegularExpression *expression = uregex_clone(regex->expression, &error);
    *status = (gi_status)error;
    if (U_FAILURE(error)) {
        return NULL;
    }
    return gi_regex_wrap(expression, status);
}

void gi_regex_close(gi_regex *regex) {
    if (regex == NULL) {
        return;
    }
    uregex_close(regex->expression);
    free(regex);
}

int32_t gi_regex_find_all(gi_regex *regex, const uint16_t *text, int32_t length, int32_t *starts,
                          int32_t *ends, int32_t capacity, gi_status *status) {
    UErrorCode error = U_ZERO_ERROR;
    uregex_setText(regex->expression, (const UChar *)text, length, &error);
    int32_t count = 0;
    while (U_SUCCESS(error) && uregex_findNext(regex->expression, &error)) {
        int32_t start = uregex_start(regex->expression, 0, &error);
        int32_t end = uregex_end(regex->expression, 0, &error);
        if (U_FAILURE(error) || end <= start) {
            continue;
        }
        if (count < capacity) {
            starts[count] = start;
            ends[count] = end;
        }
        count += 1;
    }
    static const UChar empty[1] = {0};
    UErrorCode ignored = U_ZERO_ERROR;
    uregex_setText(regex->expression, empty, 0, &ignored);
    *status = (gi_status)error;
    return count;
}
