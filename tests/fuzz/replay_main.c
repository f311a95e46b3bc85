/* SPDX-License-Identifier: MPL-2.0 */
/* Replays fuzz corpus files through LLVMFuzzerTestOneInput when libFuzzer is not
 * linked, so every input a fuzzer once found stays a regression test. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One corpus file, and every prefix of it (truncations are what a decoder gets wrong
 * first), in a child: its exit status is the verdict, so a crash, a sanitizer report
 * (halt_on_error) or a target's non-zero return is a "not ok" for that file alone. */
static int replay_file(const char *path)
{
    static uint8_t buf[1 << 16];
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        printf("# %s: cannot open\n", path);
        return -1;
    }
    size_t n = fread(buf, 1, sizeof buf, f);
    int too_long = !feof(f);
    fclose(f);
    if (too_long) {
        printf("# %s: longer than %zu bytes\n", path, sizeof buf);
        return -1;
    }
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        for (size_t cut = 0; cut <= n; cut++)
            if (LLVMFuzzerTestOneInput(buf, cut) != 0)
                _exit(3);
        _exit(0);
    }
    int status;
    if (child < 0 || waitpid(child, &status, 0) != child)
        return -1;
    if (WIFSIGNALED(status)) {
        printf("# %s: killed by signal %d (%s)\n", path, WTERMSIG(status),
               strsignal(WTERMSIG(status)));
        return -1;
    }
    if (WEXITSTATUS(status) != 0) {
        printf("# %s: exit status %d\n", path, WEXITSTATUS(status));
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int failed = 0;
    if (argc < 2) {
        /* A replay of nothing proves nothing. */
        printf("not ok 1 - a corpus to replay\n1..1\n");
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        int ok = replay_file(argv[i]) == 0;
        printf("%s %d - %s\n", ok ? "ok" : "not ok", i, argv[i]);
        failed |= !ok;
    }
    printf("1..%d\n", argc - 1);
    return failed;
}
