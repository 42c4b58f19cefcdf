/*
 * Verify one case file with the hedui C ABI and print the sealed report (JSON) on stdout.
 *
 *   scripts/install-c.sh --prefix "$HOME/.local"
 *   cmake -S examples/c -B build/c -DCMAKE_PREFIX_PATH="$HOME/.local" && cmake --build build/c
 *   build/c/verify tests/corpus/cases/sample-good-1.json 2026-11-29T10:00:00+08:00
 * or without CMake:
 *   export PKG_CONFIG_PATH="$HOME/.local/lib/pkgconfig"
 *   gcc -std=c11 -Wall -Wextra -O2 examples/c/verify.c $(pkg-config --cflags --libs hedui) \
 *       -Wl,-rpath,"$HOME/.local/lib" -o verify
 *
 * Without the issue time the report is issued now (Beijing time). On failure it prints the
 * stable error code and message on stderr and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>

#include "hedui.h"

static char *read_all(FILE *f) {
    size_t cap = 1 << 16, len = 0, n;
    char *buf = malloc(cap);
    while (buf != NULL && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (len + 1 == cap) {
            char *bigger = realloc(buf, cap *= 2);
            if (bigger == NULL) {
                free(buf);
            }
            buf = bigger;
        }
    }
    if (buf != NULL) {
        buf[len] = '\0';
    }
    return buf;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s CASE.json [ISSUED_AT_RFC3339]   (hedui %s)\n", argv[0],
                hedui_version());
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (f == NULL) {
        perror(argv[1]);
        return 2;
    }
    char *case_json = read_all(f);
    fclose(f);
    if (case_json == NULL) {
        fprintf(stderr, "out of memory\n");
        return 2;
    }

    /* NULL rulebook: the built-in one. Load a deployment's own with hedui_rulebook_from_json. */
    char *report = NULL;
    hedui_result r = argc == 3 ? hedui_verify_json_at(NULL, case_json, argv[2], &report)
                               : hedui_verify_json(NULL, case_json, &report);
    free(case_json);
    if (r != HEDUI_RESULT_OK) {
        char message[1024];
        hedui_last_error_message(message, sizeof message);
        fprintf(stderr, "error %u (%s): %s\n", (unsigned)r, hedui_last_error_code(), message);
        return 1;
    }
    puts(report);
    hedui_string_free(report); /* strings from hedui go back to hedui, never to free() */
    return 0;
}
