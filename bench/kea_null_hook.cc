// SPDX-License-Identifier: MPL-2.0
// A Kea hook library that does nothing: it registers an empty callout on each hook
// point named in its "hook-points" parameter. bench/run --floor loads it to measure
// what Kea's callout machinery alone costs per query, the floor under any hook that
// works at those points. Not installed.
#include <cc/data.h>
#include <hooks/hooks.h>

using namespace isc::hooks;

namespace {

int nothing(CalloutHandle&) {
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
    isc::data::ConstElementPtr points = handle.getParameter("hook-points");
    if (!points || points->getType() != isc::data::Element::list) {
        return (1);
    }
    try {
        for (const isc::data::ElementPtr& point : points->listValue()) {
            handle.registerCallout(point->stringValue(), nothing);
        }
    } catch (const std::exception&) {
        return (1);
    }
    return (0);
}

} // extern "C"
