/* SPDX-License-Identifier: MPL-2.0 */
/* chronyc as a child with a time limit, its output captured: a chronyd that hangs or is
 * gone must give a clear answer, never a hung caller. */
#ifndef LYNCBOOT_CHRONYC_RUN_H
#define LYNCBOOT_CHRONYC_RUN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Runs `chronyc -c -n [-h host] command` (host may be chronyd's Unix socket path); its
 * standard output and error into buf (NUL-terminated, cut at cap - 1). Returns chronyc's
 * exit status, 127 when chronyc cannot be run, -2 on timeout (the child killed), -1 when
 * no child could be made. */
int chronyc_run(const char *chronyc, const char *host, const char *command, int timeout_ms,
                char *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
