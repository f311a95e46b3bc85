/* SPDX-License-Identifier: MPL-2.0 */
#include "check.h"
#include "lync_settings.h"

static struct lync_value str(const char *text)
{
    struct lync_value v = {.type = LYNC_VALUE_STRING, .text = text};
    return v;
}

static struct lync_value num(long long n)
{
    struct lync_value v = {.type = LYNC_VALUE_INTEGER, .integer = n};
    return v;
}

static struct lync_value flag(bool b)
{
    struct lync_value v = {.type = LYNC_VALUE_BOOLEAN, .boolean = b};
    return v;
}

static struct lync_value list(const char *const *items, size_t count)
{
    struct lync_value v = {.type = LYNC_VALUE_STRING_LIST, .items = items, .count = count};
    return v;
}

/* Sets one key on defaults + sip-server and returns the error text ("" on success). */
static const char *error_of(enum lync_scope scope, const char *key, struct lync_value v)
{
    static char err[512];
    struct lync_settings s;
    lync_settings_defaults(&s);
    struct lync_value sip = str("pool01.contoso.com");
    err[0] = '\0';
    if (lync_settings_set(&s, LYNC_SCOPE_GLOBAL, "sip-server", &sip, err, sizeof err))
        return err;
    if (lync_settings_set(&s, scope, key, &v, err, sizeof err) != 0)
        return err;
    struct lync_optset o;
    lync_optset_build(&s, &o, err, sizeof err);
    return err;
}

static void defaults_build_the_dhcputil_options(void)
{
    struct lync_settings s;
    struct lync_optset o;
    char err[256] = "";
    lync_settings_defaults(&s);
    struct lync_value sip = str("pool01.contoso.com");
    CHECK_INT_EQ(lync_settings_set(&s, LYNC_SCOPE_GLOBAL, "sip-server", &sip, err, sizeof err), 0);
    CHECK_INT_EQ(lync_optset_build(&s, &o, err, sizeof err), 0);
    CHECK(o.enabled);
    CHECK_HEX_EQ(o.opt120.data, o.opt120.len, "0006706F6F6C303107636F6E746F736F03636F6D00");
    CHECK_HEX_EQ(o.uc_opt43.data, o.uc_opt43.len,
                 "010C4D532D55432D436C69656E74020568747470730312706F6F6C30312E636F6E746F736F"
                 "2E636F6D040334343305252F4365727450726F762F4365727450726F766973696F6E696E67"
                 "536572766963652E737663");
    CHECK(!o.has_ntp);
    CHECK(!o.has_time_offset);
    CHECK(!o.has_vlan);
}

static void every_key_takes_effect(void)
{
    struct lync_settings s;
    struct lync_optset o;
    char err[256] = "";
    lync_settings_defaults(&s);
    const char *sips[] = {"a.example.com", "b.example.com"};
    const char *ntps[] = {"10.0.0.1"};
    struct lync_value v = list(sips, 2);
    CHECK_INT_EQ(lync_settings_set(&s, LYNC_SCOPE_GLOBAL, "sip-server", &v, err, sizeof err), 0);
    v = str("web.example.com");
    CHECK_INT_EQ(lync_settings_set(&s, LYNC_SCOPE_GLOBAL, "web-server", &v, err, sizeof err), 0);
    v = num(4443);
    CHECK_INT_EQ(lync_settings_set(&s, LYNC_SCOPE_GLOBAL, "web-port", &v, err, sizeof err), 0);
    v = str("http");
    CHECK_INT_EQ(lync_settings_set(&s, LYNC_SCOPE_GLOBAL, "url-scheme", &v, err, sizeof err), 0);
    v = str("/x");
    CHECK_INT_EQ(lync_settings_set(&s, LYNC_SCOPE_GLOBAL, "cert-prov-path", &v, err, sizeof err), 0);
    v = list(ntps, 1);
    CHECK_INT_EQ(lync_settings_set(&s, LYNC_SCOPE_GLOBAL, "ntp-servers", &v, err, sizeof err), 0);
    v = num(3600);
    CHECK_INT_EQ(lync_settings_set(&s, LYNC_SCOPE_GLOBAL, "time-offset", &v, err, sizeof err), 0);
    v = str("ascii");
    CHECK_INT_EQ(lync_settings_set(&s, LYNC_SCOPE_GLOBAL, "vlan-id-format", &v, err, sizeof err), 0);
    v = num(100);
    CHECK_INT_EQ(lync_settings_set(&s, LYNC_SCOPE_NETWORK, "voice-vlan", &v, err, sizeof err), 0);
    CHECK_INT_EQ(lync_optset_build(&s, &o, err, sizeof err), 0);
    CHECK_STR_EQ(err, "");
    CHECK_HEX_EQ(o.opt120.data, o.opt120.len,
                 "000161076578616d706c6503636f6d000162076578616d706c6503636f6d00");
    CHECK_HEX_EQ(o.uc_opt43.data, o.uc_opt43.len,
                 "010C4D532D55432D436C69656E7402046874747003"
                 "0F7765622E6578616D706C652E636F6D0404343434330502"
                 "2F78");
    CHECK_HEX_EQ(o.opt42.data, o.opt42.len, "0A000001");
    CHECK_HEX_EQ(o.opt2.data, o.opt2.len, "00000E10");
    CHECK_HEX_EQ(o.vlan_opt43.data, o.vlan_opt43.len, "0A03313030");

    v = flag(false);
    CHECK_INT_EQ(lync_settings_set(&s, LYNC_SCOPE_NETWORK, "enabled", &v, err, sizeof err), 0);
    CHECK_INT_EQ(lync_optset_build(&s, &o, err, sizeof err), 0);
    CHECK(!o.enabled);
}

static void unknown_keys(void)
{
    CHECK_STR_EQ(error_of(LYNC_SCOPE_GLOBAL, "sip-servers", str("x")),
                 "unknown parameter 'sip-servers'");
    CHECK_STR_EQ(error_of(LYNC_SCOPE_NETWORK, "vlan", num(1)), "unknown parameter 'vlan'");
}

static void network_only_keys_refused_globally(void)
{
    CHECK_CONTAINS(error_of(LYNC_SCOPE_GLOBAL, "voice-vlan", num(100)),
                   "parameter 'voice-vlan' belongs in a subnet's");
    CHECK_CONTAINS(error_of(LYNC_SCOPE_GLOBAL, "enabled", flag(false)),
                   "parameter 'enabled' belongs in a subnet's");
}

static void wrong_types(void)
{
    CHECK_STR_EQ(error_of(LYNC_SCOPE_GLOBAL, "web-port", str("443")),
                 "parameter 'web-port' must be an integer (got string)");
    CHECK_STR_EQ(error_of(LYNC_SCOPE_GLOBAL, "sip-server", num(1)),
                 "parameter 'sip-server' must be a string or a list of strings (got integer)");
    CHECK_STR_EQ(error_of(LYNC_SCOPE_GLOBAL, "web-server", flag(true)),
                 "parameter 'web-server' must be a string (got boolean)");
    CHECK_STR_EQ(error_of(LYNC_SCOPE_NETWORK, "enabled", str("no")),
                 "parameter 'enabled' must be a boolean (got string)");
    struct lync_value map = {.type = LYNC_VALUE_OTHER, .type_name = "map"};
    CHECK_STR_EQ(error_of(LYNC_SCOPE_GLOBAL, "url-scheme", map),
                 "parameter 'url-scheme' must be a string (got map)");
    CHECK_STR_EQ(error_of(LYNC_SCOPE_GLOBAL, "time-offset", str("+1")),
                 "parameter 'time-offset' must be an integer (got string)");
    CHECK_STR_EQ(error_of(LYNC_SCOPE_GLOBAL, "ntp-servers", list(NULL, 0)),
                 "parameter 'ntp-servers' must not be an empty list");
}

static void invalid_values(void)
{
    CHECK_STR_EQ(error_of(LYNC_SCOPE_GLOBAL, "sip-server", str("pool..contoso.com")),
                 "parameter 'sip-server': 'pool..contoso.com' is not a valid FQDN: empty label");
    CHECK_STR_EQ(error_of(LYNC_SCOPE_GLOBAL, "web-server", str("web_01.contoso.com")),
                 "parameter 'web-server': 'web_01.contoso.com' is not a valid FQDN: "
                 "character outside letters, digits, hyphen and dot");
    CHECK_STR_EQ(error_of(LYNC_SCOPE_GLOBAL, "web-port", num(0)),
                 "parameter 'web-port' must be 1-65535 (got 0)");
    CHECK_STR_EQ(error_of(LYNC_SCOPE_GLOBAL, "web-port", num(65536)),
                 "parameter 'web-port' must be 1-65535 (got 65536)");
    CHECK_STR_EQ(error_of(LYNC_SCOPE_GLOBAL, "url-scheme", str("ftp")),
                 "parameter 'url-scheme' must be \"https\" or \"http\" (got \"ftp\")");
    CHECK_STR_EQ(error_of(LYNC_SCOPE_GLOBAL, "cert-prov-path", str("CertProv")),
                 "parameter 'cert-prov-path' must start with '/'");
    CHECK_STR_EQ(error_of(LYNC_SCOPE_GLOBAL, "cert-prov-path", str("/a b")),
                 "parameter 'cert-prov-path' must be printable ASCII without spaces");
    CHECK_STR_EQ(error_of(LYNC_SCOPE_GLOBAL, "ntp-servers", str("ntp.contoso.com")),
                 "parameter 'ntp-servers': 'ntp.contoso.com' is not an IPv4 address");
    CHECK_STR_EQ(error_of(LYNC_SCOPE_GLOBAL, "time-offset", num(100000)),
                 "parameter 'time-offset' must be -86400-86400 (got 100000)");
    CHECK_STR_EQ(error_of(LYNC_SCOPE_GLOBAL, "vlan-id-format", str("hex")),
                 "parameter 'vlan-id-format' must be \"word\", \"ascii\" or \"byte\" (got \"hex\")");
    const char *mixed[] = {"pool01.contoso.com", "10.0.0.1"};
    CHECK_CONTAINS(error_of(LYNC_SCOPE_GLOBAL, "sip-server", list(mixed, 2)),
                   "parameter 'sip-server' mixes names and IPv4 addresses");
}

static void vlan_out_of_range(void)
{
    CHECK_STR_EQ(error_of(LYNC_SCOPE_NETWORK, "voice-vlan", num(0)),
                 "parameter 'voice-vlan' must be 1-4094 (got 0)");
    CHECK_STR_EQ(error_of(LYNC_SCOPE_NETWORK, "voice-vlan", num(4095)),
                 "parameter 'voice-vlan' must be 1-4094 (got 4095)");
}

static void options_over_255_bytes(void)
{
    /* 189 characters of web server FQDN push option 43 to 256 bytes. */
    char name[200];
    memset(name, 0, sizeof name);
    memset(name, 'a', 62);
    name[62] = '.';
    memset(name + 63, 'b', 62);
    name[125] = '.';
    memset(name + 126, 'c', 58);
    strcpy(name + 184, ".comx");
    CHECK_STR_EQ(error_of(LYNC_SCOPE_GLOBAL, "web-server", str(name)),
                 "parameter 'web-server': option 43 would be longer than 255 bytes");
    const char *sips[] = {name, name};
    CHECK_STR_EQ(error_of(LYNC_SCOPE_GLOBAL, "sip-server", list(sips, 2)),
                 "parameter 'sip-server': option 120 would be longer than 255 bytes");
}

static void missing_sip_server(void)
{
    struct lync_settings s;
    struct lync_optset o;
    char err[256];
    lync_settings_defaults(&s);
    CHECK_INT_EQ(lync_optset_build(&s, &o, err, sizeof err), -1);
    CHECK_STR_EQ(err, "missing parameter 'sip-server'");
}

static void failed_key_leaves_settings_unchanged(void)
{
    struct lync_settings s, before;
    char err[256];
    lync_settings_defaults(&s);
    const char *sips[] = {"good.example.com", "bad..example.com"};
    struct lync_value v = list(sips, 2);
    before = s;
    CHECK_INT_EQ(lync_settings_set(&s, LYNC_SCOPE_GLOBAL, "sip-server", &v, err, sizeof err), -1);
    CHECK(memcmp(&s, &before, sizeof s) == 0);
}

static void addresses_need_a_web_server(void)
{
    const char *addrs[] = {"10.0.0.5"};
    struct lync_settings s;
    struct lync_optset o;
    char err[256];
    lync_settings_defaults(&s);
    struct lync_value v = list(addrs, 1);
    CHECK_INT_EQ(lync_settings_set(&s, LYNC_SCOPE_GLOBAL, "sip-server", &v, err, sizeof err), 0);
    CHECK_INT_EQ(lync_optset_build(&s, &o, err, sizeof err), -1);
    CHECK_STR_EQ(err, "parameter 'web-server' is required when 'sip-server' lists addresses");
    v = str("web.example.com");
    CHECK_INT_EQ(lync_settings_set(&s, LYNC_SCOPE_GLOBAL, "web-server", &v, err, sizeof err), 0);
    CHECK_INT_EQ(lync_optset_build(&s, &o, err, sizeof err), 0);
    CHECK_HEX_EQ(o.opt120.data, o.opt120.len, "010A000005");
}

int main(void)
{
    RUN(defaults_build_the_dhcputil_options);
    RUN(every_key_takes_effect);
    RUN(unknown_keys);
    RUN(network_only_keys_refused_globally);
    RUN(wrong_types);
    RUN(invalid_values);
    RUN(vlan_out_of_range);
    RUN(options_over_255_bytes);
    RUN(missing_sip_server);
    RUN(failed_key_leaves_settings_unchanged);
    RUN(addresses_need_a_web_server);
    CHECK_DONE();
}
