/* SPDX-License-Identifier: MPL-2.0 */
/* lyncboot-probe: the Lync phone's view of the network. Shared declarations of the
 * commands and of the report printer. */
#ifndef LYNCBOOT_PROBE_H
#define LYNCBOOT_PROBE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define EXIT_USAGE 2

void probe_usage(FILE *out);

/* Report printers: decode one option the way a phone reads it, print it indented,
 * return 0 when it is well-formed and complete, 1 otherwise. */
int report_uc_option43(const uint8_t *data, size_t len);
int report_vlan_option43(const uint8_t *data, size_t len);
int report_option120(const uint8_t *data, size_t len);
int report_option42(const uint8_t *data, size_t len);
int report_option2(const uint8_t *data, size_t len);

/* Prints text from the network with anything unprintable escaped. */
void print_safe(const char *text);
/* Writes 2*len upper-case hex digits and a NUL. */
void hex_upper(const uint8_t *data, size_t len, char *out);

/* Option values: print the error naming the option and return -1, or store and return 0. */
int parse_timeout_ms(const char *arg, int *ms);
/* Seconds from min to max, given to option, as milliseconds. */
int parse_seconds_ms(const char *option, const char *arg, double min, double max, int *ms);
int parse_port(const char *option, const char *arg, unsigned *port);

int cmd_decode(int argc, char **argv);
int cmd_options(int argc, char **argv);
int cmd_emulate_client(int argc, char **argv);
int cmd_bootstrap(int argc, char **argv);
int cmd_lldp(int argc, char **argv);

#endif
