/* SPDX-License-Identifier: MPL-2.0 */
#include "check.h"
#include "vendor_class.h"

static enum vendor_class classify(const char *text, size_t len)
{
    return vendor_class_classify((const uint8_t *)text, len);
}

static void exact_matches(void)
{
    CHECK_INT_EQ(classify("MS-UC-Client", 12), VENDOR_CLASS_IS_UC_CLIENT);
    CHECK_INT_EQ(classify("CPE-OCPHONE", 11), VENDOR_CLASS_IS_CPE_OCPHONE);
    /* A counted C terminator is not part of the class. */
    CHECK_INT_EQ(classify("MS-UC-Client\0", 13), VENDOR_CLASS_IS_UC_CLIENT);
}

static void case_mismatches_are_told_apart(void)
{
    CHECK_INT_EQ(classify("ms-uc-client", 12), VENDOR_CLASS_CASE_MISMATCH);
    CHECK_INT_EQ(classify("MS-UC-CLIENT", 12), VENDOR_CLASS_CASE_MISMATCH);
    CHECK_INT_EQ(classify("CPE-OCPhone", 11), VENDOR_CLASS_CASE_MISMATCH);
}

static void others(void)
{
    CHECK_INT_EQ(classify("MS-UC-Client2", 13), VENDOR_CLASS_OTHER);
    CHECK_INT_EQ(classify("MS-UC-Clien", 11), VENDOR_CLASS_OTHER);
    CHECK_INT_EQ(classify("udhcp 1.35.0", 12), VENDOR_CLASS_OTHER);
    CHECK_INT_EQ(classify("", 0), VENDOR_CLASS_OTHER);
}

int main(void)
{
    RUN(exact_matches);
    RUN(case_mismatches_are_told_apart);
    RUN(others);
    CHECK_DONE();
}
