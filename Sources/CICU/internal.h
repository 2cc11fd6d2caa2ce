// Declarations shared by CICU's C files. Not in include/, so neither Swift nor a user of the
// module sees it; only these files and this header include ICU's headers (see CICU.h for why).
#ifndef GRAPHINGEST_CICU_INTERNAL_H
#define GRAPHINGEST_CICU_INTERNAL_H

#include "CICU.h"

#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/utypes.h>

// A function one file of the shim calls in another: hidden, so that an image linking CICU
// exports only what CICU.h declares.
#define GI_INTERNAL __attribute__((visibility("hidden")))

struct gi_breaker {
    UBreakIterator *iterator;
    // Whether ASCII text may be segmented without ICU (see gi_ascii_segment_end): set when the
    // iterator's rules agree with it on a probe text that exercises every ASCII rule.
    int ascii_fast;
    // Scratch buffers for normalizing one token, grown as needed and kept with the iterator so
    // that each worker allocates them once.
    UChar *scratch;
    int32_t scratch_capacity;
    UChar *scratch2;
    int32_t scratch2_capacity;
    // Recent lookups in a gi_token_table (see gi_lookup_cache), allocated on first use.
    struct gi_lookup_cache *cache;
};

// breaker.c: whether `segment_end` gives the same boundaries as `iterator` on the ASCII text
// `probe` (the check both ASCII fast paths make when an iterator is opened).
GI_INTERNAL int gi_ascii_probe_agrees(UBreakIterator *iterator, const char *probe, int32_t length,
                                      int32_t (*segment_end)(const UChar *, int32_t, int32_t));

// tokenize.c: whether the ASCII word segmentation agrees with `iterator` (a word iterator).
GI_INTERNAL int gi_ascii_rules_agree(UBreakIterator *iterator);

// normalize.c: normalizes one token (`gi_tokenize`'s flags) into breaker->scratch; returns its
// length or -1 on failure.
GI_INTERNAL int32_t gi_normalize_token(gi_breaker *breaker, const UNormalizer2 *normalizer,
                                       int32_t flags, const UChar *src, int32_t length,
                                       UErrorCode *error);

// sentences.c: whether the ASCII sentence-break classes are ICU's, and whether the ASCII
// sentence segmentation agrees with `iterator` (a sentence iterator).
GI_INTERNAL int gi_ascii_sentence_classes_agree(void);
GI_INTERNAL int gi_ascii_sentence_rules_agree(UBreakIterator *iterator);

#endif
