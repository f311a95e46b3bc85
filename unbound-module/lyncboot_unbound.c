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
 * Everything is built in init(). operate() builds the reply in the query's region (no
 * malloc) and stores it in unbound's caches: its records with the configured TTL, the
 * message itself for one second (MSG_CACHE_LIFE), so repeats are answered from the
 * cache without the module and the module answers each name afresh about once a second.
 * A watcher thread owns the NTP health: it re-reads the health file when it changes,
 * re-judges freshness ten times a second and publishes which records each NTP answer
 * carries as one atomic bit mask, which the next answer made follows. No thread of ours
 * touches unbound's caches outside a worker's call: on a reload unbound stops its
 * workers, may free and replace the message cache (msg-cache-size changed) and only then
 * calls deinit(). */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "dynlibmod/dynlibmod.h"
#include "services/cache/dns.h"
#include "sldns/rrdef.h"
#include "sldns/str2wire.h"
#include "sldns/wire2str.h"
#include "util/data/dname.h"
#include "util/data/msgreply.h"
#include "util/data/packed_rrset.h"
#include "util/config_file.h"
#include "util/module.h"
#include "util/net_help.h"
#include "util/regional.h"

#include "unbound_compat.h"

#include "dnswire.h"
#include "ntp_health.h"
#include "site_conf.h"
#include "site_records.h"
#include "zone_conflicts.h"

#define EXPORT __attribute__((visibility("default")))
#define MAX_NAMES (SITE_MAX_DOMAINS * 4)
#define MAX_RDATA 16
#define WATCH_INTERVAL_MS 100
/* Seconds an answer of ours stays in unbound's message cache (its records keep the
 * configured TTL): a health change reaches clients within this (1-2 s, unbound counts
 * whole seconds) plus a watcher tick, at the cost of one module answer a name a second. */
#define MSG_CACHE_LIFE 1

/* One owner name and type with its records' wire rdata (without rdlength). */
struct answer {
    uint8_t owner[LDNS_MAX_DOMAINLEN + 1];
    size_t owner_len;
    uint16_t type;
    size_t count;
    uint8_t rdata[MAX_RDATA][6 + LDNS_MAX_DOMAINLEN + 1];
    size_t rdata_len[MAX_RDATA];
    atomic_uint advertised;    /* bit i set: record i is in the answer */
};

/* Where a record of the full set (every NTP target advertised) sits among the answers. */
struct record_slot {
    size_t answer, index;
};

struct lyncboot_state {
    struct site_conf conf;
    struct answer answers[MAX_NAMES];
    size_t answer_count;
    /* The records lib/site_records builds with every target advertised, and where each
     * went; the watcher matches the health-filtered set against them. */
    struct site_record_set all;
    struct record_slot slots[SITE_MAX_RECORDS];
    /* Owned by the watcher thread: */
    struct site_record_set now;           /* the records health allows at this tick */
    struct ntp_health_entry health[NTP_HEALTH_MAX_TARGETS];
    int health_count;                     /* -1: no usable health file */
    struct timespec health_mtime;
    int health_file_seen;                 /* 1 once stat() found it: log its loss once */
    char fail_open_notes[SITE_MAX_DOMAINS][SITE_NOTE_SIZE]; /* said at the last tick */
    size_t fail_open_count;
    pthread_t watcher;
    int watcher_running;
    pthread_mutex_t stop_lock;
    pthread_cond_t stop_cond;
    int stop;
};

static int to_wire(const char *name, uint8_t *out, size_t *len)
{
    char absolute[LDNS_MAX_DOMAINLEN * 2];
    size_t l = LDNS_MAX_DOMAINLEN + 1;
    snprintf(absolute, sizeof absolute, "%s.", name);
    if (sldns_str2wire_dname_buf(absolute, out, &l) != 0)
        return -1;
    *len = l;
    return 0;
}

static struct answer *answer_for(struct lyncboot_state *s, const char *owner, uint16_t type,
                                 size_t *index)
{
    uint8_t wire[LDNS_MAX_DOMAINLEN + 1];
    size_t len;
    if (to_wire(owner, wire, &len) != 0)
        return NULL;
    for (size_t i = 0; i < s->answer_count; i++)
        if (s->answers[i].type == type && query_dname_compare(s->answers[i].owner, wire) == 0) {
            *index = i;
            return &s->answers[i];
        }
    if (s->answer_count == MAX_NAMES)
        return NULL;
    *index = s->answer_count;
    struct answer *a = &s->answers[s->answer_count++];
    memset(a, 0, sizeof *a);
    memcpy(a->owner, wire, len);
    a->owner_len = len;
    a->type = type;
    return a;
}

static unsigned all_records(const struct answer *a)
{
    return a->count >= 32 ? ~0u : (1u << a->count) - 1;
}

/* Every answer from lib/site_records with all targets advertised: the same records
 * lyncboot-unbound-publish pushes, here grouped by owner and type, in wire form. */
static int build_answers(struct lyncboot_state *s)
{
    site_records_build(&s->conf, NULL, 0, 0, &s->all);
    if (s->all.count == SITE_MAX_RECORDS)
        return -1; /* may have been cut short */
    for (size_t k = 0; k < s->all.count; k++) {
        const struct site_record *r = &s->all.records[k];
        size_t index;
        struct answer *a = answer_for(s, r->owner, r->type, &index);
        int len = a && a->count < MAX_RDATA
                      ? site_record_rdata(r, a->rdata[a->count], sizeof a->rdata[a->count])
                      : -1;
        if (len < 0)
            return -1;
        a->rdata_len[a->count] = (size_t)len;
        s->slots[k] = (struct record_slot){.answer = index, .index = a->count++};
    }
    for (size_t i = 0; i < s->answer_count; i++)
        atomic_init(&s->answers[i].advertised, all_records(&s->answers[i]));
    return 0;
}

/* Re-reads the health file into s->health when its modification time changed. */
static void read_health_file(struct lyncboot_state *s, int force)
{
    struct stat st;
    char note[600];
    if (stat(s->conf.health_file, &st) != 0) {
        if (s->health_file_seen || force) { /* its loss is logged once */
            site_health_load(&s->conf, s->health, NTP_HEALTH_MAX_TARGETS, note, sizeof note);
            log_warn("lyncboot: %s", note);
        }
        s->health_file_seen = 0;
        s->health_count = -1;
        return;
    }
    if (!force && s->health_file_seen && st.st_mtim.tv_sec == s->health_mtime.tv_sec &&
        st.st_mtim.tv_nsec == s->health_mtime.tv_nsec)
        return;
    s->health_file_seen = 1;
    s->health_mtime = st.st_mtim;
    s->health_count = site_health_load(&s->conf, s->health, NTP_HEALTH_MAX_TARGETS, note,
                                       sizeof note);
    if (s->health_count < 0)
        log_err("lyncboot: %s", note);
}

static int same_record(const struct site_record *x, const struct site_record *y)
{
    return x->type == y->type && x->priority == y->priority && x->weight == y->weight &&
           x->port == y->port && memcmp(x->addr, y->addr, 4) == 0 &&
           strcmp(x->owner, y->owner) == 0 && strcmp(x->target, y->target) == 0;
}

/* One watcher tick: lib/site_records decides which records go out now (healthy, fresh
 * NTP targets; all of a domain's when none is) and the watcher publishes each answer's
 * mask. It never touches unbound's caches (see the top of this file). */
static void watch_tick(struct lyncboot_state *s, int first)
{
    if (s->conf.health_file[0])
        read_health_file(s, first);
    site_records_build(&s->conf, s->health_count >= 0 ? s->health : NULL,
                       s->health_count >= 0 ? (size_t)s->health_count : 0, time(NULL), &s->now);

    /* The allowed set keeps the full set's order and only lacks NTP records. */
    unsigned masks[MAX_NAMES] = {0};
    for (size_t k = 0, j = 0; k < s->all.count && j < s->now.count; k++)
        if (same_record(&s->all.records[k], &s->now.records[j])) {
            masks[s->slots[k].answer] |= 1u << s->slots[k].index;
            j++;
        }
    for (size_t i = 0; i < s->answer_count; i++) {
        struct answer *a = &s->answers[i];
        int changed = masks[i] != atomic_load(&a->advertised);
        if (changed) {
            atomic_store(&a->advertised, masks[i]);
            char name[LDNS_MAX_DOMAINLEN * 4 + 1];
            sldns_wire2str_dname_buf(a->owner, a->owner_len, name, sizeof name);
            if (!first)
                log_info("lyncboot: %s: advertising %d of %zu NTP targets", name,
                         __builtin_popcount(masks[i]), a->count);
        }
    }
    /* Fail open is said once, when a domain falls into it. */
    for (size_t d = 0; d < s->now.fail_open_count; d++) {
        int known = 0;
        for (size_t e = 0; e < s->fail_open_count; e++)
            known |= strcmp(s->fail_open_notes[e], s->now.notes[d]) == 0;
        if (!known)
            log_warn("lyncboot: %s", s->now.notes[d]);
    }
    memcpy(s->fail_open_notes, s->now.notes, sizeof s->fail_open_notes);
    s->fail_open_count = s->now.fail_open_count;
}

static void *watcher_main(void *arg)
{
    struct lyncboot_state *s = arg;
    pthread_mutex_lock(&s->stop_lock);
    while (!s->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += WATCH_INTERVAL_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&s->stop_cond, &s->stop_lock, &until);
        if (s->stop)
            break;
        pthread_mutex_unlock(&s->stop_lock);
        watch_tick(s, 0);
        pthread_mutex_lock(&s->stop_lock);
    }
    pthread_mutex_unlock(&s->stop_lock);
    return NULL;
}

static void state_free(struct lyncboot_state *s)
{
    if (s->watcher_running) {
        pthread_mutex_lock(&s->stop_lock);
        s->stop = 1;
        pthread_cond_signal(&s->stop_cond);
        pthread_mutex_unlock(&s->stop_lock);
        pthread_join(s->watcher, NULL);
    }
    pthread_cond_destroy(&s->stop_cond);
    pthread_mutex_destroy(&s->stop_lock);
    free(s);
}

/* unbound's built-in local zones a SIP domain could fall in (the reverse zones left
 * out). 1.17 has neither .arpa zone: a SIP domain there would be refused needlessly. */
static const struct zone_local BUILTIN_ZONES[] = {
    {"localhost.", "redirect", true}, {"home.arpa.", "static", true},
    {"onion.", "static", true},       {"test.", "static", true},
    {"invalid.", "static", true},     {"resolver.arpa.", "static", true},
    {"service.arpa.", "static", true},
};

/* Whether a configuration hides a record of ours (zone_conflicts.h): the site's
 * local-zone, local-data and auth-zone lines, and the built-in zones it left. */
static int check_zones_of(const struct config_file *cfg, const struct lyncboot_state *s,
                          char *err, size_t errlen)
{
    size_t zones = sizeof BUILTIN_ZONES / sizeof BUILTIN_ZONES[0], data = 0, auths = 0;
    for (struct config_str2list *z = cfg->local_zones; z; z = z->next)
        zones++;
    for (struct config_strlist *d = cfg->local_data; d; d = d->next)
        data++;
    for (struct config_auth *a = cfg->auths; a; a = a->next)
        auths++;
    struct zone_local *zl = calloc(zones, sizeof *zl);
    const char **dl = calloc(data ? data : 1, sizeof *dl);
    struct zone_auth *al = calloc(auths ? auths : 1, sizeof *al);
    int rc = -1;
    if (!zl || !dl || !al) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    struct zone_inputs in = {.zones = zl, .local_data = dl, .auths = al};
    for (size_t i = 0; i < sizeof BUILTIN_ZONES / sizeof BUILTIN_ZONES[0]; i++) {
        int removed = 0;
        for (struct config_strlist *n = cfg->local_zones_nodefault; n; n = n->next)
            removed |= strcasecmp(n->str, BUILTIN_ZONES[i].name) == 0;
        if (!removed)
            zl[in.zone_count++] = BUILTIN_ZONES[i];
    }
    for (struct config_str2list *z = cfg->local_zones; z; z = z->next)
        zl[in.zone_count++] = (struct zone_local){z->str, z->str2, false};
    for (struct config_strlist *d = cfg->local_data; d; d = d->next)
        dl[in.local_data_count++] = d->str;
    for (struct config_auth *a = cfg->auths; a; a = a->next)
        al[in.auth_count++] = (struct zone_auth){a->name, a->for_downstream != 0};
    rc = zone_conflicts_check(&s->all, &in, ZONE_USER_MODULE, err, errlen);
out:
    free(zl);
    free(dl);
    free(al);
    return rc;
}

/* The configuration file unbound was started with: -c FILE on its command line, else
 * its compiled-in default. */
static void unbound_config_path(char *out, size_t cap)
{
    snprintf(out, cap, "%s", CONFIGFILE);
    FILE *f = fopen("/proc/self/cmdline", "r");
    if (!f)
        return;
    char args[8192];
    size_t n = fread(args, 1, sizeof args - 1, f);
    fclose(f);
    args[n] = '\0';
    for (size_t i = 0; i < n; i += strlen(args + i) + 1) {
        if (strcmp(args + i, "-c") == 0 && i + 3 < n) {
            snprintf(out, cap, "%s", args + i + 3);
            return;
        }
        if (strncmp(args + i, "-c", 2) == 0 && args[i + 2] && args[i] == '-')
            snprintf(out, cap, "%s", args + i + 2);
    }
}

/* unbound has freed its local-zone and local-data lists by the time modules start
 * (they became its local zones), so the check reads unbound's configuration again with
 * unbound's own parser, includes and all. A file that cannot be read again (it was just
 * read) is said and not checked. */
static int check_existing_zones(const struct config_file *running,
                                const struct lyncboot_state *s, char *err, size_t errlen)
{
    char path[4096];
    unbound_config_path(path, sizeof path);
    struct config_file *cfg = config_create();
    const char *chroot = running->chrootdir && running->chrootdir[0] ? running->chrootdir : NULL;
    if (!cfg || !config_read(cfg, path, chroot)) {
        log_warn("lyncboot: cannot read %s again: local zones that could hide lyncboot's "
                 "records not checked", path);
        if (cfg)
            config_delete(cfg);
        return 0;
    }
    char why[900];
    int rc = check_zones_of(cfg, s, why, sizeof why);
    if (rc != 0) /* the file unbound was started with; the line may be in one it includes */
        snprintf(err, errlen, "%.300s: %s", path, why);
    config_delete(cfg);
    return rc;
}

EXPORT int init(struct module_env *env, int id)
{
    struct dynlibmod_env *de = (struct dynlibmod_env *)env->modinfo[id];
    const char *path = site_conf_default_path();
    char err[600];
    struct lyncboot_state *s = calloc(1, sizeof *s);
    if (!s) {
        log_err("lyncboot: out of memory");
        return 0;
    }
    pthread_mutex_init(&s->stop_lock, NULL);
    pthread_cond_init(&s->stop_cond, NULL);
    s->health_count = -1; /* no health file (yet): every target advertised */
    if (site_conf_load(path, &s->conf, err, sizeof err) != 0) {
        log_err("lyncboot: %s", err); /* unbound refuses to start */
        state_free(s);
        return 0;
    }
    for (size_t i = 0; i < s->conf.warning_count; i++)
        log_warn("lyncboot: %s", s->conf.warnings[i]);
    if (build_answers(s) != 0) {
        log_err("lyncboot: %s: too many names or records", path);
        state_free(s);
        return 0;
    }
    /* Refuse rather than load and be shadowed: unbound would start and phones would
     * get NXDOMAIN for names we claim to answer. */
    char zone_err[1300];
    if (env->cfg && check_existing_zones(env->cfg, s, zone_err, sizeof zone_err) != 0) {
        log_err("lyncboot: %s", zone_err);
        state_free(s);
        return 0;
    }
    watch_tick(s, 1);
    /* A reload may keep the message cache: answers of the previous configuration go.
     * (init() runs while no worker does: the cache is this thread's alone.) */
    for (size_t i = 0; i < s->answer_count && env->msg_cache; i++)
        msg_cache_remove(env, s->answers[i].owner, s->answers[i].owner_len,
                         s->answers[i].type, LDNS_RR_CLASS_IN, 0);
    int rc = pthread_create(&s->watcher, NULL, watcher_main, s);
    if (rc != 0) {
        log_err("lyncboot: cannot start the health watcher: %s", strerror(rc));
        state_free(s);
        return 0;
    }
    s->watcher_running = 1;
    de->dyn_env = s;
    log_info("lyncboot: %s: %zu domains, %zu answers", path, s->conf.domain_count,
             s->answer_count);
    return 1;
}

EXPORT void deinit(struct module_env *env, int id)
{
    struct dynlibmod_env *de = (struct dynlibmod_env *)env->modinfo[id];
    if (de && de->dyn_env) {
        state_free(de->dyn_env);
        de->dyn_env = NULL;
    }
}

/* Builds the reply in the query's region. Returns 0, or -1 when out of region memory. */
static int synthesize(struct module_qstate *q, const struct lyncboot_state *s,
                      const struct answer *a)
{
    struct regional *r = q->region;
    time_t ttl = (time_t)s->conf.ttl;
    unsigned mask = atomic_load(&a->advertised);
    size_t pick[MAX_RDATA], n = 0;
    for (size_t i = 0; i < a->count; i++)
        if (i >= 32 || (mask & (1u << i)))
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
    m->rep = compat_reply_one_answer(r, BIT_QR | BIT_AA | BIT_RA, ttl, sec_status_insecure);
    if (!m->rep)
        return -1;
    /* The message's own life in the cache (see MSG_CACHE_LIFE); clients see the
     * records' TTL. It expires before any prefetch or serve-expired would apply. */
    m->rep->ttl = MSG_CACHE_LIFE;
    m->rep->prefetch_ttl = MSG_CACHE_LIFE + 1;
    m->rep->serve_expired_ttl = MSG_CACHE_LIFE;
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
        p += dns_put_rdata(p, 2 + len, a->rdata[pick[i]], len); /* fits: sized above */
    }
    d->count = n;
    d->ttl = ttl;
    d->trust = rrset_trust_prim_noglue;
    d->security = sec_status_insecure; /* else the validator turns it into SERVFAIL */
    k->entry.data = d;
    m->rep->rrsets[0] = k;
    q->return_msg = m;
    q->return_rcode = LDNS_RCODE_NOERROR;
    /* Repeats are then served from the message cache, before any module runs; TTLs are
     * relative here, dns_cache_store makes them absolute in its own copy. A failed store
     * only costs the next query a trip through the module. */
    if (!q->no_cache_store)
        (void)compat_cache_store(q->env, &q->qinfo, m->rep, r, q->query_flags, q->qstarttime);
    return 0;
}

EXPORT void operate(struct module_qstate *q, enum module_ev event, int id,
                    struct outbound_entry *outbound)
{
    (void)outbound;
    struct dynlibmod_env *de = (struct dynlibmod_env *)q->env->modinfo[id];
    const struct lyncboot_state *s = de->dyn_env;
    if (event == module_event_new || event == module_event_pass) {
        if (q->qinfo.qclass == LDNS_RR_CLASS_IN &&
            (q->qinfo.qtype == LDNS_RR_TYPE_SRV || q->qinfo.qtype == LDNS_RR_TYPE_A)) {
            for (size_t i = 0; i < s->answer_count; i++) {
                const struct answer *a = &s->answers[i];
                if (a->type != q->qinfo.qtype || a->owner_len != q->qinfo.qname_len ||
                    query_dname_compare(q->qinfo.qname, (uint8_t *)a->owner) != 0)
                    continue;
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
