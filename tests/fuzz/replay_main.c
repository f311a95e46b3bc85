/* SPDX-License-Identifier: MPL-2.0 */
/* Replays fuzz corpus files through LLVMFuzzerTestOneInput when libFuzzer is not
 * linked, so every input a fuzzer once found stays a regression test. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    static uint8_t buf[1 << 16];
    int count = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (f == NULL) {
            perror(argv[i]);
            return 1;
        }
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        /* Every prefix too: truncations are what a decoder gets wrong first. */
        for (size_t cut = 0; cut <= n; cut++)
            LLVMFuzzerTestOneInput(buf, cut);
        printf("ok %d - %s\n", ++count, argv[i]);
    }
    printf("1..%d\n", count);
    return 0;
}
