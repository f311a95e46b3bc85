/* SPDX-License-Identifier: MPL-2.0 */
#include "vendor_class.h"

#include <string.h>

#include "opt43.h"

static int equals_ignoring_case(const uint8_t *data, size_t len, const char *text)
{
    size_t text_len = strlen(text);
    if (len != text_len)
        return 0;
    for (size_t i = 0; i < len; i++) {
        uint8_t a = data[i], b = (uint8_t)text[i];
        if (a >= 'a' && a <= 'z')
            a = (uint8_t)(a - 'a' + 'A');
        if (b >= 'a' && b <= 'z')
            b = (uint8_t)(b - 'a' + 'A');
        if (a != b)
            return 0;
    }
    return 1;
}

enum vendor_class vendor_class_classify(const uint8_t *data, size_t len)
{
    while (len > 0 && data[len - 1] == 0)
        len--;
    static const char uc[] = VENDOR_CLASS_UC_CLIENT;
    static const char cpe[] = VENDOR_CLASS_CPE_OCPHONE;
    if (len == sizeof uc - 1 && memcmp(data, uc, len) == 0)
        return VENDOR_CLASS_IS_UC_CLIENT;
    if (len == sizeof cpe - 1 && memcmp(data, cpe, len) == 0)
        return VENDOR_CLASS_IS_CPE_OCPHONE;
    if (equals_ignoring_case(data, len, uc) || equals_ignoring_case(data, len, cpe))
        return VENDOR_CLASS_CASE_MISMATCH;
    return VENDOR_CLASS_OTHER;
}
