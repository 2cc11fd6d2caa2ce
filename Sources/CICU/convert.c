// Decoding: UTF-8 to UTF-16, charset detection and conversion from other charsets.
#include "internal.h"

#include <string.h>
#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/ustring.h>

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
