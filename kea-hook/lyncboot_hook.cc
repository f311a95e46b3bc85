// SPDX-License-Identifier: MPL-2.0
#include "lyncboot_hook.h"

#include "errtext.h"
#include "lyncboot_log.h"

#include <asiolink/io_address.h>
#include <dhcp/dhcp4.h>
#include <dhcpsrv/cfg_shared_networks.h>
#include <dhcpsrv/cfg_subnets4.h>
#include <dhcpsrv/shared_network.h>
#include <dhcpsrv/subnet.h>
#include <stats/stats_mgr.h>
#include <util/buffer.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <sstream>

using isc::data::ConstElementPtr;
using isc::data::Element;
using namespace isc::dhcp;

namespace isc {
namespace lyncboot {

namespace {

const char* const USER_CONTEXT_KEY = "lyncboot";
// The largest reply that still fits one Ethernet frame: 1500 - IPv4 - UDP headers.
const size_t MAX_REPLY_LEN = 1500 - 20 - 8;

std::string typeName(const ConstElementPtr& element) {
    return (Element::typeToName(static_cast<Element::types>(element->getType())));
}

/// Applies every key of a JSON map to settings; the C core checks names, types and
/// values, and its message names the key.
void applyMap(lync_settings& settings, lync_scope scope, const ConstElementPtr& map,
              const std::string& place) {
    for (auto const& entry : map->mapValue()) {
        const std::string& key = entry.first;
        if (scope == LYNC_SCOPE_GLOBAL && key == LyncbootHook::PHONES_TRACKED) {
            continue; // the hook's own, not an option setting (phonesTracked())
        }
        const ConstElementPtr& element = entry.second;
        lync_value value = {};
        std::vector<std::string> texts;
        std::vector<const char*> items;
        std::string type_name;
        switch (element->getType()) {
        case Element::string:
            value.type = LYNC_VALUE_STRING;
            texts.push_back(element->stringValue());
            value.text = texts.back().c_str();
            break;
        case Element::integer:
            value.type = LYNC_VALUE_INTEGER;
            value.integer = element->intValue();
            break;
        case Element::boolean:
            value.type = LYNC_VALUE_BOOLEAN;
            value.boolean = element->boolValue();
            break;
        case Element::list: {
            value.type = LYNC_VALUE_STRING_LIST;
            for (auto const& item : element->listValue()) {
                if (item->getType() != Element::string) {
                    value.type = LYNC_VALUE_OTHER;
                    type_name = "list of " + typeName(item);
                    break;
                }
                texts.push_back(item->stringValue());
            }
            for (auto const& text : texts) {
                items.push_back(text.c_str());
            }
            value.items = items.data();
            value.count = items.size();
            break;
        }
        default:
            value.type = LYNC_VALUE_OTHER;
            type_name = typeName(element);
            break;
        }
        value.type_name = type_name.c_str();
        char err[512];
        if (lync_settings_set(&settings, scope, key.c_str(), &value, err, sizeof(err)) != 0) {
            throw ConfigError(place, err);
        }
    }
}

/// The "lyncboot" map of a user-context, or null when there is none.
ConstElementPtr lyncbootContext(const ConstElementPtr& user_context, const std::string& place) {
    if (!user_context || user_context->getType() != Element::map) {
        return (ConstElementPtr());
    }
    ConstElementPtr ours = user_context->get(USER_CONTEXT_KEY);
    if (ours && ours->getType() != Element::map) {
        throw ConfigError(place, std::string("user-context key '") + USER_CONTEXT_KEY +
                                     "' must be a map (got " +
                                     typeName(ours) + ")");
    }
    return (ours);
}


std::string statName(SubnetID id, const char* name) {
    return (isc::stats::StatsMgr::generateName("subnet", id, name));
}

} // namespace

void LyncbootHook::completeReplyOptions(ReplyOptions& options, const std::string& place) {
    uint8_t tail[DHCP4_MAX_LEN];
    int len = dhcp4_encode_tail(options.refs, options.count, tail, sizeof(tail));
    if (len < 0) {
        throw ConfigError(place, "the Lync options do not fit in one DHCPv4 message");
    }
    options.tail.assign(tail, tail + len); // its own size, not DHCP4_MAX_LEN a subnet
    dhcp4_append_blockers(options.refs, options.count, &options.blockers);
}

std::string LyncbootHook::label(const SubnetAnswer& subnet) {
    std::ostringstream text;
    text << isc::asiolink::IOAddress(subnet.network).toText() << "/"
         << __builtin_popcount(subnet.mask) << " (id " << subnet.id << ")";
    return (text.str());
}

LyncbootHook::LyncbootHook(const ConstElementPtr& parameters, const SrvConfig& config)
    : reply_subnets_(config) {
    build(parameters, config, nullptr);
}

LyncbootHook::LyncbootHook(const ConstElementPtr& parameters, const SrvConfig& config,
                           const LyncbootHook& previous)
    : phones_(previous.phones_), reply_subnets_(config) {
    build(parameters, config, &previous);
}

size_t LyncbootHook::phonesTracked(const ConstElementPtr& parameters) {
    ConstElementPtr value =
        parameters && parameters->getType() == Element::map ? parameters->get(PHONES_TRACKED)
                                                            : ConstElementPtr();
    if (!value) {
        return (0);
    }
    if (value->getType() != Element::integer || value->intValue() < 0 ||
        value->intValue() > PHONES_TRACKED_MAX) {
        throw ConfigError("the hook parameters",
                          std::string("parameter '") + PHONES_TRACKED +
                              "' must be the number of phones to remember, 0-" +
                              std::to_string(PHONES_TRACKED_MAX) + " (got " + value->str() +
                              ")");
    }
    return (static_cast<size_t>(value->intValue()));
}

std::shared_ptr<const LyncbootHook::Answer>
LyncbootHook::answerFor(const lync_settings& settings, const std::string& place) {
    auto built = std::make_shared<Answer>(); // in place: the refs point into it
    char err[512];
    if (lync_optset_build(&settings, &built->options, err, sizeof(err)) != 0) {
        throw ConfigError(place, err);
    }
    built->uc.count = lync_optset_uc_client_refs(&built->options, built->uc.refs);
    built->vlan.count = lync_optset_vlan_refs(&built->options, built->vlan.refs);
    completeReplyOptions(built->uc, place);
    completeReplyOptions(built->vlan, place);
    built->vlan_id = settings.voice_vlan;
    return (answers_by_bytes_.emplace(answerKey(*built), built).first->second);
}

std::string LyncbootHook::answerKey(const Answer& answer) {
    std::string key(answer.uc.tail.begin(), answer.uc.tail.end());
    key.push_back('\0'); // the tails end in END (255): the key splits unambiguously
    key.append(answer.vlan.tail.begin(), answer.vlan.tail.end());
    key.append(std::to_string(answer.vlan_id));
    return (key);
}

void LyncbootHook::build(const ConstElementPtr& parameters, const SrvConfig& config,
                         const LyncbootHook* previous) {
    const std::string global_place = "the hook parameters";
    lync_settings_defaults(&global_settings_);
    if (parameters) {
        if (parameters->getType() != Element::map) {
            throw ConfigError(global_place, "parameters must be a map");
        }
        applyMap(global_settings_, LYNC_SCOPE_GLOBAL, parameters, global_place);
    }
    // Subnets with the same options share one answer, found by its bytes; a level's
    // answer is built once: a subnet without a lyncboot context of its own takes its
    // network's (or the global one) as it is. The global level must be complete on its
    // own: it is what every subnet inherits.
    global_answer_ = answerFor(global_settings_, global_place);

    // Shared networks first: a subnet inherits from its network.
    for (auto const& network : *config.getCfgSharedNetworks4()->getAll()) {
        NetworkLevel level;
        try {
            buildNetworkLevel(*network, level);
        } catch (const ConfigError& ex) {
            if (!previous) {
                throw;
            }
            // Its subnets keep the answers they had (setSubnet).
            refused_.push_back(ex.place() + ": " + ex.what());
            level.answer.reset();
        }
        network_names_.push_back(network->getName());
        level.index = network_names_.size(); // 0 means none
        networks_[network->getName()] = std::move(level);
    }

    for (auto const& subnet : *config.getCfgSubnets4()->getAll()) {
        std::shared_ptr<const Answer> had;
        uint8_t had_statistics = 0;
        if (previous) { // what it had, and the statistics its counts made
            auto it = previous->subnets_.find(subnet->getID());
            if (it != previous->subnets_.end()) {
                had = it->second.answer;
                had_statistics = it->second.statistics_made;
            }
        }
        std::string refusal = setSubnet(*subnet, had, had_statistics, previous == nullptr);
        if (!refusal.empty()) {
            refused_.push_back(refusal);
        }
    }
}

void LyncbootHook::buildNetworkLevel(const SharedNetwork4& network, NetworkLevel& level) {
    const std::string place = "shared network '" + network.getName() + "'";
    level.settings = global_settings_;
    level.answer = global_answer_;
    level.backend_id = network.getId();
    ConstElementPtr ours = lyncbootContext(network.getContext(), place);
    if (ours) {
        applyMap(level.settings, LYNC_SCOPE_NETWORK, ours, place);
        level.answer = answerFor(level.settings, place);
    }
}

void LyncbootHook::moveMember(SubnetID id, size_t from, size_t to) {
    if (from == to) {
        return;
    }
    auto level = [this](size_t index) -> NetworkLevel* {
        if (index == 0 || index > network_names_.size()) {
            return (nullptr);
        }
        auto it = networks_.find(network_names_[index - 1]);
        return (it != networks_.end() && it->second.index == index ? &it->second : nullptr);
    };
    if (NetworkLevel* old_level = level(from)) {
        auto& members = old_level->members;
        members.erase(std::remove(members.begin(), members.end(), id), members.end());
    }
    if (NetworkLevel* new_level = level(to)) {
        new_level->members.push_back(id);
    }
}

std::string LyncbootHook::setSubnet(const Subnet4& subnet, const std::shared_ptr<const Answer>& had,
                                    uint8_t had_statistics, bool at_load) {
    const NetworkLevel* network = nullptr;
    const std::string network_name = subnet.getSharedNetworkName();
    if (!network_name.empty()) {
        auto it = networks_.find(network_name);
        network = it != networks_.end() ? &it->second : nullptr;
    }
    std::string refusal;
    std::shared_ptr<const Answer> built = network ? network->answer : global_answer_;
    try {
        ConstElementPtr ours = lyncbootContext(subnet.getContext(), "");
        if (ours && (!network || network->answer)) {
            lync_settings settings = network ? network->settings : global_settings_;
            applyMap(settings, LYNC_SCOPE_NETWORK, ours, "");
            built = answerFor(settings, "");
        }
    } catch (const ConfigError& ex) {
        // The place is named here, only when needed: Subnet::toText() costs more than
        // building a subnet's answer.
        const std::string place = "subnet " + subnet.toText() + " (id " +
                                  std::to_string(subnet.getID()) + ")";
        if (at_load) {
            throw ConfigError(place, ex.what());
        }
        refusal = place + ": " + ex.what();
        built.reset();
    }
    if (!built) { // refused here or in its network: what it had, if anything
        if (!had) {
            return (refusal);
        }
        built = had;
    }
    SubnetAnswer& answer = subnets_[subnet.getID()];
    moveMember(subnet.getID(), answer.answer ? answer.shared_network : 0,
               network ? network->index : 0);
    if (answer.answer) { // changed in place: it no longer counts as it did
        uc_client_subnets_ -= answer.answer->uc.count > 0 ? 1 : 0;
        vlan_subnets_ -= answer.answer->vlan.count > 0 ? 1 : 0;
    }
    answer.answer = built;
    answer.statistics_made |= had_statistics;
    auto prefix = subnet.get();
    answer.network = prefix.first.toUint32();
    answer.mask = prefix.second == 0 ? 0 : ~uint32_t(0) << (32 - prefix.second);
    answer.shared_network = network ? network->index : 0;
    answer.id = subnet.getID();
    uc_client_subnets_ += built->uc.count > 0 ? 1 : 0;
    vlan_subnets_ += built->vlan.count > 0 ? 1 : 0;
    return (refusal);
}

std::vector<std::string> LyncbootHook::followSubnets(const SrvConfig& current,
                                                     const std::vector<SubnetID>& ids,
                                                     bool& whole_needed) {
    std::vector<std::string> refusals;
    whole_needed = false;
    last_followed_ = ids.size();
    // The answers the changed subnets had: those no subnet uses any more go at the end.
    std::vector<std::shared_ptr<const Answer>> released;
    for (SubnetID id : ids) {
        auto subnet = current.getCfgSubnets4()->getBySubnetId(id);
        if (subnet && !subnet->getSharedNetworkName().empty() &&
            networks_.count(subnet->getSharedNetworkName()) == 0) {
            whole_needed = true;
            return (refusals);
        }
        auto had = subnets_.find(id);
        std::shared_ptr<const Answer> had_answer =
            had != subnets_.end() ? had->second.answer : std::shared_ptr<const Answer>();
        if (had_answer) {
            released.push_back(had_answer);
        }
        if (!subnet) { // deleted: its answer, its place in the index, its statistics
            if (had != subnets_.end()) {
                uc_client_subnets_ -= had_answer->uc.count > 0 ? 1 : 0;
                vlan_subnets_ -= had_answer->vlan.count > 0 ? 1 : 0;
                removeStatisticsOf(id, had->second.statistics_made);
                moveMember(id, had->second.shared_network, 0);
                subnets_.erase(had);
            }
            reply_subnets_.eraseSubnet(id);
            continue;
        }
        std::string refusal = setSubnet(*subnet, had_answer, 0, false);
        if (!refusal.empty()) {
            refusals.push_back(refusal);
        }
        reply_subnets_.setSubnet(*subnet);
    }
    std::sort(released.begin(), released.end());
    released.erase(std::unique(released.begin(), released.end()), released.end());
    for (auto& answer : released) {
        // Held only by the map and this list: no subnet or shared network uses it.
        if (answer.use_count() == 2 && answer != global_answer_) {
            answers_by_bytes_.erase(answerKey(*answer));
        }
    }
    return (refusals);
}

std::vector<std::string> LyncbootHook::followNetworks(const SrvConfig& current,
                                                      const std::vector<std::string>& names,
                                                      std::vector<SubnetID> ids,
                                                      bool& whole_needed) {
    std::vector<std::string> refusals;
    std::vector<std::shared_ptr<const Answer>> released;
    for (auto const& name : names) {
        auto had = networks_.find(name);
        if (had != networks_.end()) {
            ids.insert(ids.end(), had->second.members.begin(), had->second.members.end());
            if (had->second.answer) {
                released.push_back(had->second.answer);
            }
        }
        auto network = current.getCfgSharedNetworks4()->getByName(name);
        if (!network) {
            if (had != networks_.end()) {
                networks_.erase(had); // its subnets follow: gone, or on their own
            }
            continue;
        }
        for (auto const& subnet : *network->getAllSubnets()) {
            ids.push_back(subnet->getID());
        }
        NetworkLevel level;
        try {
            buildNetworkLevel(*network, level);
        } catch (const ConfigError& ex) {
            refusals.push_back(ex.place() + ": " + ex.what());
            level.answer.reset(); // its subnets keep what they had
        }
        if (had != networks_.end()) {
            level.index = had->second.index;
            level.members = std::move(had->second.members);
            had->second = std::move(level);
        } else {
            network_names_.push_back(name);
            level.index = network_names_.size();
            networks_[name] = std::move(level);
        }
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::vector<std::string> subnet_refusals = followSubnets(current, ids, whole_needed);
    refusals.insert(refusals.end(), subnet_refusals.begin(), subnet_refusals.end());
    for (auto& answer : released) {
        // Held only by the map and this list: no network or subnet uses it any more.
        if (answer.use_count() == 2 && answer != global_answer_) {
            answers_by_bytes_.erase(answerKey(*answer));
        }
    }
    return (refusals);
}

std::string LyncbootHook::networkByBackendId(const SrvConfig& current, uint64_t id) const {
    for (auto const& network : *current.getCfgSharedNetworks4()->getAll()) {
        if (network->getId() == id) {
            return (network->getName());
        }
    }
    for (auto const& entry : networks_) {
        if (entry.second.backend_id == id) {
            return (entry.first);
        }
    }
    return ("");
}

// The names of each subnet's statistics are made when they are needed (a statistic-*
// command, unload), not kept: 150 bytes a subnet at thousands of subnets. A statistic
// is made by its subnet's first count, not at load: each costs Kea about 440 bytes and
// a map insertion, 13 MB and 8 % of a configuration's load time at 10,000 subnets.
const char* const STAT_UC_ANSWERED = "lyncboot-uc-client-answered";
const char* const STAT_VLAN_ANSWERED = "lyncboot-vlan-answered";
const char* const STAT_CASE_MISMATCH = "lyncboot-vendor-class-case-mismatch";

void LyncbootHook::flushStatistics() const {
    auto& stats = isc::stats::StatsMgr::instance();
    for (auto const& entry : subnets_) {
        const SubnetAnswer& answer = entry.second;
        // An array, not a braced list of pairs: GCC 14's -Wdangling-reference warns on
        // the latter although nothing dangles.
        const std::pair<std::atomic<uint64_t>*, const char*> counters[] = {
            {&answer.uc_answered, STAT_UC_ANSWERED},
            {&answer.vlan_answered, STAT_VLAN_ANSWERED},
            {&answer.case_mismatch, STAT_CASE_MISMATCH}};
        for (size_t i = 0; i < 3; ++i) {
            uint64_t taken = counters[i].first->exchange(0, std::memory_order_relaxed);
            if (taken > 0) {
                stats.addValue(statName(entry.first, counters[i].second),
                               static_cast<int64_t>(taken));
                answer.statistics_made |= static_cast<uint8_t>(1u << i);
            }
        }
    }
}

void LyncbootHook::removeStatisticsOf(SubnetID id, uint8_t made) {
    // Only the statistics a count made: a name costs Kea's generateName() (a string
    // stream) and a look-up, for tens of thousands of subnets at every reload.
    const char* const names[] = {STAT_UC_ANSWERED, STAT_VLAN_ANSWERED, STAT_CASE_MISMATCH};
    for (size_t i = 0; i < 3; ++i) {
        if (made & (1u << i)) {
            isc::stats::StatsMgr::instance().del(statName(id, names[i]));
        }
    }
}

void LyncbootHook::removeStatistics(const LyncbootHook* keep) const {
    for (auto const& entry : subnets_) {
        if (!keep || keep->subnets_.count(entry.first) == 0) {
            removeStatisticsOf(entry.first, entry.second.statistics_made);
        }
    }
}

const LyncbootHook::SubnetAnswer*
LyncbootHook::find(SubnetID selected, const Pkt4& response) const {
    auto it = subnets_.find(selected);
    if (it == subnets_.end()) {
        return (nullptr);
    }
    const SubnetAnswer* answer = &it->second;
    if (answer->shared_network == 0) {
        return (answer);
    }
    // In a shared network the allocator may lease from a sibling of the subnet first
    // selected; the leased address tells which one.
    uint32_t yiaddr = response.getYiaddr().toUint32();
    if (yiaddr == 0 || (yiaddr & answer->mask) == answer->network) {
        return (answer);
    }
    auto sibling = subnets_.find(reply_subnets_.containing(yiaddr));
    if (sibling != subnets_.end() && sibling->second.shared_network == answer->shared_network) {
        return (&sibling->second);
    }
    return (answer);
}

vendor_class LyncbootHook::vendorClass(const Pkt4& query) const {
    // Read option 60 in place, without Pkt::getOption()'s copy: the hook only reads it.
    auto vendor_option = query.options_.find(DHO_VENDOR_CLASS_IDENTIFIER);
    if (vendor_option == query.options_.end() || !vendor_option->second) {
        return (VENDOR_CLASS_OTHER);
    }
    const OptionBuffer& data = vendor_option->second->getData();
    return (vendor_class_classify(data.data(), data.size()));
}

QueryNote LyncbootHook::classify(const Pkt4& query, SubnetID selected) const {
    QueryNote note;
    note.subnet = selected;
    note.kind = vendorClass(query);
    if (note.kind == VENDOR_CLASS_CASE_MISMATCH) {
        noteCaseMismatch(query, selected);
    }
    return (note);
}

void LyncbootHook::noteCaseMismatch(const Pkt4& query, SubnetID selected) const {
    auto it = subnets_.find(selected);
    if (it != subnets_.end()) {
        it->second.case_mismatch.fetch_add(1, std::memory_order_relaxed);
    }
    const isc::dhcp::HWAddrPtr& hw = query.getHWAddr();
    if (phones_ && hw && hw->hwaddr_.size() == 6) {
        phone_event event{};
        std::memcpy(event.mac, hw->hwaddr_.data(), 6);
        event.step = PHONE_STEP_CASE_MISMATCH;
        event.when = std::time(nullptr);
        event.subnet_id = selected;
        const std::vector<uint8_t> ciaddr = query.getCiaddr().toBytes();
        const std::vector<uint8_t> giaddr = query.getGiaddr().toBytes();
        if (ciaddr.size() == 4 && giaddr.size() == 4) {
            std::memcpy(event.addr, ciaddr.data(), 4);
            std::memcpy(event.relay, giaddr.data(), 4);
        }
        phone_table_note(phones_, &event);
    }
    // One warning a minute at most: the statistic counts every query, the log names
    // one and says how many more there were.
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::steady_clock::now().time_since_epoch()).count();
    int64_t next = case_warn_next_.load(std::memory_order_relaxed);
    if (now < next ||
        !case_warn_next_.compare_exchange_strong(next, now + CASE_WARN_INTERVAL)) {
        case_warn_held_.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    const OptionBuffer& data =
        query.options_.find(DHO_VENDOR_CLASS_IDENTIFIER)->second->getData();
    char vendor[4 * 255 + 1]; // the client's bytes, quoted: no forged log lines
    errtext_quote(reinterpret_cast<const char*>(data.data()), data.size(), vendor,
                  sizeof(vendor));
    LOG_WARN(lyncboot_logger, LYNCBOOT_CASE_MISMATCH)
        .arg(query.getLabel())
        .arg(std::string(vendor))
        .arg(it != subnets_.end() ? label(it->second) : std::string("(none)"))
        .arg(case_warn_held_.exchange(0, std::memory_order_relaxed))
        .arg(CASE_WARN_INTERVAL);
}

namespace {

// The rare paths of addOptions(), out of line and marked cold, so that the path every
// phone's reply takes stays in a few cache lines: each reply finds the hook's code
// evicted by Kea's, and its cache misses cost more than its instructions.

[[gnu::cold]] [[gnu::noinline]] void logNoSubnet(const Pkt4& response, vendor_class kind) {
    LOG_DEBUG(lyncboot_logger, LYNCBOOT_DBG_PACKET, LYNCBOOT_NO_SUBNET)
        .arg(response.getLabel())
        .arg(kind == VENDOR_CLASS_IS_UC_CLIENT ? VENDOR_CLASS_UC_CLIENT
                                               : VENDOR_CLASS_CPE_OCPHONE);
}

/// Something of ours to replace, relay agent information to keep last, or padding:
/// rewrites the option area. Whatever other configuration put in 43/120/42/2 is dropped
/// there. False when the reply is malformed or would grow too long; it is then unchanged.
[[gnu::cold]] [[gnu::noinline]] bool rewriteOptions(isc::util::OutputBuffer& buffer,
                                                    const dhcp4_option_ref* refs,
                                                    size_t count) {
    uint8_t wire[DHCP4_MAX_LEN];
    size_t len = buffer.getLength();
    if (len > sizeof(wire)) {
        return (false);
    }
    std::memcpy(wire, buffer.getData(), len);
    int new_len = dhcp4_replace_options(wire, len, MAX_REPLY_LEN, refs, count);
    if (new_len < 0) {
        return (false);
    }
    buffer.clear();
    buffer.writeData(wire, static_cast<size_t>(new_len));
    return (true);
}

[[gnu::cold]] [[gnu::noinline]] void logNotAdded(const Pkt4& response) {
    LOG_ERROR(lyncboot_logger, LYNCBOOT_PROCESS_ERROR)
        .arg(response.getLabel())
        .arg("the reply is malformed or would pass " + std::to_string(MAX_REPLY_LEN) +
             " bytes with the Lync options; sent without them");
}

[[gnu::cold]] [[gnu::noinline]] void logAnswered(const Pkt4& response, bool uc,
                                                 size_t count, unsigned vlan,
                                                 const std::string& label) {
    if (uc) {
        LOG_DEBUG(lyncboot_logger, LYNCBOOT_DBG_PACKET, LYNCBOOT_UC_CLIENT_ANSWERED)
            .arg(response.getLabel())
            .arg(count)
            .arg(label);
    } else {
        LOG_DEBUG(lyncboot_logger, LYNCBOOT_DBG_PACKET, LYNCBOOT_VLAN_ANSWERED)
            .arg(response.getLabel())
            .arg(vlan)
            .arg(label);
    }
}

} // namespace

void LyncbootHook::notePhone(const dhcp4_parties& who, int type, bool uc, SubnetID subnet,
                             unsigned vlan) const {
    static const uint8_t none[4] = {0, 0, 0, 0};
    phone_event event{};
    std::memcpy(event.mac, who.mac, 6);
    if (!uc) {
        event.step = PHONE_STEP_VLAN;
        event.vlan = static_cast<uint16_t>(vlan);
        std::memcpy(event.addr, who.yiaddr, 4);
    } else if (type == DHCPACK && std::memcmp(who.yiaddr, none, 4) == 0) {
        event.step = PHONE_STEP_INFORM; // RFC 2131 4.3.5: no yiaddr for an INFORM
        std::memcpy(event.addr, who.ciaddr, 4);
    } else if (type == DHCPACK) {
        event.step = PHONE_STEP_LEASE;
        std::memcpy(event.addr, who.yiaddr, 4);
    } else {
        return; // an OFFER to MS-UC-Client: the lease comes with the ACK
    }
    event.when = std::time(nullptr);
    event.subnet_id = subnet;
    std::memcpy(event.relay, who.giaddr, 4);
    phone_table_note(phones_, &event);
}

bool LyncbootHook::addOptions(Pkt4& response, const QueryNote& note, bool pack_first) const {
    if (note.kind != VENDOR_CLASS_IS_UC_CLIENT && note.kind != VENDOR_CLASS_IS_CPE_OCPHONE) {
        return (false);
    }
    const SubnetAnswer* subnet = find(note.subnet, response);
    if (!subnet) {
        logNoSubnet(response, note.kind);
        return (false);
    }
    const bool uc = note.kind == VENDOR_CLASS_IS_UC_CLIENT;
    const Answer& answer = *subnet->answer;
    const ReplyOptions& ours = uc ? answer.uc : answer.vlan;
    if (ours.count == 0) {
        return (false); // disabled subnet, or CPE-OCPHONE where no voice VLAN is set
    }
    if (pack_first) {
        response.pack();
    }

    // The reply is packed: put our options in its wire form. Its type is read there
    // too, as Pkt4::getType()'s dynamic cast costs more than the byte it finds.
    isc::util::OutputBuffer& buffer = response.getBuffer();
    const uint8_t* wire = static_cast<const uint8_t*>(buffer.getData());
    size_t len = buffer.getLength();
    int type = dhcp4_packed_type(wire, len);
    if (type != DHCPOFFER && type != DHCPACK) {
        return (pack_first);
    }
    // Who the reply is for, read before the splice moves the buffer (only when phones
    // are tracked: a branch otherwise).
    dhcp4_parties who;
    const bool track = phones_ && dhcp4_packed_parties(wire, len, &who) == 0;
    int end_at = dhcp4_append_offset(wire, len, &ours.blockers);
    if (__builtin_expect(end_at >= 0 &&
                         static_cast<size_t>(end_at) + ours.tail.size() <= MAX_REPLY_LEN, 1)) {
        buffer.trim(len - static_cast<size_t>(end_at));
        buffer.writeData(ours.tail.data(), ours.tail.size());
    } else if (!rewriteOptions(buffer, ours.refs, ours.count)) {
        logNotAdded(response);
        return (pack_first);
    }

    (uc ? subnet->uc_answered : subnet->vlan_answered).fetch_add(1, std::memory_order_relaxed);
    if (track) {
        notePhone(who, type, uc, subnet->id, answer.vlan_id);
    }
    if (lyncboot_logger.isDebugEnabled(LYNCBOOT_DBG_PACKET)) {
        logAnswered(response, uc, ours.count, answer.vlan_id, label(*subnet));
    }
    return (pack_first);
}

} // namespace lyncboot
} // namespace isc
