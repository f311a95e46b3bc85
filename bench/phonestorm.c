/* SPDX-License-Identifier: MPL-2.0 */
/* phonestorm: a boot storm of emulated Lync phones against a site (bench/boot-storm
 * runs it against the lab). Each phone does what a phone does after it learnt its
 * voice VLAN: DORA with vendor class MS-UC-Client, a DHCPINFORM that must come back
 * with options 43 and 120 (sent without ciaddr, see boot_phone), the _ntp._udp SRV look-up in the domain of option 15 at the
 * DNS server of option 6, the target's A record, and an NTP query to it; then it
 * releases its lease (so N may exceed the pool). THREADS phones boot at once, each
 * thread through its own relay address (RELAY-BASE + i, giaddr), as phones behind a
 * router's DHCP relay reach a central Kea. Traffic goes only to the server, and to the
 * DNS and NTP servers the site hands out. Prints phones per second.
 *
 * For a rollout (lyncboot-rollout) the phones can walk further and stop early:
 * --data-relay A first asks CPE-OCPHONE for the voice VLAN through relay A + i (the data
 * VLAN), --stop-after vlan|lease ends the walk there, --from-lease sends DNS, NTP and
 * the chain download from the phone's leased address (the namespace must hold it: a
 * local route for the pool, "ip route add local POOL dev lo"), --chain downloads the CA
 * chain from option 43's URL over HTTP, --first N numbers the phones (and their MACs)
 * from N. */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "dhcp4_msg.h"
#include "dns_client.h"
#include "dnswire.h"
#include "http_request.h"
#include "ntp_client.h"
#include "opt43.h"

#define TIMEOUT_MS 1000
#define TRIES 3

enum stop_after { STOP_NONE, STOP_VLAN, STOP_LEASE };

struct storm {
    struct in_addr server, relay_base, data_relay_base;
    int phones, threads, release, first, from_lease, chain, data_relay;
    enum stop_after stop_after;
    atomic_int next;                    /* next phone number to boot */
    atomic_int ok, failed;
    double *latency;                    /* per phone, seconds; -1 failed */
    char first_error[256];
    pthread_mutex_t error_lock;
};

struct worker {
    struct storm *storm;
    int index;
    int sock;       /* bound to its voice VLAN relay address:67 */
    int data_sock;  /* to its data VLAN relay address:67 (--data-relay), else -1 */
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}


/* Sends query (built anew for each try) and waits for the reply of type want with the
 * same xid. Returns 0 with the reply in buf/reply, or -1. */
static int dhcp_exchange_on(struct worker *w, int sock, const struct dhcp4_query *query,
                            enum dhcp4_type want, uint8_t *buf, size_t cap,
                            struct dhcp4_reply *reply)
{
    uint8_t packet[DHCP4_MAX_LEN];
    int len = dhcp4_build_query(query, packet, sizeof packet);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(67),
                             .sin_addr = w->storm->server};
    if (len < 0)
        return -1;
    for (int attempt = 0; attempt < TRIES; attempt++) {
        if (sendto(sock, packet, (size_t)len, 0, (struct sockaddr *)&to, sizeof to) < 0)
            return -1;
        double deadline = now() + TIMEOUT_MS / 1000.0;
        for (double left; (left = deadline - now()) > 0;) {
            struct pollfd pfd = {.fd = sock, .events = POLLIN};
            if (poll(&pfd, 1, (int)(left * 1000) + 1) <= 0)
                break;
            ssize_t n = recv(sock, buf, cap, 0);
            if (n > 0 && dhcp4_parse_reply(buf, (size_t)n, reply) == 0 &&
                reply->xid == query->xid && reply->message_type == (int)want)
                return 0;
        }
    }
    return -1;
}

static int dhcp_exchange(struct worker *w, const struct dhcp4_query *query,
                         enum dhcp4_type want, uint8_t *buf, size_t cap,
                         struct dhcp4_reply *reply)
{
    return dhcp_exchange_on(w, w->sock, query, want, buf, cap, reply);
}

static int fail(struct worker *w, int phone, const char *what)
{
    pthread_mutex_lock(&w->storm->error_lock);
    if (!w->storm->first_error[0])
        snprintf(w->storm->first_error, sizeof w->storm->first_error, "phone %d: %s", phone,
                 what);
    pthread_mutex_unlock(&w->storm->error_lock);
    return -1;
}

/* GET of the CA chain at option 43's URL over plain HTTP (port 80, as the phone fetches
 * it), from source; 0 when the server answered 200. */
static int download_chain(const uint8_t *source, const uint8_t dns[4], const uint8_t *opt43,
                          size_t opt43_len, char *err, size_t errlen)
{
    struct ucclient_decoded url;
    struct dns_answer ans;
    char request[1024];
    if (opt43_decode_ucclient(opt43, opt43_len, &url) != 0 || !url.web_fqdn[0] ||
        !url.cert_prov_path[0])
        return snprintf(err, errlen, "option 43 without the web server or CertProv path"), -1;
    if (dns_lookup_from(source, dns, url.web_fqdn, DNS_TYPE_A, DNS_RECURSIVE, TIMEOUT_MS, &ans,
                        err, errlen) != 0 || ans.a_count == 0)
        return snprintf(err, errlen, "no A record for %.150s", url.web_fqdn), -1;
    int len = http_get_build(url.web_fqdn, url.cert_prov_path, "lyncboot-phonestorm", request,
                             sizeof request, err, errlen);
    if (len < 0)
        return -1;
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(80)};
    memcpy(&to.sin_addr, ans.a[0], 4);
    int sock = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in local = {.sin_family = AF_INET};
    if (source)
        memcpy(&local.sin_addr, source, 4);
    struct timeval tv = {.tv_sec = TIMEOUT_MS / 1000, .tv_usec = TIMEOUT_MS % 1000 * 1000};
    char answer[512];
    ssize_t got = -1;
    if (sock >= 0 && (!source || bind(sock, (struct sockaddr *)&local, sizeof local) == 0) &&
        setsockopt(sock, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) == 0 &&
        setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0 &&
        connect(sock, (struct sockaddr *)&to, sizeof to) == 0 &&
        send(sock, request, (size_t)len, MSG_NOSIGNAL) == len)
        got = recv(sock, answer, sizeof answer, 0);
    if (sock >= 0)
        close(sock);
    struct http_status status;
    if (got <= 0)
        return snprintf(err, errlen, "no answer from http://%.100s%.60s", url.web_fqdn,
                        url.cert_prov_path), -1;
    if (http_status_parse(answer, (size_t)got, &status, err, errlen) != 0)
        return -1;
    if (status.code != 200)
        return snprintf(err, errlen, "chain download: HTTP %d", status.code), -1;
    return 0;
}

/* One phone's boot; 0 when every step passed. */
static int boot_phone(struct worker *w, int phone)
{
    uint8_t buf[DHCP4_MAX_LEN], value[256];
    struct dhcp4_reply reply;
    struct in_addr relay = {.s_addr = htonl(ntohl(w->storm->relay_base.s_addr) +
                                            (uint32_t)w->index)};
    struct dhcp4_query q = {.type = DHCP4_DISCOVER, .xid = 0x5e000000u + (uint32_t)phone,
                            .mac = {0x02, 0x1c, 0, (uint8_t)(phone >> 16),
                                    (uint8_t)(phone >> 8), (uint8_t)phone},
                            .vendor_class = "MS-UC-Client",
                            .param_request = dhcp4_lync_phone_request,
                            .param_request_len = sizeof dhcp4_lync_phone_request};
    if (w->storm->data_relay) {
        /* On the data VLAN: CPE-OCPHONE's OFFER carries the voice VLAN (the phone takes
         * it and moves; no lease is kept there). */
        struct dhcp4_query discovery = q;
        struct in_addr data = {.s_addr = htonl(ntohl(w->storm->data_relay_base.s_addr) +
                                               (uint32_t)w->index)};
        discovery.vendor_class = "CPE-OCPHONE";
        discovery.xid ^= 0x00400000u;
        memcpy(discovery.giaddr, &data, 4);
        if (dhcp_exchange_on(w, w->data_sock, &discovery, DHCP4_OFFER, buf, sizeof buf,
                             &reply) != 0)
            return fail(w, phone, "no OFFER to CPE-OCPHONE");
        if (dhcp4_get_option(&reply, DHCP4_OPT_VENDOR_SPECIFIC, value, sizeof value) <= 0)
            return fail(w, phone, "CPE-OCPHONE OFFER without option 43");
    }
    if (w->storm->stop_after == STOP_VLAN)
        return 0;
    memcpy(q.giaddr, &relay, 4);
    if (dhcp_exchange(w, &q, DHCP4_OFFER, buf, sizeof buf, &reply) != 0)
        return fail(w, phone, "no OFFER");
    uint8_t yiaddr[4], server_id[4];
    memcpy(yiaddr, reply.yiaddr, 4);
    if (dhcp4_get_option(&reply, DHCP4_OPT_SERVER_ID, server_id, sizeof server_id) != 4)
        return fail(w, phone, "OFFER without server identifier");
    q.type = DHCP4_REQUEST;
    q.requested_addr = yiaddr;
    q.server_id = server_id;
    if (dhcp_exchange(w, &q, DHCP4_ACK, buf, sizeof buf, &reply) != 0)
        return fail(w, phone, "no ACK to REQUEST");
    if (w->storm->stop_after == STOP_LEASE)
        return 0;
    /* DNS, NTP and the chain from the leased address, as the phone sends them. */
    const uint8_t *source = w->storm->from_lease ? yiaddr : NULL;

    struct dhcp4_query inform = q;
    inform.type = DHCP4_INFORM;
    inform.xid = q.xid ^ 0x00800000u;
    inform.requested_addr = NULL;
    inform.server_id = NULL;
    /* Without ciaddr: Kea sends the ACK to an INFORM's ciaddr, an address this emulator
     * does not hold; without it the answer comes back through the relay address. */
    if (dhcp_exchange(w, &inform, DHCP4_ACK, buf, sizeof buf, &reply) != 0)
        return fail(w, phone, "no ACK to INFORM");
    uint8_t sip[256];
    int opt43_len = dhcp4_get_option(&reply, DHCP4_OPT_VENDOR_SPECIFIC, value, sizeof value);
    if (opt43_len <= 0 || dhcp4_get_option(&reply, DHCP4_OPT_SIP_SERVERS, sip, sizeof sip) <= 0)
        return fail(w, phone, "INFORM ACK without options 43 and 120");
    uint8_t dns[64];
    char domain[256];
    int dns_len = dhcp4_get_option(&reply, DHCP4_OPT_DNS_SERVERS, dns, sizeof dns);
    int domain_len = dhcp4_get_option(&reply, DHCP4_OPT_DOMAIN_NAME, (uint8_t *)domain, sizeof domain - 1);
    if (dns_len < 4 || domain_len <= 0)
        return fail(w, phone, "INFORM ACK without DNS server (6) or domain (15)");
    domain[domain_len] = '\0';

    char name[300], err[200];
    struct dns_answer ans;
    snprintf(name, sizeof name, "_ntp._udp.%s", domain);
    if (dns_lookup_from(source, dns, name, DNS_TYPE_SRV, DNS_RECURSIVE, TIMEOUT_MS, &ans, err,
                        sizeof err) != 0 ||
        ans.srv_count == 0)
        return fail(w, phone, "no _ntp._udp SRV");
    struct dns_srv target = ans.srv[0];
    if (dns_lookup_from(source, dns, target.target, DNS_TYPE_A, DNS_RECURSIVE, TIMEOUT_MS,
                        &ans, err, sizeof err) != 0 ||
        ans.a_count == 0)
        return fail(w, phone, "no A record for the NTP target");

    uint8_t request[NTP_PACKET_LEN], answer[NTP_PACKET_LEN * 2];
    struct ntp_client_exchange exchange;
    if (ntp_client_start(&exchange, request) != 0)
        return fail(w, phone, "no randomness for the NTP request");
    long n = udp_exchange_from(source, ans.a[0], target.port, request, sizeof request, answer,
                               sizeof answer, TIMEOUT_MS, err, sizeof err);
    struct ntp_sample ntp;
    if (n < 0 || ntp_client_finish(&exchange, answer, (size_t)n, ntp_client_now(), &ntp, err,
                                   sizeof err) != NTP_REPLY_OK)
        return fail(w, phone, "no usable NTP answer");
    if (w->storm->chain && download_chain(source, dns, value, (size_t)opt43_len, err,
                                          sizeof err) != 0)
        return fail(w, phone, err);

    if (w->storm->release) {
        struct dhcp4_query release = q;
        release.type = DHCP4_RELEASE;
        release.requested_addr = NULL;
        memset(release.giaddr, 0, 4);
        memcpy(release.ciaddr, yiaddr, 4);
        uint8_t packet[DHCP4_MAX_LEN];
        int len = dhcp4_build_query(&release, packet, sizeof packet);
        struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(67),
                                 .sin_addr = w->storm->server};
        if (len > 0)
            (void)sendto(w->sock, packet, (size_t)len, 0, (struct sockaddr *)&to, sizeof to);
    }
    return 0;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    for (int phone; (phone = atomic_fetch_add(&w->storm->next, 1)) < w->storm->phones;) {
        double start = now();
        if (boot_phone(w, w->storm->first + phone) == 0) {
            w->storm->latency[phone] = now() - start;
            atomic_fetch_add(&w->storm->ok, 1);
        } else {
            w->storm->latency[phone] = -1;
            atomic_fetch_add(&w->storm->failed, 1);
        }
    }
    return NULL;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int usage(void)
{
    fprintf(stderr, "usage: phonestorm SERVER RELAY-BASE THREADS PHONES [--release]\n"
                    "           [--data-relay DATA-RELAY-BASE] [--stop-after vlan|lease]\n"
                    "           [--from-lease] [--chain] [--first N]\n"
                    "  RELAY-BASE .. RELAY-BASE+THREADS-1 (and DATA-RELAY-BASE ..) must be\n"
                    "  addresses of this host (giaddr; Kea answers to RELAY:67)\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 5)
        return usage();
    struct storm storm = {.threads = atoi(argv[3]), .phones = atoi(argv[4])};
    if (inet_pton(AF_INET, argv[1], &storm.server) != 1 ||
        inet_pton(AF_INET, argv[2], &storm.relay_base) != 1 || storm.threads < 1 ||
        storm.threads > 64 || storm.phones < 1 || storm.phones > 65535) {
        fprintf(stderr, "phonestorm: SERVER and RELAY-BASE IPv4, THREADS 1-64, PHONES 1-65535\n");
        return 2;
    }
    for (int i = 5; i < argc; i++) {
        const char *arg = argv[i], *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(arg, "--release") == 0) {
            storm.release = 1;
        } else if (strcmp(arg, "--from-lease") == 0) {
            storm.from_lease = 1;
        } else if (strcmp(arg, "--chain") == 0) {
            storm.chain = 1;
        } else if (strcmp(arg, "--data-relay") == 0 && value &&
                   inet_pton(AF_INET, value, &storm.data_relay_base) == 1) {
            storm.data_relay = 1;
            i++;
        } else if (strcmp(arg, "--stop-after") == 0 && value &&
                   (strcmp(value, "vlan") == 0 || strcmp(value, "lease") == 0)) {
            storm.stop_after = value[0] == 'v' ? STOP_VLAN : STOP_LEASE;
            i++;
        } else if (strcmp(arg, "--first") == 0 && value && atoi(value) >= 0 &&
                   atoi(value) < 0xffffff - 65535) {
            storm.first = atoi(value);
            i++;
        } else {
            fprintf(stderr, "phonestorm: bad argument '%s'\n", arg);
            return usage();
        }
    }
    if (storm.stop_after == STOP_VLAN && !storm.data_relay) {
        fprintf(stderr, "phonestorm: --stop-after vlan needs --data-relay\n");
        return 2;
    }
    pthread_mutex_init(&storm.error_lock, NULL);
    storm.latency = calloc((size_t)storm.phones, sizeof *storm.latency);
    struct worker workers[64];
    pthread_t tids[64];
    for (int i = 0; i < storm.threads; i++) {
        struct sockaddr_in local = {.sin_family = AF_INET, .sin_port = htons(67),
                                    .sin_addr.s_addr = htonl(ntohl(storm.relay_base.s_addr) +
                                                             (uint32_t)i)};
        workers[i] = (struct worker){.storm = &storm, .index = i,
                                     .sock = socket(AF_INET, SOCK_DGRAM, 0), .data_sock = -1};
        if (!storm.latency || workers[i].sock < 0 ||
            bind(workers[i].sock, (struct sockaddr *)&local, sizeof local) != 0) {
            fprintf(stderr, "phonestorm: bind %s:67: %s\n", inet_ntoa(local.sin_addr),
                    strerror(errno));
            return 1;
        }
        if (storm.data_relay) {
            local.sin_addr.s_addr = htonl(ntohl(storm.data_relay_base.s_addr) + (uint32_t)i);
            workers[i].data_sock = socket(AF_INET, SOCK_DGRAM, 0);
            if (workers[i].data_sock < 0 ||
                bind(workers[i].data_sock, (struct sockaddr *)&local, sizeof local) != 0) {
                fprintf(stderr, "phonestorm: bind %s:67: %s\n", inet_ntoa(local.sin_addr),
                        strerror(errno));
                return 1;
            }
        }
    }
    double start = now();
    for (int i = 0; i < storm.threads; i++)
        pthread_create(&tids[i], NULL, worker_main, &workers[i]);
    for (int i = 0; i < storm.threads; i++)
        pthread_join(tids[i], NULL);
    double elapsed = now() - start;
    int ok = atomic_load(&storm.ok), failed = atomic_load(&storm.failed);
    size_t m = 0;
    for (int i = 0; i < storm.phones; i++)
        if (storm.latency[i] >= 0)
            storm.latency[m++] = storm.latency[i];
    qsort(storm.latency, m, sizeof *storm.latency, by_value);
    printf("phones=%d booted=%d failed=%d threads=%d seconds=%.3f phones_per_second=%.1f "
           "boot_ms_p50=%.1f boot_ms_p95=%.1f\n",
           storm.phones, ok, failed, storm.threads, elapsed, ok / elapsed,
           m ? storm.latency[m / 2] * 1000 : 0.0, m ? storm.latency[m * 95 / 100] * 1000 : 0.0);
    if (storm.first_error[0])
        printf("first failure: %s\n", storm.first_error);
    for (int i = 0; i < storm.threads; i++) {
        close(workers[i].sock);
        if (workers[i].data_sock >= 0)
            close(workers[i].data_sock);
    }
    free(storm.latency);
    return failed ? 1 : 0;
}
