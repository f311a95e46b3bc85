// SPDX-License-Identifier: MPL-2.0
#include "lyncboot_log.h"

namespace isc {
namespace lyncboot {

isc::log::Logger lyncboot_logger("lyncboot-hooks");

} // namespace lyncboot
} // namespace isc
