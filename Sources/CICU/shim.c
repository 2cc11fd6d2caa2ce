// Forwards CICU.h to ICU. Only this file sees ICU's headers (see CICU.h for why).
#include "CICU.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/uregex.h>
#include <unicode/uscript.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/uversion.h>
#include <unicode/utypes.h>

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

const char *gi_status_name(gi_status status) { return u_errorName((UErrorCode)status); }

int gi_status_is_failure(gi_status status) { return U_FAILURE((UErrorCode)status) ? 1 : 0; }

// MARK: - ASCII word segmentation without ICU

// Most of a typical corpus is ASCII, where the word break rules (UAX #29 as ICU's root rules
// implement them, with rule chaining) reduce to a few classes: letters, digits and "_" join;
// a letter, mid-letter (".", "'") and letter join, and so do a digit, mid-number (or ".",
// "'") and digit; spaces group; CR LF groups; every other character stands alone. Segmenting
// those runs here skips ICU's break iterator (a third of extraction time) without changing a
// boundary: a segment is only taken when every character that decides it is ASCII, and
// anything else (a non-ASCII character next to it, which could be a letter, a combining mark or
// white space) goes back to ICU. `gi_ascii_rules_agree` checks the rules against the iterator
// at open, so a locale or an ICU version with other rules simply keeps ICU for everything.
enum {
    GI_WB_OTHER = 0,
    GI_WB_LETTER,
    GI_WB_NUMERIC,
    GI_WB_EXTEND_NUM_LET,
    GI_WB_MID_LETTER,
    GI_WB_MID_NUM,
    GI_WB_MID_NUM_LET,
    GI_WB_SINGLE_QUOTE,
    GI_WB_SPACE,
    GI_WB_CR,
};

static const unsigned char gi_ascii_word_break[128] = {
    ['A' ... 'Z'] = GI_WB_LETTER, ['a' ... 'z'] = GI_WB_LETTER, ['0' ... '9'] = GI_WB_NUMERIC,
    // ICU's root rules differ from plain UAX #29 in two ASCII characters: "@" is a letter
    // ("user@example" is one word) and ":" is not MidLetter ("a:b" is three segments).
    ['@'] = GI_WB_LETTER,
    ['_'] = GI_WB_EXTEND_NUM_LET, [','] = GI_WB_MID_NUM,
    [';'] = GI_WB_MID_NUM, ['.'] = GI_WB_MID_NUM_LET, ['\''] = GI_WB_SINGLE_QUOTE,
    [' '] = GI_WB_SPACE, ['\r'] = GI_WB_CR,
};

static inline int gi_wb_is_word(unsigned char c) { return c >= GI_WB_LETTER && c <= GI_WB_EXTEND_NUM_LET; }

// Whether `before mid after` stays one word (UAX #29 rules 6, 7, 11 and 12).
static inline int gi_wb_joins(unsigned char before, unsigned char mid, unsigned char after) {
    if (before == GI_WB_LETTER && after == GI_WB_LETTER) {
        return mid == GI_WB_MID_LETTER || mid == GI_WB_MID_NUM_LET || mid == GI_WB_SINGLE_QUOTE;
    }
    if (before == GI_WB_NUMERIC && after == GI_WB_NUMERIC) {
        return mid == GI_WB_MID_NUM || mid == GI_WB_MID_NUM_LET || mid == GI_WB_SINGLE_QUOTE;
    }
    return 0;
}

// The end of the word-break segment that starts at boundary `start` (an ASCII unit), or -1
// when a non-ASCII unit could change it (then ICU decides).
static int32_t gi_ascii_segment_end(const UChar *text, int32_t start, int32_t length) {
    unsigned char first = gi_ascii_word_break[text[start]];
    int32_t i = start + 1;
    if (gi_wb_is_word(first)) {
        while (i < length) {
            UChar u = text[i];
            if (u >= 0x80) {
                return -1;
            }
            unsigned char c = gi_ascii_word_break[u];
            if (gi_wb_is_word(c)) {
                i += 1;
                continue;
            }
            if (c >= GI_WB_MID_LETTER && c <= GI_WB_SINGLE_QUOTE && i + 1 < length) {
                UChar next = text[i + 1];
                if (next >= 0x80) {
                    return -1;
                }
                if (gi_wb_joins(gi_ascii_word_break[text[i - 1]], c, gi_ascii_word_break[next])) {
                    i += 2;
                    continue;
                }
            }
            return i;
        }
        return i;
    }
    if (first == GI_WB_SPACE) {
        while (i < length && text[i] == ' ') {
            i += 1;
        }
    } else if (first == GI_WB_CR && i < length && text[i] == '\n') {
        i += 1;
    }
    // A combining mark or format character after the segment would join it (rule 4).
    return i < length && text[i] >= 0x80 ? -1 : i;
}

// Whether the next `count` units from `start` (or up to the end) are ASCII: worth leaving ICU.
static int gi_ascii_ahead(const UChar *text, int32_t start, int32_t length, int32_t count) {
    int32_t end = length - start < count ? length : start + count;
    for (int32_t i = start; i < end; i++) {
        if (text[i] >= 0x80) {
            return 0;
        }
    }
    return 1;
}

// Whether `segment_end` gives the same boundaries as `iterator` on the ASCII text `probe`: the
// check both fast paths make when an iterator is opened (another locale or ICU version then keeps
// ICU throughout).
static int gi_ascii_probe_agrees(UBreakIterator *iterator, const char *probe, int32_t length,
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
// exercises each of its rules.
static int gi_ascii_rules_agree(UBreakIterator *iterator) {
    static const char probe[] =
        "a:b a.b a'b 1,2 1;2 1.2 1'2 a_b _1 1_ a1b 1a2 a.1 1.a a:1 1:2 a,b a;b x__y z_.w "
        "q.r.s 3.14,15 e.g. don't it's 'a' \"b\" a-b (c) [d] {e} a/b a\\b #1 $2 %3 &4 *5 +6 "
        "<7> =8 ?9 @x ^y `z |w ~v !u   \t\t\r\n\r\r\n\n\v\f. .. ... a. a: a' 1, 1. 1' "
        "A.B:C'D 9.9.9 x1.y2 x1,2 _._ a__1__b 0x1F foo_bar.baz:qux a@b.c @1 1@ @@ @.@ _@_ end";
    return gi_ascii_probe_agrees(iterator, probe, (int32_t)sizeof probe - 1, gi_ascii_segment_end);
}

// MARK: - ASCII sentence segmentation without ICU

// The sentence rules (UAX #29 SB1-SB11, which ICU's root rules implement with rule chaining)
// reduced to ASCII, where no character is OLetter, Sep, Format or Extend: a sentence runs to a
// line break (CR LF, CR or LF, ending it, SB4) or to a terminator ("." is ATerm, "!" "?" STerm)
// followed by Close* Sp*, where it ends unless ATerm Numeric (SB6), (Upper|Lower) ATerm Upper
// (SB7), ATerm Close* Sp* then characters other than letters, line breaks and terminators up
// to a Lower (SB8), or a terminator or SContinue ("," "-" ":") after Close* Sp* (SB8a) keep it
// going; a line break after Close* Sp* ends it after the line break (SB9-SB11). A sentence is
// only taken here when every character those rules look at is ASCII, else ICU decides; and
// once ICU decides in a paragraph it decides until the paragraph's end (see
// gi_sentence_segments). `gi_ascii_sentence_rules_agree` checks this against the iterator at
// open, and only the root locale ("" or "root") uses it: another locale's rules (Greek ";",
// "@ss=standard" abbreviations) keep ICU for everything.
enum {
    GI_SB_OTHER = 0,
    GI_SB_LOWER,
    GI_SB_UPPER,
    GI_SB_NUMERIC,
    GI_SB_ATERM,
    GI_SB_STERM,
    GI_SB_CLOSE,
    GI_SB_SP,
    GI_SB_SCONTINUE,
    GI_SB_CR,
    GI_SB_LF,
};

static const unsigned char gi_ascii_sentence_break[128] = {
    ['a' ... 'z'] = GI_SB_LOWER, ['A' ... 'Z'] = GI_SB_UPPER, ['0' ... '9'] = GI_SB_NUMERIC,
    ['.'] = GI_SB_ATERM, ['!'] = GI_SB_STERM, ['?'] = GI_SB_STERM,
    ['"'] = GI_SB_CLOSE, ['\''] = GI_SB_CLOSE, ['('] = GI_SB_CLOSE, [')'] = GI_SB_CLOSE,
    ['['] = GI_SB_CLOSE, [']'] = GI_SB_CLOSE, ['{'] = GI_SB_CLOSE, ['}'] = GI_SB_CLOSE,
    ['\t'] = GI_SB_SP, ['\v'] = GI_SB_SP, ['\f'] = GI_SB_SP, [' '] = GI_SB_SP,
    [','] = GI_SB_SCONTINUE, ['-'] = GI_SB_SCONTINUE, [':'] = GI_SB_SCONTINUE,
    ['\r'] = GI_SB_CR, ['\n'] = GI_SB_LF,
};

// Whether the table above is ICU's Sentence_Break property for every ASCII character.
static int gi_ascii_sentence_classes_agree(void) {
    for (UChar32 c = 0; c < 0x80; c++) {
        int32_t expected;
        switch (u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK)) {
        case U_SB_OTHER: expected = GI_SB_OTHER; break;
        case U_SB_LOWER: expected = GI_SB_LOWER; break;
        case U_SB_UPPER: expected = GI_SB_UPPER; break;
        case U_SB_NUMERIC: expected = GI_SB_NUMERIC; break;
        case U_SB_ATERM: expected = GI_SB_ATERM; break;
        case U_SB_STERM: expected = GI_SB_STERM; break;
        case U_SB_CLOSE: expected = GI_SB_CLOSE; break;
        case U_SB_SP: expected = GI_SB_SP; break;
        case U_SB_SCONTINUE: expected = GI_SB_SCONTINUE; break;
        case U_SB_CR: expected = GI_SB_CR; break;
        case U_SB_LF: expected = GI_SB_LF; break;
        default: return 0;
        }
        if (gi_ascii_sentence_break[c] != expected) {
            return 0;
        }
    }
    return 1;
}

// The class of text[i] (i < length), or -1 when it is not ASCII.
static inline int gi_sb_class(const UChar *text, int32_t i) {
    return text[i] < 0x80 ? gi_ascii_sentence_break[text[i]] : -1;
}

// The end of the sentence that starts at boundary `start`, or -1 when a character that is not
// ASCII could change it (then ICU decides).
static int32_t gi_ascii_sentence_end(const UChar *text, int32_t start, int32_t length) {
    int32_t i = start;
    while (i < length) {
        int c = gi_sb_class(text, i);
        if (c < 0) {
            return -1;
        }
        if (c == GI_SB_LF) {
            return i + 1; // SB4: always a break after a line break (an Extend after it too)
        }
        if (c == GI_SB_CR) {
            if (i + 1 < length && text[i + 1] == '\n') {
                return i + 2; // SB3
            }
            return i + 1;
        }
        if (c != GI_SB_ATERM && c != GI_SB_STERM) {
            i += 1;
            continue;
        }
        // A terminator at i; what follows it decides (and an Extend or Format right after it
        // would be ignored by SB5: not ASCII, so ICU decides).
        int32_t j = i + 1;
        if (j == length) {
            return length;
        }
        int next = gi_sb_class(text, j);
        if (next < 0) {
            return -1;
        }
        if (c == GI_SB_ATERM) {
            if (next == GI_SB_NUMERIC) { // SB6
                i = j;
                continue;
            }
            // SB7 (a letter never ends a sentence, so the letter is inside this one).
            if (next == GI_SB_UPPER && i > start &&
                (gi_ascii_sentence_break[text[i - 1]] == GI_SB_UPPER ||
                 gi_ascii_sentence_break[text[i - 1]] == GI_SB_LOWER)) {
                i = j;
                continue;
            }
        }
        int32_t k = j;
        int kc = next;
        while (kc == GI_SB_CLOSE && ++k < length) {
            kc = gi_sb_class(text, k);
        }
        while (k < length && kc == GI_SB_SP && ++k < length) {
            kc = gi_sb_class(text, k);
        }
        if (k == length) {
            return length; // SB9, SB10 then SB2
        }
        if (kc < 0) {
            return -1;
        }
        if (c == GI_SB_ATERM) { // SB8
            int32_t m = k;
            int mc = kc;
            while (mc != GI_SB_LOWER && mc != GI_SB_UPPER && mc != GI_SB_ATERM &&
                   mc != GI_SB_STERM && mc != GI_SB_CR && mc != GI_SB_LF && ++m < length) {
                mc = gi_sb_class(text, m);
                if (mc < 0) {
                    return -1;
                }
            }
            if (m < length && mc == GI_SB_LOWER) {
                i = m;
                continue;
            }
        }
        if (kc == GI_SB_SCONTINUE || kc == GI_SB_ATERM || kc == GI_SB_STERM) { // SB8a
            i = k;
            continue;
        }
        if (kc == GI_SB_LF) { // SB9, SB10, SB11
            return k + 1;
        }
        if (kc == GI_SB_CR) {
            return k + 1 < length && text[k + 1] == '\n' ? k + 2 : k + 1;
        }
        return k; // SB11
    }
    return length;
}

// Whether the ASCII sentence segmentation above gives the same boundaries as `iterator` on a
// text that exercises each of its rules.
static int gi_ascii_sentence_rules_agree(UBreakIterator *iterator) {
    static const char probe[] =
        "U.S. Army. 3.14 and 1.5. Mr. smith went. Mr. Smith went. e.g. the end; etc. 12 b. "
        "etc. 12 B. (Yes.) He said \"Stop!\" she said. 'quoted.' Then... what?! no. a.b a.B A.b "
        "A.B. x.1 x. 1 x.) y x. ) y x.) Y. x.\"Y\" a?b a?B a!  b. a.,b a. , b a. -b a.:b a.;b "
        "a. ;b a.  ?b x?. b x.? b x?. B. end.\nNext end.\r\nNext end.\rNext end. \n next "
        "end.)\n\nNext\r\r\n\n.\t.\v.\f. \t) .( ( a.( b a.[b] {c}. #1 $2 %3 &4 *5 +6 <7> =8 @9 ^a "
        "_b `c |d ~e \x01 \x7f. .) .' .\" 1.2.3 a1.b2 9.A. A.9 z.Z Z.z ... ?? !! ?!. .?! . a. B. "
        "\"Hi.\" \"hi.\" ('x.') y ('x.') Y. a.\t\tb a.\t\tB. end";
    return gi_ascii_probe_agrees(iterator, probe, (int32_t)sizeof probe - 1, gi_ascii_sentence_end);
}

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

// MARK: - Tokenizing

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
static int32_t gi_normalize_token(gi_breaker *breaker, const UNormalizer2 *normalizer,
                                  int32_t flags, const UChar *src, int32_t length,
                                  UErrorCode *error) {
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

static int gi_is_white_space(const UChar *text, int32_t length) {
    for (int32_t i = 0; i < length; i++) {
        UChar c = text[i];
        if (c < 0x80) {
            // ASCII answers without a property lookup (most segments start with a letter).
            if (c != ' ' && (c < 0x09 || c > 0x0D)) {
                return 0;
            }
        } else if (U16_IS_SURROGATE(c) || !u_isUWhiteSpace(c)) {
            return 0;
        }
    }
    return 1;
}

static int32_t gi_scalar_count(const UChar *text, int32_t length) {
    int32_t trails = 0;
    for (int32_t i = 0; i < length; i++) {
        if (U16_IS_TRAIL(text[i])) {
            trails += 1;
        }
    }
    return length - trails;
}

// Where tokens go: either out as normalized text (`gi_tokenize`), or looked up in a table
// (`gi_tokenize_lookup`), which writes no normalized text at all.
typedef struct gi_token_sink {
    gi_token *tokens;
    int32_t capacity;
    int32_t count;
    uint16_t *norm;
    int32_t norm_capacity;
    int32_t norm_length;
    const gi_token_table *table;
    gi_found_token *found;
    struct gi_lookup_cache *cache;
} gi_token_sink;

#define GI_FNV_OFFSET 0xcbf29ce484222325ULL
#define GI_FNV_PRIME 0x100000001b3ULL

static inline uint32_t gi_fnv_finish(uint64_t hash) { return (uint32_t)(hash ^ (hash >> 32)); }

uint32_t gi_token_hash(const uint16_t *units, int32_t length) {
    uint64_t hash = GI_FNV_OFFSET;
    for (int32_t i = 0; i < length; i++) {
        hash = (hash ^ units[i]) * GI_FNV_PRIME;
    }
    return gi_fnv_finish(hash);
}

static inline uint32_t gi_entry_field(const uint16_t *entry, int field) {
    return (uint32_t)entry[2 * field] | (uint32_t)entry[2 * field + 1] << 16;
}

// The entry of the table whose text equals `src` (ASCII upper case folded to lower case first
// when `fold_ascii` is set), or NULL.
static const uint16_t *gi_table_find(const gi_token_table *table, const UChar *src, int32_t length,
                                     uint32_t hash, int fold_ascii) {
    uint64_t mask = table->mask;
    for (uint64_t slot = hash & mask;; slot = (slot + 1) & mask) {
        uint64_t entry = table->slots[slot];
        if (entry == UINT64_MAX) {
            return NULL;
        }
        if ((uint32_t)(entry >> 32) != hash) {
            continue;
        }
        const uint16_t *candidate = table->entries + (uint32_t)entry;
        if (gi_entry_field(candidate, 2) != (uint32_t)length) {
            continue;
        }
        const uint16_t *units = candidate + GI_TOKEN_ENTRY_HEADER;
        int32_t i = 0;
        if (fold_ascii) {
            for (; i < length; i++) {
                UChar c = src[i];
                if (c >= 'A' && c <= 'Z') {
                    c = (UChar)(c + 32);
                }
                if (units[i] != c) {
                    break;
                }
            }
        } else {
            while (i < length && units[i] == src[i]) {
                i += 1;
            }
        }
        if (i == length) {
            return candidate;
        }
    }
}

// A cache of recent table lookups, answers included ("not in the table" too), for tokens of up
// to GI_CACHE_TEXT units: two-way set associative, each set one 64-byte line, the most recent
// answer first. Word frequencies follow Zipf's law: a few thousand distinct short tokens make
// up most of any text, and this keeps their answers in 512 KB (the size of a core's L2)
// instead of two cache misses each in a table of a million tokens.
enum { GI_CACHE_SETS = 8192, GI_CACHE_TEXT = 9 };

typedef struct gi_lookup_cache_entry {
    uint32_t hash;
    int32_t id;
    int32_t value;
    uint16_t length; // 0: empty (a token is never empty)
    uint16_t text[GI_CACHE_TEXT];
} gi_lookup_cache_entry;
_Static_assert(sizeof(gi_lookup_cache_entry) * 2 == 64, "a cache set is one 64-byte line");

struct gi_lookup_cache {
    // The table the answers come from: another table empties the cache.
    gi_token_table table;
    gi_lookup_cache_entry sets[GI_CACHE_SETS][2];
};

// Whether `stored` equals `src` (with ASCII upper case folded when `fold_ascii` is set).
static inline int gi_units_equal(const uint16_t *stored, const UChar *src, int32_t length,
                                 int fold_ascii) {
    for (int32_t i = 0; i < length; i++) {
        UChar c = src[i];
        if (fold_ascii && c >= 'A' && c <= 'Z') {
            c = (UChar)(c + 32);
        }
        if (stored[i] != c) {
            return 0;
        }
    }
    return 1;
}

// The cache for `table`, emptied when it last served another table; NULL when out of memory
// (lookups then go to the table).
static struct gi_lookup_cache *gi_cache_for(gi_breaker *breaker, const gi_token_table *table) {
    if (breaker->cache == NULL) {
        breaker->cache = calloc(1, sizeof(struct gi_lookup_cache));
        if (breaker->cache == NULL) {
            return NULL;
        }
        breaker->cache->table = *table;
    }
    struct gi_lookup_cache *cache = breaker->cache;
    if (cache->table.slots != table->slots || cache->table.entries != table->entries ||
        cache->table.mask != table->mask) {
        memset(cache, 0, sizeof(*cache));
        cache->table = *table;
    }
    return cache;
}

// Adds one token whose normalized form is `normalized` (or, with `fold_ascii`, `normalized`
// with ASCII upper case folded), of length `n` and hash `hash`.
static void gi_sink_add(gi_token_sink *sink, int32_t start, int32_t end, int32_t scalar_start,
                        int32_t scalar_end, const UChar *normalized, int32_t n, uint32_t hash,
                        int fold_ascii) {
    if (sink->table != NULL) {
        if (sink->count < sink->capacity) {
            gi_found_token *token = &sink->found[sink->count];
            token->start = start;
            token->end = end;
            token->scalar_start = scalar_start;
            token->scalar_end = scalar_end;
            gi_lookup_cache_entry *set =
                n <= GI_CACHE_TEXT && sink->cache ? sink->cache->sets[hash % GI_CACHE_SETS] : NULL;
            int way = -1;
            for (int w = 0; set && w < 2; w++) {
                if (set[w].hash == hash && set[w].length == n &&
                    gi_units_equal(set[w].text, normalized, n, fold_ascii)) {
                    way = w;
                    break;
                }
            }
            if (way >= 0) {
                token->id = set[way].id;
                token->value = set[way].value;
                if (way == 1) { // most recent first
                    gi_lookup_cache_entry hit = set[1];
                    set[1] = set[0];
                    set[0] = hit;
                }
            } else {
                const uint16_t *entry = gi_table_find(sink->table, normalized, n, hash, fold_ascii);
                token->id = entry ? (int32_t)gi_entry_field(entry, 0) : -1;
                token->value = entry ? (int32_t)gi_entry_field(entry, 1) : -1;
                if (set) {
                    set[1] = set[0];
                    set[0].hash = hash;
                    set[0].id = token->id;
                    set[0].value = token->value;
                    set[0].length = (uint16_t)n;
                    for (int32_t i = 0; i < n; i++) {
                        UChar c = normalized[i];
                        set[0].text[i] = (fold_ascii && c >= 'A' && c <= 'Z') ? (UChar)(c + 32) : c;
                    }
                }
            }
        }
        sink->count += 1;
        return;
    }
    if (sink->count < sink->capacity) {
        gi_token *token = &sink->tokens[sink->count];
        token->start = start;
        token->end = end;
        token->scalar_start = scalar_start;
        token->scalar_end = scalar_end;
        token->norm_start = sink->norm_length;
        token->norm_length = n;
        token->hash = hash;
    }
    if (sink->norm_length + n <= sink->norm_capacity) {
        uint16_t *out = sink->norm + sink->norm_length;
        for (int32_t i = 0; i < n; i++) {
            UChar c = normalized[i];
            out[i] = (fold_ascii && c >= 'A' && c <= 'Z') ? (UChar)(c + 32) : c;
        }
    }
    sink->count += 1;
    sink->norm_length += n;
}

static int gi_emit_token(gi_breaker *breaker, const UNormalizer2 *normalizer, int32_t flags,
                         const UChar *text, int32_t start, int32_t end, int32_t scalar_start,
                         gi_token_sink *sink, UErrorCode *error) {
    // ASCII fast path: NFKC_Casefold of ASCII is its lower case, folded and hashed in one pass.
    const UChar *src = text + start;
    int32_t length = end - start;
    int fold = !(flags & GI_TOKENIZE_NFKC_ONLY);
    uint64_t hash = GI_FNV_OFFSET;
    int32_t i = 0;
    for (; i < length; i++) {
        UChar c = src[i];
        if (c >= 0x80) {
            break;
        }
        if (fold && c >= 'A' && c <= 'Z') {
            c = (UChar)(c + 32);
        }
        hash = (hash ^ c) * GI_FNV_PRIME;
    }
    if (i == length) {
        gi_sink_add(sink, start, end, scalar_start, scalar_start + length, src, length,
                    gi_fnv_finish(hash), fold);
        return 1;
    }
    int32_t n = gi_normalize_token(breaker, normalizer, flags, src, length, error);
    if (n < 0) {
        return 0;
    }
    if (n == 0) {
        return 1; // default ignorables only
    }
    gi_sink_add(sink, start, end, scalar_start, scalar_start + gi_scalar_count(src, length),
                breaker->scratch, n, gi_token_hash(breaker->scratch, n), 0);
    return 1;
}

// Segments `text` and hands each token to `sink` (see gi_tokenize).
static void gi_tokenize_into(gi_breaker *breaker, const UChar *utext, int32_t length,
                             int32_t flags, gi_token_sink *sink, UErrorCode *status) {
    UErrorCode error = U_ZERO_ERROR;
    const UNormalizer2 *normalizer = (flags & GI_TOKENIZE_NFKC_ONLY)
                                         ? unorm2_getNFKCInstance(&error)
                                         : unorm2_getNFKCCasefoldInstance(&error);
    if (U_FAILURE(error)) {
        *status = error;
        return;
    }
    ubrk_setText(breaker->iterator, utext, length, &error);
    if (U_FAILURE(error)) {
        *status = error;
        return;
    }
    // ASCII runs are segmented here (same boundaries, see gi_ascii_segment_end), the rest by
    // ICU; the rule status is ICU's only, so dropping punctuation keeps ICU for everything.
    int fast = breaker->ascii_fast && !(flags & (GI_TOKENIZE_WORDS_ONLY | GI_TOKENIZE_ICU_ONLY));
    int32_t scalar = 0;
    int32_t start = ubrk_first(breaker->iterator);
    // Whether ICU's iterator stands at `start` (else it is moved there with ubrk_following).
    int icu_at_start = 1;
    int from_icu = 1;
    while (start < length) {
        int32_t end = -1;
        if (fast && utext[start] < 0x80 && (!from_icu || gi_ascii_ahead(utext, start, length, 32))) {
            end = gi_ascii_segment_end(utext, start, length);
        }
        int ascii = end >= 0;
        if (ascii) {
            icu_at_start = 0;
            from_icu = 0;
        } else {
            end = icu_at_start ? ubrk_next(breaker->iterator)
                               : ubrk_following(breaker->iterator, start);
            icu_at_start = 1;
            from_icu = 1;
            if (end == UBRK_DONE) {
                break;
            }
        }
        int32_t scalar_start = scalar;
        scalar += ascii ? end - start : gi_scalar_count(utext + start, end - start);
        int32_t segment_start = start;
        start = end;
        // The rule status costs a call per segment: ask for it only when punctuation is dropped.
        if (flags & GI_TOKENIZE_WORDS_ONLY) {
            if (ubrk_getRuleStatus(breaker->iterator) < UBRK_WORD_NUMBER) {
                continue;
            }
        } else if (ascii ? gi_ascii_word_break[utext[segment_start]] == GI_WB_SPACE ||
                               gi_ascii_word_break[utext[segment_start]] == GI_WB_CR ||
                               (utext[segment_start] >= 0x09 && utext[segment_start] <= 0x0C)
                         : gi_is_white_space(utext + segment_start, end - segment_start)) {
            continue;
        }
        int32_t word_end = end;
        if (end - segment_start > 2 && (utext[end - 1] == 's' || utext[end - 1] == 'S') &&
            (utext[end - 2] == '\'' || utext[end - 2] == 0x2019) && u_isalpha(utext[end - 3])) {
            word_end = end - 2; // "Paris's" is "Paris" + "'s": only a word ends in letter-'-s
        }
        if (!gi_emit_token(breaker, normalizer, flags, utext, segment_start, word_end, scalar_start,
                           sink, &error)) {
            break;
        }
        if (word_end < end &&
            !gi_emit_token(breaker, normalizer, flags, utext, word_end, end,
                           scalar_start + gi_scalar_count(utext + segment_start, word_end - segment_start),
                           sink, &error)) {
            break;
        }
    }
    UErrorCode ignored = U_ZERO_ERROR;
    ubrk_setText(breaker->iterator, NULL, 0, &ignored);
    *status = error;
}

int32_t gi_tokenize(gi_breaker *breaker, const uint16_t *text, int32_t length, int32_t flags,
                    gi_token *tokens, int32_t token_capacity, uint16_t *norm,
                    int32_t norm_capacity, int32_t *norm_needed, gi_status *status) {
    gi_token_sink sink = {tokens, token_capacity, 0, norm, norm_capacity, 0, NULL, NULL, NULL};
    UErrorCode error = U_ZERO_ERROR;
    gi_tokenize_into(breaker, (const UChar *)text, length, flags, &sink, &error);
    *norm_needed = sink.norm_length;
    *status = (gi_status)error;
    return sink.count;
}

int32_t gi_tokenize_lookup(gi_breaker *breaker, const uint16_t *text, int32_t length,
                           int32_t flags, const gi_token_table *table, gi_found_token *tokens,
                           int32_t capacity, gi_status *status) {
    gi_token_sink sink = {NULL, capacity, 0, NULL, 0, 0, table, tokens, gi_cache_for(breaker, table)};
    UErrorCode error = U_ZERO_ERROR;
    gi_tokenize_into(breaker, (const UChar *)text, length, flags, &sink, &error);
    *status = (gi_status)error;
    return sink.count;
}

// MARK: - Sentences and chunk cuts

// A position in the text in the three units a boundary reports.
typedef struct gi_offsets {
    int32_t utf16;
    int32_t scalar;
    int32_t utf8;
} gi_offsets;

// Moves `at` forward to UTF-16 offset `target`, counting scalars and UTF-8 bytes on the way.
// The text comes from a Swift String, so surrogates come in pairs: the lead counts the scalar,
// each half two of the pair's four UTF-8 bytes.
static inline void gi_advance(const UChar *text, gi_offsets *at, int32_t target) {
    int32_t scalar = at->scalar;
    int32_t utf8 = at->utf8;
    for (int32_t i = at->utf16; i < target; i++) {
        UChar u = text[i];
        if (u < 0x80) {
            scalar += 1;
            utf8 += 1;
        } else if (u < 0x800) {
            scalar += 1;
            utf8 += 2;
        } else if (U16_IS_SURROGATE(u)) {
            scalar += U16_IS_LEAD(u) ? 1 : 0;
            utf8 += 2;
        } else {
            scalar += 1;
            utf8 += 3;
        }
    }
    at->utf16 = target;
    at->scalar = scalar;
    at->utf8 = utf8;
}

typedef struct gi_segment_sink {
    gi_boundary *boundaries;
    int32_t capacity;
    int32_t count;
    // Where the segment being built starts (the last boundary written).
    gi_offsets at;
} gi_segment_sink;

static void gi_segment_end(gi_segment_sink *sink, const UChar *text, int32_t end, int32_t kind) {
    gi_advance(text, &sink->at, end);
    if (sink->count < sink->capacity) {
        gi_boundary *boundary = &sink->boundaries[sink->count];
        boundary->utf16 = sink->at.utf16;
        boundary->scalar = sink->at.scalar;
        boundary->utf8 = sink->at.utf8;
        boundary->kind = kind;
    }
    sink->count += 1;
}

// Whether a cut before UTF-16 offset `i` would split a user-perceived character: the code point
// there extends the one before (a combining mark, a spacing mark, a joiner or emoji modifier),
// or the one before joins it (ZWJ, a prepended mark).
static int gi_splits_grapheme(const UChar *text, int32_t floor, int32_t i, int32_t limit) {
    UChar32 c;
    U16_GET(text, floor, i, limit, c);
    int32_t here = u_getIntPropertyValue(c, UCHAR_GRAPHEME_CLUSTER_BREAK);
    if (here == U_GCB_EXTEND || here == U_GCB_ZWJ || here == U_GCB_SPACING_MARK) {
        return 1;
    }
    int32_t before_at = i;
    UChar32 before;
    U16_PREV(text, floor, before_at, before);
    int32_t there = u_getIntPropertyValue(before, UCHAR_GRAPHEME_CLUSTER_BREAK);
    return there == U_GCB_ZWJ || there == U_GCB_PREPEND;
}

// The UTF-16 offset `max_scalars` scalars after `from` (which has more than that before
// `limit`), moved back over at most 32 code points that would split a character.
static int32_t gi_hard_cut(const UChar *text, int32_t from, int32_t limit, int32_t max_scalars) {
    int32_t i = from;
    for (int32_t n = 0; n < max_scalars; n++) {
        U16_FWD_1(text, i, limit);
    }
    int32_t cut = i;
    for (int32_t back = 0; back < 32 && cut > from && gi_splits_grapheme(text, from, cut, limit); back++) {
        U16_BACK_1(text, from, cut);
    }
    return cut > from && !gi_splits_grapheme(text, from, cut, limit) ? cut : i;
}

// Cuts the sentence [start, end), which starts at sink->at, into pieces of at most
// `max_scalars`: greedily at the last word boundary within the limit, else hard. Writes the
// cuts; the sentence's end is left to the caller. One forward pass of the word iterator; each
// unit is counted at most three times (scanned, walked for a hard cut, passed by the sink).
static void gi_split_sentence(gi_breaker *words, const UChar *text, int32_t start, int32_t end,
                              int32_t max_scalars, gi_segment_sink *sink, UErrorCode *error) {
    ubrk_setText(words->iterator, text + start, end - start, error);
    if (U_FAILURE(*error)) {
        return;
    }
    gi_offsets scan = sink->at;
    // The last word boundary after the piece's start and within its limit, or -1.
    int32_t last = -1;
    ubrk_first(words->iterator);
    for (int32_t b = ubrk_next(words->iterator); b != UBRK_DONE; b = ubrk_next(words->iterator)) {
        int32_t target = start + b;
        gi_advance(text, &scan, target);
        while (scan.scalar - sink->at.scalar > max_scalars) {
            if (last > sink->at.utf16) {
                gi_segment_end(sink, text, last, GI_BOUNDARY_WORD);
            } else {
                gi_segment_end(sink, text, gi_hard_cut(text, sink->at.utf16, target, max_scalars),
                               GI_BOUNDARY_HARD);
            }
            last = -1;
        }
        last = target;
    }
    UErrorCode ignored = U_ZERO_ERROR;
    ubrk_setText(words->iterator, NULL, 0, &ignored);
}

// Writes the end of the sentence [start, end) (which starts at sink->at), cut first into pieces
// of at most `max_scalars` when it is longer and `max_scalars` > 0.
static inline void gi_sentence_found(gi_breaker *words, const UChar *text, int32_t start,
                                     int32_t end, int32_t max_scalars, int ascii,
                                     gi_segment_sink *sink, UErrorCode *error) {
    // A sentence of at most `max_scalars` UTF-16 units has at most that many scalars.
    if (max_scalars > 0 && words != NULL && end - start > max_scalars) {
        gi_split_sentence(words, text, start, end, max_scalars, sink, error);
        if (U_FAILURE(*error)) {
            return;
        }
    }
    if (ascii) {
        // Every unit up to `end` is ASCII (the fast path read them all): one unit, one scalar
        // and one UTF-8 byte each, so the offsets move without a second pass over the text.
        int32_t units = end - sink->at.utf16;
        sink->at.utf16 = end;
        sink->at.scalar += units;
        sink->at.utf8 += units;
    }
    gi_segment_end(sink, text, end, GI_BOUNDARY_SENTENCE);
}

int32_t gi_sentence_segments(gi_breaker *sentences, gi_breaker *words, const uint16_t *text,
                             int32_t length, int32_t max_scalars, gi_boundary *boundaries,
                             int32_t capacity, gi_status *status) {
    const UChar *utext = (const UChar *)text;
    UErrorCode error = U_ZERO_ERROR;
    ubrk_setText(sentences->iterator, utext, length, &error);
    if (U_FAILURE(error)) {
        *status = (gi_status)error;
        return 0;
    }
    gi_segment_sink sink = {boundaries, capacity, 0, {0, 0, 0}};
    // ASCII sentences are found here (same boundaries, see gi_ascii_sentence_end), the rest by
    // ICU. Once ICU decides in a paragraph it keeps deciding up to the paragraph's end: moving
    // the iterator to a boundary (ubrk_following) backs it up to the previous line break, so
    // doing that once per paragraph keeps the whole text linear.
    int fast = sentences->ascii_fast;
    int32_t start = ubrk_first(sentences->iterator);
    // Whether ICU's iterator stands at `start` (else it is moved there with ubrk_following).
    int icu_at_start = 1;
    while (start < length && U_SUCCESS(error)) {
        int32_t end = fast ? gi_ascii_sentence_end(utext, start, length) : -1;
        if (end >= 0) {
            icu_at_start = 0;
            gi_sentence_found(words, utext, start, end, max_scalars, 1, &sink, &error);
            start = end;
            continue;
        }
        end = icu_at_start ? ubrk_next(sentences->iterator) : ubrk_following(sentences->iterator, start);
        icu_at_start = 1;
        for (; end != UBRK_DONE && U_SUCCESS(error); end = ubrk_next(sentences->iterator)) {
            gi_sentence_found(words, utext, start, end, max_scalars, 0, &sink, &error);
            start = end;
            UChar last = utext[end - 1];
            if (fast && (last == '\n' || last == '\r' || last == 0x85 || last == 0x2028 || last == 0x2029)) {
                break; // a paragraph's end: the next may be ASCII
            }
        }
        if (end == UBRK_DONE) {
            break;
        }
    }
    UErrorCode ignored = U_ZERO_ERROR;
    ubrk_setText(sentences->iterator, NULL, 0, &ignored);
    *status = (gi_status)error;
    return sink.count;
}

// MARK: - Decoding

int32_t gi_utf8_to_utf16(const uint8_t *src, int32_t length, uint16_t *dest, int32_t capacity,
                         gi_status *status) {
    // UTF-16 is never longer than UTF-8: with that much room, ASCII runs (most text) are widened
    // here, eight bytes at a time, and each run of other bytes goes through ICU, which checks
    // it. (A run of bytes >= 0x80 holds whole sequences in well-formed UTF-8, since no byte of a
    // multi-byte sequence is ASCII.)
    if (capacity < length) {
        UErrorCode error = U_ZERO_ERROR;
        int32_t written = 0;
        u_strFromUTF8((UChar *)dest, capacity, &written, (const char *)src, length, &error);
        if (error == U_BUFFER_OVERFLOW_ERROR || error == U_STRING_NOT_TERMINATED_WARNING) {
            error = U_ZERO_ERROR;
        }
        *status = (gi_status)error;
        return written;
    }
    int32_t in = 0;
    int32_t out = 0;
    while (in < length) {
        while (length - in >= 8) {
            uint64_t chunk;
            memcpy(&chunk, src + in, 8);
            if (chunk & 0x8080808080808080ULL) {
                break;
            }
            for (int k = 0; k < 8; k++) {
                dest[out + k] = src[in + k];
            }
            in += 8;
            out += 8;
        }
        while (in < length && src[in] < 0x80) {
            dest[out++] = src[in++];
        }
        if (in == length) {
            break;
        }
        int32_t end = in + 1;
        while (end < length && src[end] >= 0x80) {
            end += 1;
        }
        UErrorCode error = U_ZERO_ERROR;
        int32_t written = 0;
        u_strFromUTF8((UChar *)dest + out, capacity - out, &written, (const char *)src + in,
                      end - in, &error);
        if (error == U_STRING_NOT_TERMINATED_WARNING) {
            error = U_ZERO_ERROR;
        }
        if (U_FAILURE(error)) {
            *status = (gi_status)error;
            return out + written;
        }
        out += written;
        in = end;
    }
    *status = (gi_status)U_ZERO_ERROR;
    return out;
}

int gi_detect_charset(const uint8_t *bytes, int32_t length, char *name, int32_t name_capacity,
                      int32_t *confidence, gi_status *status) {
    UErrorCode error = U_ZERO_ERROR;
    UCharsetDetector *detector = ucsdet_open(&error);
    if (U_FAILURE(error)) {
        *status = (gi_status)error;
        return 0;
    }
    ucsdet_setText(detector, (const char *)bytes, length, &error);
    const UCharsetMatch *match = U_SUCCESS(error) ? ucsdet_detect(detector, &error) : NULL;
    int found = 0;
    if (U_SUCCESS(error) && match != NULL) {
        const char *detected = ucsdet_getName(match, &error);
        int32_t score = ucsdet_getConfidence(match, &error);
        if (U_SUCCESS(error) && detected != NULL && (int32_t)strlen(detected) < name_capacity) {
            strcpy(name, detected);
            *confidence = score;
            found = 1;
        }
    }
    ucsdet_close(detector);
    *status = (gi_status)error;
    return found;
}

int32_t gi_convert_to_utf16(const char *charset, const uint8_t *bytes, int32_t length,
                            uint16_t *dest, int32_t capacity, gi_status *status) {
    UErrorCode error = U_ZERO_ERROR;
    UConverter *converter = ucnv_open(charset, &error);
    if (U_FAILURE(error)) {
        *status = (gi_status)error;
        return 0;
    }
    ucnv_setToUCallBack(converter, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &error);
    int32_t written = 0;
    if (U_SUCCESS(error)) {
        written = ucnv_toUChars(converter, (UChar *)dest, capacity, (const char *)bytes, length,
                                &error);
    }
    if (error == U_BUFFER_OVERFLOW_ERROR || error == U_STRING_NOT_TERMINATED_WARNING) {
        error = U_ZERO_ERROR;
    }
    ucnv_close(converter);
    *status = (gi_status)error;
    return written;
}

// MARK: - Regular expressions

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

const char *gi_icu_version(void) {
    static char text[U_MAX_VERSION_STRING_LENGTH];
    UVersionInfo version;
    u_getVersion(version);
    u_versionToString(version, text);
    return text;
}
