// CICU: an opaque C shim over the system ICU.
//
// This header must include no ICU header: Foundation on Linux carries its own ICU as the clang
// module `_FoundationICU`, and a Swift file that sees both gets conflicting definitions of
// UErrorCode. Everything here is plain C types; the .c files (status, breaker, tokenize, normalize, sentences, convert, regex) include ICU and forward.
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

/// Whether the breaker finds ASCII segments without ICU (the same boundaries: a word breaker
/// whose rules agree with the shim's on a probe text; a sentence breaker of the root locale
/// whose rules agree likewise). Any other breaker asks ICU for everything.
int gi_breaker_ascii_fast(const gi_breaker *breaker);

/// Makes the breaker ask ICU for every boundary (for comparing the ASCII path with ICU's).
void gi_breaker_disable_ascii_fast(gi_breaker *breaker);

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

// MARK: - Tokenizing and normalizing a whole text in one call

/// Flags for `gi_tokenize`.
enum {
    /// Remove combining marks of the Inherited script (accents, Arabic harakat) and map a few
    /// stroked letters (ł, ø, đ, ħ, ı) to their base letter, after NFKC_Casefold.
    GI_TOKENIZE_FOLD_DIACRITICS = 1,
    /// Leave out segments that are neither words, numbers, kana nor ideographs (punctuation).
    GI_TOKENIZE_WORDS_ONLY = 2,
    /// Do not normalize: the normalized form of a token is NFKC without case folding.
    GI_TOKENIZE_NFKC_ONLY = 4,
    /// Segment everything with ICU's break iterator, ASCII runs too (for tests that compare).
    GI_TOKENIZE_ICU_ONLY = 8,
};

/// One token found by `gi_tokenize`: where it stands in the text and where its normalized form
/// is in the output buffer.
typedef struct gi_token {
    /// Start and end of the token in UTF-16 code units of the input text.
    int32_t start;
    int32_t end;
    /// Start and end of the token in Unicode scalars (code points) of the input text.
    int32_t scalar_start;
    int32_t scalar_end;
    /// Where the normalized form of the token starts in the output buffer, and its length.
    int32_t norm_start;
    int32_t norm_length;
    /// FNV-1a (64-bit, folded to 32) of the normalized UTF-16 units, for interning.
    uint32_t hash;
} gi_token;

/// Splits a whole UTF-16 text into tokens with a word break iterator and normalizes each token
/// (NFKC_Casefold, ICU's quick check first; a dot above after i/j is dropped, so "İ" folds to
/// "i"; "'s"/"’s" at the end of a word becomes its own token). White space and segments that
/// normalize to nothing are left out; punctuation and symbols are tokens of their own.
///
/// Writes at most `token_capacity` tokens and `norm_capacity` normalized code units; returns the
/// number of tokens and sets `*norm_needed` to the number of normalized code units. When either
/// exceeds its capacity the caller retries with larger buffers.
int32_t gi_tokenize(gi_breaker *breaker, const uint16_t *text, int32_t length, int32_t flags,
                    gi_token *tokens, int32_t token_capacity, uint16_t *norm,
                    int32_t norm_capacity, int32_t *norm_needed, gi_status *status);

/// A read-only table of normalized tokens, built by the caller and probed by
/// `gi_tokenize_lookup`, so that looking a token up needs no copy of its normalized form and
/// about two cache misses: one for its slot, one for its entry.
///
/// `slots` has `mask + 1` entries (a power of two), linear probing from `hash & mask`; each slot
/// is `hash << 32 | offset`, the offset of the token's entry in `entries`, or UINT64_MAX when
/// empty. An entry is six header units, then the token's normalized UTF-16: its id (two units,
/// low half first), its value (two units: any Int32 the caller wants back, such as the trie node
/// the token leads to), its length in units (two units). `hash` is the one `gi_token.hash` gives.
typedef struct gi_token_table {
    const uint64_t *slots;
    uint32_t mask;
    const uint16_t *entries;
} gi_token_table;

/// The hash of normalized UTF-16 units that `gi_token.hash` gives and `gi_token_table` slots
/// hold: FNV-1a, 64 bits folded to 32.
uint32_t gi_token_hash(const uint16_t *units, int32_t length);

/// The number of header units before the text of a `gi_token_table` entry.
enum { GI_TOKEN_ENTRY_HEADER = 6 };

/// One token found by `gi_tokenize_lookup`: its spans and what the table says about it.
typedef struct gi_found_token {
    /// Start and end of the token in UTF-16 code units of the input text.
    int32_t start;
    int32_t end;
    /// Start and end of the token in Unicode scalars (code points) of the input text.
    int32_t scalar_start;
    int32_t scalar_end;
    /// The token's id in the table, or -1 when its normalized form is not there.
    int32_t id;
    /// The entry's value, or -1 when the token is not in the table.
    int32_t value;
} gi_found_token;

/// Tokenizes and normalizes like `gi_tokenize` (same tokens, same normalization, same flags)
/// but, instead of writing each normalized form out, looks it up in `table`. Writes at most
/// `capacity` tokens; returns the number of tokens (retry with more room when it exceeds
/// `capacity`). The breaker keeps the answers for frequent short tokens, keyed by the table's
/// addresses: a table must not change while a breaker looks tokens up in it.
int32_t gi_tokenize_lookup(gi_breaker *breaker, const uint16_t *text, int32_t length,
                           int32_t flags, const gi_token_table *table, gi_found_token *tokens,
                           int32_t capacity, gi_status *status);

// MARK: - Sentences and chunk cuts

/// What ends a segment found by `gi_sentence_segments`.
typedef enum gi_boundary_kind {
    /// The end of a sentence (ICU's sentence break iterator), or the end of the text.
    GI_BOUNDARY_SENTENCE = 0,
    /// A cut inside a sentence longer than the limit, at a word boundary (ICU's word iterator).
    GI_BOUNDARY_WORD = 1,
    /// A cut inside a run with no word boundary within the limit, at the limit (moved back over
    /// combining marks and joiners, so a user-perceived character stays whole where it can).
    GI_BOUNDARY_HARD = 2,
} gi_boundary_kind;

/// The end of one segment, in the three units callers need: UTF-16 code units (ICU's),
/// Unicode scalars (the interchange format's) and UTF-8 bytes (a Swift String's storage).
typedef struct gi_boundary {
    int32_t utf16;
    int32_t scalar;
    int32_t utf8;
    /// A `gi_boundary_kind`.
    int32_t kind;
} gi_boundary;

/// Splits a whole UTF-16 text into sentences with `sentences` (a GI_BREAK_SENTENCE breaker),
/// and, when `max_scalars` > 0, each sentence longer than `max_scalars` scalars into pieces of at
/// most that many: greedily at the last word boundary of `words` (a GI_BREAK_WORD breaker)
/// within the limit, else hard at the limit. A breaker with the ASCII path
/// (`gi_breaker_ascii_fast`) finds the sentences whose deciding characters are all ASCII without
/// ICU, with ICU's boundaries. Linear in the text: the sentence iterator walks each paragraph at
/// most twice (once more when it takes over from the ASCII path inside it), the word iterator
/// once.
///
/// Writes the end of each segment, in order (the first starts at 0, each next one where the
/// previous ended, the last ends at `length`), at most `capacity` of them; returns the number of
/// segments (retry with more room when it exceeds `capacity`). An empty text has none.
int32_t gi_sentence_segments(gi_breaker *sentences, gi_breaker *words, const uint16_t *text,
                             int32_t length, int32_t max_scalars, gi_boundary *boundaries,
                             int32_t capacity, gi_status *status);

// MARK: - Decoding

/// Converts UTF-8 to UTF-16. Fails with U_INVALID_CHAR_FOUND on ill-formed input. Returns the
/// UTF-16 length (which may exceed `capacity`: then nothing useful was written).
int32_t gi_utf8_to_utf16(const uint8_t *src, int32_t length, uint16_t *dest, int32_t capacity,
                         gi_status *status);

/// Guesses the charset of `bytes` with ICU's detector (ucsdet). Writes the charset name
/// (NUL-terminated) into `name` and ICU's confidence (0...100) into `confidence`. Returns 1 when
/// a charset was found.
int gi_detect_charset(const uint8_t *bytes, int32_t length, char *name, int32_t name_capacity,
                      int32_t *confidence, gi_status *status);

/// Converts `bytes` in `charset` to UTF-16, failing (U_INVALID_CHAR_FOUND, U_ILLEGAL_CHAR_FOUND)
/// on any byte sequence the charset does not map instead of substituting. Returns the UTF-16
/// length (which may exceed `capacity`).
int32_t gi_convert_to_utf16(const char *charset, const uint8_t *bytes, int32_t length,
                            uint16_t *dest, int32_t capacity, gi_status *status);

// MARK: - Regular expressions

/// A compiled ICU regular expression (not thread-safe: one per worker, see `gi_regex_clone`).
typedef struct gi_regex gi_regex;

/// Compiles a UTF-16 pattern. On a syntax error returns NULL and sets `error_line` and
/// `error_offset` (1-based line, 0-based offset in the pattern) where ICU reports them.
gi_regex *gi_regex_open(const uint16_t *pattern, int32_t length, int case_insensitive,
                        int32_t *error_line, int32_t *error_offset, gi_status *status);

/// A copy for another thread (cheaper than compiling again).
gi_regex *gi_regex_clone(const gi_regex *regex, gi_status *status);

/// Closes a regular expression.
void gi_regex_close(gi_regex *regex);

/// Finds every non-overlapping match in a whole UTF-16 text in one call; writes their UTF-16
/// start and end offsets. Empty matches are left out. Returns the number of matches; when it
/// exceeds `capacity` the caller retries with larger buffers.
int32_t gi_regex_find_all(gi_regex *regex, const uint16_t *text, int32_t length, int32_t *starts,
                          int32_t *ends, int32_t capacity, gi_status *status);

/// The version of the ICU library this shim is linked against ("72.1").
const char *gi_icu_version(void);

#ifdef __cplusplus
}
#endif

#endif
