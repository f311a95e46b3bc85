/* SPDX-License-Identifier: MPL-2.0 */
/* What a phone would trip over in the options a DHCP server sent: each check names
 * the problem in a sentence an administrator can act on. */
#ifndef LYNCBOOT_LYNC_CHECKS_H
#define LYNCBOOT_LYNC_CHECKS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LYNC_CHECK_MAX_PROBLEMS 12
#define LYNC_CHECK_TEXT 200

struct lync_problems {
    size_t count;
    char text[LYNC_CHECK_MAX_PROBLEMS][LYNC_CHECK_TEXT];
};

/* Checks an MS-UC-Client option 43 (NULL/0 = absent). On success also writes the
 * certificate provisioning URL the phone composes into url (else ""). */
void lync_check_uc_option43(const uint8_t *opt43, size_t len, char *url, size_t url_size,
                            struct lync_problems *problems);

/* Checks option 120 (NULL/0 = absent). Writes the first registrar into registrar
 * (else ""). */
void lync_check_option120(const uint8_t *opt120, size_t len, char *registrar,
                          size_t registrar_size, struct lync_problems *problems);

#ifdef __cplusplus
}
#endif

#endif
