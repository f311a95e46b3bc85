// SPDX-License-Identifier: MPL-2.0
// Kea's entry points: each gets its arguments, calls LyncbootHook and catches
// everything, so a callout never throws and never drops a packet.
#include "lyncboot_hook.h"
#include "lyncboot_log.h"

#include <cc/command_interpreter.h>
#include <database/audit_entry.h>
#include <asiolink/io_address.h>
#include <dhcp/hwaddr.h>
#include <dhcpsrv/cfgmgr.h>
#include <dhcpsrv/subnet.h>
#include <hooks/hooks.h>
#include <process/daemon.h>
#include <stats/stats_mgr.h>
#include <util/multi_threading_mgr.h>

#include <boost/any.hpp>

#include <algorithm>
#include <iterator>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <dlfcn.h>
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
// The phones answered ("phones-tracked"), null when none are tracked: owned here, as it
// outlives each rebuilt hook; written by the packet threads, read by the commands.
std::unique_ptr<phone_table, void (*)(phone_table*)> phones(nullptr, phone_table_free);

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

/// Two-callout mode, subnet4_select: classifies the query once Kea has
/// selected its subnet, and remembers both for buffer4_send (replies to INFORM carry
/// no address that would tell the subnet).
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

/// The file this library was loaded from ("" when unknown).
std::string ownLibraryPath() {
    Dl_info info;
    if (dladdr(reinterpret_cast<void*>(&ownLibraryPath), &info) == 0 || !info.dli_fname) {
        return ("");
    }
    return (info.dli_fname);
}

bool sameFile(const std::string& a, const std::string& b) {
    char real_a[PATH_MAX], real_b[PATH_MAX];
    return (realpath(a.c_str(), real_a) && realpath(b.c_str(), real_b) &&
            std::string(real_a) == real_b);
}

/// From Kea's list of the hook libraries, in the order Kea calls their callouts: the
/// first library other than lyncboot, and the first listed after it ("" when none).
void otherLibraries(const isc::dhcp::SrvConfig& config, std::string& any, std::string& after) {
    const std::string own = ownLibraryPath();
    bool own_seen = false;
    for (auto const& library : config.getHooksConfig().get()) {
        const std::string& path = kea_compat::libraryPath(library);
        if (!own_seen && !own.empty() && sameFile(path, own)) {
            own_seen = true;
            continue;
        }
        if (any.empty()) {
            any = path;
        }
        if (own_seen && after.empty()) {
            after = path;
        }
    }
}

/// Registers the callouts of the mode the configuration allows; logs which. One
/// callout needs a configuration whose replies tell their subnet (ReplySubnetFinder)
/// and no other hook library: a library's subnet4_select callout may change the
/// subnet, its pkt4_send callout the reply after lyncboot has packed it, and Kea tells
/// a library neither which callouts the others have nor, for an INFORM, the subnet at
/// pkt4_send. Its list of the libraries it loads is what tells.
void registerMode(LibraryHandle& library, const LyncbootHook& built,
                  const isc::dhcp::SrvConfig& config) {
    std::string any_other, listed_after;
    otherLibraries(config, any_other, listed_after);
    std::string why_two = built.replySubnets().whyNot();
    if (why_two.empty() && !any_other.empty()) {
        why_two = "hook library " + any_other + " is loaded too";
    }
    if (why_two.empty()) {
        library.registerCallout("pkt4_send", addOptionsBeforePacking);
        LOG_INFO(lyncboot_logger, LYNCBOOT_ONE_CALLOUT);
    } else {
        library.registerCallout("subnet4_select", noteSelectedSubnet);
        library.registerCallout("buffer4_send", addOptionsToPacked);
        LOG_INFO(lyncboot_logger, LYNCBOOT_TWO_CALLOUTS).arg(why_two);
    }
    if (!listed_after.empty()) {
        LOG_WARN(lyncboot_logger, LYNCBOOT_NOT_LISTED_LAST).arg(listed_after);
    }
}

/// The commands that change Kea's running subnets or shared networks (subnet_cmds).
const char* const SUBNET_COMMANDS[] = {
    "subnet4-add", "subnet4-update", "subnet4-del", "subnet4-delta-add", "subnet4-delta-del",
    "network4-add", "network4-del", "network4-subnet-add", "network4-subnet-del"};

/// What a change at run time named: subnets by id, shared networks by name. Unknown
/// when it named anything else (options, classes, globals) or could not be told.
struct Change {
    bool known = true;
    std::vector<isc::dhcp::SubnetID> subnets;
    std::vector<std::string> networks;
};

/// Follows a change of Kea's running configuration, with Kea's packet threads held:
/// only the named subnets and shared networks when the change is known, else a
/// rebuild from the whole configuration. Returns what was refused.
std::vector<std::string> followRunningConfig(const std::string& cause, const Change& change) {
    isc::util::MultiThreadingCriticalSection hold_packet_threads;
    const auto start = std::chrono::steady_clock::now();
    const isc::dhcp::SrvConfig& current = *isc::dhcp::CfgMgr::instance().getCurrentCfg();
    std::vector<std::string> refused;
    bool whole = !change.known;
    if (change.known) {
        refused = change.networks.empty()
                      ? hook->followSubnets(current, change.subnets, whole)
                      : hook->followNetworks(current, change.networks, change.subnets, whole);
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
    LOG_INFO(lyncboot_logger, LYNCBOOT_CHANGE_FOLLOWED)
        .arg(cause)
        .arg(whole ? std::string("every subnet")
                   : std::to_string(hook->lastFollowed()) +
                         (hook->lastFollowed() == 1 ? " subnet" : " subnets"))
        .arg(hook->ucClientSubnets())
        .arg(hook->vlanSubnets())
        .arg(hook->distinctAnswers())
        .arg(std::chrono::duration_cast<std::chrono::microseconds>(
                 std::chrono::steady_clock::now() - start).count());
    return (refused);
}

/// What a subnet_cmds command changed, from its arguments and (for subnet4-add,
/// where Kea may assign the ids) its answer. Unknown when a subnet without an id or a
/// network without a name leaves it untold: then the whole configuration is followed.
Change changeOf(const std::string& name, const isc::data::ConstElementPtr& arguments,
                const isc::data::ConstElementPtr& response) {
    using isc::data::Element;
    Change change;
    auto mapGet = [](const isc::data::ConstElementPtr& map, const char* key) {
        return (map && map->getType() == Element::map ? map->get(key)
                                                      : isc::data::ConstElementPtr());
    };
    auto idOf = [&change, &mapGet](const isc::data::ConstElementPtr& entry) {
        auto id = mapGet(entry, "id");
        if (!id || id->getType() != Element::integer) {
            return (false);
        }
        change.subnets.push_back(static_cast<isc::dhcp::SubnetID>(id->intValue()));
        return (true);
    };
    auto nameOf = [&change, &mapGet](const isc::data::ConstElementPtr& entry) {
        auto network = mapGet(entry, "name");
        if (!network || network->getType() != Element::string) {
            return (false);
        }
        change.networks.push_back(network->stringValue());
        return (true);
    };
    auto eachOf = [](const isc::data::ConstElementPtr& list, auto&& take) {
        if (!list || list->getType() != Element::list || list->empty()) {
            return (false);
        }
        for (auto const& entry : list->listValue()) {
            if (!take(entry)) {
                return (false);
            }
        }
        return (true);
    };
    if (name == "subnet4-del" || name == "network4-subnet-add" ||
        name == "network4-subnet-del") {
        // The subnet joins or leaves its network: the subnet alone changes.
        change.known = idOf(arguments);
    } else if (name == "network4-del") {
        change.known = nameOf(arguments);
    } else if (name == "network4-add") {
        change.known = eachOf(mapGet(arguments, "shared-networks"), nameOf);
    } else {
        // subnet4-add answers with the subnets it added, ids and all.
        change.known = eachOf(name == "subnet4-add"
                                  ? mapGet(mapGet(response, "arguments"), "subnets")
                                  : mapGet(arguments, "subnet4"),
                              idOf);
    }
    return (change);
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
        std::vector<std::string> refused =
            followRunningConfig(name, changeOf(name, arguments, response));
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

/// Backend objects whose changes leave every Lync answer as it is: the answers come from
/// the hook parameters and the subnets' and shared networks' user-contexts only (a
/// subnet's or network's own options are audited as that subnet or network).
const char* const UNRELATED_BACKEND_OBJECTS[] = {"dhcp4_global_parameter", "dhcp4_option_def",
                                                 "dhcp4_options", "dhcp4_client_class"};

/// What a configuration backend update changed, from its audit entries: subnets by
/// id, shared networks by the backend's id for them; nothing for the unrelated objects
/// above. Unknown when it changed anything else (servers, a type this version does not
/// know) or a network neither the running configuration nor lyncboot knows by that id.
Change changeOf(const isc::db::AuditEntryCollection& entries) {
    const isc::dhcp::SrvConfig& current = *isc::dhcp::CfgMgr::instance().getCurrentCfg();
    Change change;
    bool named_any = false;
    for (auto const& entry : entries) {
        const std::string type = entry ? entry->getObjectType() : "";
        named_any = true;
        if (std::find(std::begin(UNRELATED_BACKEND_OBJECTS), std::end(UNRELATED_BACKEND_OBJECTS),
                      type) != std::end(UNRELATED_BACKEND_OBJECTS)) {
            continue;
        }
        if (type == "dhcp4_subnet") {
            change.subnets.push_back(static_cast<isc::dhcp::SubnetID>(entry->getObjectId()));
        } else if (type == "dhcp4_shared_network") {
            const std::string name = hook->networkByBackendId(current, entry->getObjectId());
            if (name.empty()) {
                change.known = false;
                return (change);
            }
            change.networks.push_back(name);
        } else {
            change.known = false;
            return (change);
        }
    }
    // One revision may name an object more than once (a subnet and its options).
    std::sort(change.subnets.begin(), change.subnets.end());
    change.subnets.erase(std::unique(change.subnets.begin(), change.subnets.end()),
                         change.subnets.end());
    std::sort(change.networks.begin(), change.networks.end());
    change.networks.erase(std::unique(change.networks.begin(), change.networks.end()),
                          change.networks.end());
    change.known = named_any; // no entries at all: Kea did not say what changed
    return (change);
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
            Change change;
            if (entries) {
                change = changeOf(*entries);
            } else {
                change.known = false;
            }
            followRunningConfig("a configuration backend update", change);
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
        next->trackPhones(phones.get());
        hook->removeStatistics(next.get());
        hook = std::move(next);
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
/// The filters of lyncboot-phones: a phone is listed when it matches every one given.
struct PhoneFilter {
    bool by_mac = false;
    uint8_t mac[6] = {};
    int64_t subnet_id = -1;
    int reached = -1, missing = -1; // a step it got, one it did not
    int64_t since = 0;              // seen at or after (seconds since the epoch)

    explicit PhoneFilter(const isc::data::ConstElementPtr& arguments) {
        using isc::data::Element;
        if (!arguments) {
            return;
        }
        if (arguments->getType() != Element::map) {
            throw std::invalid_argument("arguments must be a map");
        }
        for (auto const& entry : arguments->mapValue()) {
            const std::string& key = entry.first;
            const isc::data::ConstElementPtr& value = entry.second;
            if (key == "hw-address" && value->getType() == Element::string) {
                const std::vector<uint8_t> bytes =
                    isc::dhcp::HWAddr::fromText(value->stringValue()).hwaddr_;
                if (bytes.size() != 6) {
                    throw std::invalid_argument("'hw-address' must be a MAC address");
                }
                std::copy(bytes.begin(), bytes.end(), mac);
                by_mac = true;
            } else if (key == "subnet-id" && value->getType() == Element::integer) {
                subnet_id = value->intValue();
            } else if ((key == "reached" || key == "missing") &&
                       value->getType() == Element::string &&
                       phone_step_parse(value->stringValue().c_str()) >= 0) {
                (key == "reached" ? reached : missing) =
                    phone_step_parse(value->stringValue().c_str());
            } else if (key == "since" && value->getType() == Element::integer) {
                since = value->intValue();
            } else {
                throw std::invalid_argument(
                    "unknown or bad argument '" + key + "' (hw-address: a MAC; subnet-id, "
                    "since: integers; reached, missing: vlan, lease, inform or case-mismatch)");
            }
        }
    }

    bool matches(const phone_record& r) const {
        return ((!by_mac || std::equal(mac, mac + 6, r.mac)) &&
                (subnet_id < 0 || r.subnet_id == subnet_id) &&
                (reached < 0 || r.step_time[reached] != 0) &&
                (missing < 0 || r.step_time[missing] == 0) && r.last_seen >= since);
    }
};

std::string addressText(const uint8_t addr[4]) {
    return (isc::asiolink::IOAddress::fromBytes(AF_INET, addr).toText());
}

isc::data::ElementPtr phoneElement(const phone_record& r) {
    using isc::data::Element;
    isc::data::ElementPtr phone = Element::createMap();
    phone->set("hw-address", Element::create(
        isc::dhcp::HWAddr(r.mac, 6, isc::dhcp::HTYPE_ETHER).toText(false)));
    phone->set("first-seen", Element::create(static_cast<int64_t>(r.first_seen)));
    phone->set("last-seen", Element::create(static_cast<int64_t>(r.last_seen)));
    phone->set("subnet-id", Element::create(static_cast<int64_t>(r.subnet_id)));
    phone->set("address", Element::create(addressText(r.addr)));
    phone->set("relay", Element::create(addressText(r.relay)));
    if (r.step_time[PHONE_STEP_VLAN]) {
        phone->set("voice-vlan", Element::create(static_cast<int64_t>(r.vlan)));
    }
    isc::data::ElementPtr steps = Element::createMap();
    for (unsigned step = 0; step < PHONE_STEPS; step++) {
        if (r.step_time[step]) {
            steps->set(phone_step_name(step), Element::create(
                static_cast<int64_t>(r.step_time[step])));
        }
    }
    phone->set("steps", steps);
    return (phone);
}

/// lyncboot-phones [{"hw-address", "subnet-id", "reached", "missing", "since"}]: the
/// phones the hook answered, most recently seen first, with when each got each step.
int phonesCommand(CalloutHandle& handle) {
    using isc::data::Element;
    isc::data::ConstElementPtr response;
    try {
        isc::data::ConstElementPtr command, arguments;
        handle.getArgument("command", command);
        isc::config::parseCommand(arguments, command);
        if (!phones) {
            response = isc::config::createAnswer(
                isc::config::CONTROL_RESULT_ERROR,
                "lyncboot tracks no phones: set the hook parameter 'phones-tracked' to how "
                "many to remember");
        } else {
            const PhoneFilter filter(arguments);
            std::vector<phone_record> records(phone_table_capacity(phones.get()) * 2);
            size_t total = 0;
            records.resize(phone_table_read(phones.get(), records.data(), records.size(),
                                            &total));
            std::sort(records.begin(), records.end(),
                      [](const phone_record& a, const phone_record& b) {
                          return (a.last_seen > b.last_seen);
                      });
            isc::data::ElementPtr list = Element::createList();
            for (auto const& record : records) {
                if (filter.matches(record)) {
                    list->add(phoneElement(record));
                }
            }
            isc::data::ElementPtr result = Element::createMap();
            const size_t listed = list->size();
            result->set("phones", list);
            result->set("tracked", Element::create(static_cast<int64_t>(total)));
            result->set("capacity",
                        Element::create(static_cast<int64_t>(phone_table_capacity(phones.get()))));
            result->set("dropped",
                        Element::create(static_cast<int64_t>(phone_table_dropped(phones.get()))));
            response = isc::config::createAnswer(
                isc::config::CONTROL_RESULT_SUCCESS,
                std::to_string(listed) + " phone(s) listed of " + std::to_string(total) +
                    " remembered",
                result);
        }
    } catch (const std::exception& ex) {
        response = isc::config::createAnswer(isc::config::CONTROL_RESULT_ERROR,
                                             std::string("lyncboot-phones: ") + ex.what());
    }
    handle.setArgument("response", response);
    return (0);
}

/// lyncboot-phones-reset: forgets every phone (a new rollout wave starts from none).
int phonesResetCommand(CalloutHandle& handle) {
    isc::data::ConstElementPtr response;
    try {
        if (phones) {
            phone_table_reset(phones.get());
            response = isc::config::createAnswer(isc::config::CONTROL_RESULT_SUCCESS,
                                                 "lyncboot forgot every phone");
        } else {
            response = isc::config::createAnswer(isc::config::CONTROL_RESULT_ERROR,
                                                 "lyncboot tracks no phones");
        }
    } catch (const std::exception& ex) {
        response = isc::config::createAnswer(isc::config::CONTROL_RESULT_ERROR, ex.what());
    }
    handle.setArgument("response", response);
    return (0);
}

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
        const size_t tracked = LyncbootHook::phonesTracked(handle.getParameters());
        std::unique_ptr<LyncbootHook> built(new LyncbootHook(handle.getParameters(), *config));
        phones.reset(tracked ? phone_table_new(tracked) : nullptr);
        if (tracked && !phones) {
            LOG_ERROR(lyncboot_logger, LYNCBOOT_LOAD_ERROR)
                .arg("no memory for a table of " + std::to_string(tracked) + " phones");
            return (1);
        }
        built->trackPhones(phones.get());
        registerMode(handle, *built, *config);
        // Kea changes its subnets while running through subnet_cmds and the
        // configuration backend: the answers follow.
        handle.registerCallout("command_processed", followSubnetCommand);
        handle.registerCallout("cb4_updated", followBackendUpdate);
        handle.registerCallout("dhcp4_srv_configured", followConfiguredServer);
        for (auto const& command : STATISTICS_COMMANDS) {
            handle.registerCommandCallout(command.first, statisticsCommand);
        }
        handle.registerCommandCallout("lyncboot-phones", phonesCommand);
        handle.registerCommandCallout("lyncboot-phones-reset", phonesResetCommand);
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
        phones.reset();
        LOG_INFO(lyncboot_logger, LYNCBOOT_UNLOAD);
    } catch (...) {
    }
    return (0);
}

} // extern "C"
