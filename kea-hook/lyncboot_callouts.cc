// SPDX-License-Identifier: MPL-2.0
// Kea's entry points: each gets its arguments, calls LyncbootHook and catches
// everything, so a callout never throws and never drops a packet.
#include "lyncboot_hook.h"
#include "lyncboot_log.h"

#include <dhcpsrv/cfgmgr.h>
#include <dhcpsrv/subnet.h>
#include <hooks/hooks.h>
#include <process/daemon.h>

#include <memory>

using namespace isc::hooks;
using namespace isc::lyncboot;
using isc::dhcp::Pkt4Ptr;
using isc::dhcp::Subnet4Ptr;
using isc::dhcp::SubnetID;

namespace {

// The one instance, owned by the library between load() and unload(); read-only
// in between, so callouts on Kea's packet threads share it without locks.
std::unique_ptr<LyncbootHook> hook;

const char* const SUBNET_CONTEXT = "lyncboot-subnet-id";

} // namespace

extern "C" {

int version() {
    return (KEA_HOOKS_VERSION);
}

int multi_threading_compatible() {
    return (1);
}

int load(LibraryHandle& handle) {
    try {
        const std::string proc_name = isc::process::Daemon::getProcName();
        if (proc_name != "kea-dhcp4") {
            LOG_ERROR(lyncboot_logger, LYNCBOOT_LOAD_ERROR)
                .arg("loaded by " + proc_name + ", but lyncboot is a kea-dhcp4 hook");
            return (1);
        }
        // load() runs while the new configuration is staged: its subnets are final
        // but not yet in service, so a bad setting refuses the whole configuration.
        isc::dhcp::SrvConfigPtr config = isc::dhcp::CfgMgr::instance().getStagingCfg();
        if (!config) {
            LOG_ERROR(lyncboot_logger, LYNCBOOT_LOAD_ERROR).arg("no staged configuration");
            return (1);
        }
        std::unique_ptr<LyncbootHook> built(new LyncbootHook(handle.getParameters(), *config));
        built->initStatistics();
        LOG_INFO(lyncboot_logger, LYNCBOOT_LOAD_OK)
            .arg(built->ucClientSubnets())
            .arg(built->vlanSubnets());
        hook = std::move(built);
    } catch (const ConfigError& ex) {
        LOG_ERROR(lyncboot_logger, LYNCBOOT_CONFIG_ERROR).arg(ex.place()).arg(ex.what());
        return (1);
    } catch (const std::exception& ex) {
        LOG_ERROR(lyncboot_logger, LYNCBOOT_LOAD_ERROR).arg(ex.what());
        return (1);
    }
    return (0);
}

int unload() {
    try {
        if (hook) {
            hook->removeStatistics();
        }
        hook.reset();
        LOG_INFO(lyncboot_logger, LYNCBOOT_UNLOAD);
    } catch (...) {
    }
    return (0);
}

/// Remembers the subnet Kea selected, for pkt4_send (INFORM replies carry no
/// address that would tell it).
int subnet4_select(CalloutHandle& handle) {
    try {
        Subnet4Ptr subnet;
        handle.getArgument("subnet4", subnet);
        handle.setContext(SUBNET_CONTEXT, subnet ? subnet->getID() : SubnetID(0));
    } catch (...) {
    }
    return (0);
}

int pkt4_send(CalloutHandle& handle) {
    if (handle.getStatus() == CalloutHandle::NEXT_STEP_DROP || !hook) {
        return (0);
    }
    Pkt4Ptr query, response;
    try {
        handle.getArgument("query4", query);
        handle.getArgument("response4", response);
        if (!query || !response) {
            return (0);
        }
        SubnetID selected = 0;
        try {
            handle.getContext(SUBNET_CONTEXT, selected);
        } catch (const NoSuchCalloutContext&) {
        }
        hook->process(*query, *response, selected);
    } catch (const std::exception& ex) {
        LOG_ERROR(lyncboot_logger, LYNCBOOT_PROCESS_ERROR)
            .arg(query ? query->getLabel() : std::string("(no query)"))
            .arg(ex.what());
    }
    return (0);
}

} // extern "C"
