// SPDX-License-Identifier: MPL-2.0
// Maps Kea's configuration and packets onto the lyncboot C core. Everything a reply
// needs is built in the constructor; per reply the hook classifies the query's vendor
// class and splices the subnet's prebuilt options into the packed reply: a lookup and
// a copy, no Option objects. The subnet comes from the reply (ReplySubnetFinder, one
// callout: pkt4_send) or, where that is not exact, from Kea's subnet4_select callout
// (two callouts: subnet4_select, buffer4_send).
#ifndef LYNCBOOT_HOOK_H
#define LYNCBOOT_HOOK_H

#include "kea_compat.h" // first: Kea's config.h

#include <cc/data.h>
#include <dhcp/pkt4.h>
#include <dhcpsrv/shared_network.h>
#include <dhcpsrv/srv_config.h>
#include <dhcpsrv/subnet_id.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "dhcp4_msg.h"
#include "lync_settings.h"
#include "lyncboot_reply_subnet.h"
#include "phone_table.h"
#include "vendor_class.h"

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

/// What the hook learnt about a query when Kea selected its subnet.
struct QueryNote {
    vendor_class kind = VENDOR_CLASS_OTHER;
    isc::dhcp::SubnetID subnet = 0;
};

class LyncbootHook {
public:
    /// Builds every subnet's option bytes from the hook parameters and the subnets'
    /// "lyncboot" user-contexts. Throws ConfigError; leaves nothing half-built.
    LyncbootHook(const isc::data::ConstElementPtr& parameters,
                 const isc::dhcp::SrvConfig& config);

    /// The same for a configuration Kea changed while running (subnet_cmds, the
    /// configuration backend), from the answers in service: a subnet or shared network
    /// whose lyncboot context is bad keeps the answers it had (none if it is new), and
    /// the reasons are in refused(). Throws ConfigError only for the hook parameters.
    LyncbootHook(const isc::data::ConstElementPtr& parameters,
                 const isc::dhcp::SrvConfig& config, const LyncbootHook& previous);

    /// What the running-configuration constructor refused: "place: reason" each.
    const std::vector<std::string>& refused() const { return (refused_); }

    /// Follows a change Kea made to some subnets while running (subnet_cmds): builds
    /// the named subnets' answers again in place and drops those Kea no longer has;
    /// the work is proportional to the change. A refused one keeps what it had. Call
    /// only while Kea's packet threads are held. Returns the refusals; sets
    /// whole_needed (and stops) at a subnet of a shared network it does not know:
    /// then only a rebuild from the whole configuration is right.
    std::vector<std::string> followSubnets(const isc::dhcp::SrvConfig& current,
                                           const std::vector<isc::dhcp::SubnetID>& ids,
                                           bool& whole_needed);

    /// How many subnets the last followSubnets() (or followNetworks()) built again.
    size_t lastFollowed() const { return (last_followed_); }

    /// Follows a change Kea made to some shared networks while running (network4-*
    /// commands, a configuration backend update): builds the named networks' levels
    /// again (one Kea no longer has goes), then, through followSubnets(), the subnets
    /// they had and have, and the subnets in more_ids. A network whose context is
    /// refused keeps its subnets' answers. Same contract as followSubnets().
    std::vector<std::string> followNetworks(const isc::dhcp::SrvConfig& current,
                                            const std::vector<std::string>& names,
                                            std::vector<isc::dhcp::SubnetID> more_ids,
                                            bool& whole_needed);

    /// The name of the shared network a configuration backend knows by id, in the
    /// running configuration or, if Kea deleted it, among the networks lyncboot had;
    /// "" when neither has it.
    std::string networkByBackendId(const isc::dhcp::SrvConfig& current, uint64_t id) const;

    /// Removes the per-subnet statistics on unload; with keep, only those of subnets
    /// keep does not have (a subnet the running configuration lost).
    void removeStatistics(const LyncbootHook* keep = nullptr) const;
    /// Hands the counts taken since the last call to Kea's statistics manager (a
    /// subnet's statistic appears with its first count). Called
    /// before any statistic-* command reads or resets statistics, so readers see every
    /// reply, while a reply itself costs one atomic increment instead of a statistics
    /// manager update (a lock, a map look-up and a timestamped sample).
    void flushStatistics() const;

    /// Classifies option 60 of a query for the subnet Kea selected (0: none); counts
    /// and logs a Lync vendor class in the wrong letter case.
    QueryNote classify(const isc::dhcp::Pkt4& query, isc::dhcp::SubnetID selected) const;

    /// The vendor class in option 60 of a query.
    vendor_class vendorClass(const isc::dhcp::Pkt4& query) const;

    /// Splices the subnet's options into an OFFER or ACK. With pack_first the reply is
    /// not packed yet: it is packed here when the query is a phone's on a subnet that
    /// answers it (the type is read from the packed bytes), and the result says whether
    /// it was (the caller then tells Kea not to pack it again).
    bool addOptions(isc::dhcp::Pkt4& response, const QueryNote& note, bool pack_first) const;

    /// The hook parameter that sizes the phone table ("phones-tracked": how many phones
    /// to remember, 0 or absent: none). Throws ConfigError for a bad value.
    static size_t phonesTracked(const isc::data::ConstElementPtr& parameters);
    static constexpr const char* PHONES_TRACKED = "phones-tracked";
    static constexpr int64_t PHONES_TRACKED_MAX = 1000000;

    /// Remembers every phone this hook answers in table (owned by the caller, which
    /// keeps it beyond this object: a change at run time builds a new hook that goes on
    /// with the same table); nullptr: none.
    void trackPhones(phone_table* table) { phones_ = table; }
    phone_table* phones() const { return (phones_); }

    /// Finds a reply's subnet without Kea's subnet4_select callout, where exact.
    const ReplySubnetFinder& replySubnets() const { return (reply_subnets_); }

    size_t ucClientSubnets() const { return (uc_client_subnets_); }
    /// How many distinct answers the subnets share.
    size_t distinctAnswers() const { return (answers_by_bytes_.size()); }
    size_t vlanSubnets() const { return (vlan_subnets_); }

private:
    /// Counts every query with a Lync vendor class in the wrong letter case and logs
    /// at most one a CASE_WARN_INTERVAL (any client can send them); out of the way of
    /// the path every query takes.
    [[gnu::cold]] [[gnu::noinline]] void noteCaseMismatch(const isc::dhcp::Pkt4& query,
                                                          isc::dhcp::SubnetID selected) const;

    /// Notes an answered phone in the phone table: the step from the reply's type and
    /// addresses (an ACK without yiaddr answers an INFORM).
    void notePhone(const dhcp4_parties& who, int type, bool uc, isc::dhcp::SubnetID subnet,
                   unsigned vlan) const;

    /// Where answered phones are noted; not owned (see trackPhones()).
    phone_table* phones_ = nullptr;

    /// Seconds between two case-mismatch warnings; the ones between are counted and
    /// the count goes into the next warning.
    static constexpr int64_t CASE_WARN_INTERVAL = 60;
    /// When the next warning may be logged (steady clock, seconds), and how many were
    /// held back since the last one.
    mutable std::atomic<int64_t> case_warn_next_{0};
    mutable std::atomic<uint64_t> case_warn_held_{0};

    /// The options one vendor class gets on one subnet, in every form a reply needs.
    struct ReplyOptions {
        dhcp4_option_ref refs[4]; // point into SubnetAnswer::options: the map node never moves
        size_t count = 0;         // 0: this vendor class gets nothing here
        // The same options followed by END: what replaces a reply's END when nothing
        // in the reply has to be replaced (the common case, no rewrite).
        std::vector<uint8_t> tail;
        // What in a reply keeps the tail from simply being appended.
        dhcp4_code_set blockers{};
    };

    /// Fills in the tail and the blockers from refs and count. Throws ConfigError
    /// (naming place) when the options do not fit in one DHCPv4 message.
    static void completeReplyOptions(ReplyOptions& options, const std::string& place);

    /// The options a subnet's phones get, precomputed. One is shared by every subnet
    /// whose options are the same: at thousands of subnets most inherit one answer. It
    /// is built in place and never moves (the ReplyOptions' refs point into options).
    struct Answer {
        lync_optset options;
        ReplyOptions uc, vlan;          // for MS-UC-Client and for CPE-OCPHONE
        unsigned vlan_id = 0;
    };

    /// One subnet: where it lies, its answer, its counts.
    struct SubnetAnswer {
        std::shared_ptr<const Answer> answer;
        uint32_t network = 0, mask = 0; // its label, and moves within a shared network
        size_t shared_network = 0;      // its NetworkLevel's index; 0 when none
        isc::dhcp::SubnetID id = 0;
        // Not yet in Kea's statistics manager (flushStatistics()).
        mutable std::atomic<uint64_t> uc_answered{0}, vlan_answered{0}, case_mismatch{0};
        // Which of the three a count has made in Kea's statistics manager (bit 0 uc,
        // 1 vlan, 2 case mismatch); read and written only by the command thread.
        mutable uint8_t statistics_made = 0;
    };

    /// The bytes that make an answer what it is: the key of answers_by_bytes_.
    static std::string answerKey(const Answer& answer);

    /// "10.1.0.0/24 (id 1)", for the log: made when a message needs it, not kept.
    static std::string label(const SubnetAnswer& subnet);

    const SubnetAnswer* find(isc::dhcp::SubnetID selected,
                             const isc::dhcp::Pkt4& response) const;

    /// Both constructors: previous is null at load (any error throws).
    void build(const isc::data::ConstElementPtr& parameters,
               const isc::dhcp::SrvConfig& config, const LyncbootHook* previous);

    /// The answer for a level's settings, shared with every equal one. Throws
    /// ConfigError naming place.
    std::shared_ptr<const Answer> answerFor(const lync_settings& settings,
                                            const std::string& place);

    /// Builds one subnet's entry from its network's (or the global) level and its own
    /// context. At load a bad context throws; at run time the subnet keeps had (or
    /// gets no entry) and the refusal ("place: reason") is returned.
    std::string setSubnet(const isc::dhcp::Subnet4& subnet,
                          const std::shared_ptr<const Answer>& had, uint8_t had_statistics,
                          bool at_load);

    /// Deletes the statistics a subnet's counts made.
    static void removeStatisticsOf(isc::dhcp::SubnetID id, uint8_t made);

    /// A shared network's level (a subnet there inherits it).
    struct NetworkLevel {
        lync_settings settings;
        std::shared_ptr<const Answer> answer; // null: refused at run time
        size_t index = 0;                     // 1, 2, ...: network_names_[index - 1]
        uint64_t backend_id = 0;              // a configuration backend's id for it
        std::vector<isc::dhcp::SubnetID> members; // its subnets, to follow a change of it
    };
    /// Builds a shared network's level from its context into level (whose settings
    /// start from the global ones). Throws ConfigError.
    void buildNetworkLevel(const isc::dhcp::SharedNetwork4& network, NetworkLevel& level);
    /// Moves a subnet from one network level's members to another's (index 0: none).
    void moveMember(isc::dhcp::SubnetID id, size_t from, size_t to);
    // What a change at run time builds from.
    lync_settings global_settings_;
    std::shared_ptr<const Answer> global_answer_;
    std::unordered_map<std::string, NetworkLevel> networks_;
    std::vector<std::string> network_names_; // by level index - 1; only grows
    std::unordered_map<std::string, std::shared_ptr<const Answer>> answers_by_bytes_;

    std::unordered_map<isc::dhcp::SubnetID, SubnetAnswer> subnets_;
    std::vector<std::string> refused_;
    ReplySubnetFinder reply_subnets_;
    size_t last_followed_ = 0;
    size_t uc_client_subnets_ = 0;
    size_t vlan_subnets_ = 0;
};

} // namespace lyncboot
} // namespace isc

#endif
