// SPDX-License-Identifier: MPL-2.0
// The subnet of a reply, found at pkt4_send without a subnet4_select callout. Kea's
// callout machinery costs about as much per callout as the hook's own work, so where
// the configuration allows, the hook uses one callout instead of two and finds the
// subnet from the reply itself: the leased address, or for an INFORM the address Kea's
// selector starts from. Only where that is exactly Kea's choice; otherwise it says why.
// (Kea 2.6 and later pass pkt4_send a "subnet4", but not for an INFORM: processInform()
// leaves Kea's context, the argument's source, reset, up to Kea 3.3 at least.)
#ifndef LYNCBOOT_REPLY_SUBNET_H
#define LYNCBOOT_REPLY_SUBNET_H

#include "kea_compat.h" // first: Kea's config.h

#include <dhcp/pkt4.h>
#include <dhcpsrv/srv_config.h>
#include <dhcpsrv/subnet_id.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace isc {
namespace lyncboot {

class ReplySubnetFinder {
public:
    /// Indexes the configuration's subnets and decides whether finding them from the
    /// reply gives exactly the subnet Kea selects. (Whether other hook libraries allow
    /// it is decided from Kea's list of them, in the callouts.)
    explicit ReplySubnetFinder(const isc::dhcp::SrvConfig& config);

    /// Why the configuration keeps a reply's subnet from being found without Kea's
    /// subnet4_select callout: a subnet or shared network guarded by a client class or
    /// bound to relay addresses, or overlapping subnets. "" when it does not.
    const std::string& whyNot() const { return (why_not_); }

    /// The subnet of an OFFER or ACK (0: none). The leased address when there is one;
    /// for an INFORM the relay, client or source address Kea's selector would use, or
    /// Kea's selector itself where the query carries a link selection or arrived as a
    /// broadcast; 0 for an INFORM over DHCPv4-over-DHCPv6, which no phone uses.
    isc::dhcp::SubnetID find(const isc::dhcp::Pkt4Ptr& query,
                             const isc::dhcp::Pkt4& response) const;

    /// The subnet an address lies in (0: none); a binary search.
    isc::dhcp::SubnetID containing(uint32_t address) const;

    /// A subnet Kea added or changed while running: its range again, and whether it
    /// now keeps finding the subnet from the reply from being exact.
    void setSubnet(const isc::dhcp::Subnet4& subnet);
    /// A subnet Kea deleted while running. Found through first_of_, so the work of a
    /// change does not grow with the number of subnets (but for the vector's shift).
    void eraseSubnet(isc::dhcp::SubnetID id);

private:
    struct Range {
        uint32_t first, last;
        isc::dhcp::SubnetID id;
    };

    static isc::dhcp::SubnetID keaSelector(const isc::dhcp::Pkt4Ptr& query);

    std::vector<Range> ranges_; // sorted by first address, not overlapping
    std::unordered_map<isc::dhcp::SubnetID, uint32_t> first_of_; // where each one is
    std::string why_not_;
};

} // namespace lyncboot
} // namespace isc

#endif
