/* SPDX-License-Identifier: MPL-2.0 */
/* One deadline for a whole exchange (connect, send, every read), so a peer that
 * trickles bytes cannot stretch it: per-read timeouts would restart with each byte. */
#ifndef LYNCBOOT_DEADLINE_H
#define LYNCBOOT_DEADLINE_H

#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The monotonic time ms milliseconds from now. */
void deadline_after(struct timespec *deadline, int ms);

/* Milliseconds until the deadline (0 or less: passed). */
long deadline_ms_left(const struct timespec *deadline);

/* Waits until fd is ready for events (POLLIN, POLLOUT) or the deadline passes.
 * Returns 0 when ready, -1 when the deadline passed or poll failed. */
int deadline_wait_fd(int fd, short events, const struct timespec *deadline);

#ifdef __cplusplus
}
#endif

#endif
