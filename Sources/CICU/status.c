// ICU's status codes and version, for CICU.h.
#include "internal.h"

#include <unicode/uversion.h>

const char *gi_status_name(gi_status status) { return u_errorName((UErrorCode)status); }

int gi_status_is_failure(gi_status status) { return U_FAILURE((UErrorCode)status) ? 1 : 0; }

const char *gi_icu_version(void) {
    static char text[U_MAX_VERSION_STRING_LENGTH];
    UVersionInfo version;
    u_getVersion(version);
    u_versionToString(version, text);
    return text;
}
