/* SPDX-License-Identifier: MPL-2.0 */
/* lyncboot-probe decode: option bytes captured elsewhere, read as a phone reads them. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opt43.h"
#include "probe.h"

/* Returns the byte count, or -1 if text is not an even run of hex digits. */
static int hex_decode(const char *text, uint8_t *out, size_t cap)
{
    size_t len = strlen(text);
    if (len % 2 != 0 || len / 2 > cap)
        return -1;
    for (size_t i = 0; i < len / 2; i++) {
        unsigned value;
        char pair[3] = {text[2 * i], text[2 * i + 1], '\0'};
        char *end;
        value = (unsigned)strtoul(pair, &end, 16);
        if (*end != '\0' || pair[0] == '+' || pair[0] == '-' || pair[0] == ' ')
            return -1;
        out[i] = (uint8_t)value;
    }
    return (int)(len / 2);
}

int cmd_decode(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"option43-uc", required_argument, NULL, 'u'},
        {"option43-vlan", required_argument, NULL, 'v'},
        {"option120", required_argument, NULL, 's'},
        {"option42", required_argument, NULL, 'n'},
        {"option2", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int status = 0, any = 0, c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        uint8_t data[DHCP_OPTION_MAX];
        if (c == 'h') {
            probe_usage(stdout);
            return 0;
        }
        if (c == '?')
            return EXIT_USAGE;
        int len = hex_decode(optarg, data, sizeof data);
        if (len < 0) {
            fprintf(stderr, "lyncboot-probe: --%s: not hex bytes, or over 255 bytes: %s\n",
                    longopts[c == 'u' ? 0 : c == 'v' ? 1 : c == 's' ? 2 : c == 'n' ? 3 : 4].name,
                    optarg);
            return EXIT_USAGE;
        }
        any = 1;
        switch (c) {
        case 'u': status |= report_uc_option43(data, (size_t)len); break;
        case 'v': status |= report_vlan_option43(data, (size_t)len); break;
        case 's': status |= report_option120(data, (size_t)len); break;
        case 'n': status |= report_option42(data, (size_t)len); break;
        case 't': status |= report_option2(data, (size_t)len); break;
        default: break;
        }
    }
    if (!any || optind != argc) {
        probe_usage(stderr);
        return EXIT_USAGE;
    }
    return status;
}

