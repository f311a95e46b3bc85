// SPDX-License-Identifier: MPL-2.0
// The one place that knows how the Kea versions lyncboot supports differ (2.2, 2.6,
// 3.0). meson reads KEA_HOOKS_VERSION from the installed hooks/hooks.h and passes it as
// LYNCBOOT_KEA_HOOKS_VERSION (that header declares it as a const int, which the
// preprocessor cannot see); meson refuses versions not listed here. Include this
// header first: Kea 3.0's asiolink/crypto_tls.h refuses to compile unless Kea's
// config.h came before it.
#ifndef LYNCBOOT_KEA_COMPAT_H
#define LYNCBOOT_KEA_COMPAT_H

#include <config.h>

#include <dhcpsrv/network.h>
#include <dhcpsrv/subnet.h>
#include <hooks/libinfo.h>

#include <string>

#ifndef LYNCBOOT_KEA_HOOKS_VERSION
#error "LYNCBOOT_KEA_HOOKS_VERSION must be set by the build (meson reads it from hooks/hooks.h)"
#endif

namespace isc {
namespace lyncboot {
namespace kea_compat {

#if LYNCBOOT_KEA_HOOKS_VERSION >= 30000
/// What subnet4_select's "subnet4" argument and CfgSubnets4::selectSubnet() hold:
/// Kea 3.0 made both const.
using SelectedSubnet4Ptr = isc::dhcp::ConstSubnet4Ptr;

/// The file a configured hook library was loaded from (3.0: a struct).
inline const std::string& libraryPath(const isc::hooks::HookLibInfo& library) {
    return (library.libname_);
}

/// The client classes guarding a subnet or shared network itself (not inherited),
/// as text; "" when none. Kea 3.0 allows a list.
inline std::string guardClasses(const isc::dhcp::Network& network) {
    return (network.getClientClasses().toText(","));
}
#else
using SelectedSubnet4Ptr = isc::dhcp::Subnet4Ptr;

inline const std::string& libraryPath(const isc::hooks::HookLibInfo& library) {
    return (library.first);
}

inline std::string guardClasses(const isc::dhcp::Network& network) {
    return (network.getClientClass(isc::dhcp::Network::Inheritance::NONE).get());
}
#endif

} // namespace kea_compat
} // namespace lyncboot
} // namespace isc

#endif
