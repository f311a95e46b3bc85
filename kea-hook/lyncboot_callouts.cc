// SPDX-License-Identifier: MPL-2.0
// Kea's entry points: each gets its arguments, calls LyncbootHook and catches
// everything, so a callout never throws and never drops a packet.
#include "lyncboot_hook.h"
#include "lyncboot_log.h"

#include <cc/command_interpreter.h>
#include <database/audit_entry.h>
#include <dhcpsrv/cfgmgr.h>
#include <dhcpsrv/subnet.h>
#include <hooks/hooks.h>
#include <process/daemon.h>
#include <stats/stats_mgr.h>
#include <util/multi_threading_mgr.h>

#include <boost/any.hpp>

#include <algorithm>
#include <chrono>
#include <memory>

using namespace isc::hooks;
using namespace isc::lyncboot;
using isc::dhcp::Pkt4Ptr;
using isc::dhcp::SubnetID;

namespace {

// The one instance, owned by the library between load() and unload(); read-only
// in between, so callouts on Kea's packet threads share it without locks. It is
// replaced only while Kea's packet threads are held (a MultiThreadingCriticalSection).
std::unique_ptr<LyncbootHook> hook;
// The library's parameters, for rebuilding when Kea changes its subnets while running.
isc::data::ConstElementPtr hook_parameters;
// Whether the one-callout mode's callout is registered (else the two-callout mode's).
bool one_callout = false;

const char* const QUERY_NOTE = "lyncboot";

/// What every callout logs when anything it calls throws: the packet it was working
/// on, and why.
[[gnu::cold]] [[gnu::noinline]] void logProcessError(const Pkt4Ptr& packet,
                                                     const std::exception& ex) {
    LOG_ERROR(lyncboot_logger, LYNCBOOT_PROCESS_ERROR)
        .arg(packet ? packet->getLabel() : std::string("(no packet yet)"))
        .arg(ex.what());
}

// The callouts are registered by load(), not found by their names: which ones depend
// on the configuration (see LyncbootHook and ReplySubnetFinder).

/// One-callout mode, pkt4_send: classifies the query, finds the reply's subnet and,
/// for a phone, packs the reply and splices the options in. Other queries cost one
/// option look-up.
int addOptionsBeforePacking(CalloutHandle& handle) {
    if (handle.getStatus() == CalloutHandle::NEXT_STEP_DROP ||
        handle.getStatus() == CalloutHandle::NEXT_STEP_SKIP || !hook) {
        return (0); // dropped, or already packed by another library
    }
    Pkt4Ptr response;
    try {
        Pkt4Ptr query;
        handle.getArgument("query4", query);
        if (!query || hook->vendorClass(*query) == VENDOR_CLASS_OTHER) {
            return (0);
        }
        handle.getArgument("response4", response);
        if (!response) {
            return (0);
        }
        QueryNote note = hook->classify(*query, hook->replySubnets().find(query, *response));
        if (hook->addOptions(*response, note, true)) {
            handle.setStatus(CalloutHandle::NEXT_STEP_SKIP); // packed: Kea must not repack
        }
    } catch (const std::exception& ex) {
        logProcessError(response, ex);
    }
    return (0);
}

/// Two-callout mode, subnet4_select: classifies the query once Kea has selected its
/// subnet, and remembers both for buffer4_send (replies to INFORM carry no address
/// that would tell the subnet).
int noteSelectedSubnet(CalloutHandle& handle) {
    if (!hook) {
        return (0);
    }
    Pkt4Ptr query;
    try {
        kea_compat::SelectedSubnet4Ptr subnet;
        handle.getArgument("query4", query);
        handle.getArgument("subnet4", subnet);
        if (query) {
            handle.setContext(QUERY_NOTE, hook->classify(*query, subnet ? subnet->getID()
                                                                        : SubnetID(0)));
        }
    } catch (const std::exception& ex) {
        logProcessError(query, ex);
    }
    return (0);
}

/// Two-callout mode, buffer4_send: splices the options into the packed reply.
int addOptionsToPacked(CalloutHandle& handle) {
    if (handle.getStatus() == CalloutHandle::NEXT_STEP_DROP ||
        handle.getStatus() == CalloutHandle::NEXT_STEP_SKIP || !hook) {
        return (0);
    }
    Pkt4Ptr response;
    try {
        QueryNote note;
        try {
            handle.getContext(QUERY_NOTE, note);
        } catch (const NoSuchCalloutContext&) {
            return (0); // no subnet selection happened for this query
        }
        handle.getArgument("response4", response);
        if (response) {
            hook->addOptions(*response, note, false);
        }
    } catch (const std::exception& ex) {
        logProcessError(response, ex);
    }
    return (0);
}

/// Registers the callouts of the mode a hook's configuration allows; logs which.
/// Kea gives a library no handle to register callouts with after load(), so a
/// change at run time that the one-callout mode cannot follow exactly makes it ask
/// Kea's subnet selector instead (ReplySubnetFinder::find); a reload then picks the
/// two-callout mode.
void registerMode(LibraryHandle& library, const LyncbootHook& built) {
    const std::string& why_two = built.replySubnets().whyNot();
    if (why_two.empty()) {
        library.registerCallout("pkt4_send", addOptionsBeforePacking);
        LOG_INFO(lyncboot_logger, LYNCBOOT_ONE_CALLOUT);
    } else {
        library.registerCallout("subnet4_select", noteSelectedSubnet);
        library.registerCallout("buffer4_send", addOptionsToPacked);
        LOG_INFO(lyncboot_logger, LYNCBOOT_TWO_CALLOUTS).arg(why_two);
    }
    one_callout = why_two.empty();
}

/// The commands that change Kea's running subnets or shared networks (subnet_cmds).
const char* const SUBNET_COMMANDS[] = {
    "subnet4-add", "subnet4-update", "subnet4-del", "subnet4-delta-add", "subnet4-delta-del",
    "network4-add", "network4-del", "network4-subnet-add", "network4-subnet-del"};

/// After the answers were built again: when the one-callout mode, exact before, can no
/// longer find a reply's subnet from the reply alone, says that Kea's selector is asked
/// from now on (ReplySubnetFinder::find does so).
void noteSelectorFallback(bool was_exact) {
    if (one_callout && was_exact && !hook->replySubnets().whyNot().empty()) {
        LOG_WARN(lyncboot_logger, LYNCBOOT_ONE_CALLOUT_SELECTOR)
            .arg(hook->replySubnets().whyNot());
    }
}

/// Follows a change of Kea's running configuration, with Kea's packet threads held:
/// only the named subnets when ids are given (subnet_cmds name them), else a rebuild
/// from the whole configuration. Returns what was refused.
std::vector<std::string> followRunningConfig(const std::string& cause,
                                             const std::vector<isc::dhcp::SubnetID>* ids) {
    isc::util::MultiThreadingCriticalSection hold_packet_threads;
    const auto start = std::chrono::steady_clock::now();
    const bool was_exact = hook->replySubnets().whyNot().empty();
    const isc::dhcp::SrvConfig& current = *isc::dhcp::CfgMgr::instance().getCurrentCfg();
    std::vector<std::string> refused;
    bool whole = ids == nullptr;
    if (ids) {
        refused = hook->followSubnets(current, *ids, whole);
    }
    if (whole) {
        hook->flushStatistics(); // counts not yet handed over stay counted
        std::unique_ptr<LyncbootHook> next(new LyncbootHook(hook_parameters, current, *hook));
        hook->removeStatistics(next.get());
        hook = std::move(next);
        refused.insert(refused.end(), hook->refused().begin(), hook->refused().end());
    }
    for (auto const& refusal : refused) {
        LOG_ERROR(lyncboot_logger, LYNCBOOT_CHANGE_REFUSED).arg(cause).arg(refusal);
    }
    if (!refused.empty()) {
        isc::stats::StatsMgr::instance().addValue("lyncboot-changes-refused",
                                                  static_cast<int64_t>(refused.size()));
    }
    noteSelectorFallback(was_exact);
    LOG_INFO(lyncboot_logger, LYNCBOOT_CHANGE_FOLLOWED)
        .arg(cause)
        .arg(hook->ucClientSubnets())
        .arg(hook->vlanSubnets())
        .arg(hook->distinctAnswers())
        .arg(std::chrono::duration_cast<std::chrono::microseconds>(
                 std::chrono::steady_clock::now() - start).count());
    return (refused);
}

/// The subnets a subnet_cmds command changed, from its arguments and (for
/// subnet4-add, where Kea may assign the ids) its answer. False when they cannot all
/// be told (network4-* commands, a subnet without an id): then the whole
/// configuration is followed.
bool changedSubnets(const std::string& name, const isc::data::ConstElementPtr& arguments,
                    const isc::data::ConstElementPtr& response,
                    std::vector<isc::dhcp::SubnetID>& ids) {
    using isc::data::Element;
    auto idOf = [&ids](const isc::data::ConstElementPtr& entry) {
        auto id = entry && entry->getType() == Element::map ? entry->get("id")
                                                             : isc::data::ConstElementPtr();
        if (!id || id->getType() != Element::integer) {
            return (false);
        }
        ids.push_back(static_cast<isc::dhcp::SubnetID>(id->intValue()));
        return (true);
    };
    if (name == "subnet4-del") {
        return (idOf(arguments));
    }
    if (name.compare(0, 8, "network4") == 0) {
        return (false);
    }
    auto mapGet = [](const isc::data::ConstElementPtr& map, const char* key) {
        return (map && map->getType() == Element::map ? map->get(key)
                                                      : isc::data::ConstElementPtr());
    };
    // subnet4-add answers with the subnets it added, ids and all.
    auto listed = name == "subnet4-add" ? mapGet(mapGet(response, "arguments"), "subnets")
                                        : mapGet(arguments, "subnet4");
    if (!listed || listed->getType() != Element::list || listed->empty()) {
        return (false);
    }
    for (auto const& entry : listed->listValue()) {
        if (!idOf(entry)) {
            return (false);
        }
    }
    return (true);
}

/// command_processed: after a subnet_cmds command that changed Kea's running subnets,
/// the answers follow; what lyncboot refused is added to the command's answer text.
int followSubnetCommand(CalloutHandle& handle) {
    try {
        std::string name;
        handle.getArgument("name", name);
        bool ours = false;
        for (const char* command : SUBNET_COMMANDS) {
            ours = ours || name == command;
        }
        isc::data::ConstElementPtr response;
        handle.getArgument("response", response);
        int result = -1;
        isc::data::ConstElementPtr text;
        if (response && response->getType() == isc::data::Element::map) {
            auto result_element = response->get("result");
            result = result_element ? static_cast<int>(result_element->intValue()) : -1;
            text = response->get("text");
        }
        if (!ours || !hook || result != isc::config::CONTROL_RESULT_SUCCESS) {
            return (0);
        }
        isc::data::ConstElementPtr arguments;
        handle.getArgument("arguments", arguments);
        std::vector<isc::dhcp::SubnetID> ids;
        const bool named = changedSubnets(name, arguments, response, ids);
        std::vector<std::string> refused = followRunningConfig(name, named ? &ids : nullptr);
        if (!refused.empty()) {
            std::string note = (text ? text->stringValue() + "; " : std::string()) +
                               "lyncboot refused (previous answers kept): ";
            for (size_t i = 0; i < refused.size(); ++i) {
                note += (i ? "; " : "") + refused[i];
            }
            handle.setArgument("response", isc::config::createAnswer(
                result, note, response->get("arguments")));
        }
    } catch (const std::exception& ex) {
        LOG_ERROR(lyncboot_logger, LYNCBOOT_PROCESS_ERROR).arg("command_processed").arg(ex.what());
    }
    return (0);
}

/// The subnets a configuration backend update changed, from its audit entries. False
/// when it changed anything else (shared networks, options, classes, globals): then
/// the whole configuration is followed.
bool changedSubnets(const isc::db::AuditEntryCollection& entries,
                    std::vector<isc::dhcp::SubnetID>& ids) {
    for (auto const& entry : entries) {
        if (!entry || entry->getObjectType() != "dhcp4_subnet") {
            return (false);
        }
        ids.push_back(static_cast<isc::dhcp::SubnetID>(entry->getObjectId()));
    }
    // One revision may name a subnet more than once (the subnet and its options).
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return (!ids.empty());
}

/// cb4_updated: the configuration backend's changes have been merged into the running
/// configuration; the answers follow, only the changed subnets' when the audit
/// entries name nothing else.
int followBackendUpdate(CalloutHandle& handle) {
    try {
        if (hook) {
            isc::db::AuditEntryCollectionPtr entries;
            try {
                handle.getArgument("audit_entries", entries);
            } catch (const boost::bad_any_cast&) {
                // The argument's type is a Boost multi_index container, whose name
                // depends on the Boost headers: Debian forky's Kea 3.0.4 was built with
                // a Boost older than the installed one (its tag<> padded with mpl::na,
                // 1.92's variadic), so the hook cannot read it there. Every answer is
                // followed instead: correct, only not proportional to the change.
            }
            std::vector<isc::dhcp::SubnetID> ids;
            const bool named = entries && changedSubnets(*entries, ids);
            followRunningConfig("a configuration backend update", named ? &ids : nullptr);
        }
    } catch (const std::exception& ex) {
        LOG_ERROR(lyncboot_logger, LYNCBOOT_PROCESS_ERROR).arg("cb4_updated").arg(ex.what());
    }
    return (0);
}

/// dhcp4_srv_configured: Kea fetches the configuration backend's subnets after it has
/// loaded the hook libraries, so with a backend the answers are built again from the
/// configuration as it will run, as strictly as in load(): a bad lyncboot context
/// there refuses the configuration (Kea's answer names the subnet).
int followConfiguredServer(CalloutHandle& handle) {
    try {
        isc::dhcp::SrvConfigPtr config;
        handle.getArgument("server_config", config);
        auto control = config ? config->getConfigControlInfo() : nullptr;
        if (!hook || !control || control->getConfigDatabases().empty()) {
            return (0);
        }
        isc::util::MultiThreadingCriticalSection hold_packet_threads;
        std::unique_ptr<LyncbootHook> next(new LyncbootHook(hook_parameters, *config));
        hook->removeStatistics(next.get());
        const bool was_exact = hook->replySubnets().whyNot().empty();
        hook = std::move(next);
        noteSelectorFallback(was_exact);
        LOG_INFO(lyncboot_logger, LYNCBOOT_BACKEND_LOADED)
            .arg(hook->ucClientSubnets())
            .arg(hook->vlanSubnets())
            .arg(hook->distinctAnswers());
    } catch (const ConfigError& ex) {
        LOG_ERROR(lyncboot_logger, LYNCBOOT_CONFIG_ERROR).arg(ex.place()).arg(ex.what());
        handle.setStatus(CalloutHandle::NEXT_STEP_DROP);
        handle.setArgument("error", "lyncboot: invalid setting in " + ex.place() + ": " +
                                    std::string(ex.what()));
    } catch (const std::exception& ex) {
        LOG_ERROR(lyncboot_logger, LYNCBOOT_LOAD_ERROR).arg(ex.what());
        handle.setStatus(CalloutHandle::NEXT_STEP_DROP);
        handle.setArgument("error", "lyncboot: " + std::string(ex.what()));
    }
    return (0);
}

/// The statistic-* commands that read or reset statistics, and Kea's own handlers.
using StatisticsHandler = isc::data::ConstElementPtr (*)(const std::string&,
                                                          const isc::data::ConstElementPtr&);
const std::pair<const char*, StatisticsHandler> STATISTICS_COMMANDS[] = {
    {"statistic-get", isc::stats::StatsMgr::statisticGetHandler},
    {"statistic-get-all", isc::stats::StatsMgr::statisticGetAllHandler},
    {"statistic-reset", isc::stats::StatsMgr::statisticResetHandler},
    {"statistic-reset-all", isc::stats::StatsMgr::statisticResetAllHandler},
    {"statistic-remove", isc::stats::StatsMgr::statisticRemoveHandler},
    {"statistic-remove-all", isc::stats::StatsMgr::statisticRemoveAllHandler},
};

/// Command handler for the statistic-* commands above: hands lyncboot's counts to
/// Kea's statistics manager, then answers with Kea's own handler, so the answer is
/// the one Kea gives and includes every reply sent so far.
int statisticsCommand(CalloutHandle& handle) {
    isc::data::ConstElementPtr response;
    try {
        isc::data::ConstElementPtr command;
        handle.getArgument("command", command);
        isc::data::ConstElementPtr arguments;
        const std::string name = isc::config::parseCommand(arguments, command);
        if (hook) {
            hook->flushStatistics();
        }
        for (auto const& known : STATISTICS_COMMANDS) {
            if (name == known.first) {
                response = known.second(name, arguments);
                break;
            }
        }
        if (!response) {
            response = isc::config::createAnswer(isc::config::CONTROL_RESULT_COMMAND_UNSUPPORTED,
                                                 "lyncboot does not handle '" + name + "'");
        }
    } catch (const std::exception& ex) {
        response = isc::config::createAnswer(isc::config::CONTROL_RESULT_ERROR, ex.what());
    }
    handle.setArgument("response", response);
    return (0);
}

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
        registerMode(handle, *built);
        // Kea changes its subnets while running through subnet_cmds and the
        // configuration backend: the answers follow.
        handle.registerCallout("command_processed", followSubnetCommand);
        handle.registerCallout("cb4_updated", followBackendUpdate);
        handle.registerCallout("dhcp4_srv_configured", followConfiguredServer);
        for (auto const& command : STATISTICS_COMMANDS) {
            handle.registerCommandCallout(command.first, statisticsCommand);
        }
        LOG_INFO(lyncboot_logger, LYNCBOOT_LOAD_OK)
            .arg(LYNCBOOT_VERSION)
            .arg(built->ucClientSubnets())
            .arg(built->vlanSubnets())
            .arg(built->distinctAnswers());
        hook = std::move(built);
        hook_parameters = handle.getParameters();
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
        hook_parameters.reset();
        LOG_INFO(lyncboot_logger, LYNCBOOT_UNLOAD);
    } catch (...) {
    }
    return (0);
}

} // extern "C"
