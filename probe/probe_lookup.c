/* SPDX-License-Identifier: MPL-2.0 */
#define _GNU_SOURCE
#include "probe_lookup.h"

#include "deadline.h"
#include "dns_client.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

int lookup_ntp(const uint8_t addr[4], uint16_t port, int timeout_ms, struct ntp_sample *out,
               char *err, size_t errlen)
{
    uint8_t request[NTP_PACKET_LEN], reply[512];
    struct ntp_client_exchange exchange;
    if (ntp_client_start(&exchange, request) != 0) {
        snprintf(err, errlen, "no randomness for the request: %s", strerror(errno));
        return -1;
    }
    long n = udp_exchange(addr, port, request, sizeof request, reply, sizeof reply,
                          timeout_ms, err, errlen);
    struct timespec received = ntp_client_now();
    if (n < 0)
        return -1;
    ntp_client_finish(&exchange, reply, (size_t)n, received, out, err, errlen);
    return 0;
}

struct cert_chain {
    STACK_OF(X509) *certs;
};

size_t cert_chain_count(const struct cert_chain *chain)
{
    return chain ? (size_t)sk_X509_num(chain->certs) : 0;
}

void cert_chain_free(struct cert_chain *chain)
{
    if (chain) {
        sk_X509_pop_free(chain->certs, X509_free);
        free(chain);
    }
}

static struct cert_chain *chain_new(void)
{
    struct cert_chain *chain = calloc(1, sizeof *chain);
    if (chain && !(chain->certs = sk_X509_new_null())) {
        free(chain);
        chain = NULL;
    }
    return chain;
}

/* PEM certificates, a DER certificate, or a PKCS#7 bundle (PEM or DER). */
static int chain_add_bytes(struct cert_chain *chain, const uint8_t *data, size_t len)
{
    int added = 0;
    BIO *bio = BIO_new_mem_buf(data, (int)len);
    X509 *cert;
    while (bio && (cert = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
        sk_X509_push(chain->certs, cert);
        added++;
    }
    BIO_free(bio);
    ERR_clear_error();
    if (added)
        return added;
    const uint8_t *p = data;
    if ((cert = d2i_X509(NULL, &p, (long)len)) != NULL) {
        sk_X509_push(chain->certs, cert);
        return 1;
    }
    p = data;
    PKCS7 *p7 = d2i_PKCS7(NULL, &p, (long)len);
    if (!p7) {
        bio = BIO_new_mem_buf(data, (int)len);
        p7 = bio ? PEM_read_bio_PKCS7(bio, NULL, NULL, NULL) : NULL;
        BIO_free(bio);
    }
    if (p7 && PKCS7_type_is_signed(p7) && p7->d.sign && p7->d.sign->cert) {
        for (int i = 0; i < sk_X509_num(p7->d.sign->cert); i++) {
            X509 *c = sk_X509_value(p7->d.sign->cert, i);
            X509_up_ref(c);
            sk_X509_push(chain->certs, c);
            added++;
        }
    }
    PKCS7_free(p7);
    ERR_clear_error();
    return added;
}

int cert_chain_add_file(struct cert_chain **chain, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    const size_t cap = 1 << 20;
    uint8_t *buf = malloc(cap);
    size_t n = buf ? fread(buf, 1, cap, f) : 0;
    fclose(f);
    int rc = 0;
    if (!buf || (!*chain && !(*chain = chain_new()))) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
    } else if (chain_add_bytes(*chain, buf, n) == 0) {
        snprintf(err, errlen, "%s: no certificate (PEM, DER or PKCS#7) in it", path);
        rc = -1;
    }
    free(buf);
    return rc;
}

struct body {
    uint8_t *data;
    size_t len;
};

static size_t collect_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct body *body = userdata;
    size_t n = size * nmemb;
    if (body->len + n > (1u << 20))
        return 0; /* a CA chain is kilobytes; refuse to buffer more than 1 MiB */
    uint8_t *grown = realloc(body->data, body->len + n);
    if (!grown)
        return 0;
    memcpy(grown + body->len, ptr, n);
    body->data = grown;
    body->len += n;
    return n;
}

struct cert_chain *fetch_chain_http(const char *host, const uint8_t addr[4], const char *path,
                                    int timeout_ms, long *http_status, char *err, size_t errlen)
{
    char url[700], resolve[400];
    struct body body = {NULL, 0};
    *http_status = 0;
    snprintf(url, sizeof url, "http://%s%s", host, path);
    snprintf(resolve, sizeof resolve, "%s:80:%u.%u.%u.%u", host, addr[0], addr[1], addr[2],
             addr[3]);
    CURL *curl = curl_easy_init();
    struct curl_slist *resolves = curl_slist_append(NULL, resolve);
    if (!curl || !resolves) {
        snprintf(err, errlen, "cannot start the HTTP client");
        curl_easy_cleanup(curl);
        curl_slist_free_all(resolves);
        return NULL;
    }
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_RESOLVE, resolves); /* the phone's DNS answer */
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "lyncboot-probe");
    CURLcode rc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, http_status);
    curl_easy_cleanup(curl);
    curl_slist_free_all(resolves);
    struct cert_chain *chain = NULL;
    if (rc != CURLE_OK) {
        snprintf(err, errlen, "GET %s: %s", url, curl_easy_strerror(rc));
    } else if (*http_status != 200) {
        snprintf(err, errlen, "GET %s: HTTP status %ld", url, *http_status);
    } else if (!(chain = chain_new()) || chain_add_bytes(chain, body.data, body.len) == 0) {
        snprintf(err, errlen, "GET %s: %zu bytes, but no certificate in them", url, body.len);
        cert_chain_free(chain);
        chain = NULL;
    }
    free(body.data);
    return chain;
}

static int connect_with_timeout(const uint8_t addr[4], uint16_t port, int timeout_ms,
                                char *err, size_t errlen)
{
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port)};
    memcpy(&to.sin_addr, addr, 4);
    int sock = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (sock < 0)
        return -1;
    int rc = connect(sock, (struct sockaddr *)&to, sizeof to);
    if (rc != 0 && errno == EINPROGRESS) {
        struct pollfd pfd = {.fd = sock, .events = POLLOUT};
        int so_error = ETIMEDOUT;
        socklen_t so_len = sizeof so_error;
        if (poll(&pfd, 1, timeout_ms) > 0)
            getsockopt(sock, SOL_SOCKET, SO_ERROR, &so_error, &so_len);
        errno = so_error;
        rc = so_error == 0 ? 0 : -1;
    }
    if (rc != 0) {
        snprintf(err, errlen, "TCP connect to %u.%u.%u.%u:%u: %s", addr[0], addr[1], addr[2],
                 addr[3], port, strerror(errno));
        close(sock);
        return -1;
    }
    return sock; /* still non-blocking: the handshake runs against one deadline */
}

/* SSL_connect on a non-blocking socket until it is done or the deadline passes: a
 * server that trickles bytes cannot hold the probe (per-read timeouts would let it). */
static int handshake_by(SSL *ssl, int sock, const struct timespec *deadline)
{
    for (;;) {
        int rc = SSL_connect(ssl);
        if (rc == 1)
            return 1;
        int why = SSL_get_error(ssl, rc);
        short events = why == SSL_ERROR_WANT_READ ? POLLIN
                       : why == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
        if (events == 0)
            return 0;
        if (deadline_wait_fd(sock, events, deadline) != 0)
            return -1;
    }
}

/* SSL_write or SSL_read on the non-blocking socket until done or the deadline. Returns
 * the bytes moved, 0 when the peer closed, -1 at the deadline or on an error. */
static int ssl_io_by(SSL *ssl, int sock, void *buf, int len, int writing,
                     const struct timespec *deadline)
{
    for (;;) {
        int rc = writing ? SSL_write(ssl, buf, len) : SSL_read(ssl, buf, len);
        if (rc > 0)
            return rc;
        int why = SSL_get_error(ssl, rc);
        if (why == SSL_ERROR_ZERO_RETURN)
            return 0;
        short events = why == SSL_ERROR_WANT_READ ? POLLIN
                       : why == SSL_ERROR_WANT_WRITE ? POLLOUT : 0;
        if (events == 0)
            return writing ? -1 : 0; /* a reset after the answer ends it as a close does */
        if (deadline_wait_fd(sock, events, deadline) != 0)
            return -1;
    }
}

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* The request over the verified connection, and the head of the answer. */
static void exchange(SSL *ssl, int sock, int timeout_ms,
                     int (*make_request)(const struct tls_reply *, void *, char *, size_t),
                     void *ctx, struct tls_reply *reply)
{
    struct sockaddr_in local;
    socklen_t local_len = sizeof local;
    if (getsockname(sock, (struct sockaddr *)&local, &local_len) == 0) {
        inet_ntop(AF_INET, &local.sin_addr, reply->local_addr, sizeof reply->local_addr);
        reply->local_port = ntohs(local.sin_port);
    }
    char request[2048];
    int len = make_request(reply, ctx, request, sizeof request);
    if (len <= 0)
        return;
    struct timespec started, deadline;
    clock_gettime(CLOCK_MONOTONIC, &started);
    deadline_after(&deadline, timeout_ms);
    if (ssl_io_by(ssl, sock, request, len, 1, &deadline) != len) {
        reply->seconds = seconds_since(&started);
        return;
    }
    while (reply->len + 1 < sizeof reply->data) {
        int n = ssl_io_by(ssl, sock, reply->data + reply->len,
                          (int)(sizeof reply->data - 1 - reply->len), 0, &deadline);
        if (n <= 0)
            break;
        reply->len += (size_t)n;
        reply->data[reply->len] = '\0';
        if (strstr(reply->data, "\r\n\r\n") || strstr(reply->data, "\n\n")) {
            reply->head_complete = 1;
            break;
        }
    }
    reply->seconds = seconds_since(&started);
}

int check_tls(const uint8_t addr[4], uint16_t port, const char *host,
              const struct cert_chain *trusted, time_t at, int timeout_ms,
              struct tls_result *out, char *err, size_t errlen)
{
    return tls_exchange(addr, port, host, trusted, at, timeout_ms, NULL, NULL, out, NULL, err,
                        errlen);
}

int tls_exchange(const uint8_t addr[4], uint16_t port, const char *host,
                 const struct cert_chain *trusted, time_t at, int timeout_ms,
                 int (*make_request)(const struct tls_reply *where, void *ctx, char *out,
                                     size_t cap),
                 void *request_ctx, struct tls_result *out, struct tls_reply *reply,
                 char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (reply)
        memset(reply, 0, sizeof *reply);
    if (errlen > 0)
        err[0] = '\0';
    struct timespec deadline; /* connection and handshake together */
    deadline_after(&deadline, timeout_ms);
    int sock = connect_with_timeout(addr, port, timeout_ms, err, errlen);
    if (sock < 0)
        return -1;
    int status = -1;
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL *ssl = NULL;
    if (!ctx)
        goto done;
    X509_STORE *store = SSL_CTX_get_cert_store(ctx);
    for (size_t i = 0; i < cert_chain_count(trusted); i++)
        X509_STORE_add_cert(store, sk_X509_value(trusted->certs, (int)i));
    /* Verify as the phone does: with its clock (NTP), for the name it was given. */
    X509_VERIFY_PARAM *param = SSL_CTX_get0_param(ctx);
    X509_VERIFY_PARAM_set_time(param, at);
    X509_VERIFY_PARAM_set1_host(param, host, 0);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL); /* finish the handshake, then judge */
    ssl = SSL_new(ctx);
    if (!ssl)
        goto done;
    SSL_set_fd(ssl, sock);
    SSL_set_tlsext_host_name(ssl, host);
    int shaken = handshake_by(ssl, sock, &deadline);
    if (shaken < 0) {
        snprintf(err, errlen, "TLS handshake with %s:%u not complete within %d ms", host,
                 port, timeout_ms);
        goto done;
    }
    if (shaken == 0) {
        unsigned long e = ERR_get_error();
        snprintf(err, errlen, "TLS handshake with %s:%u failed: %s", host, port,
                 e ? ERR_reason_error_string(e) : "connection closed");
        goto done;
    }
    status = 0;
    X509 *leaf = SSL_get1_peer_certificate(ssl);
    long verify = SSL_get_verify_result(ssl);
    out->verified = leaf != NULL && verify == X509_V_OK;
    snprintf(out->error, sizeof out->error, "%s",
             leaf ? X509_verify_cert_error_string(verify) : "no server certificate");
    if (leaf) {
        X509_NAME_oneline(X509_get_subject_name(leaf), out->subject, sizeof out->subject);
        ASN1_TIME *now = ASN1_TIME_set(NULL, at);
        int days = 0, secs = 0;
        if (now && ASN1_TIME_diff(&days, &secs, now, X509_get0_notAfter(leaf)))
            out->days_left = days;
        ASN1_TIME_free(now);
        X509_free(leaf);
    }
    /* A phone talks only over a connection it trusts. */
    if (out->verified && make_request && reply)
        exchange(ssl, sock, timeout_ms, make_request, request_ctx, reply);
done:
    if (status != 0 && err[0] == '\0')
        snprintf(err, errlen, "TLS setup failed");
    ERR_clear_error();
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    close(sock);
    return status;
}
