/* SPDX-License-Identifier: MPL-2.0 */
/* lyncboot-probe bootstrap: what its steps share. The walk is a table of steps
 * (probe_bootstrap.c), each a function of what the earlier ones learnt (struct
 * bootstrap), in files by the part of the phone's walk they take: the VLAN
 * (probe_steps_vlan.c), DHCP (probe_steps_dhcp.c), DNS (probe_steps_dns.c), time and
 * TLS (probe_steps_tls.c), the services a phone signs in with (probe_steps_signin.c). */
#ifndef LYNCBOOT_PROBE_BOOTSTRAP_H
#define LYNCBOOT_PROBE_BOOTSTRAP_H

#include <stdint.h>
#include <time.h>

#include "probe_lookup.h"
#include "probe_net.h"
#include "probe_walk.h"

/* What the DHCP step learnt, for the later steps. */
struct site {
    char registrar[256], url[600], web_host[256], cert_path[256], domain[256];
    unsigned web_port;
    int have_dns_server;
    uint8_t dns_server[4];
};

/* The walk's options and what its steps learnt, for the later steps. */
struct bootstrap {
    /* options */
    const struct iface_info *iface;  /* --interface */
    const struct iface_info *target; /* where the phone's queries go: --voice-interface or it */
    const char *voice_ifname, *ca_file;
    int vlan_discovery, dora, timeout_ms, lldp_wait_ms;
    double max_offset;
    unsigned registrar_port;
    /* learnt */
    struct walk w;
    unsigned lldp_vlan; /* the voice VLAN the switch gave by LLDP-MED, or 0 */
    struct site site;
    int dhcp_ok;
    char ntp_target[256];
    unsigned ntp_port;
    time_t phone_time;
    int have_ntp_time;
    struct cert_chain *chain, *extra_ca;
    uint8_t web_addr[4];
    int web_resolved;
    char updates_host[300]; /* ucupdates-r2.DOMAIN, when it resolved */
    uint8_t updates_addr[4];
    int updates_resolved;
};

/* Resolves a name through the site's DNS server (an IPv4 literal needs none). */
int bootstrap_resolve(const struct site *site, const char *name, int timeout_ms, uint8_t out[4],
                      char *err, size_t errlen);

/* Why a handshake's certificate was rejected, as a cause for the report; whether it was
 * for not naming the host. */
const char *tls_rejection_cause(const struct tls_result *tls);
int tls_name_mismatch(const struct tls_result *tls);

/* The steps, in the walk's order; each records itself in b->w (or nothing, when its
 * option is off). */
void step_lldp(struct bootstrap *b, const char *name);
void step_vlan_discovery(struct bootstrap *b, const char *name);
void step_dora(struct bootstrap *b, const char *name);
void step_dhcp(struct bootstrap *b, const char *name);
void step_ntp_srv(struct bootstrap *b, const char *name);
void step_registrar_srv(struct bootstrap *b, const char *name);
void step_device_update(struct bootstrap *b, const char *name);
void step_ntp_query(struct bootstrap *b, const char *name);
void step_cert_chain(struct bootstrap *b, const char *name);
void step_web_tls(struct bootstrap *b, const char *name);
void step_device_update_service(struct bootstrap *b, const char *name);
void step_registrar_tls(struct bootstrap *b, const char *name);
void step_registrar_register(struct bootstrap *b, const char *name);
void step_pin_sign_in(struct bootstrap *b, const char *name);

#endif
