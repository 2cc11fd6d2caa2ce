// Tokenizing a whole text in one call: word segmentation (ICU's, with an ASCII fast path that
// gives the same boundaries), each token normalized and written out or looked up in a table.
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>

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

// Whether the ASCII segmentation above gives the same boundaries as `iterator` on a text that
// exercises each of its rules.
int gi_ascii_rules_agree(UBreakIterator *iterator) {
    static const char probe[] =
        "a:b a.b a'b 1,2 1;2 1.2 1'2 a_b _1 1_ a1b 1a2 a.1 1.a a:1 1:2 a,b a;b x__y z_.w "
        "q.r.s 3.14,15 e.g. don't it's 'a' \"b\" a-b (c) [d] {e} a/b a\\b #1 $2 %3 &4 *5 +6 "
        "<7> =8 ?9 @x ^y `z |w ~v !u   \t\t\r\n\r\r\n\n\v\f. .. ... a. a: a' 1, 1. 1' "
        "A.B:C'D 9.9.9 x1.y2 x1,2 _._ a__1__b 0x1F foo_bar.baz:qux a@b.c @1 1@ @@ @.@ _@_ end";
    return gi_ascii_probe_agrees(iterator, probe, (int32_t)sizeof probe - 1, gi_ascii_segment_end);
}

// MARK: - Tokenizing

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
