// Sentences and chunk cuts: sentence segmentation (ICU's, with an ASCII fast path that gives the
// same boundaries), and long sentences cut at word boundaries or, failing those, hard.
#include "internal.h"

#include <unicode/uchar.h>

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
int gi_ascii_sentence_classes_agree(void) {
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

// Where a sentence that the line break at i ends ends: after CR LF (SB3), else after the CR or LF.
static inline int32_t gi_after_line_break(const UChar *text, int32_t i, int32_t length) {
    return text[i] == '\r' && i + 1 < length && text[i + 1] == '\n' ? i + 2 : i + 1;
}

// SB8: after ATerm Close* Sp*, the sentence goes on when the first character from k (of class
// `kc`) that is a letter, a terminator or a line break is a Lower. Returns where that Lower is,
// -2 when there is none, or -1 when a character that is not ASCII comes first (ICU decides).
static inline int32_t gi_sb8_lower(const UChar *text, int32_t k, int kc, int32_t length) {
    int32_t m = k;
    int mc = kc;
    while (mc != GI_SB_LOWER && mc != GI_SB_UPPER && mc != GI_SB_ATERM && mc != GI_SB_STERM &&
           mc != GI_SB_CR && mc != GI_SB_LF && ++m < length) {
        mc = gi_sb_class(text, m);
        if (mc < 0) {
            return -1;
        }
    }
    return m < length && mc == GI_SB_LOWER ? m : -2;
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
        if (c == GI_SB_LF || c == GI_SB_CR) {
            // SB3, SB4: always a break after a line break (an Extend after it too)
            return gi_after_line_break(text, i, length);
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
            int32_t lower = gi_sb8_lower(text, k, kc, length);
            if (lower == -1) {
                return -1;
            }
            if (lower >= 0) {
                i = lower;
                continue;
            }
        }
        if (kc == GI_SB_SCONTINUE || kc == GI_SB_ATERM || kc == GI_SB_STERM) { // SB8a
            i = k;
            continue;
        }
        if (kc == GI_SB_LF || kc == GI_SB_CR) { // SB9, SB10, SB11
            return gi_after_line_break(text, k, length);
        }
        return k; // SB11
    }
    return length;
}

// Whether the ASCII sentence segmentation above gives the same boundaries as `iterator` on a
// text that exercises each of its rules.
int gi_ascii_sentence_rules_agree(UBreakIterator *iterator) {
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
