// SPDX-License-Identifier: MPL-2.0
#include "lyncboot_reply_subnet.h"

#include <dhcp/dhcp4.h>
#include <dhcpsrv/cfg_shared_networks.h>
#include <dhcpsrv/cfg_subnets4.h>
#include <dhcpsrv/cfgmgr.h>
#include <dhcpsrv/shared_network.h>
#include <dhcpsrv/subnet.h>

#include <algorithm>

using namespace isc::dhcp;

namespace isc {
namespace lyncboot {

namespace {

/// What in a subnet or shared network makes Kea's choice depend on more than an
/// address ("" when nothing).
std::string selectionInputs(const Network& network) {
    const std::string guard = kea_compat::guardClasses(network);
    if (!guard.empty()) {
        return ("guarded by client class '" + guard + "'");
    }
    if (network.hasRelays()) {
        return ("bound to relay addresses");
    }
    return ("");
}

} // namespace

ReplySubnetFinder::ReplySubnetFinder(const SrvConfig& config) {
    for (auto const& network : *config.getCfgSharedNetworks4()->getAll()) {
        const std::string inputs = selectionInputs(*network);
        if (!inputs.empty() && why_not_.empty()) {
            why_not_ = "shared network '" + network->getName() + "' is " + inputs;
        }
    }
    for (auto const& subnet : *config.getCfgSubnets4()->getAll()) {
        const std::string inputs = selectionInputs(*subnet);
        if (!inputs.empty() && why_not_.empty()) {
            why_not_ = "subnet " + subnet->toText() + " is " + inputs;
        }
        auto prefix = subnet->get();
        uint32_t first = prefix.first.toUint32();
        uint32_t mask = prefix.second == 0 ? 0 : ~uint32_t(0) << (32 - prefix.second);
        first &= mask;
        ranges_.push_back(Range{first, first | ~mask, subnet->getID()});
        first_of_[subnet->getID()] = first;
    }
    std::sort(ranges_.begin(), ranges_.end(),
              [](const Range& a, const Range& b) { return (a.first < b.first); });
    for (size_t i = 1; i < ranges_.size() && why_not_.empty(); ++i) {
        if (ranges_[i].first <= ranges_[i - 1].last) {
            why_not_ = "subnets " + std::to_string(ranges_[i - 1].id) + " and " +
                       std::to_string(ranges_[i].id) + " overlap";
        }
    }
}

void ReplySubnetFinder::eraseSubnet(SubnetID id) {
    auto known = first_of_.find(id);
    if (known == first_of_.end()) {
        return; // new to the index
    }
    // Ranges are in address order; overlapping subnets may share a first address.
    auto at = std::lower_bound(ranges_.begin(), ranges_.end(), known->second,
                               [](const Range& r, uint32_t a) { return (r.first < a); });
    for (; at != ranges_.end() && at->first == known->second; ++at) {
        if (at->id == id) {
            ranges_.erase(at);
            break;
        }
    }
    first_of_.erase(known);
}

void ReplySubnetFinder::setSubnet(const Subnet4& subnet) {
    auto prefix = subnet.get();
    uint32_t mask = prefix.second == 0 ? 0 : ~uint32_t(0) << (32 - prefix.second);
    uint32_t first = prefix.first.toUint32() & mask;
    eraseSubnet(subnet.getID());
    const std::string inputs = selectionInputs(subnet);
    if (!inputs.empty() && why_not_.empty()) {
        why_not_ = "subnet " + subnet.toText() + " is " + inputs;
    }
    Range range{first, first | ~mask, subnet.getID()};
    auto at = std::upper_bound(ranges_.begin(), ranges_.end(), first,
                               [](uint32_t a, const Range& r) { return (a < r.first); });
    at = ranges_.insert(at, range);
    first_of_[subnet.getID()] = first;
    // Overlap can only be with its neighbours in address order.
    auto overlaps = [](const Range& a, const Range& b) { return (b.first <= a.last); };
    if (why_not_.empty() && at != ranges_.begin() && overlaps(*(at - 1), *at)) {
        why_not_ = "subnets " + std::to_string((at - 1)->id) + " and " +
                   std::to_string(at->id) + " overlap";
    }
    if (why_not_.empty() && at + 1 != ranges_.end() && overlaps(*at, *(at + 1))) {
        why_not_ = "subnets " + std::to_string(at->id) + " and " +
                   std::to_string((at + 1)->id) + " overlap";
    }
}

SubnetID ReplySubnetFinder::containing(uint32_t address) const {
    auto it = std::upper_bound(ranges_.begin(), ranges_.end(), address,
                               [](uint32_t a, const Range& r) { return (a < r.first); });
    if (it == ranges_.begin()) {
        return (0);
    }
    --it;
    return (address <= it->last ? it->id : SubnetID(0));
}

SubnetID ReplySubnetFinder::keaSelector(const Pkt4Ptr& query) {
    kea_compat::SelectedSubnet4Ptr subnet = CfgMgr::instance().getCurrentCfg()->getCfgSubnets4()->selectSubnet(
        CfgSubnets4::initSelector(query));
    return (subnet ? subnet->getID() : SubnetID(0));
}

SubnetID ReplySubnetFinder::find(const Pkt4Ptr& query, const Pkt4& response) const {
    if (__builtin_expect(!why_not_.empty(), 0)) {
        // Not reached in the one-callout mode, which is chosen only without a reason
        // (and then nothing changes the subnets while Kea runs): Kea's own choice.
        return (keaSelector(query));
    }
    // A leased address lies in the subnet it was leased from, also when the allocator
    // moved to a sibling in a shared network.
    uint32_t leased = response.getYiaddr().toUint32();
    if (leased != 0) {
        return (containing(leased));
    }
    // An INFORM: the order of CfgSubnets4::selectSubnet(), for a configuration without
    // class guards and relay addresses (checked at load).
    if (query->isDhcp4o6()) {
        return (0); // selected from the DHCPv6 side; no phone uses it
    }
    auto agent = query->options_.find(DHO_DHCP_AGENT_OPTIONS);
    if ((agent != query->options_.end() && agent->second &&
         agent->second->getOption(RAI_OPTION_LINK_SELECTION)) ||
        query->options_.count(DHO_SUBNET_SELECTION) > 0) {
        return (keaSelector(query));
    }
    uint32_t relay = query->getGiaddr().toUint32();
    if (relay != 0) {
        return (containing(relay));
    }
    if (query->getLocalAddr().isV4Bcast()) {
        return (keaSelector(query)); // Kea goes by the interface
    }
    uint32_t client = query->getCiaddr().toUint32();
    if (client != 0) {
        return (containing(client));
    }
    uint32_t source = query->getRemoteAddr().toUint32();
    return (source != 0 ? containing(source) : keaSelector(query));
}

} // namespace lyncboot
} // namespace isc
