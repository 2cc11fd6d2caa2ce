/* The reference for the CJK/Thai extraction figure: ICU's word break iterator alone (root
 * locale, dictionary segmentation), over each file named on the command line, on one core.
 * Prints MB/s of UTF-8 input in CPU time; the UTF-8 to UTF-16 conversion is not timed.
 * Built and run by scripts/bench-extract against the system's ICU (libicu-dev). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unicode/ubrk.h>
#include <unicode/ustring.h>

static double cpu_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return now.tv_sec + now.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    UErrorCode status = U_ZERO_ERROR;
    UBreakIterator *words = ubrk_open(UBRK_WORD, "", NULL, 0, &status);
    if (U_FAILURE(status)) {
        fprintf(stderr, "ubrk_open: %s\n", u_errorName(status));
        return 1;
    }
    double seconds = 0, megabytes = 0;
    long boundaries = 0;
    for (int index = 1; index < argc; index++) {
        FILE *file = fopen(argv[index], "rb");
        if (!file) { perror(argv[index]); return 1; }
        fseek(file, 0, SEEK_END);
        long size = ftell(file);
        fseek(file, 0, SEEK_SET);
        char *bytes = malloc(size > 0 ? size : 1);
        if (fread(bytes, 1, size, file) != (size_t)size) { perror(argv[index]); return 1; }
        fclose(file);
        int32_t length = 0;
        status = U_ZERO_ERROR;
        u_strFromUTF8(NULL, 0, &length, bytes, (int32_t)size, &status);
        UChar *text = malloc(sizeof(UChar) * (length + 1));
        status = U_ZERO_ERROR;
        u_strFromUTF8(text, length + 1, NULL, bytes, (int32_t)size, &status);
        double start = cpu_seconds();
        ubrk_setText(words, text, length, &status);
        for (int32_t at = ubrk_first(words); at != UBRK_DONE; at = ubrk_next(words)) boundaries++;
        seconds += cpu_seconds() - start;
        megabytes += size / 1048576.0;
        free(text);
        free(bytes);
    }
    ubrk_close(words);
    printf("%.1f MB/s  (%ld boundaries, %.2f MB, ICU %s)\n", megabytes / seconds, boundaries, megabytes, U_ICU_VERSION);
    return 0;
}
