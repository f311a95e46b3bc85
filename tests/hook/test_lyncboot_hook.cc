// SPDX-License-Identifier: MPL-2.0
// The hook without a daemon, as Kea's own hook libraries are tested: its implementation
// on Kea's configuration and packet objects, and the library itself loaded, called and
// unloaded through Kea's HooksManager. The namespace tests keep what needs real sockets.
#include "kea_compat.h" // first: Kea's config.h

#include "lyncboot_hook.h"

#include <asiolink/io_address.h>
#include <cc/data.h>
#include <dhcp/dhcp4.h>
#include <dhcp/option_string.h>
#include <dhcp/pkt4.h>
#include <dhcpsrv/cfg_subnets4.h>
#include <dhcpsrv/cfgmgr.h>
#include <dhcpsrv/srv_config.h>
#include <dhcpsrv/subnet.h>
#include <hooks/callout_handle.h>
#include <hooks/hooks_manager.h>
#include <log/logger_support.h>
#include <process/daemon.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "dhcp4_msg.h"

using namespace isc;
using namespace isc::dhcp;

using isc::lyncboot::LyncbootHook;
using isc::lyncboot::QueryNote;
using isc::lyncboot::ReplySubnetFinder;
using isc::asiolink::IOAddress;
using isc::data::Element;

namespace {

// What Kea puts on the wire for the site below (the same bytes the namespace test checks).
const char* const OPT43_POOL01 =
    "010C4D532D55432D436C69656E74020568747470730312706F6F6C30312E636F6E746F736F2E636F6D"
    "040334343305252F4365727450726F762F4365727450726F766973696F6E696E67536572766963652E737663";
const char* const OPT120_POOL01 = "0006706F6F6C303107636F6E746F736F03636F6D00";
const char* const OPT120_POOL02 = "0006706F6F6C303207636F6E746F736F03636F6D00";

const char* hook_library = nullptr; // argv[1]: the built libdhcp_lyncboot.so

Subnet4Ptr subnet(const char* prefix, SubnetID id, const char* context) {
    Subnet4Ptr made = Subnet4::create(IOAddress(prefix), 24, 1000, 2000, 3000, id);
    if (context) {
        made->setContext(Element::fromJSON(context));
    }
    return (made);
}

/// The site: a voice subnet on the global answer, one with its own registrar, a data
/// subnet with a voice VLAN.
void addSite(SrvConfig& config) {
    config.getCfgSubnets4()->add(subnet("10.100.0.0", 100, nullptr));
    config.getCfgSubnets4()->add(
        subnet("10.101.0.0", 101, R"({"lyncboot": {"sip-server": "pool02.contoso.com"}})"));
    config.getCfgSubnets4()->add(subnet("10.10.0.0", 10, R"({"lyncboot": {"voice-vlan": 100}})"));
}

SrvConfigPtr site() {
    SrvConfigPtr config(new SrvConfig());
    addSite(*config);
    return (config);
}

data::ConstElementPtr parameters() {
    return (Element::fromJSON(R"({"sip-server": "pool01.contoso.com"})"));
}

Pkt4Ptr inform(const char* vendor_class, const char* ciaddr) {
    Pkt4Ptr query(new Pkt4(DHCPINFORM, 0x1234));
    query->setCiaddr(IOAddress(ciaddr));
    query->addOption(OptionPtr(new OptionString(Option::V4, DHO_VENDOR_CLASS_IDENTIFIER,
                                                vendor_class)));
    return (query);
}

Pkt4Ptr ack() {
    Pkt4Ptr response(new Pkt4(DHCPACK, 0x1234));
    response->addOption(OptionPtr(new OptionString(Option::V4, DHO_DOMAIN_NAME,
                                                   "contoso.com")));
    return (response);
}

/// An option of a packed reply, as upper-case hex ("" when absent), read by lib/.
std::string packedOption(Pkt4& response, uint8_t code) {
    const auto& buffer = response.getBuffer();
    const uint8_t* data = static_cast<const uint8_t*>(buffer.getData());
    struct dhcp4_reply reply;
    if (dhcp4_parse_reply(data, buffer.getLength(), &reply) != 0) {
        return ("(malformed)");
    }
    uint8_t value[1024];
    int len = dhcp4_get_option(&reply, code, value, sizeof value);
    std::string hex;
    for (int i = 0; i < len; ++i) {
        char byte[3];
        std::snprintf(byte, sizeof byte, "%02X", value[i]);
        hex += byte;
    }
    return (hex);
}

TEST(LyncbootHook, buildsOneAnswerPerDistinctSetOfOptions) {
    LyncbootHook hook(parameters(), *site());
    EXPECT_EQ(3u, hook.ucClientSubnets());
    EXPECT_EQ(1u, hook.vlanSubnets());
    // Subnet 100 inherits the global answer; 101 and 10 have their own.
    EXPECT_EQ(3u, hook.distinctAnswers());
}

TEST(LyncbootHook, refusesABadSubnetContextNamingItAndTheKey) {
    SrvConfigPtr config = site();
    config->getCfgSubnets4()->add(
        subnet("10.102.0.0", 102, R"({"lyncboot": {"web-port": 70000}})"));
    try {
        LyncbootHook hook(parameters(), *config);
        FAIL() << "a bad web-port was accepted";
    } catch (const isc::lyncboot::ConfigError& ex) {
        EXPECT_EQ("subnet 10.102.0.0/24 (id 102)", ex.place());
        EXPECT_NE(std::string::npos, std::string(ex.what()).find("'web-port'")) << ex.what();
    }
}

TEST(LyncbootHook, refusesParametersWithoutARegistrar) {
    EXPECT_THROW(LyncbootHook(Element::fromJSON("{}"), *site()), isc::lyncboot::ConfigError);
}

TEST(LyncbootHook, answersAPhonesInformWithItsSubnetsOptions) {
    LyncbootHook hook(parameters(), *site());
    Pkt4Ptr query = inform("MS-UC-Client", "10.101.0.50");
    Pkt4Ptr response = ack();
    QueryNote note = hook.classify(*query, hook.replySubnets().find(query, *response));
    EXPECT_EQ(VENDOR_CLASS_IS_UC_CLIENT, note.kind);
    EXPECT_EQ(101u, note.subnet);
    ASSERT_TRUE(hook.addOptions(*response, note, true)); // packed here
    EXPECT_EQ(OPT120_POOL02, packedOption(*response, DHCP4_OPT_SIP_SERVERS));
    EXPECT_EQ("636F6E746F736F2E636F6D", packedOption(*response, DHCP4_OPT_DOMAIN_NAME))
        << "Kea's own options stay";
}

TEST(LyncbootHook, remembersThePhonesItAnswers) {
    std::unique_ptr<phone_table, void (*)(phone_table*)> table(phone_table_new(16),
                                                              phone_table_free);
    LyncbootHook hook(parameters(), *site());
    hook.trackPhones(table.get());
    const std::vector<uint8_t> mac = {0x00, 0x04, 0xf2, 0x00, 0x00, 0x01};
    Pkt4Ptr query = inform("MS-UC-Client", "10.101.0.50");
    Pkt4Ptr response = ack();
    response->setHWAddr(HTYPE_ETHER, 6, mac);
    response->setCiaddr(IOAddress("10.101.0.50"));
    ASSERT_TRUE(hook.addOptions(*response, hook.classify(*query, 101), true));
    phone_record records[4];
    size_t total = 0;
    ASSERT_EQ(1u, phone_table_read(table.get(), records, 4, &total));
    EXPECT_TRUE(std::equal(mac.begin(), mac.end(), records[0].mac));
    EXPECT_NE(0, records[0].step_time[PHONE_STEP_INFORM]) << "an ACK without yiaddr: INFORM";
    EXPECT_EQ(0, records[0].step_time[PHONE_STEP_LEASE]);
    EXPECT_EQ(101u, records[0].subnet_id);
    EXPECT_EQ(50, records[0].addr[3]);
    // Another vendor class is not a phone: nothing more is remembered.
    Pkt4Ptr other = inform("Cisco AP c1240", "10.101.0.51");
    Pkt4Ptr other_response = ack();
    other_response->setHWAddr(HTYPE_ETHER, 6, {0x00, 0x0b, 0x85, 0x00, 0x00, 0x02});
    EXPECT_FALSE(hook.addOptions(*other_response, hook.classify(*other, 101), true));
    EXPECT_EQ(1u, phone_table_read(table.get(), records, 4, &total));
    // The hook parameter: how many, or a named refusal.
    EXPECT_EQ(0u, LyncbootHook::phonesTracked(parameters()));
    EXPECT_EQ(5000u, LyncbootHook::phonesTracked(isc::data::Element::fromJSON(
                         R"({"sip-server": "pool01.contoso.com", "phones-tracked": 5000})")));
    try {
        LyncbootHook::phonesTracked(isc::data::Element::fromJSON(R"({"phones-tracked": -1})"));
        ADD_FAILURE() << "a negative count was taken";
    } catch (const isc::lyncboot::ConfigError& ex) {
        EXPECT_NE(std::string::npos, std::string(ex.what()).find("'phones-tracked'"))
            << ex.what();
    }
}

TEST(LyncbootHook, leavesOtherVendorClassesAlone) {
    LyncbootHook hook(parameters(), *site());
    Pkt4Ptr query = inform("Cisco AP c1240", "10.100.0.50");
    EXPECT_EQ(VENDOR_CLASS_OTHER, hook.vendorClass(*query));
    Pkt4Ptr response = ack();
    QueryNote note = hook.classify(*query, 100);
    EXPECT_FALSE(hook.addOptions(*response, note, true));
    EXPECT_FALSE(response->getOption(DHO_VENDOR_ENCAPSULATED_OPTIONS));
}

TEST(LyncbootHook, followsASubnetAddedWhileRunning) {
    SrvConfigPtr config = site();
    LyncbootHook hook(parameters(), *config);
    config->getCfgSubnets4()->add(
        subnet("10.103.0.0", 103, R"({"lyncboot": {"sip-server": "pool02.contoso.com"}})"));
    bool whole = true;
    EXPECT_TRUE(hook.followSubnets(*config, {103}, whole).empty());
    EXPECT_FALSE(whole);
    EXPECT_EQ(1u, hook.lastFollowed());
    EXPECT_EQ(4u, hook.ucClientSubnets());
    EXPECT_EQ(3u, hook.distinctAnswers()) << "103 shares 101's answer";
    EXPECT_EQ(103u, hook.replySubnets().containing(IOAddress("10.103.0.9").toUint32()));
}

TEST(LyncbootHook, keepsTheAnswerOfASubnetChangedBadly) {
    SrvConfigPtr config = site();
    LyncbootHook hook(parameters(), *config);
    config->getCfgSubnets4()->del(SubnetID(101));
    config->getCfgSubnets4()->add(
        subnet("10.101.0.0", 101, R"({"lyncboot": {"web-port": 0}})"));
    bool whole = true;
    auto refused = hook.followSubnets(*config, {101}, whole);
    ASSERT_EQ(1u, refused.size());
    EXPECT_NE(std::string::npos, refused[0].find("subnet 10.101.0.0/24 (id 101)")) << refused[0];
    Pkt4Ptr query = inform("MS-UC-Client", "10.101.0.50");
    Pkt4Ptr response = ack();
    ASSERT_TRUE(hook.addOptions(*response, hook.classify(*query, 101), true));
    EXPECT_EQ(OPT120_POOL02, packedOption(*response, DHCP4_OPT_SIP_SERVERS)) << "the old answer";
}

TEST(ReplySubnetFinder, saysWhyOverlappingSubnetsNeedKeasSelection) {
    SrvConfigPtr config = site();
    Subnet4Ptr wide = Subnet4::create(IOAddress("10.100.0.0"), 16, 1000, 2000, 3000, 200);
    config->getCfgSubnets4()->add(wide); // holds 10.100.0.0/24 and 10.101.0.0/24
    ReplySubnetFinder finder(*config);
    const std::string why = finder.whyNot();
    EXPECT_NE(std::string::npos, why.find("overlap")) << why;
    EXPECT_NE(std::string::npos, why.find("200")) << why;
    EXPECT_TRUE(ReplySubnetFinder(*site()).whyNot().empty());
}

/// The library as Kea loads it: load() with a staged configuration, the callouts it
/// registers called through HooksManager, unload().
class HookLibrary : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(hook_library) << "give the built libdhcp_lyncboot.so as the argument";
        process::Daemon::setProcName("kea-dhcp4");
        CfgMgr::instance().clear();
        addSite(*CfgMgr::instance().getStagingCfg());
    }
    void TearDown() override {
        hooks::HooksManager::prepareUnloadLibraries();
        EXPECT_TRUE(hooks::HooksManager::unloadLibraries());
        CfgMgr::instance().clear();
    }
    bool load(const data::ConstElementPtr& params) {
        hooks::HookLibsCollection libraries;
        libraries.push_back(hooks::HookLibInfo(hook_library, params));
        return (hooks::HooksManager::loadLibraries(libraries));
    }
};

TEST_F(HookLibrary, loadsAndAnswersAtPkt4Send) {
    ASSERT_TRUE(load(parameters()));
    const int pkt4_send = hooks::ServerHooks::getServerHooks().getIndex("pkt4_send");
    ASSERT_TRUE(hooks::HooksManager::calloutsPresent(pkt4_send)) << "the one-callout mode";
    Pkt4Ptr query = inform("MS-UC-Client", "10.100.0.50");
    Pkt4Ptr response = ack();
    {
        hooks::CalloutHandlePtr handle = hooks::HooksManager::createCalloutHandle();
        handle->setArgument("query4", query);
        handle->setArgument("response4", response);
        hooks::HooksManager::callCallouts(pkt4_send, *handle);
        EXPECT_EQ(hooks::CalloutHandle::NEXT_STEP_SKIP, handle->getStatus())
            << "packed: Kea must not pack again";
    }
    EXPECT_EQ(OPT43_POOL01, packedOption(*response, DHCP4_OPT_VENDOR_SPECIFIC));
    EXPECT_EQ(OPT120_POOL01, packedOption(*response, DHCP4_OPT_SIP_SERVERS));
}

TEST_F(HookLibrary, refusesBadParametersAtLoad) {
    EXPECT_FALSE(load(Element::fromJSON(R"({"sip-server": "not a name"})")));
}

} // namespace

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    hook_library = argc > 1 ? argv[1] : nullptr;
    // Kea's own tests start its logging so; the hook's messages go to stdout.
    isc::log::initLogger("lyncboot-hook-test", isc::log::WARN, 0, nullptr, false);
    // The hook points kea-dhcp4 registers itself.
    for (const char* point : {"pkt4_send", "subnet4_select", "buffer4_send", "command_processed",
                              "cb4_updated", "dhcp4_srv_configured"}) {
        isc::hooks::HooksManager::registerHook(point);
    }
    return (RUN_ALL_TESTS());
}
