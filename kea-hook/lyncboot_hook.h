// SPDX-License-Identifier: MPL-2.0
// Maps Kea's configuration and packets onto the lyncboot C core. Everything a reply
// needs is built in configure(); process() only looks up and copies.
#ifndef LYNCBOOT_HOOK_H
#define LYNCBOOT_HOOK_H

#include <cc/data.h>
#include <dhcp/option.h>
#include <dhcp/pkt4.h>
#include <dhcpsrv/srv_config.h>
#include <dhcpsrv/subnet_id.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace isc {
namespace lyncboot {

/// A configuration error: where it is (hook parameters, a shared network, a subnet)
/// and what is wrong, naming the key.
class ConfigError : public std::runtime_error {
public:
    ConfigError(const std::string& place, const std::string& reason)
        : std::runtime_error(reason), place_(place) {}
    const std::string& place() const { return (place_); }
private:
    std::string place_;
};

class LyncbootHook {
public:
    /// Builds every subnet's option bytes from the hook parameters and the subnets'
    /// "lyncboot" user-contexts. Throws ConfigError; leaves nothing half-built.
    LyncbootHook(const isc::data::ConstElementPtr& parameters,
                 const isc::dhcp::SrvConfig& config);

    /// Publishes the per-subnet statistics at zero (so statistic-get-all shows them).
    void initStatistics() const;
    /// Removes them again on unload.
    void removeStatistics() const;

    /// Adds the Lync options to an OFFER or ACK. selected_subnet is the subnet Kea
    /// selected for the query (0 when none).
    void process(const isc::dhcp::Pkt4& query, isc::dhcp::Pkt4& response,
                 isc::dhcp::SubnetID selected_subnet) const;

    size_t ucClientSubnets() const { return (uc_client_subnets_); }
    size_t vlanSubnets() const { return (vlan_subnets_); }

private:
    /// The precomputed answer of one subnet.
    struct SubnetAnswer {
        std::string label;              // "10.1.0.0/24 (id 1)"
        uint32_t network = 0, mask = 0; // to move within a shared network
        std::string shared_network;     // "" when none
        bool enabled = false;
        std::vector<isc::dhcp::OptionBuffer> uc_options; // parallel to uc_codes
        std::vector<uint16_t> uc_codes;
        std::string uc_codes_text;      // "43, 120, 42" for the log
        bool has_vlan = false;
        unsigned vlan = 0;
        isc::dhcp::OptionBuffer vlan_option43;
        std::string stat_uc_answered, stat_vlan_answered, stat_case_mismatch;
    };

    const SubnetAnswer* find(isc::dhcp::SubnetID selected,
                             const isc::dhcp::Pkt4& response) const;

    std::unordered_map<isc::dhcp::SubnetID, SubnetAnswer> subnets_;
    size_t uc_client_subnets_ = 0;
    size_t vlan_subnets_ = 0;
};

} // namespace lyncboot
} // namespace isc

#endif
