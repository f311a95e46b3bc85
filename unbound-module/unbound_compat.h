/* SPDX-License-Identifier: MPL-2.0 */
/* The one place that knows how the unbound versions lyncboot supports differ (1.17 of
 * Debian 12 to 1.26 of Debian 13 and forky). meson reads PACKAGE_VERSION from the
 * unbound build's config.h and passes it as LYNCBOOT_UNBOUND_VERSION (1.26.0: 12600);
 * it refuses versions outside that range. Include after unbound's own headers. */
#ifndef LYNCBOOT_UNBOUND_COMPAT_H
#define LYNCBOOT_UNBOUND_COMPAT_H

#ifndef LYNCBOOT_UNBOUND_VERSION
#error "LYNCBOOT_UNBOUND_VERSION must be set by the build (meson reads it from config.h)"
#endif

/* A reply with one question and one answer RRset and nothing else; NULL when the
 * region is out of memory. 1.18 added reason_bogus (an EDE code), 1.22 norecttl (the
 * serve-expired TTL of a reply without recursion, which stays 0 for a fresh one). */
static inline struct reply_info *compat_reply_one_answer(struct regional *region,
                                                         uint16_t flags, time_t ttl,
                                                         enum sec_status security)
{
    return construct_reply_info_base(region, flags, 1, ttl, ttl, 0,
#if LYNCBOOT_UNBOUND_VERSION >= 12200
                                     0,
#endif
                                     1, 0, 0, 1, security
#if LYNCBOOT_UNBOUND_VERSION >= 11800
                                     , LDNS_EDE_NONE
#endif
    );
}

/* Stores a reply for qinfo in the message cache; 0 on failure. 1.23 added is_valrec
 * (the store comes from the validator's recursion: not ours). */
static inline int compat_cache_store(struct module_env *env, struct query_info *qinfo,
                                     struct reply_info *rep, struct regional *region,
                                     uint32_t flags, time_t qstarttime)
{
    return dns_cache_store(env, qinfo, rep, 0, 0, 0, region, flags, qstarttime
#if LYNCBOOT_UNBOUND_VERSION >= 12300
                           , 0
#endif
    );
}

#endif
