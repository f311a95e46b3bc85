/* SPDX-License-Identifier: MPL-2.0 */
/* Replays fuzz corpus files through LLVMFuzzerTestOneInput when libFuzzer is not
 * linked, so every input a fuzzer once found stays a regression test. Arguments are
 * files or corpus directories (every file in one, in name order). */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* scandir, alphasort, DT_REG */
#include <dirent.h>
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

static int regular_file(const struct dirent *entry)
{
    return entry->d_type == DT_REG || entry->d_type == DT_UNKNOWN;
}

/* One test point per file; returns the number of points written so far. */
static int replay_path(const char *path, int points, int *failed)
{
    struct dirent **entries;
    int n = scandir(path, &entries, regular_file, alphasort);
    if (n < 0) { /* not a directory: a file (or nothing, which fails) */
        int ok = replay_file(path) == 0;
        printf("%s %d - %s\n", ok ? "ok" : "not ok", ++points, path);
        *failed |= !ok;
        return points;
    }
    if (n == 0) { /* an empty corpus proves nothing */
        printf("not ok %d - files in %s\n", ++points, path);
        *failed = 1;
    }
    for (int i = 0; i < n; i++) {
        char file[4096];
        snprintf(file, sizeof file, "%s/%s", path, entries[i]->d_name);
        int ok = replay_file(file) == 0;
        printf("%s %d - %s\n", ok ? "ok" : "not ok", ++points, file);
        *failed |= !ok;
        free(entries[i]);
    }
    free(entries);
    return points;
}

int main(int argc, char **argv)
{
    int failed = 0, points = 0;
    if (argc < 2) {
        /* A replay of nothing proves nothing. */
        printf("not ok 1 - a corpus to replay\n1..1\n");
        return 1;
    }
    for (int i = 1; i < argc; i++)
        points = replay_path(argv[i], points, &failed);
    printf("1..%d\n", points);
    return failed;
}
