// SPDX-License-Identifier: MPL-2.0
// bench/hook_follow COUNT [ADDS]: the hook's own work for one subnet added while Kea
// runs (what it does after a subnet4-add), on Kea's configuration objects in this
// process, without kea-dhcp4: COUNT subnets as bench/scale makes them (a tenth with a
// web server of their own), then ADDS (default 5) subnets added one at a time, each
// followed and timed. Beside bench/scale --subnet-add, which times the same inside a
// running kea-dhcp4 after its own work for the command, it tells the hook's algorithm
// from the state Kea leaves the caches in.
#include "kea_compat.h" // first: Kea's config.h

#include "lyncboot_hook.h"

#include <asiolink/io_address.h>
#include <cc/data.h>
#include <dhcpsrv/cfg_subnets4.h>
#include <dhcpsrv/srv_config.h>
#include <dhcpsrv/subnet.h>
#include <log/logger_support.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace isc::dhcp;
using isc::asiolink::IOAddress;
using isc::data::Element;

namespace {

Subnet4Ptr siteSubnet(int i) {
    char prefix[32];
    std::snprintf(prefix, sizeof prefix, "10.%d.%d.0", i / 256, i % 256);
    Subnet4Ptr subnet = Subnet4::create(IOAddress(prefix), 24, 1000, 2000, 3000, i + 1);
    if (i % 10 == 0) {
        char context[128];
        std::snprintf(context, sizeof context,
                      R"({"lyncboot": {"web-server": "web%d.example.com"}})", i);
        subnet->setContext(Element::fromJSON(context));
    }
    return (subnet);
}

} // namespace

int main(int argc, char** argv) {
    const int count = argc > 1 ? std::atoi(argv[1]) : 0;
    const int adds = argc > 2 ? std::atoi(argv[2]) : 5;
    if (count < 1 || count > 60000 || adds < 1 || adds > 1000) {
        std::fprintf(stderr, "usage: hook_follow COUNT(1-60000) [ADDS(1-1000)]\n");
        return (2);
    }
    isc::log::initLogger("hook-follow", isc::log::WARN, 0, nullptr, false);
    SrvConfigPtr config(new SrvConfig());
    for (int i = 0; i < count; ++i) {
        config->getCfgSubnets4()->add(siteSubnet(i));
    }
    isc::lyncboot::LyncbootHook hook(
        Element::fromJSON(R"({"sip-server": "lyncpool.example.com"})"), *config);
    std::vector<double> micros;
    for (int n = 0; n < adds; ++n) {
        Subnet4Ptr added = siteSubnet(count + n * 10); // each with a context of its own
        config->getCfgSubnets4()->add(added);
        bool whole = false;
        const auto start = std::chrono::steady_clock::now();
        hook.followSubnets(*config, {added->getID()}, whole);
        micros.push_back(std::chrono::duration<double, std::micro>(
                             std::chrono::steady_clock::now() - start).count());
    }
    std::sort(micros.begin(), micros.end());
    std::printf("%d subnets: one subnet followed in %.1f us (median of %d; %.1f-%.1f)\n", count,
                micros[micros.size() / 2], adds, micros.front(), micros.back());
    return (0);
}
