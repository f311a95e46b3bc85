// SPDX-License-Identifier: MPL-2.0
// Stand-in for <dhcpsrv/cfg_globals.h>, which Debian 12's kea-dev 2.2.0-6 does not
// ship although dhcpsrv/network.h, subnet.h and srv_config.h include it. It is used
// only when the real header is missing (see kea-hook/meson.build).
//
// Why this is safe for lyncboot: the hook only reads subnets and shared networks
// (ids, prefixes, names, user-contexts) and never touches a CfgGlobals object.
// CfgGlobals is only ever held here through boost::shared_ptr, whose layout does
// not depend on the pointee, and the member functions below are resolved from
// libkea-dhcpsrv by their mangled names. The index values are placeholders: code
// that passes them to CfgGlobals::get() (Network's inherited-parameter getters)
// must not be used with this header, and the hook does not use it.
#ifndef LYNCBOOT_COMPAT_CFG_GLOBALS_H
#define LYNCBOOT_COMPAT_CFG_GLOBALS_H

#include <cc/data.h>
#include <boost/shared_ptr.hpp>

#include <string>

namespace isc {
namespace dhcp {

class CfgGlobals {
public:
    enum Index : int {
        AUTHORITATIVE,
        BOOT_FILE_NAME,
        CACHE_MAX_AGE,
        CACHE_THRESHOLD,
        CALCULATE_TEE_TIMES,
        DDNS_GENERATED_PREFIX,
        DDNS_OVERRIDE_CLIENT_UPDATE,
        DDNS_OVERRIDE_NO_UPDATE,
        DDNS_QUALIFYING_SUFFIX,
        DDNS_REPLACE_CLIENT_NAME,
        DDNS_SEND_UPDATES,
        DDNS_UPDATE_ON_RENEW,
        DDNS_USE_CONFLICT_RESOLUTION,
        HOSTNAME_CHAR_REPLACEMENT,
        HOSTNAME_CHAR_SET,
        MATCH_CLIENT_ID,
        MAX_PREFERRED_LIFETIME,
        MAX_VALID_LIFETIME,
        MIN_PREFERRED_LIFETIME,
        MIN_VALID_LIFETIME,
        NEXT_SERVER,
        PREFERRED_LIFETIME,
        REBIND_TIMER,
        RENEW_TIMER,
        RESERVATIONS_GLOBAL,
        RESERVATIONS_IN_SUBNET,
        RESERVATIONS_OUT_OF_POOL,
        SERVER_HOSTNAME,
        STORE_EXTENDED_INFO,
        T1_PERCENT,
        T2_PERCENT,
        VALID_LIFETIME,
    };

    isc::data::ConstElementPtr get(const std::string& name) const;
    isc::data::ConstElementPtr get(int index) const;
    void set(const std::string& name, isc::data::ConstElementPtr value);
    void set(int index, isc::data::ConstElementPtr value);
    void clear();

private:
    CfgGlobals() = delete; // never created outside libkea-dhcpsrv
};

typedef boost::shared_ptr<CfgGlobals> CfgGlobalsPtr;
typedef boost::shared_ptr<const CfgGlobals> ConstCfgGlobalsPtr;

} // namespace dhcp
} // namespace isc

#endif
