/* SPDX-License-Identifier: MPL-2.0 */
/* The lyncboot Unbound module (dynlib): answers the site's phone records itself —
 * SRV _ntp._udp (healthy, fresh NTP targets; all when none is), SRV _sipinternaltls._tcp
 * and _sipinternal._tcp, A ucupdates-r2 — from /etc/unbound/lyncboot.conf (or
 * $LYNCBOOT_UNBOUND_CONF), through the same lib/ code as lyncboot-unbound-publish. Every
 * other query passes to the next module untouched.
 *
 * unbound.conf:  module-config: "dynlib validator iterator"
 *                dynlib:  dynlib-file: "/usr/lib/x86_64-linux-gnu/lyncboot/lyncboot_unbound.so"
 *
 * Everything is built in init(); operate() looks names up and builds the reply in the
 * query's region (no malloc). The health file is re-read at most once a second, by one
 * thread, when its modification time changed; the verdicts are atomics. */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "dynlibmod/dynlibmod.h"
#include "services/cache/dns.h"
#include "sldns/rrdef.h"
#include "sldns/str2wire.h"
#include "util/data/dname.h"
#include "util/data/msgreply.h"
#include "util/data/packed_rrset.h"
#include "util/module.h"
#include "util/net_help.h"
#include "util/regional.h"

#include "dnswire.h"
#include "ntp_health.h"
#include "site_conf.h"

#define EXPORT __attribute__((visibility("default")))
#define MAX_NAMES (SITE_MAX_DOMAINS * 4)
#define MAX_RDATA 16

struct target_health {
    atomic_int healthy;        /* 1 healthy, 0 not or unknown */
    atomic_llong checked;      /* Unix time of the verdict */
};

/* One owner name and type with its records' wire rdata (without rdlength). */
struct answer {
    uint8_t owner[LDNS_MAX_DOMAINLEN + 1];
    size_t owner_len;
    uint16_t type;
    size_t count;
    uint8_t rdata[MAX_RDATA][6 + LDNS_MAX_DOMAINLEN + 1];
    size_t rdata_len[MAX_RDATA];
    struct target_health *health[MAX_RDATA]; /* NTP SRV only, else NULL */
};

struct lyncboot_state {
    struct site_conf conf;
    struct answer answers[MAX_NAMES];
    size_t answer_count;
    struct target_health health[SITE_MAX_DOMAINS * SITE_MAX_TARGETS];
    pthread_mutex_t refresh_lock;
    atomic_llong last_refresh;
    struct timespec health_mtime;
};

static int to_wire(const char *name, uint8_t *out, size_t *len)
{
    size_t l = LDNS_MAX_DOMAINLEN + 1;
    if (sldns_str2wire_dname_buf(name, out, &l) != 0)
        return -1;
    *len = l;
    return 0;
}

static struct answer *answer_for(struct lyncboot_state *s, const char *owner, uint16_t type)
{
    uint8_t wire[LDNS_MAX_DOMAINLEN + 1];
    size_t len;
    if (to_wire(owner, wire, &len) != 0)
        return NULL;
    for (size_t i = 0; i < s->answer_count; i++)
        if (s->answers[i].type == type && query_dname_compare(s->answers[i].owner, wire) == 0)
            return &s->answers[i];
    if (s->answer_count == MAX_NAMES)
        return NULL;
    struct answer *a = &s->answers[s->answer_count++];
    memset(a, 0, sizeof *a);
    memcpy(a->owner, wire, len);
    a->owner_len = len;
    a->type = type;
    return a;
}

static int add_srv(struct answer *a, unsigned prio, unsigned weight, unsigned port,
                   const char *target, struct target_health *health)
{
    if (!a || a->count == MAX_RDATA)
        return -1;
    uint8_t *r = a->rdata[a->count];
    size_t len;
    r[0] = (uint8_t)(prio >> 8); r[1] = (uint8_t)prio;
    r[2] = (uint8_t)(weight >> 8); r[3] = (uint8_t)weight;
    r[4] = (uint8_t)(port >> 8); r[5] = (uint8_t)port;
    if (to_wire(target, r + 6, &len) != 0)
        return -1;
    a->rdata_len[a->count] = 6 + len;
    a->health[a->count++] = health;
    return 0;
}

static void refresh_health(struct lyncboot_state *s, int force)
{
    if (!s->conf.health_file[0])
        return;
    time_t now = time(NULL);
    if (!force && now - atomic_load(&s->last_refresh) < 1)
        return;
    if (pthread_mutex_trylock(&s->refresh_lock) != 0)
        return; /* another thread is at it */
    atomic_store(&s->last_refresh, now);
    struct stat st;
    if (stat(s->conf.health_file, &st) == 0 &&
        (force || st.st_mtim.tv_sec != s->health_mtime.tv_sec ||
         st.st_mtim.tv_nsec != s->health_mtime.tv_nsec)) {
        s->health_mtime = st.st_mtim;
        struct ntp_health_entry *e = calloc(NTP_HEALTH_MAX_TARGETS, sizeof *e);
        char err[300];
        int n = e ? ntp_health_read(s->conf.health_file, e, NTP_HEALTH_MAX_TARGETS, err,
                                    sizeof err) : -1;
        if (n < 0)
            log_err("lyncboot: health file: %s; advertising every NTP target", e ? err : "no memory");
        size_t k = 0;
        for (size_t d = 0; d < s->conf.domain_count; d++)
            for (size_t t = 0; t < s->conf.domains[d].ntp_count; t++, k++) {
                const struct site_srv_target *tg = &s->conf.domains[d].ntp[t];
                int healthy = 0;
                long long checked = 0;
                for (int i = 0; i < n; i++)
                    if (strcasecmp(e[i].target, tg->name) == 0 && e[i].port == tg->port) {
                        healthy = e[i].healthy;
                        checked = e[i].checked;
                    }
                atomic_store(&s->health[k].healthy, healthy);
                atomic_store(&s->health[k].checked, checked);
            }
        free(e);
    }
    pthread_mutex_unlock(&s->refresh_lock);
}

EXPORT int init(struct module_env *env, int id)
{
    struct dynlibmod_env *de = (struct dynlibmod_env *)env->modinfo[id];
    const char *path = getenv("LYNCBOOT_UNBOUND_CONF");
    char err[600];
    if (!path || !*path)
        path = "/etc/unbound/lyncboot.conf";
    struct lyncboot_state *s = calloc(1, sizeof *s);
    if (!s) {
        log_err("lyncboot: out of memory");
        return 0;
    }
    if (site_conf_load(path, &s->conf, err, sizeof err) != 0) {
        log_err("lyncboot: %s", err); /* unbound refuses to start */
        free(s);
        return 0;
    }
    for (size_t i = 0; i < s->conf.warning_count; i++)
        log_warn("lyncboot: %s", s->conf.warnings[i]);
    pthread_mutex_init(&s->refresh_lock, NULL);
    size_t k = 0;
    char owner[LDNS_MAX_DOMAINLEN * 2];
    for (size_t d = 0; d < s->conf.domain_count; d++) {
        const struct site_domain *dom = &s->conf.domains[d];
        snprintf(owner, sizeof owner, "_ntp._udp.%s.", dom->name);
        for (size_t t = 0; t < dom->ntp_count; t++, k++) {
            char target[LDNS_MAX_DOMAINLEN + 2];
            snprintf(target, sizeof target, "%s.", dom->ntp[t].name);
            if (add_srv(answer_for(s, owner, LDNS_RR_TYPE_SRV), dom->ntp[t].priority,
                        dom->ntp[t].weight, dom->ntp[t].port, target, &s->health[k]) != 0)
                goto too_many;
        }
        static const char *const sip[] = {"_sipinternaltls._tcp", "_sipinternal._tcp"};
        for (int j = 0; j < 2; j++)
            for (size_t r = 0; r < dom->registrar_count; r++) {
                char target[LDNS_MAX_DOMAINLEN + 2];
                snprintf(owner, sizeof owner, "%s.%s.", sip[j], dom->name);
                snprintf(target, sizeof target, "%s.", dom->registrars[r]);
                if (add_srv(answer_for(s, owner, LDNS_RR_TYPE_SRV), 0, 0, SITE_REGISTRAR_PORT,
                            target, NULL) != 0)
                    goto too_many;
            }
        snprintf(owner, sizeof owner, "ucupdates-r2.%s.", dom->name);
        for (size_t u = 0; u < dom->updates_count; u++) {
            struct answer *a = answer_for(s, owner, LDNS_RR_TYPE_A);
            if (!a || a->count == MAX_RDATA)
                goto too_many;
            memcpy(a->rdata[a->count], dom->updates[u], 4);
            a->rdata_len[a->count++] = 4;
        }
    }
    refresh_health(s, 1);
    de->dyn_env = s;
    log_info("lyncboot: %s: %zu domains, %zu answers", path, s->conf.domain_count,
             s->answer_count);
    return 1;
too_many:
    log_err("lyncboot: %s: too many names or records", path);
    free(s);
    return 0;
}

EXPORT void deinit(struct module_env *env, int id)
{
    struct dynlibmod_env *de = (struct dynlibmod_env *)env->modinfo[id];
    struct lyncboot_state *s = de ? de->dyn_env : NULL;
    if (s) {
        pthread_mutex_destroy(&s->refresh_lock);
        free(s);
        de->dyn_env = NULL;
    }
}

/* Builds the reply in the query's region. Returns 0, or -1 when out of region memory. */
static int synthesize(struct module_qstate *q, const struct lyncboot_state *s,
                      const struct answer *a)
{
    struct regional *r = q->region;
    time_t ttl = (time_t)s->conf.ttl, now = time(NULL);
    size_t pick[MAX_RDATA], n = 0;
    if (a->type == LDNS_RR_TYPE_SRV && a->health[0]) {
        for (size_t i = 0; i < a->count; i++)
            if (atomic_load(&a->health[i]->healthy) &&
                atomic_load(&a->health[i]->checked) >= (long long)now - s->conf.health_max_age)
                pick[n++] = i;
    }
    if (n == 0) /* no health data, or none healthy: fail open */
        for (size_t i = 0; i < a->count; i++)
            pick[n++] = i;
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += 2 + a->rdata_len[pick[i]];
    struct dns_msg *m = regional_alloc_zero(r, sizeof *m);
    struct ub_packed_rrset_key *k = regional_alloc_zero(r, sizeof *k);
    struct packed_rrset_data *d = regional_alloc_zero(
        r, sizeof *d + n * (sizeof(size_t) + sizeof(uint8_t *) + sizeof(time_t)) + total);
    if (!m || !k || !d)
        return -1;
    m->qinfo = q->qinfo;
    m->rep = construct_reply_info_base(r, BIT_QR | BIT_AA | BIT_RA, 1, ttl, ttl, 0, 1, 0, 0, 1,
                                       sec_status_insecure);
    if (!m->rep)
        return -1;
    k->entry.key = k;
    k->rk.dname = regional_alloc_init(r, a->owner, a->owner_len);
    if (!k->rk.dname)
        return -1;
    k->rk.dname_len = a->owner_len;
    k->rk.type = htons(a->type);
    k->rk.rrset_class = htons(LDNS_RR_CLASS_IN);
    d->rr_len = (size_t *)(d + 1);
    d->rr_data = (uint8_t **)&d->rr_len[n];
    d->rr_ttl = (time_t *)&d->rr_data[n];
    uint8_t *p = (uint8_t *)&d->rr_ttl[n];
    for (size_t i = 0; i < n; i++) {
        size_t len = a->rdata_len[pick[i]];
        d->rr_len[i] = 2 + len;
        d->rr_data[i] = p;
        d->rr_ttl[i] = ttl;
        p[0] = (uint8_t)(len >> 8);
        p[1] = (uint8_t)len;
        memcpy(p + 2, a->rdata[pick[i]], len);
        p += 2 + len;
    }
    d->count = n;
    d->ttl = ttl;
    d->trust = rrset_trust_prim_noglue;
    d->security = sec_status_insecure; /* else the validator turns it into SERVFAIL */
    k->entry.data = d;
    m->rep->rrsets[0] = k;
    q->return_msg = m;
    q->return_rcode = LDNS_RCODE_NOERROR;
    return 0;
}

EXPORT void operate(struct module_qstate *q, enum module_ev event, int id,
                    struct outbound_entry *outbound)
{
    (void)outbound;
    struct dynlibmod_env *de = (struct dynlibmod_env *)q->env->modinfo[id];
    struct lyncboot_state *s = de->dyn_env;
    if (event == module_event_new || event == module_event_pass) {
        if (q->qinfo.qclass == LDNS_RR_CLASS_IN &&
            (q->qinfo.qtype == LDNS_RR_TYPE_SRV || q->qinfo.qtype == LDNS_RR_TYPE_A)) {
            for (size_t i = 0; i < s->answer_count; i++) {
                const struct answer *a = &s->answers[i];
                if (a->type != q->qinfo.qtype || a->owner_len != q->qinfo.qname_len ||
                    query_dname_compare(q->qinfo.qname, (uint8_t *)a->owner) != 0)
                    continue;
                refresh_health(s, 0);
                q->ext_state[id] = synthesize(q, s, a) == 0 ? module_finished : module_error;
                return;
            }
        }
        q->ext_state[id] = module_wait_module;
        return;
    }
    q->ext_state[id] = event == module_event_moddone ? module_finished : module_error;
}

EXPORT void inform_super(struct module_qstate *q, int id, struct module_qstate *super)
{
    (void)q; (void)id; (void)super;
}

EXPORT void clear(struct module_qstate *q, int id)
{
    (void)q; (void)id;
}

EXPORT size_t get_mem(struct module_env *env, int id)
{
    (void)env; (void)id;
    return sizeof(struct lyncboot_state);
}
