/* SPDX-License-Identifier: MPL-2.0 */
/* Classifies option 60 (vendor class identifier) the way Lync phones need it:
 * exact and case-sensitive, with near misses reported separately. */
#ifndef LYNCBOOT_VENDOR_CLASS_H
#define LYNCBOOT_VENDOR_CLASS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum vendor_class {
    VENDOR_CLASS_OTHER,
    VENDOR_CLASS_IS_UC_CLIENT,       /* exactly "MS-UC-Client" */
    VENDOR_CLASS_IS_CPE_OCPHONE,     /* exactly "CPE-OCPHONE" */
    VENDOR_CLASS_CASE_MISMATCH,      /* one of those two in another letter case */
};

/* Trailing NUL bytes are ignored: some clients count a C string terminator. */
enum vendor_class vendor_class_classify(const uint8_t *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif
