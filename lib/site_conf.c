/* SPDX-License-Identifier: MPL-2.0 */
#define _POSIX_C_SOURCE 200809L
#include "site_conf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "errtext.h"

/* True when name lies in domain (a proper subdomain, compared without case). */
static bool in_domain(const char *name, const char *domain)
{
    size_t n = strlen(name), d = strlen(domain);
    if (n > 0 && name[n - 1] == '.')
        n--;
    if (d > 0 && domain[d - 1] == '.')
        d--;
    return n > d && name[n - d - 1] == '.' && strncasecmp(name + n - d, domain, d) == 0;
}

static void strip_dot(char *name)
{
    size_t n = strlen(name);
    if (n > 1 && name[n - 1] == '.')
        name[n - 1] = '\0';
}

static int parse_uint(const char *text, unsigned max, unsigned *out)
{
    char *end;
    if (!isdigit((unsigned char)*text))
        return -1;
    unsigned long v = strtoul(text, &end, 10);
    if (*end != '\0' || v > max)
        return -1;
    *out = (unsigned)v;
    return 0;
}

#define FAIL(...) errtext_fail(err, errlen, __VA_ARGS__)

static int parse_line(const char *file, int lineno, char *line, struct site_conf *c,
                      struct site_domain **current, char *err, size_t errlen)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    char *p = line;
    while (isspace((unsigned char)*p))
        p++;
    size_t len = strlen(p);
    while (len > 0 && isspace((unsigned char)p[len - 1]))
        p[--len] = '\0';
    if (*p == '\0')
        return 0;
    char *colon = strchr(p, ':');
    if (!colon)
        return FAIL("%s:%d: expected 'key: value'", file, lineno);
    *colon = '\0';
    char *key = p, *value = colon + 1;
    while (isspace((unsigned char)*value))
        value++;
    char *words[5];
    int nwords = 0;
    for (char *w = strtok(value, " \t"); w && nwords < 5; w = strtok(NULL, " \t"))
        words[nwords++] = w;
    if (nwords == 0)
        return FAIL("%s:%d: '%s' needs a value", file, lineno, key);
    char reason[128];

    if (strcmp(key, "ttl") == 0) {
        if (nwords != 1 || parse_uint(words[0], 86400, &c->ttl) != 0 || c->ttl == 0)
            return FAIL("%s:%d: ttl must be 1-86400 seconds", file, lineno);
    } else if (strcmp(key, "health-file") == 0) {
        if (nwords != 1 || words[0][0] != '/')
            return FAIL("%s:%d: health-file must be an absolute path", file, lineno);
        snprintf(c->health_file, sizeof c->health_file, "%s", words[0]);
    } else if (strcmp(key, "health-max-age") == 0) {
        if (nwords != 1 || parse_uint(words[0], 86400, &c->health_max_age) != 0 ||
            c->health_max_age == 0)
            return FAIL("%s:%d: health-max-age must be 1-86400 seconds", file, lineno);
    } else if (strcmp(key, "domain") == 0) {
        if (nwords != 1 || fqdn_validate(words[0], reason, sizeof reason) != 0)
            return FAIL("%s:%d: domain '%s': %s", file, lineno, words[0],
                        nwords != 1 ? "one name expected" : reason);
        if (c->domain_count == SITE_MAX_DOMAINS)
            return FAIL("%s:%d: more than %d domains", file, lineno, SITE_MAX_DOMAINS);
        for (size_t i = 0; i < c->domain_count; i++)
            if (strcasecmp(c->domains[i].name, words[0]) == 0)
                return FAIL("%s:%d: domain %s is given twice", file, lineno, words[0]);
        *current = &c->domains[c->domain_count++];
        snprintf((*current)->name, sizeof (*current)->name, "%s", words[0]);
        strip_dot((*current)->name);
    } else if (strcmp(key, "ntp") == 0 || strcmp(key, "registrar") == 0 ||
               strcmp(key, "updates") == 0) {
        struct site_domain *d = *current;
        if (!d)
            return FAIL("%s:%d: '%s' must follow a 'domain:' line", file, lineno, key);
        if (strcmp(key, "updates") == 0) {
            if (nwords != 1 || d->updates_count == SITE_MAX_TARGETS ||
                ipv4_parse(words[0], d->updates[d->updates_count]) != 0)
                return FAIL("%s:%d: updates needs one IPv4 address (got '%s')", file, lineno,
                            words[0]);
            d->updates_count++;
            return 0;
        }
        if (fqdn_validate(words[0], reason, sizeof reason) != 0)
            return FAIL("%s:%d: %s target '%s': %s", file, lineno, key, words[0], reason);
        if (strcmp(key, "registrar") == 0) {
            if (nwords != 1)
                return FAIL("%s:%d: registrar takes one name", file, lineno);
            /* Firmware CU7 and later refuse an SRV target outside the SRV's domain. */
            if (!in_domain(words[0], d->name))
                return FAIL("%s:%d: registrar %s is outside domain %s (phones since CU7 "
                            "require SRV targets in the SRV record's domain)", file, lineno,
                            words[0], d->name);
            if (d->registrar_count == SITE_MAX_TARGETS)
                return FAIL("%s:%d: too many registrars", file, lineno);
            snprintf(d->registrars[d->registrar_count], FQDN_TEXT_SIZE, "%s", words[0]);
            strip_dot(d->registrars[d->registrar_count++]);
            return 0;
        }
        if (nwords > 4)
            return FAIL("%s:%d: ntp takes a name and [port] [priority] [weight]", file, lineno);
        if (d->ntp_count == SITE_MAX_TARGETS)
            return FAIL("%s:%d: too many ntp targets", file, lineno);
        struct site_srv_target *t = &d->ntp[d->ntp_count];
        t->port = 123;
        t->priority = 0;
        t->weight = 0;
        unsigned *fields[3] = {&t->port, &t->priority, &t->weight};
        static const char *const names[3] = {"port", "priority", "weight"};
        for (int i = 1; i < nwords; i++)
            if (parse_uint(words[i], 65535, fields[i - 1]) != 0 || (i == 1 && t->port == 0))
                return FAIL("%s:%d: ntp %s '%s' must be %s-65535", file, lineno, names[i - 1],
                            words[i], i == 1 ? "1" : "0");
        snprintf(t->name, sizeof t->name, "%s", words[0]);
        strip_dot(t->name);
        if (!in_domain(t->name, d->name) && c->warning_count < SITE_MAX_WARNINGS)
            snprintf(c->warnings[c->warning_count++], sizeof c->warnings[0],
                     "%s:%d: ntp target %s is outside domain %s", file, lineno, t->name,
                     d->name);
        d->ntp_count++;
    } else {
        return FAIL("%s:%d: unknown key '%s'", file, lineno, key);
    }
    return 0;
}

int site_conf_parse(const char *name, const char *text, struct site_conf *conf, char *err,
                    size_t errlen)
{
    struct site_conf *c = calloc(1, sizeof *c);
    if (!c)
        return FAIL("out of memory");
    c->ttl = SITE_DEFAULT_TTL;
    c->health_max_age = SITE_DEFAULT_HEALTH_MAX_AGE;
    struct site_domain *current = NULL;
    int lineno = 0, rc = 0;
    const char *p = text;
    while (*p && rc == 0) {
        size_t len = strcspn(p, "\n");
        char line[1024];
        lineno++;
        if (len >= sizeof line) {
            rc = FAIL("%s:%d: line longer than %zu characters", name, lineno, sizeof line - 1);
            break;
        }
        memcpy(line, p, len);
        line[len] = '\0';
        rc = parse_line(name, lineno, line, c, &current, err, errlen);
        p += len + (p[len] == '\n');
    }
    if (rc == 0 && c->domain_count == 0)
        rc = FAIL("%s: no 'domain:' block", name);
    for (size_t i = 0; rc == 0 && i < c->domain_count; i++)
        if (c->domains[i].ntp_count + c->domains[i].registrar_count +
                c->domains[i].updates_count == 0)
            rc = FAIL("%s: domain %s has no ntp, registrar or updates line", name,
                      c->domains[i].name);
    if (rc == 0)
        *conf = *c;
    else if (err && errlen > 0) {
        /* The reason quotes the file's own text: whatever bytes it holds reach a log
         * or a terminal only as \xNN. */
        char *raw = strdup(err);
        if (raw)
            errtext_quote(raw, strlen(raw), err, errlen);
        free(raw);
    }
    free(c);
    return rc;
}

int site_conf_load(const char *path, struct site_conf *conf, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return FAIL("%s: %s", path, strerror(errno));
    size_t cap = 1 << 20;
    char *text = malloc(cap + 1);
    size_t n = text ? fread(text, 1, cap, f) : 0;
    int big = !feof(f);
    fclose(f);
    if (!text)
        return FAIL("out of memory");
    if (big) {
        free(text);
        return FAIL("%s: larger than 1 MiB", path);
    }
    text[n] = '\0';
    int rc = site_conf_parse(path, text, conf, err, errlen);
    free(text);
    return rc;
}

const char *site_conf_default_path(void)
{
    const char *path = getenv(SITE_CONF_ENV);
    return path && *path ? path : SITE_CONF_DEFAULT_PATH;
}
