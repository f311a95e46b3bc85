/* SPDX-License-Identifier: MPL-2.0 */
#include "check.h"
#include "mac_text.h"

static void writes_and_reads_back(void)
{
    static const uint8_t mac[6] = {0x00, 0x04, 0xf2, 0x0a, 0xbc, 0xff};
    char text[MAC_TEXT_LEN];
    CHECK_STR_EQ(mac_text(mac, text), "00:04:f2:0a:bc:ff");
    uint8_t back[6];
    CHECK_INT_EQ(mac_parse(text, back), 0);
    CHECK(memcmp(back, mac, 6) == 0);
    CHECK_INT_EQ(mac_parse("00:04:F2:0A:BC:FF", back), 0);
    CHECK(memcmp(back, mac, 6) == 0);
}

static void refuses_what_is_not_a_mac(void)
{
    uint8_t mac[6];
    static const char *const bad[] = {"", "00:04:f2:0a:bc", "00:04:f2:0a:bc:ff:", "00:04:f2:0a:bc:f",
                                      "0:04:f2:0a:bc:ff", "00-04-f2-0a-bc-ff", "00:04:f2:0a:bc:fg",
                                      "00:04:f2:0a:bc:ff ", " 00:04:f2:0a:bc:ff"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_INT_EQ(mac_parse(bad[i], mac), -1);
    CHECK_INT_EQ(mac_parse(NULL, mac), -1);
}

int main(void)
{
    RUN(writes_and_reads_back);
    RUN(refuses_what_is_not_a_mac);
    CHECK_DONE();
}
