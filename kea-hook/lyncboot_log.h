// SPDX-License-Identifier: MPL-2.0
// The hook's logger: shows up as "kea-dhcp4.lyncboot-hooks" in Kea's logging config.
#ifndef LYNCBOOT_LOG_H
#define LYNCBOOT_LOG_H

#include "kea_compat.h" // first: Kea's config.h

#include <log/logger.h>
#include <log/macros.h>

#include "lyncboot_messages.h"

namespace isc {
namespace lyncboot {

extern isc::log::Logger lyncboot_logger;

/// Debug level of per-packet messages (Kea's hooks use 40 for packet detail).
const int LYNCBOOT_DBG_PACKET = 40;

} // namespace lyncboot
} // namespace isc

#endif
