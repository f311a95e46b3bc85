/* SPDX-License-Identifier: MPL-2.0 */
/* Command-line values shared by the probe's commands, checked the same way everywhere. */
#include <stdio.h>
#include <stdlib.h>

#include "probe.h"

int parse_seconds_ms(const char *option, const char *arg, double min, double max, int *ms)
{
    char *end;
    double seconds = strtod(arg, &end);
    if (*arg == '\0' || *end != '\0' || !(seconds >= min && seconds <= max)) {
        fprintf(stderr, "lyncboot-probe: %s '%s': seconds, %g-%g\n", option, arg, min, max);
        return -1;
    }
    *ms = (int)(seconds * 1000);
    return 0;
}

int parse_timeout_ms(const char *arg, int *ms)
{
    return parse_seconds_ms("--timeout", arg, 0.1, 60, ms);
}

int parse_port(const char *option, const char *arg, unsigned *port)
{
    char *end;
    unsigned long value = strtoul(arg, &end, 10);
    if (*arg < '0' || *arg > '9' || *end != '\0' || value < 1 || value > 65535) {
        fprintf(stderr, "lyncboot-probe: %s: '%s' is not a port (1-65535)\n", option, arg);
        return -1;
    }
    *port = (unsigned)value;
    return 0;
}
