/*
 * C tests of the hedui C ABI: every export with good and bad input (NULL, invalid UTF-8,
 * malformed and huge JSON), and the shared corpus byte for byte.
 *
 *   scripts/install-c.sh --prefix /tmp/hedui     (scripts/test-ffi.sh uses a temporary prefix)
 *   export PKG_CONFIG_PATH=/tmp/hedui/lib/pkgconfig
 *   gcc -std=c11 -Wall -Wextra -Wpedantic -Werror hedui-ffi/tests/c/test_hedui.c \
 *       $(pkg-config --cflags --libs hedui) -pthread -Wl,-rpath,/tmp/hedui/lib -o target/test_hedui
 *   valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
 *       target/test_hedui tests/corpus hedui-ffi/tests/fixtures [<out dir>]
 *
 * With an out dir, the report signed here is written there for the uniffi Python tests.
 * Using a handle after it was freed is undefined behaviour and is not tested.
 * Ends with "N passed, N failed"; exits 1 when anything failed.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hedui.h"

static const char *const ISSUED_AT = "2026-11-29T10:00:00+08:00";
static const char *const INVALID_UTF8 = "{\"case_id\": \"\xff\xfe\"}";

static int passed = 0;
static int failed = 0;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (cond) {                                                                   \
            passed++;                                                                 \
        } else {                                                                      \
            failed++;                                                                 \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);           \
        }                                                                             \
    } while (0)

/* A call failed with `expected`, and the thread's last error code is `code`. */
#define CHECK_FAILS(call, expected, code)                                             \
    do {                                                                              \
        hedui_result r_ = (call);                                                     \
        if (r_ == (expected) && strcmp(hedui_last_error_code(), (code)) == 0) {       \
            passed++;                                                                 \
        } else {                                                                      \
            failed++;                                                                 \
            fprintf(stderr, "FAIL %s:%d: %s gave %u (%s), expected %u (%s)\n",        \
                    __FILE__, __LINE__, #call, (unsigned)r_, hedui_last_error_code(), \
                    (unsigned)(expected), (code));                                    \
        }                                                                             \
    } while (0)

/* A placeholder an output must still hold after a failed call. */
static char sentinel_byte;
#define SENTINEL (&sentinel_byte)

static char *read_file(const char *path, size_t *len_out) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf != NULL && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            char *bigger = realloc(buf, cap * 2);
            if (bigger == NULL) {
                free(buf);
                buf = NULL;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf != NULL) {
        buf[len] = '\0';
        if (len_out != NULL) {
            *len_out = len;
        }
    }
    return buf;
}

static char *join(const char *a, const char *b, const char *c) {
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *s = malloc(n);
    if (s != NULL) {
        snprintf(s, n, "%s%s%s", a, b, c);
    }
    return s;
}

static int compare_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the .json files in `dir`, sorted; *count_out receives how many. */
static char **list_json(const char *dir, size_t *count_out) {
    DIR *d = opendir(dir);
    char **names = NULL;
    size_t count = 0;
    if (d == NULL) {
        *count_out = 0;
        return NULL;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n > 5 && strcmp(e->d_name + n - 5, ".json") == 0) {
            char **more = realloc(names, (count + 1) * sizeof *names);
            if (more == NULL) {
                break;
            }
            names = more;
            names[count++] = join(e->d_name, "", "");
        }
    }
    closedir(d);
    qsort(names, count, sizeof *names, compare_names);
    *count_out = count;
    return names;
}

/* The outcome line of a case as the corpus records it: the report plus "\n", or
 * {"error":"<code>"} plus "\n". The caller frees it with free(). */
static char *outcome_of(const hedui_rulebook *rb, const char *case_json) {
    char *report = NULL;
    hedui_result r = hedui_verify_json_at(rb, case_json, ISSUED_AT, &report);
    if (r == HEDUI_RESULT_OK) {
        char *line = join(report, "\n", "");
        hedui_string_free(report);
        return line;
    }
    CHECK(report == NULL);
    char *line = join("{\"error\":\"", hedui_last_error_code(), "\"}\n");
    return line;
}

static void test_version_and_messages(void) {
    const char *v = hedui_version();
    CHECK(v != NULL && v[0] >= '0' && v[0] <= '9');
    /* the header's version macros are the library's version */
    CHECK(strcmp(v, HEDUI_VERSION_STRING) == 0);
    char from_macros[64];
    snprintf(from_macros, sizeof from_macros, "%d.%d.%d", HEDUI_VERSION_MAJOR,
             HEDUI_VERSION_MINOR, HEDUI_VERSION_PATCH);
    CHECK(strcmp(v, from_macros) == 0);

    /* before any failure on this thread */
    CHECK(strcmp(hedui_last_error_code(), "") == 0);
    char buf[64];
    memset(buf, 'x', sizeof buf);
    CHECK(hedui_last_error_message(buf, sizeof buf) == 0 && buf[0] == '\0');
    CHECK(hedui_last_error_json(buf, sizeof buf) == 0 && buf[0] == '\0');

    CHECK(hedui_error_message(HEDUI_RESULT_OK, buf, sizeof buf) == strlen("success"));
    CHECK(strcmp(buf, "success") == 0);
    size_t full = hedui_error_message(HEDUI_RESULT_AUTHORIZATION_DEFECTIVE, NULL, 0);
    CHECK(full > 10);
    char small[5];
    CHECK(hedui_error_message(HEDUI_RESULT_AUTHORIZATION_DEFECTIVE, small, sizeof small) ==
          full);
    CHECK(strcmp(small, "R1 a") == 0);
    memset(small, 'x', sizeof small);
    CHECK(hedui_error_message(HEDUI_RESULT_PANIC, small, 0) > 0 && small[0] == 'x');
    CHECK(hedui_error_message(42u, buf, sizeof buf) > 0);
    CHECK(strcmp(buf, "unknown hedui_result") == 0);
    CHECK(hedui_error_message(0xFFFFFFFFu, buf, sizeof buf) > 0);
    /* every number of the table has a description */
    const hedui_result all[] = {
        HEDUI_RESULT_NULL_POINTER,      HEDUI_RESULT_INVALID_UTF8,
        HEDUI_RESULT_INVALID_TIME,      HEDUI_RESULT_INVALID_ARGUMENT,
        HEDUI_RESULT_INPUT_JSON,        HEDUI_RESULT_ID_REGION,
        HEDUI_RESULT_INPUT_OTHER,       HEDUI_RESULT_ENTRUSTMENT_MISSING,
        HEDUI_RESULT_CHRONOLOGY,        HEDUI_RESULT_POPULATION_OTHER,
        HEDUI_RESULT_SECURITY_OTHER,    HEDUI_RESULT_OUTPUT_NUL,
        HEDUI_RESULT_INTERNAL_OTHER,    HEDUI_RESULT_INVALID_DATE,
        HEDUI_RESULT_POPULATION_EMPTY_FIELD, HEDUI_RESULT_RELIEF_FOLLOWUP_REPORT_UNVERIFIED,
        HEDUI_RESULT_SECURITY_NOT_AGENCY, HEDUI_RESULT_SIGNATURE_INVALID,
        HEDUI_RESULT_INPUT_NUL,
    };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        CHECK(hedui_error_message(all[i], buf, sizeof buf) > 0);
        CHECK(strcmp(buf, "unknown hedui_result") != 0);
    }
    CHECK(HEDUI_RESULT_NULL_POINTER == 1000 && HEDUI_RESULT_INPUT_JSON == 2000 &&
          HEDUI_RESULT_AUTHORIZATION_DEFECTIVE == 3000 && HEDUI_RESULT_ENTRUSTMENT_MISSING == 4002 &&
          HEDUI_RESULT_FIELD_OUTSIDE_AGREEMENT == 5000 && HEDUI_RESULT_PANIC == 9000);
    CHECK(HEDUI_RESULT_INVALID_DATE == 1004 && HEDUI_RESULT_INPUT_NUL == 1005 &&
          HEDUI_RESULT_POPULATION_EMPTY_FIELD == 6000 &&
          HEDUI_RESULT_RECHECK_BATCH_SIZE_ZERO == 6006 &&
          HEDUI_RESULT_RELIEF_FOLLOWUP_REPORT_UNVERIFIED == 6015 &&
          HEDUI_RESULT_SECURITY_NOT_AGENCY == 7000 && HEDUI_RESULT_AUDIT_KEY_LENGTH == 7010 &&
          HEDUI_RESULT_AUDIT_CHAIN_BROKEN == 7012 && HEDUI_RESULT_AUDIT_LINE_INVALID == 7013 &&
          HEDUI_RESULT_AUDIT_CHAIN_TRUNCATED == 7040 &&
          HEDUI_RESULT_AUDIT_CHAIN_ROLLED_BACK == 7041 &&
          HEDUI_RESULT_AUDIT_KEYRING_EMPTY == 7048 &&
          HEDUI_RESULT_SIGNATURE_INVALID == 7020);
}

static void test_rulebook(void) {
    hedui_rulebook *rb = (hedui_rulebook *)SENTINEL;
    CHECK_FAILS(hedui_rulebook_new_default(NULL), HEDUI_RESULT_NULL_POINTER, "null_pointer");
    CHECK(hedui_rulebook_new_default(&rb) == HEDUI_RESULT_OK);
    CHECK(rb != NULL && rb != (hedui_rulebook *)SENTINEL);

    char *json = SENTINEL;
    CHECK_FAILS(hedui_rulebook_to_json(rb, NULL), HEDUI_RESULT_NULL_POINTER, "null_pointer");
    CHECK(hedui_rulebook_to_json(rb, &json) == HEDUI_RESULT_OK);
    CHECK(json != NULL && strstr(json, "\"version\": \"hedui-default-2026.1\"") != NULL);
    char *default_json = NULL;
    CHECK(hedui_rulebook_to_json(NULL, &default_json) == HEDUI_RESULT_OK);
    CHECK(default_json != NULL && json != NULL && strcmp(json, default_json) == 0);
    hedui_string_free(default_json);

    /* round trip */
    hedui_rulebook *again = NULL;
    CHECK(hedui_rulebook_from_json(json, &again) == HEDUI_RESULT_OK && again != NULL);
    hedui_rulebook_free(again);

    /* bad input leaves the output untouched */
    hedui_rulebook *out = (hedui_rulebook *)SENTINEL;
    CHECK_FAILS(hedui_rulebook_from_json(NULL, &out), HEDUI_RESULT_NULL_POINTER, "null_pointer");
    CHECK_FAILS(hedui_rulebook_from_json(json, NULL), HEDUI_RESULT_NULL_POINTER, "null_pointer");
    CHECK_FAILS(hedui_rulebook_from_json(INVALID_UTF8, &out), HEDUI_RESULT_INVALID_UTF8,
                "input_utf8");
    CHECK_FAILS(hedui_rulebook_from_json("{\"version\":", &out), HEDUI_RESULT_INPUT_JSON,
                "input_json");
    CHECK_FAILS(hedui_rulebook_from_json("{\"version\":\"x\"}", &out), HEDUI_RESULT_INPUT_JSON,
                "input_json");
    /* a security setting outside its policy bound: log retention under 6 months (网络安全法
       Art 21) */
    char *p = json == NULL ? NULL : strstr(json, "\"log_months\": 6");
    CHECK(p != NULL);
    if (p != NULL) {
        p[strlen("\"log_months\": ")] = '3';
        CHECK_FAILS(hedui_rulebook_from_json(json, &out), HEDUI_RESULT_RULEBOOK_OUT_OF_BOUNDS,
                    "rulebook_out_of_bounds");
        char msg[256];
        CHECK(hedui_last_error_message(msg, sizeof msg) > 0 && strstr(msg, "log_months") != NULL);
    }
    CHECK(out == (hedui_rulebook *)SENTINEL);

    hedui_string_free(json);
    hedui_rulebook_free(rb);
    hedui_rulebook_free(NULL);
    hedui_string_free(NULL);
}

/* Every corpus case gives its recorded outcome byte for byte, with the built-in rulebook and
 * with a handle. Returns the text of a good case for the other tests (caller frees). */
static char *test_corpus(const char *corpus, char **good_report_out) {
    char *cases_dir = join(corpus, "/cases", "");
    char *expected_dir = join(corpus, "/expected", "");
    size_t count = 0;
    char **names = list_json(cases_dir, &count);
    CHECK(count >= 8);
    hedui_rulebook *rb = NULL;
    CHECK(hedui_rulebook_new_default(&rb) == HEDUI_RESULT_OK);
    char *good_case = NULL;
    for (size_t i = 0; i < count; i++) {
        char *case_path = join(cases_dir, "/", names[i]);
        char *expected_path = join(expected_dir, "/", names[i]);
        char *case_json = read_file(case_path, NULL);
        char *expected = read_file(expected_path, NULL);
        CHECK(case_json != NULL && expected != NULL);
        if (case_json != NULL && expected != NULL) {
            char *got = outcome_of(NULL, case_json);
            char *got_rb = outcome_of(rb, case_json);
            if (got == NULL || strcmp(got, expected) != 0) {
                fprintf(stderr, "corpus case %s differs\n", names[i]);
            }
            CHECK(got != NULL && strcmp(got, expected) == 0);
            CHECK(got != NULL && got_rb != NULL && strcmp(got, got_rb) == 0);
            if (good_case == NULL && strncmp(names[i], "sample-good", 11) == 0 && got != NULL) {
                good_case = case_json;
                case_json = NULL;
                size_t n = strlen(got);
                got[n - 1] = '\0'; /* the report without the newline */
                *good_report_out = got;
                got = NULL;
            }
            free(got);
            free(got_rb);
        }
        free(case_json);
        free(expected);
        free(case_path);
        free(expected_path);
        free(names[i]);
    }
    free(names);
    hedui_rulebook_free(rb);
    free(cases_dir);
    free(expected_dir);
    return good_case;
}

static void test_verify_bad_input(const char *good_case) {
    char *out = SENTINEL;
    CHECK_FAILS(hedui_verify_json_at(NULL, NULL, ISSUED_AT, &out), HEDUI_RESULT_NULL_POINTER,
                "null_pointer");
    CHECK_FAILS(hedui_verify_json_at(NULL, good_case, NULL, &out), HEDUI_RESULT_NULL_POINTER,
                "null_pointer");
    CHECK_FAILS(hedui_verify_json_at(NULL, good_case, ISSUED_AT, NULL), HEDUI_RESULT_NULL_POINTER,
                "null_pointer");
    CHECK_FAILS(hedui_verify_json_at(NULL, INVALID_UTF8, ISSUED_AT, &out),
                HEDUI_RESULT_INVALID_UTF8, "input_utf8");
    CHECK_FAILS(hedui_verify_json_at(NULL, good_case, "\xc3\x28", &out),
                HEDUI_RESULT_INVALID_UTF8, "input_utf8");
    CHECK_FAILS(hedui_verify_json_at(NULL, good_case, "2026-11-29 10:00", &out),
                HEDUI_RESULT_INVALID_TIME, "invalid_time");
    CHECK_FAILS(hedui_verify_json_at(NULL, "", ISSUED_AT, &out), HEDUI_RESULT_INPUT_JSON,
                "input_json");
    CHECK_FAILS(hedui_verify_json_at(NULL, "{\"case_id\": ", ISSUED_AT, &out),
                HEDUI_RESULT_INPUT_JSON, "input_json");
    CHECK_FAILS(hedui_verify_json_at(NULL, "[1,2,3]", ISSUED_AT, &out),
                HEDUI_RESULT_INPUT_ARRAY_FOR_OBJECT, "input_array_for_object");
    /* issued before the queries were sent */
    CHECK_FAILS(hedui_verify_json_at(NULL, good_case, "2000-01-01T00:00:00+08:00", &out),
                HEDUI_RESULT_CHRONOLOGY, "chronology");
    char msg[512];
    size_t n = hedui_last_error_message(msg, sizeof msg);
    CHECK(n > 0 && n < sizeof msg && strstr(msg, "before the queries were sent") != NULL);
    /* the message is cut to fit, at a character boundary, NUL-terminated */
    char tiny[8];
    CHECK(hedui_last_error_message(tiny, sizeof tiny) == n && strlen(tiny) < sizeof tiny);
    CHECK(hedui_last_error_message(NULL, 0) == n);
    /* the same failure as structured data */
    char json[1024];
    size_t jn = hedui_last_error_json(json, sizeof json);
    CHECK(jn > 0 && jn < sizeof json);
    CHECK(strstr(json, "\"code\":\"chronology\"") != NULL);
    CHECK(strstr(json, "\"area\":\"verification\"") != NULL);
    CHECK(strstr(json, "\"result\":5005") != NULL);
    CHECK(strstr(json, "before the queries were sent") != NULL);
    CHECK(hedui_last_error_json(NULL, 0) == jn);
    CHECK(out == SENTINEL);

    CHECK_FAILS(hedui_verify_json(NULL, NULL, &out), HEDUI_RESULT_NULL_POINTER, "null_pointer");
    jn = hedui_last_error_json(json, sizeof json);
    CHECK(jn > 0 && strstr(json, "\"area\":\"argument\"") != NULL &&
          strstr(json, "\"rule\":null") != NULL && strstr(json, "\"result\":1000") != NULL);
    CHECK_FAILS(hedui_verify_json(NULL, good_case, NULL), HEDUI_RESULT_NULL_POINTER,
                "null_pointer");
    CHECK_FAILS(hedui_verify_json(NULL, INVALID_UTF8, &out), HEDUI_RESULT_INVALID_UTF8,
                "input_utf8");
    CHECK_FAILS(hedui_verify_json(NULL, "nope", &out), HEDUI_RESULT_INPUT_JSON, "input_json");
    CHECK(out == SENTINEL);
}

static void test_verify_now(const char *good_case) {
    hedui_rulebook *rb = NULL;
    CHECK(hedui_rulebook_new_default(&rb) == HEDUI_RESULT_OK);
    char *a = NULL, *b = NULL;
    CHECK(hedui_verify_json(NULL, good_case, &a) == HEDUI_RESULT_OK);
    CHECK(hedui_verify_json(rb, good_case, &b) == HEDUI_RESULT_OK);
    CHECK(a != NULL && strstr(a, "\"issued_at\":\"20") != NULL && strstr(a, "+08:00\"") != NULL);
    CHECK(b != NULL && strstr(b, "\"integrity\":{") != NULL);
    hedui_string_free(a);
    hedui_string_free(b);
    hedui_rulebook_free(rb);
}

/* Tens of megabytes: a good case with a 24 MB case id, 16 MB of nesting, 32 MB of junk. */
static void test_huge(const char *good_case) {
    const size_t big = 12u * 1024u * 1024u;
    const char *key = "\"case_id\": \"";
    const char *at = strstr(good_case, key);
    CHECK(at != NULL);
    if (at != NULL) {
        size_t head = (size_t)(at - good_case) + strlen(key);
        const char *tail = strchr(good_case + head, '"');
        size_t total = head + big + strlen(tail) + 1;
        char *huge = malloc(total);
        CHECK(huge != NULL);
        if (huge != NULL) {
            memcpy(huge, good_case, head);
            memset(huge + head, 'C', big);
            strcpy(huge + head + big, tail);
            /* beyond the built-in rulebook's limits.max_string_chars (65,536) */
            char *report = SENTINEL;
            CHECK_FAILS(hedui_verify_json_at(NULL, huge, ISSUED_AT, &report),
                        HEDUI_RESULT_INPUT_LIMIT_EXCEEDED, "input_limit_exceeded");
            /* a rulebook that allows it verifies it */
            char *json = NULL;
            CHECK(hedui_rulebook_to_json(NULL, &json) == HEDUI_RESULT_OK);
            const char *limit = "\"max_string_chars\": 65536";
            char *at_limit = json != NULL ? strstr(json, limit) : NULL;
            CHECK(at_limit != NULL);
            if (at_limit != NULL) {
                size_t len = strlen(json) + 16;
                char *wide = malloc(len);
                CHECK(wide != NULL);
                if (wide != NULL) {
                    snprintf(wide, len, "%.*s\"max_string_chars\": 16777216%s",
                             (int)(at_limit - json), json, at_limit + strlen(limit));
                    hedui_rulebook *rb = NULL;
                    CHECK(hedui_rulebook_from_json(wide, &rb) == HEDUI_RESULT_OK);
                    report = NULL;
                    CHECK(hedui_verify_json_at(rb, huge, ISSUED_AT, &report) == HEDUI_RESULT_OK);
                    CHECK(report != NULL && strlen(report) > big);
                    hedui_string_free(report);
                    hedui_rulebook_free(rb);
                    free(wide);
                }
            }
            hedui_string_free(json);
            free(huge);
        }
    }

    const size_t depth = 16u * 1024u * 1024u;
    char *deep = malloc(depth + 1);
    CHECK(deep != NULL);
    if (deep != NULL) {
        memset(deep, '[', depth);
        deep[depth] = '\0';
        char *out = SENTINEL;
        CHECK_FAILS(hedui_verify_json_at(NULL, deep, ISSUED_AT, &out),
                    HEDUI_RESULT_INPUT_ARRAY_FOR_OBJECT, "input_array_for_object");
        char *reports = SENTINEL, *errors = SENTINEL;
        CHECK(hedui_verify_batch_jsonl(NULL, deep, ISSUED_AT, 0, &reports, &errors) ==
              HEDUI_RESULT_OK);
        CHECK(reports != NULL && reports[0] == '\0');
        CHECK(errors != NULL &&
              strstr(errors, "\"code\":\"input_array_for_object\"") != NULL);
        hedui_string_free(reports);
        hedui_string_free(errors);
        CHECK(out == SENTINEL);
        free(deep);
    }

    const size_t junk_len = 32u * 1024u * 1024u;
    char *junk = malloc(junk_len + 1);
    CHECK(junk != NULL);
    if (junk != NULL) {
        junk[0] = '{';
        memset(junk + 1, 'x', junk_len - 1);
        junk[junk_len] = '\0';
        char *out = SENTINEL;
        CHECK_FAILS(hedui_verify_json_at(NULL, junk, ISSUED_AT, &out), HEDUI_RESULT_INPUT_JSON,
                    "input_json");
        hedui_rulebook *rb = (hedui_rulebook *)SENTINEL;
        CHECK_FAILS(hedui_rulebook_from_json(junk, &rb), HEDUI_RESULT_INPUT_JSON, "input_json");
        CHECK(rb == (hedui_rulebook *)SENTINEL);
        CHECK_FAILS(hedui_authorization_check_json(NULL, junk, &out), HEDUI_RESULT_INPUT_JSON,
                    "input_json");
        CHECK_FAILS(hedui_report_render_markdown(junk, &out), HEDUI_RESULT_INPUT_JSON,
                    "input_json");
        CHECK(out == SENTINEL);
        free(junk);
    }
}

/* A pretty-printed JSON document on one line: JSON strings hold no raw newlines. */
static void one_line(char *json) {
    for (char *p = json; *p != '\0'; p++) {
        if (*p == '\n' || *p == '\r') {
            *p = ' ';
        }
    }
}

static void test_batch(const char *corpus) {
    char *cases_dir = join(corpus, "/cases", "");
    char *expected_dir = join(corpus, "/expected", "");
    size_t count = 0;
    char **names = list_json(cases_dir, &count);
    /* the corpus as JSONL, with a blank line after the first case */
    size_t cap = 1, used = 0;
    char *jsonl = calloc(1, 1);
    char **expected = calloc(count, sizeof *expected);
    for (size_t i = 0; i < count && jsonl != NULL && expected != NULL; i++) {
        char *case_path = join(cases_dir, "/", names[i]);
        char *expected_path = join(expected_dir, "/", names[i]);
        size_t n = 0;
        char *text = read_file(case_path, &n);
        expected[i] = read_file(expected_path, NULL);
        if (text != NULL) {
            one_line(text);
            while (n > 0 && text[n - 1] == ' ') {
                text[--n] = '\0';
            }
            cap = used + n + 3;
            char *more = realloc(jsonl, cap);
            if (more != NULL) {
                jsonl = more;
                memcpy(jsonl + used, text, n);
                used += n;
                jsonl[used++] = '\n';
                if (i == 0) {
                    jsonl[used++] = '\n';
                }
                jsonl[used] = '\0';
            }
        }
        free(text);
        free(case_path);
        free(expected_path);
    }
    CHECK(jsonl != NULL && expected != NULL);
    if (jsonl == NULL || expected == NULL) {
        return;
    }

    char *reports = NULL, *errors = NULL;
    CHECK(hedui_verify_batch_jsonl(NULL, jsonl, ISSUED_AT, 0, &reports, &errors) ==
          HEDUI_RESULT_OK);
    char *p_reports = NULL, *p_errors = NULL;
    hedui_rulebook *rb = NULL;
    CHECK(hedui_rulebook_new_default(&rb) == HEDUI_RESULT_OK);
    CHECK(hedui_verify_batch_jsonl(rb, jsonl, ISSUED_AT, HEDUI_BATCH_PARALLEL, &p_reports,
                                   &p_errors) == HEDUI_RESULT_OK);
    /* parallel gives the same output in the same order */
    CHECK(reports != NULL && p_reports != NULL && strcmp(reports, p_reports) == 0);
    CHECK(errors != NULL && p_errors != NULL && strcmp(errors, p_errors) == 0);

    /* each line's outcome is the corpus outcome; line numbers count the blank line */
    const char *r = reports, *e = errors;
    for (size_t i = 0; i < count && r != NULL && e != NULL; i++) {
        unsigned long line = (unsigned long)(i == 0 ? 1 : i + 2);
        if (expected[i] == NULL) {
            continue;
        }
        if (strncmp(expected[i], "{\"error\":\"", 10) == 0) {
            char prefix[64];
            snprintf(prefix, sizeof prefix, "{\"line\":%lu,\"code\":\"", line);
            size_t plen = strlen(prefix);
            const char *code = expected[i] + 10;
            size_t clen = strcspn(code, "\"");
            CHECK(strncmp(e, prefix, plen) == 0 && strncmp(e + plen, code, clen) == 0 &&
                  e[plen + clen] == '"');
            e = strchr(e, '\n');
            e = e == NULL ? NULL : e + 1;
        } else {
            size_t n = strlen(expected[i]);
            CHECK(strncmp(r, expected[i], n) == 0);
            r = strchr(r, '\n');
            r = r == NULL ? NULL : r + 1;
        }
    }
    CHECK(r != NULL && *r == '\0' && e != NULL && *e == '\0');
    hedui_string_free(reports);
    hedui_string_free(errors);
    hedui_string_free(p_reports);
    hedui_string_free(p_errors);

    /* empty input: two empty strings; NULL time: now */
    reports = errors = NULL;
    CHECK(hedui_verify_batch_jsonl(NULL, "", NULL, 0, &reports, &errors) == HEDUI_RESULT_OK);
    CHECK(reports != NULL && errors != NULL && reports[0] == '\0' && errors[0] == '\0');
    hedui_string_free(reports);
    hedui_string_free(errors);

    /* bad arguments leave both outputs untouched */
    reports = errors = SENTINEL;
    CHECK_FAILS(hedui_verify_batch_jsonl(NULL, NULL, ISSUED_AT, 0, &reports, &errors),
                HEDUI_RESULT_NULL_POINTER, "null_pointer");
    CHECK_FAILS(hedui_verify_batch_jsonl(NULL, jsonl, ISSUED_AT, 0, NULL, &errors),
                HEDUI_RESULT_NULL_POINTER, "null_pointer");
    CHECK_FAILS(hedui_verify_batch_jsonl(NULL, jsonl, ISSUED_AT, 0, &reports, NULL),
                HEDUI_RESULT_NULL_POINTER, "null_pointer");
    CHECK_FAILS(hedui_verify_batch_jsonl(NULL, INVALID_UTF8, ISSUED_AT, 0, &reports, &errors),
                HEDUI_RESULT_INVALID_UTF8, "input_utf8");
    CHECK_FAILS(hedui_verify_batch_jsonl(NULL, jsonl, "noon", 0, &reports, &errors),
                HEDUI_RESULT_INVALID_TIME, "invalid_time");
    CHECK_FAILS(hedui_verify_batch_jsonl(NULL, jsonl, ISSUED_AT, 0x80u, &reports, &errors),
                HEDUI_RESULT_INVALID_ARGUMENT, "invalid_argument");
    CHECK(reports == SENTINEL && errors == SENTINEL);

    hedui_rulebook_free(rb);
    for (size_t i = 0; i < count; i++) {
        free(expected[i]);
        free(names[i]);
    }
    free(expected);
    free(names);
    free(jsonl);
    free(cases_dir);
    free(expected_dir);
}

static void test_authorization(const char *fixtures) {
    char *valid_path = join(fixtures, "/authorization-valid.json", "");
    char *defective_path = join(fixtures, "/authorization-defective.json", "");
    char *valid = read_file(valid_path, NULL);
    char *defective = read_file(defective_path, NULL);
    CHECK(valid != NULL && defective != NULL);
    if (valid != NULL && defective != NULL) {
        char *out = NULL;
        CHECK(hedui_authorization_check_json(NULL, valid, &out) == HEDUI_RESULT_OK);
        CHECK(out != NULL && strstr(out, "\"valid\":true,\"defects\":[]") != NULL);
        hedui_string_free(out);

        hedui_rulebook *rb = NULL;
        CHECK(hedui_rulebook_new_default(&rb) == HEDUI_RESULT_OK);
        out = NULL;
        CHECK(hedui_authorization_check_json(rb, defective, &out) == HEDUI_RESULT_OK);
        CHECK(out != NULL && strstr(out, "\"valid\":false") != NULL);
        CHECK(out != NULL && strstr(out, "{\"code\":\"missing_signature\"") != NULL);
        CHECK(out != NULL && strstr(out, "{\"code\":\"lapsed\",\"kind\":\"membership_change\"") !=
                                 NULL);
        hedui_string_free(out);
        hedui_rulebook_free(rb);

        out = SENTINEL;
        CHECK_FAILS(hedui_authorization_check_json(NULL, NULL, &out), HEDUI_RESULT_NULL_POINTER,
                    "null_pointer");
        CHECK_FAILS(hedui_authorization_check_json(NULL, valid, NULL), HEDUI_RESULT_NULL_POINTER,
                    "null_pointer");
        CHECK_FAILS(hedui_authorization_check_json(NULL, INVALID_UTF8, &out),
                    HEDUI_RESULT_INVALID_UTF8, "input_utf8");
        CHECK_FAILS(hedui_authorization_check_json(NULL, "{\"household\":{}}", &out),
                    HEDUI_RESULT_INPUT_JSON, "input_json");
        CHECK_FAILS(hedui_authorization_check_json(NULL, "{", &out), HEDUI_RESULT_INPUT_JSON,
                    "input_json");
        CHECK(out == SENTINEL);

        /* the deprecated old names still link and give the same answers */
        char *old = NULL, *renamed = NULL;
        CHECK(hedui_authorization_check_json(NULL, defective, &renamed) == HEDUI_RESULT_OK);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
        CHECK(hedui_check_authorization_json(NULL, defective, &old) == HEDUI_RESULT_OK);
        CHECK(old != NULL && renamed != NULL && strcmp(old, renamed) == 0);
        hedui_string_free(old);
        old = SENTINEL;
        CHECK_FAILS(hedui_coverage_json(NULL, "{", &old), HEDUI_RESULT_INPUT_JSON, "input_json");
        CHECK(old == SENTINEL);
#pragma GCC diagnostic pop
        hedui_string_free(renamed);
    }
    free(valid);
    free(defective);
    free(valid_path);
    free(defective_path);
}

static void test_report(const char *report) {
    char *md = NULL;
    CHECK(hedui_report_render_markdown(report, &md) == HEDUI_RESULT_OK);
    CHECK(md != NULL && strstr(md, "# 居民家庭经济状况核对报告") != NULL);
    hedui_string_free(md);

    /* the printable HTML: the statement, page numbers, the QR code in the page margin */
    char *html = NULL;
    CHECK(hedui_report_render_html(report, &html) == HEDUI_RESULT_OK);
    CHECK(html != NULL && strstr(html, "<!DOCTYPE html>") != NULL);
    CHECK(html != NULL && strstr(html, "counter(pages)") != NULL);
    CHECK(html != NULL && strstr(html, "@top-right { content: url(\"data:image/svg+xml;base64,") != NULL);
    hedui_string_free(html);
    html = SENTINEL;
    CHECK_FAILS(hedui_report_render_html(NULL, &html), HEDUI_RESULT_NULL_POINTER, "null_pointer");
    CHECK_FAILS(hedui_report_render_html("{}", &html), HEDUI_RESULT_INPUT_JSON, "input_json");
    CHECK(html == SENTINEL);
    char *html_n = NULL;
    char *html_err = SENTINEL;
    CHECK(hedui_report_render_html_n(report, strlen(report), &html_n, &html_err) ==
          HEDUI_RESULT_OK);
    CHECK(html_n != NULL && html_err == NULL);
    hedui_string_free(html_n);

    /* a printed copy's QR text that is not a payload, and one with no archive to check */
    char *answer = SENTINEL;
    CHECK_FAILS(hedui_report_check_printed_json("{\"payload\": \"BG-1\"}", &answer),
                HEDUI_RESULT_PRINTED_PAYLOAD_INVALID, "printed_payload_invalid");
    CHECK(answer == SENTINEL);
    answer = NULL;
    CHECK(hedui_report_check_printed_json(
              "{\"payload\": \"{\\\"v\\\":\\\"hedui-printed-v1\\\",\\\"report\\\":\\\"BG-1\\\","
              "\\\"issued_at\\\":\\\"2026-10-09T10:00:00+08:00\\\",\\\"digest\\\":\\\""
              "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\\\"}\"}",
              &answer) == HEDUI_RESULT_OK);
    CHECK(answer != NULL && strstr(answer, "\"code\":\"printed_unknown_report\"") != NULL);
    hedui_string_free(answer);

    bool valid = false;
    CHECK(hedui_report_verify_digest(report, &valid) == HEDUI_RESULT_OK && valid);
    /* any change breaks the digest */
    char *tampered = join(report, "", "");
    char *field = tampered == NULL ? NULL : strstr(tampered, "\"case_id\":\"");
    CHECK(field != NULL);
    if (field != NULL) {
        field[strlen("\"case_id\":\"")] ^= 1;
        valid = true;
        CHECK(hedui_report_verify_digest(tampered, &valid) == HEDUI_RESULT_OK && !valid);
    }
    free(tampered);

    char *out = SENTINEL;
    bool untouched = true;
    CHECK_FAILS(hedui_report_render_markdown(NULL, &out), HEDUI_RESULT_NULL_POINTER,
                "null_pointer");
    CHECK_FAILS(hedui_report_render_markdown(report, NULL), HEDUI_RESULT_NULL_POINTER,
                "null_pointer");
    CHECK_FAILS(hedui_report_render_markdown(INVALID_UTF8, &out), HEDUI_RESULT_INVALID_UTF8,
                "input_utf8");
    CHECK_FAILS(hedui_report_render_markdown("{}", &out), HEDUI_RESULT_INPUT_JSON, "input_json");
    CHECK_FAILS(hedui_report_verify_digest(NULL, &untouched), HEDUI_RESULT_NULL_POINTER,
                "null_pointer");
    CHECK_FAILS(hedui_report_verify_digest(report, NULL), HEDUI_RESULT_NULL_POINTER,
                "null_pointer");
    CHECK_FAILS(hedui_report_verify_digest(INVALID_UTF8, &untouched), HEDUI_RESULT_INVALID_UTF8,
                "input_utf8");
    CHECK_FAILS(hedui_report_verify_digest("[]", &untouched),
                HEDUI_RESULT_INPUT_ARRAY_FOR_OBJECT, "input_array_for_object");
    CHECK(out == SENTINEL && untouched);
}

/* The last error belongs to its thread; one rulebook serves threads at once. */
struct worker {
    const hedui_rulebook *rb;
    const char *good_case;
    const char *expected_report;
    bool ok;
};

static void *work(void *arg) {
    struct worker *w = arg;
    w->ok = strcmp(hedui_last_error_code(), "") == 0;
    char *out = SENTINEL;
    w->ok = w->ok && hedui_verify_json_at(w->rb, NULL, ISSUED_AT, &out) ==
                         HEDUI_RESULT_NULL_POINTER;
    w->ok = w->ok && strcmp(hedui_last_error_code(), "null_pointer") == 0;
    for (int i = 0; i < 3; i++) {
        char *report = NULL;
        w->ok = w->ok && hedui_verify_json_at(w->rb, w->good_case, ISSUED_AT, &report) ==
                             HEDUI_RESULT_OK;
        w->ok = w->ok && report != NULL && strcmp(report, w->expected_report) == 0;
        hedui_string_free(report);
    }
    return NULL;
}

static void test_threads(const char *good_case, const char *report) {
    hedui_rulebook *rb = NULL;
    CHECK(hedui_rulebook_new_default(&rb) == HEDUI_RESULT_OK);
    char *out = SENTINEL;
    CHECK_FAILS(hedui_verify_json_at(rb, "{", ISSUED_AT, &out), HEDUI_RESULT_INPUT_JSON,
                "input_json");
    pthread_t threads[2];
    struct worker workers[2];
    for (int i = 0; i < 2; i++) {
        workers[i] = (struct worker){rb, good_case, report, false};
        CHECK(pthread_create(&threads[i], NULL, work, &workers[i]) == 0);
    }
    for (int i = 0; i < 2; i++) {
        CHECK(pthread_join(threads[i], NULL) == 0);
        CHECK(workers[i].ok);
    }
    /* this thread's last error is still its own */
    CHECK(strcmp(hedui_last_error_code(), "input_json") == 0);
    hedui_rulebook_free(rb);
}

/* The error of an _n call, taken from the call: its "code" member is `code`. */
static bool error_has_code(char *error, const char *code) {
    char wanted[96];
    snprintf(wanted, sizeof wanted, "\"code\":\"%s\"", code);
    bool ok = error != NULL && error != SENTINEL && strstr(error, wanted) != NULL;
    if (error != SENTINEL) {
        hedui_string_free(error);
    }
    return ok;
}

/* The _n forms: text as (pointer, length), NUL and invalid UTF-8 refused with their own
   results, the error handed back by the call. */
static void test_counted_text(const char *good_case, const char *report) {
    size_t n = strlen(good_case);
    size_t at_n = strlen(ISSUED_AT);
    char *out = NULL;
    char *error = SENTINEL;
    CHECK(hedui_verify_json_at_n(NULL, good_case, n, ISSUED_AT, at_n, &out, &error) ==
          HEDUI_RESULT_OK);
    CHECK(error == NULL);
    CHECK(out != NULL && strcmp(out, report) == 0);
    hedui_string_free(out);

    /* good case + NUL + anything: the C string form sees only the good case */
    const char *tail = "{\"case_id\":\"smuggled\"}";
    char *smuggled = malloc(n + 1 + strlen(tail));
    CHECK(smuggled != NULL);
    if (smuggled == NULL) {
        return;
    }
    memcpy(smuggled, good_case, n + 1);
    memcpy(smuggled + n + 1, tail, strlen(tail));
    size_t smuggled_n = n + 1 + strlen(tail);
    out = NULL;
    CHECK(hedui_verify_json_at(NULL, smuggled, ISSUED_AT, &out) == HEDUI_RESULT_OK);
    hedui_string_free(out);
    out = SENTINEL;
    error = NULL;
    CHECK_FAILS(hedui_verify_json_at_n(NULL, smuggled, smuggled_n, ISSUED_AT, at_n, &out,
                                       &error),
                HEDUI_RESULT_INPUT_NUL, "input_nul");
    CHECK(out == SENTINEL);
    CHECK(error != NULL && strstr(error, "\"result\":1005") != NULL);
    CHECK(error_has_code(error, "input_nul"));
    /* a NUL in the time, in a JSON request, in a batch */
    error = NULL;
    CHECK(hedui_verify_json_at_n(NULL, good_case, n, ISSUED_AT, at_n + 1, &out, &error) ==
          HEDUI_RESULT_INPUT_NUL);
    CHECK(error != NULL && strstr(error, "issued_at_rfc3339") != NULL);
    CHECK(error_has_code(error, "input_nul"));
    error = NULL;
    CHECK(hedui_id_check_json_n(NULL, "{}\0{}", 5, &out, &error) == HEDUI_RESULT_INPUT_NUL);
    CHECK(error_has_code(error, "input_nul"));
    char *errors_out = SENTINEL;
    error = NULL;
    CHECK(hedui_verify_batch_jsonl_n(NULL, smuggled, smuggled_n, NULL, 0, 0, &out,
                                     &errors_out, &error) == HEDUI_RESULT_INPUT_NUL);
    CHECK(errors_out == SENTINEL && out == SENTINEL);
    CHECK(error_has_code(error, "input_nul"));
    free(smuggled);

    /* invalid UTF-8 and NULL text */
    error = NULL;
    CHECK_FAILS(hedui_verify_json_n(NULL, INVALID_UTF8, strlen(INVALID_UTF8), &out, &error),
                HEDUI_RESULT_INVALID_UTF8, "input_utf8");
    CHECK(error_has_code(error, "input_utf8"));
    error = NULL;
    CHECK_FAILS(hedui_verify_json_n(NULL, NULL, 3, &out, &error), HEDUI_RESULT_NULL_POINTER,
                "null_pointer");
    CHECK(error_has_code(error, "null_pointer"));
    CHECK(out == SENTINEL);
    /* the error out parameter is optional */
    CHECK_FAILS(hedui_verify_json_n(NULL, "{", 1, &out, NULL), HEDUI_RESULT_INPUT_JSON,
                "input_json");

    /* text need not be NUL-terminated at all: a length inside a larger buffer */
    char padded[64];
    memset(padded, 'x', sizeof padded);
    memcpy(padded, "2026-11-29", 10);
    error = SENTINEL;
    CHECK(hedui_recheck_schedule_json_n(NULL, "[]", 2, padded, 10, &out, &error) ==
          HEDUI_RESULT_OK);
    CHECK(error == NULL && out != SENTINEL && strstr(out, "\"as_of\":\"2026-11-29\"") != NULL);
    hedui_string_free(out);

    /* handles made and used through _n forms only */
    hedui_rulebook *rb = NULL;
    CHECK(hedui_rulebook_new_default_n(&rb, NULL) == HEDUI_RESULT_OK);
    char *rb_json = NULL;
    CHECK(hedui_rulebook_to_json_n(rb, &rb_json, NULL) == HEDUI_RESULT_OK);
    hedui_rulebook *back = NULL;
    CHECK(rb_json != NULL &&
          hedui_rulebook_from_json_n(rb_json, strlen(rb_json), &back, NULL) == HEDUI_RESULT_OK);
    out = NULL;
    CHECK(hedui_verify_json_at_n(back, good_case, n, ISSUED_AT, at_n, &out, NULL) ==
          HEDUI_RESULT_OK);
    CHECK(out != NULL && strcmp(out, report) == 0);
    hedui_string_free(out);
    hedui_string_free(rb_json);
    hedui_rulebook_free(back);
    hedui_rulebook_free(rb);
}

/* Errors taken from the call on one thread, read on another. */
struct call_result {
    const char *case_json;
    hedui_result result;
    char *error;
};

static void *call_only(void *arg) {
    struct call_result *c = arg;
    char *out = SENTINEL;
    c->result = hedui_verify_json_at_n(NULL, c->case_json, strlen(c->case_json), ISSUED_AT,
                                       strlen(ISSUED_AT), &out, &c->error);
    return NULL;
}

static void *read_only(void *arg) {
    struct call_result *c = arg;
    /* this thread made no call: its thread-local error is empty, the call's error is here */
    bool ok = strcmp(hedui_last_error_code(), "") == 0 && c->result == HEDUI_RESULT_INPUT_JSON &&
              error_has_code(c->error, "input_json");
    c->error = NULL;
    return ok ? c : NULL;
}

static void test_error_on_another_thread(void) {
    struct call_result c = {"{\"case_id\": 1", HEDUI_RESULT_OK, SENTINEL};
    pthread_t caller, reader;
    CHECK(pthread_create(&caller, NULL, call_only, &c) == 0);
    CHECK(pthread_join(caller, NULL) == 0);
    void *ok = NULL;
    CHECK(pthread_create(&reader, NULL, read_only, &c) == 0);
    CHECK(pthread_join(reader, &ok) == 0);
    CHECK(ok == &c);
}

/* R5 coverage: one new application, verified, in a one-county jurisdiction. */
static const char *const COVERAGE_REQUEST =
    "{\"applications\":[{\"id\":\"AP-1\",\"household_id\":\"H1\",\"region\":\"141002\","
    "\"applied_on\":\"2026-03-01\",\"programme\":\"minimum_living_allowance\",\"kind\":\"new\","
    "\"members\":[\"360426199101010071\"]}],"
    "\"verifications\":[{\"household_id\":\"H1\",\"number\":\"WT-1\","
    "\"verified_on\":\"2026-03-05\",\"members\":[\"360426199101010071\"],"
    "\"queried\":[{\"category\":\"bank_deposits\",\"answered_by\":\"province\"}],"
    "\"region\":\"141002\"}],"
    "\"jurisdiction\":[\"141002\"]";

static void test_coverage(void) {
    char *with_queryable = join(COVERAGE_REQUEST, ",\"queryable\":[\"bank_deposits\"]}", "");
    char *default_queryable = join(COVERAGE_REQUEST, "}", "");
    /* an application outside the jurisdiction is an issue of the report, not a failure */
    char *outside = join("{\"applications\":[{\"id\":\"AP-9\",\"household_id\":\"H9\","
                         "\"region\":\"110101\",\"applied_on\":\"2026-03-01\","
                         "\"programme\":\"minimum_living_allowance\",\"kind\":\"new\","
                         "\"members\":[\"360426199101010071\"]}],",
                         "\"verifications\":[],\"jurisdiction\":[\"141002\"]}", "");
    CHECK(with_queryable != NULL && default_queryable != NULL && outside != NULL);
    if (with_queryable == NULL || default_queryable == NULL || outside == NULL) {
        free(with_queryable);
        free(default_queryable);
        free(outside);
        return;
    }

    char *out = NULL;
    CHECK(hedui_coverage_audit_json(NULL, with_queryable, &out) == HEDUI_RESULT_OK);
    CHECK(out != NULL && strstr(out, "\"households\":{\"covered\":1,\"total\":1}") != NULL);
    CHECK(out != NULL && strstr(out, "\"categories\":{\"covered\":1,\"total\":1}") != NULL);
    CHECK(out != NULL && strstr(out, "\"issues\":[]") != NULL);
    hedui_string_free(out);

    /* without `queryable`: every category some level can query by the rulebook */
    hedui_rulebook *rb = NULL;
    CHECK(hedui_rulebook_new_default(&rb) == HEDUI_RESULT_OK);
    out = NULL;
    CHECK(hedui_coverage_audit_json(rb, default_queryable, &out) == HEDUI_RESULT_OK);
    CHECK(out != NULL && strstr(out, "\"households\":{\"covered\":1,\"total\":1}") != NULL);
    CHECK(out != NULL && strstr(out, "\"categories\":{\"covered\":1,\"total\":1}") == NULL);
    hedui_string_free(out);
    hedui_rulebook_free(rb);

    out = NULL;
    CHECK(hedui_coverage_audit_json(NULL, outside, &out) == HEDUI_RESULT_OK);
    CHECK(out != NULL && strstr(out, "population_outside_jurisdiction") != NULL);
    hedui_string_free(out);

    out = SENTINEL;
    CHECK_FAILS(hedui_coverage_audit_json(NULL, NULL, &out), HEDUI_RESULT_NULL_POINTER, "null_pointer");
    CHECK_FAILS(hedui_coverage_audit_json(NULL, with_queryable, NULL), HEDUI_RESULT_NULL_POINTER,
                "null_pointer");
    CHECK_FAILS(hedui_coverage_audit_json(NULL, INVALID_UTF8, &out), HEDUI_RESULT_INVALID_UTF8,
                "input_utf8");
    CHECK_FAILS(hedui_coverage_audit_json(NULL, "{\"applications\":[", &out), HEDUI_RESULT_INPUT_JSON,
                "input_json");
    CHECK_FAILS(hedui_coverage_audit_json(NULL, "{\"applications\":[],\"verifications\":[]}", &out),
                HEDUI_RESULT_INPUT_JSON, "input_json");
    CHECK_FAILS(hedui_coverage_audit_json(NULL, "[]", &out), HEDUI_RESULT_INPUT_ARRAY_FOR_OBJECT,
                "input_array_for_object");
    CHECK(out == SENTINEL);
    free(with_queryable);
    free(default_queryable);
    free(outside);
}

/* R8: one 低保 household last checked in January 2025, due by June 2026. */
#define HOUSEHOLD                                                                      \
    "{\"household_id\":\"H1\",\"programme\":\"minimum_living_allowance\","                  \
    "\"last_checked\":\"2025-01-10\",\"authorization_signed_on\":\"2025-01-05\","          \
    "\"agency_id\":\"A-141002\"}"
static const char *const HOUSEHOLDS = "[" HOUSEHOLD "]";
static const char *const HOUSEHOLDS_TWICE = "[" HOUSEHOLD "," HOUSEHOLD "]";

static void test_recheck_schedule(void) {
    char *out = NULL;
    CHECK(hedui_recheck_schedule_json(NULL, HOUSEHOLDS, "2026-06-01", &out) == HEDUI_RESULT_OK);
    CHECK(out != NULL && strncmp(out, "{\"as_of\":\"2026-06-01\",\"entries\":[{", 33) == 0);
    CHECK(out != NULL && strstr(out, "\"batches\":{\"as_of\":\"2026-06-01\"") != NULL);
    CHECK(out != NULL && strstr(out, "\"number\":\"FH-A-141002-20260601-001\"") != NULL);
    /* the schedule's summary after the batches, as in uniffi and Python: H1 is overdue */
    CHECK(out != NULL && strstr(out, "]},\"due\":[{\"position\":0,") != NULL);
    CHECK(out != NULL && strstr(out, ",\"overdue\":[{\"position\":0,") != NULL);
    CHECK(out != NULL &&
          strstr(out, ",\"awaiting_authorization\":[],\"next_due_on\":null,"
                      "\"counts_by_programme\":[{\"programme\":\"minimum_living_allowance\","
                      "\"households\":1,\"due\":1,\"overdue\":1,"
                      "\"awaiting_authorization\":0},") != NULL);
    hedui_string_free(out);

    /* empty caseload; a duplicate household is an issue, not a failure */
    hedui_rulebook *rb = NULL;
    CHECK(hedui_rulebook_new_default(&rb) == HEDUI_RESULT_OK);
    out = NULL;
    CHECK(hedui_recheck_schedule_json(rb, "[]", "2026-06-01", &out) == HEDUI_RESULT_OK);
    CHECK(out != NULL && strstr(out, "\"entries\":[],\"issues\":[]") != NULL);
    hedui_string_free(out);
    out = NULL;
    CHECK(hedui_recheck_schedule_json(rb, HOUSEHOLDS_TWICE, "2026-06-01", &out) ==
          HEDUI_RESULT_OK);
    CHECK(out != NULL && strstr(out, "population_duplicate_record") != NULL);
    hedui_string_free(out);
    hedui_rulebook_free(rb);

    out = SENTINEL;
    CHECK_FAILS(hedui_recheck_schedule_json(NULL, NULL, "2026-06-01", &out),
                HEDUI_RESULT_NULL_POINTER, "null_pointer");
    CHECK_FAILS(hedui_recheck_schedule_json(NULL, HOUSEHOLDS, NULL, &out),
                HEDUI_RESULT_NULL_POINTER, "null_pointer");
    CHECK_FAILS(hedui_recheck_schedule_json(NULL, HOUSEHOLDS, "2026-06-01", NULL),
                HEDUI_RESULT_NULL_POINTER, "null_pointer");
    CHECK_FAILS(hedui_recheck_schedule_json(NULL, INVALID_UTF8, "2026-06-01", &out),
                HEDUI_RESULT_INVALID_UTF8, "input_utf8");
    CHECK_FAILS(hedui_recheck_schedule_json(NULL, HOUSEHOLDS, "2026-06-\xff", &out),
                HEDUI_RESULT_INVALID_UTF8, "input_utf8");
    CHECK_FAILS(hedui_recheck_schedule_json(NULL, HOUSEHOLDS, "2026-02-30", &out),
                HEDUI_RESULT_INVALID_DATE, "invalid_date");
    CHECK_FAILS(hedui_recheck_schedule_json(NULL, HOUSEHOLDS, "2026-06-01T00:00:00Z", &out),
                HEDUI_RESULT_INVALID_DATE, "invalid_date");
    CHECK_FAILS(hedui_recheck_schedule_json(NULL, "[{", "2026-06-01", &out),
                HEDUI_RESULT_INPUT_JSON, "input_json");
    CHECK_FAILS(hedui_recheck_schedule_json(NULL, "{}", "2026-06-01", &out),
                HEDUI_RESULT_INPUT_JSON, "input_json");
    CHECK(out == SENTINEL);
}

static const char *const RELIEF_GRANT =
    "{\"case_id\":\"JJ-1\",\"household_id\":\"H141030-00000000\",\"relieved_on\":\"2026-07-01\","
    "\"amount_fen\":200000,\"reason\":\"火灾\",\"emergency\":true}";
static const char *const RELIEF_GRANT_NOT_EMERGENCY =
    "{\"case_id\":\"JJ-2\",\"household_id\":\"H141030-00000000\",\"relieved_on\":\"2026-07-01\","
    "\"amount_fen\":200000,\"reason\":\"火灾\",\"emergency\":false}";

/* The `ledger` member of `{"reference":...,"ledger":{...}}` or `{"entry":...,"ledger":{...}}`
 * (the last member): a new string, or NULL. */
static char *ledger_of(const char *out) {
    const char *at = out == NULL ? NULL : strstr(out, ",\"ledger\":");
    if (at == NULL) {
        return NULL;
    }
    at += strlen(",\"ledger\":");
    size_t len = strlen(at);
    if (len < 2 || at[len - 1] != '}') {
        return NULL;
    }
    char *ledger = malloc(len);
    if (ledger != NULL) {
        memcpy(ledger, at, len - 1);
        ledger[len - 1] = '\0';
    }
    return ledger;
}

/* R4: relief first, then the follow-up verification of that relief closes it. */
static void test_relief(const char *fixtures) {
    char *case_path = join(fixtures, "/case-emergency-follow-up.json", "");
    char *follow_up_case = case_path == NULL ? NULL : read_file(case_path, NULL);
    free(case_path);
    CHECK(follow_up_case != NULL);
    if (follow_up_case == NULL) {
        return;
    }
    char *unsigned_report = NULL;
    CHECK(hedui_verify_json_at(NULL, follow_up_case, ISSUED_AT, &unsigned_report) ==
          HEDUI_RESULT_OK);
    free(follow_up_case);

    /* the agency's signer and a keyring trusting it, each loaded once */
    unsigned char seed[32];
    memset(seed, 21, sizeof seed);
    hedui_report_signer *signer = NULL;
    CHECK(hedui_report_signer_new("agency-2026", seed, sizeof seed, &signer) == HEDUI_RESULT_OK);
    memset(seed, 0, sizeof seed); /* the handle keeps no copy of the caller's buffer */
    char *key = NULL;
    CHECK(signer != NULL && hedui_report_signer_trusted_key_json(signer, &key) == HEDUI_RESULT_OK);
    char *keys = key == NULL ? NULL : join("[", key, "]");
    hedui_string_free(key);
    hedui_report_keyring *keyring = NULL;
    CHECK(keys != NULL && hedui_report_keyring_new_json(keys, &keyring) == HEDUI_RESULT_OK);
    free(keys);
    char *report = NULL;
    CHECK(unsigned_report != NULL &&
          hedui_report_signer_sign_json(signer, unsigned_report, &report) == HEDUI_RESULT_OK);
    char *verified = NULL;
    CHECK(report != NULL &&
          hedui_report_keyring_verify_json(keyring, report, &verified) == HEDUI_RESULT_OK);
    CHECK(verified != NULL && strstr(verified, "\"key_id\":\"agency-2026\"") != NULL);
    hedui_string_free(verified);

    char *recorded = NULL;
    CHECK(hedui_relief_record_json(NULL, NULL, RELIEF_GRANT, &recorded) == HEDUI_RESULT_OK);
    CHECK(recorded != NULL && strncmp(recorded, "{\"reference\":\"JJ-1-1\",\"ledger\":{", 32) == 0);
    char *ledger = ledger_of(recorded);
    hedui_string_free(recorded);
    CHECK(ledger != NULL);

    char *follow_ups = NULL;
    if (ledger != NULL) {
        CHECK(hedui_relief_follow_ups_json(NULL, ledger, "2026-11-29", &follow_ups) ==
              HEDUI_RESULT_OK);
        CHECK(follow_ups != NULL && strstr(follow_ups, "\"overdue\":[{") != NULL);
        CHECK(follow_ups != NULL && strstr(follow_ups, "\"closed\":[]") != NULL);
        hedui_string_free(follow_ups);
    }

    char *closed = NULL;
    if (ledger != NULL && report != NULL) {
        /* evidence must be signed by a trusted key (security.signed_evidence, the default) */
        char *out = SENTINEL;
        CHECK_FAILS(hedui_relief_close_json(NULL, keyring, ledger, "JJ-1-1", unsigned_report,
                                            "2026-11-29", &out),
                    HEDUI_RESULT_EVIDENCE_UNSIGNED, "evidence_unsigned");
        CHECK_FAILS(hedui_relief_close_json(NULL, NULL, ledger, "JJ-1-1", report, "2026-11-29",
                                            &out),
                    HEDUI_RESULT_EVIDENCE_UNKNOWN_KEY, "evidence_unknown_key");
        /* a signed report changed afterwards: its content no longer matches the signed digest */
        char *tampered = strdup(report);
        char *at = tampered == NULL ? NULL : strstr(tampered, "\"report_number\":\"");
        CHECK(at != NULL);
        if (at != NULL) {
            /* an ASCII character of the report number, changed */
            char *c = at + strlen("\"report_number\":\"");
            *c = *c == 'Z' ? 'Y' : 'Z';
            CHECK_FAILS(hedui_relief_close_json(NULL, keyring, ledger, "JJ-1-1", tampered,
                                                "2026-11-29", &out),
                        HEDUI_RESULT_EVIDENCE_BAD_SIGNATURE, "evidence_bad_signature");
            CHECK_FAILS(hedui_report_keyring_verify_json(keyring, tampered, &out),
                        HEDUI_RESULT_SIGNATURE_INVALID, "signature_invalid");
        }
        free(tampered);
        CHECK(out == SENTINEL);
        CHECK(hedui_relief_close_json(NULL, keyring, ledger, "JJ-1-1", report, "2026-11-29",
                                      &closed) == HEDUI_RESULT_OK);
        CHECK(closed != NULL && strstr(closed, "\"closure\":{\"report_number\":") != NULL);
        char *closed_ledger = ledger_of(closed);
        hedui_string_free(closed);
        CHECK(closed_ledger != NULL);
        if (closed_ledger != NULL) {
            follow_ups = NULL;
            CHECK(hedui_relief_follow_ups_json(NULL, closed_ledger, "2026-11-29",
                                               &follow_ups) == HEDUI_RESULT_OK);
            CHECK(follow_ups != NULL && strstr(follow_ups, "\"overdue\":[]") != NULL);
            hedui_string_free(follow_ups);
            char *out = SENTINEL;
            CHECK_FAILS(hedui_relief_close_json(NULL, keyring, closed_ledger, "JJ-1-1", report,
                                                "2026-11-30", &out),
                        HEDUI_RESULT_RELIEF_FOLLOWUP_ALREADY_CLOSED,
                        "relief_followup_already_closed");
            CHECK(out == SENTINEL);
            free(closed_ledger);
        }
    }

    char *out = SENTINEL;
    CHECK_FAILS(hedui_relief_record_json(NULL, NULL, RELIEF_GRANT_NOT_EMERGENCY, &out),
                HEDUI_RESULT_RELIEF_NOT_EMERGENCY, "relief_not_emergency");
    CHECK_FAILS(hedui_relief_record_json(NULL, "{", RELIEF_GRANT, &out),
                HEDUI_RESULT_INPUT_JSON, "input_json");
    CHECK_FAILS(hedui_relief_record_json(NULL, NULL, NULL, &out), HEDUI_RESULT_NULL_POINTER,
                "null_pointer");
    CHECK_FAILS(hedui_relief_record_json(NULL, NULL, RELIEF_GRANT, NULL),
                HEDUI_RESULT_NULL_POINTER, "null_pointer");
    CHECK_FAILS(hedui_relief_record_json(NULL, NULL, INVALID_UTF8, &out),
                HEDUI_RESULT_INVALID_UTF8, "input_utf8");
    if (ledger != NULL && report != NULL) {
        CHECK_FAILS(hedui_relief_close_json(NULL, keyring, ledger, "JJ-9-1", report, "2026-11-29", &out),
                    HEDUI_RESULT_RELIEF_FOLLOWUP_UNKNOWN, "relief_followup_unknown");
        CHECK_FAILS(hedui_relief_close_json(NULL, keyring, ledger, "JJ-1-1", report, "2026-06-30", &out),
                    HEDUI_RESULT_RELIEF_FOLLOWUP_BEFORE_RELIEF, "relief_followup_before_relief");
        CHECK_FAILS(hedui_relief_close_json(NULL, keyring, ledger, "JJ-1-1", "{}", "2026-11-29", &out),
                    HEDUI_RESULT_INPUT_JSON, "input_json");
        CHECK_FAILS(hedui_relief_close_json(NULL, keyring, ledger, "JJ-1-1", report, "10 July", &out),
                    HEDUI_RESULT_INVALID_DATE, "invalid_date");
        CHECK_FAILS(hedui_relief_close_json(NULL, keyring, NULL, "JJ-1-1", report, "2026-11-29", &out),
                    HEDUI_RESULT_NULL_POINTER, "null_pointer");
        CHECK_FAILS(hedui_relief_close_json(NULL, keyring, ledger, NULL, report, "2026-11-29", &out),
                    HEDUI_RESULT_NULL_POINTER, "null_pointer");
        CHECK_FAILS(hedui_relief_follow_ups_json(NULL, ledger, "2026-13-01", &out),
                    HEDUI_RESULT_INVALID_DATE, "invalid_date");
    }
    CHECK_FAILS(hedui_relief_follow_ups_json(NULL, "[", "2026-11-29", &out),
                HEDUI_RESULT_INPUT_ARRAY_FOR_OBJECT, "input_array_for_object");
    CHECK_FAILS(hedui_relief_follow_ups_json(NULL, NULL, "2026-11-29", &out),
                HEDUI_RESULT_NULL_POINTER, "null_pointer");
    /* the signer and keyring handles check their pointers and input */
    hedui_report_signer *no_signer = NULL;
    CHECK_FAILS(hedui_report_signer_new("k", seed, 31, &no_signer),
                HEDUI_RESULT_SIGNING_KEY_INVALID, "signing_key_invalid");
    CHECK_FAILS(hedui_report_signer_new("k", NULL, 32, &no_signer), HEDUI_RESULT_NULL_POINTER,
                "null_pointer");
    CHECK(no_signer == NULL);
    CHECK_FAILS(hedui_report_signer_sign_json(NULL, "{}", &out), HEDUI_RESULT_NULL_POINTER,
                "null_pointer");
    CHECK_FAILS(hedui_report_signer_sign_json(signer, "{", &out), HEDUI_RESULT_INPUT_JSON,
                "input_json");
    hedui_report_keyring *no_keyring = NULL;
    CHECK_FAILS(hedui_report_keyring_new_json("[{", &no_keyring), HEDUI_RESULT_INPUT_JSON,
                "input_json");
    CHECK(no_keyring == NULL);
    CHECK_FAILS(hedui_report_keyring_verify_json(NULL, "{}", &out), HEDUI_RESULT_NULL_POINTER,
                "null_pointer");
    CHECK(out == SENTINEL);
    hedui_report_signer_free(signer);
    hedui_report_signer_free(NULL);
    hedui_report_keyring_free(keyring);
    hedui_report_keyring_free(NULL);
    hedui_string_free(unsigned_report);
    free(ledger);
    hedui_string_free(report);
}

static const uint8_t AUDIT_KEY[32] = {
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
};
static const uint8_t AUDIT_KEY_2[32] = {
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

static const char *const AUDIT_EVENT =
    "{\"at\":\"2026-11-29T10:00:00+08:00\",\"event\":\"authorization_check\","
    "\"decision\":\"permit\",\"actor\":\"op-7\",\"reason\":\"R1 SQ-1 checked\","
    "\"context\":\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"}";
/* the same gate decision with another reason: a rewritten entry */
static const char *const AUDIT_EVENT_OTHER =
    "{\"at\":\"2026-11-29T10:00:00+08:00\",\"event\":\"authorization_check\","
    "\"decision\":\"deny\",\"actor\":\"op-7\",\"reason\":\"R1 SQ-1 rewritten\","
    "\"context\":\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"}";
static const char *const AUDIT_EVENT_EARLIER =
    "{\"at\":\"2026-11-29T09:00:00+08:00\",\"event\":\"authorization_check\","
    "\"decision\":\"permit\",\"actor\":\"op-7\",\"reason\":\"R1 SQ-1 checked\","
    "\"context\":\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"}";
/* a line of a format-1 log: no format, no chain id, no key id */
static const char *const AUDIT_FORMAT_1_LINE =
    "{\"seq\":0,\"at\":\"2026-11-29T10:00:00+08:00\",\"event\":\"login\",\"decision\":\"deny\","
    "\"actor\":\"op-0\",\"reason\":\"r\","
    "\"context\":\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\","
    "\"prev\":\"0000000000000000000000000000000000000000000000000000000000000000\","
    "\"mac\":\"0000000000000000000000000000000000000000000000000000000000000001\"}\n";

/* A keyring holding `first` and, if `second` is not NULL, `second` (the current key). */
static hedui_audit_keyring *audit_keyring(const char *first, const uint8_t *first_key,
                                          const char *second, const uint8_t *second_key) {
    hedui_audit_keyring *ring = NULL;
    CHECK(hedui_audit_keyring_new(&ring) == HEDUI_RESULT_OK && ring != NULL);
    CHECK(hedui_audit_keyring_add(ring, first, first_key, 32) == HEDUI_RESULT_OK);
    if (second != NULL) {
        CHECK(hedui_audit_keyring_add(ring, second, second_key, 32) == HEDUI_RESULT_OK);
    }
    return ring;
}

/* A chain `id` under `ring` with `n` copies of AUDIT_EVENT; its head in *head_out. */
static hedui_audit_chain *audit_chain(const char *id, const hedui_audit_keyring *ring, int n,
                                      char **head_out) {
    hedui_audit_chain *chain = NULL;
    CHECK(hedui_audit_chain_new(id, ring, &chain) == HEDUI_RESULT_OK && chain != NULL);
    for (int i = 0; i < n; i++) {
        char *head = NULL;
        CHECK(hedui_audit_chain_append_json(chain, AUDIT_EVENT, &head) == HEDUI_RESULT_OK);
        hedui_string_free(head);
    }
    CHECK(hedui_audit_chain_head_json(chain, head_out) == HEDUI_RESULT_OK);
    return chain;
}

/* Reading `jsonl` under `ring` against `head` fails with `expected` and `code`. */
#define CHECK_OPEN_FAILS(ring, jsonl, head, expected, code)                                \
    do {                                                                                 \
        hedui_audit_chain *bad_ = (hedui_audit_chain *)SENTINEL;                         \
        CHECK_FAILS(hedui_audit_chain_from_jsonl((ring), (jsonl), (head), &bad_), (expected), \
                    (code));                                                             \
        CHECK(bad_ == (hedui_audit_chain *)SENTINEL);                                    \
    } while (0)

static void test_audit_keyring(void) {
    hedui_audit_keyring *ring = NULL;
    CHECK_FAILS(hedui_audit_keyring_new(NULL), HEDUI_RESULT_NULL_POINTER, "null_pointer");
    CHECK(hedui_audit_keyring_new(&ring) == HEDUI_RESULT_OK && ring != NULL);
    /* an empty keyring MACs nothing */
    hedui_audit_chain *none = (hedui_audit_chain *)SENTINEL;
    CHECK_FAILS(hedui_audit_chain_new("A-1", ring, &none), HEDUI_RESULT_AUDIT_KEYRING_EMPTY,
                "audit_keyring_empty");
    CHECK_FAILS(hedui_audit_keyring_add(ring, "k1", AUDIT_KEY, 16),
                HEDUI_RESULT_AUDIT_KEY_LENGTH, "audit_key_length");
    CHECK_FAILS(hedui_audit_keyring_add(ring, "k 1", AUDIT_KEY, 32),
                HEDUI_RESULT_AUDIT_ID_INVALID, "audit_id_invalid");
    CHECK_FAILS(hedui_audit_keyring_add(ring, "", AUDIT_KEY, 32), HEDUI_RESULT_AUDIT_ID_INVALID,
                "audit_id_invalid");
    CHECK_FAILS(hedui_audit_keyring_add(ring, NULL, AUDIT_KEY, 32), HEDUI_RESULT_NULL_POINTER,
                "null_pointer");
    CHECK_FAILS(hedui_audit_keyring_add(ring, "k1", NULL, 32), HEDUI_RESULT_NULL_POINTER,
                "null_pointer");
    CHECK_FAILS(hedui_audit_keyring_add(NULL, "k1", AUDIT_KEY, 32), HEDUI_RESULT_NULL_POINTER,
                "null_pointer");
    CHECK(hedui_audit_keyring_add(ring, "k1", AUDIT_KEY, 32) == HEDUI_RESULT_OK);
    /* an id names one key for good */
    CHECK_FAILS(hedui_audit_keyring_add(ring, "k1", AUDIT_KEY_2, 32),
                HEDUI_RESULT_AUDIT_ID_INVALID, "audit_id_invalid");
    CHECK_FAILS(hedui_audit_chain_new("A 1", ring, &none), HEDUI_RESULT_AUDIT_ID_INVALID,
                "audit_id_invalid");
    CHECK_FAILS(hedui_audit_chain_new(NULL, ring, &none), HEDUI_RESULT_NULL_POINTER,
                "null_pointer");
    CHECK_FAILS(hedui_audit_chain_new("A-1", NULL, &none), HEDUI_RESULT_NULL_POINTER,
                "null_pointer");
    CHECK_FAILS(hedui_audit_chain_new("A-1", ring, NULL), HEDUI_RESULT_NULL_POINTER,
                "null_pointer");
    CHECK(none == (hedui_audit_chain *)SENTINEL);
    hedui_audit_keyring_free(ring);
    hedui_audit_keyring_free(NULL);
}

/* R11 under the commercial-cryptography suite: an HMAC-SM3 key writes entries that name
 * their algorithm, and an HMAC-SHA256 key of the same id and bytes never verifies them. */
static void test_audit_hmac_sm3(void) {
    hedui_audit_keyring *sm3 = NULL;
    CHECK(hedui_audit_keyring_new(&sm3) == HEDUI_RESULT_OK && sm3 != NULL);
    CHECK_FAILS(hedui_audit_keyring_add_with(sm3, "k1", "hmac-md5", AUDIT_KEY, 32),
                HEDUI_RESULT_INPUT_JSON, "input_json");
    CHECK_FAILS(hedui_audit_keyring_add_with(sm3, "k1", NULL, AUDIT_KEY, 32),
                HEDUI_RESULT_NULL_POINTER, "null_pointer");
    char *error = NULL;
    CHECK(hedui_audit_keyring_add_with_n(sm3, "k1", 2, "hmac-sm3", 8, AUDIT_KEY, 32, &error) ==
          HEDUI_RESULT_OK);
    CHECK(error == NULL);
    hedui_audit_chain *chain = NULL;
    char *head = NULL;
    CHECK(hedui_audit_chain_new("A-SM3", sm3, &chain) == HEDUI_RESULT_OK && chain != NULL);
    CHECK(hedui_audit_chain_append_json(chain, AUDIT_EVENT, &head) == HEDUI_RESULT_OK);
    char *jsonl = NULL;
    CHECK(hedui_audit_chain_to_jsonl(chain, &jsonl) == HEDUI_RESULT_OK && jsonl != NULL);
    CHECK(jsonl != NULL && strstr(jsonl, "\"mac_algorithm\":\"hmac-sm3\"") != NULL);
    hedui_audit_chain *back = NULL;
    CHECK(hedui_audit_chain_from_jsonl(sm3, jsonl, head, &back) == HEDUI_RESULT_OK);
    hedui_audit_chain_free(back);
    hedui_audit_keyring *sha = audit_keyring("k1", AUDIT_KEY, NULL, NULL);
    CHECK_OPEN_FAILS(sha, jsonl, head, HEDUI_RESULT_AUDIT_MAC_ALGORITHM_MISMATCH,
                     "audit_mac_algorithm_mismatch");
    hedui_string_free(jsonl);
    hedui_string_free(head);
    hedui_audit_chain_free(chain);
    hedui_audit_keyring_free(sha);
    hedui_audit_keyring_free(sm3);

    /* a keyring under a `shangmi` rulebook: keys added by secret alone are HMAC-SM3 */
    char *rb_json = NULL;
    CHECK(hedui_rulebook_to_json(NULL, &rb_json) == HEDUI_RESULT_OK && rb_json != NULL);
    const char *at = rb_json == NULL ? NULL : strstr(rb_json, "\"security\": {");
    CHECK(at != NULL);
    if (at != NULL) {
        size_t head_len = (size_t)(at - rb_json) + strlen("\"security\": {");
        const char *suite = "\"crypto_suite\": \"shangmi\", ";
        char *shangmi_json = malloc(strlen(rb_json) + strlen(suite) + 1);
        CHECK(shangmi_json != NULL);
        if (shangmi_json != NULL) {
            memcpy(shangmi_json, rb_json, head_len);
            strcpy(shangmi_json + head_len, suite);
            strcat(shangmi_json, rb_json + head_len);
            hedui_rulebook *shangmi = NULL;
            CHECK(hedui_rulebook_from_json(shangmi_json, &shangmi) == HEDUI_RESULT_OK);
            hedui_audit_keyring *under = (hedui_audit_keyring *)SENTINEL;
            CHECK_FAILS(hedui_audit_keyring_new_under(shangmi, NULL), HEDUI_RESULT_NULL_POINTER,
                        "null_pointer");
            CHECK(hedui_audit_keyring_new_under(shangmi, &under) == HEDUI_RESULT_OK);
            CHECK(hedui_audit_keyring_add(under, "k1", AUDIT_KEY, 32) == HEDUI_RESULT_OK);
            hedui_audit_chain *c = NULL;
            char *h = NULL, *lines = NULL;
            CHECK(hedui_audit_chain_new("A-SM3", under, &c) == HEDUI_RESULT_OK);
            CHECK(hedui_audit_chain_append_json(c, AUDIT_EVENT, &h) == HEDUI_RESULT_OK);
            CHECK(hedui_audit_chain_to_jsonl(c, &lines) == HEDUI_RESULT_OK);
            /* the same entry as under the explicit HMAC-SM3 key above */
            CHECK(lines != NULL && strstr(lines, "\"mac_algorithm\":\"hmac-sm3\"") != NULL);
            hedui_string_free(lines);
            hedui_string_free(h);
            hedui_audit_chain_free(c);
            hedui_audit_keyring_free(under);
            /* under the built-in rulebook (NULL): HMAC-SHA256, no algorithm named */
            under = NULL;
            CHECK(hedui_audit_keyring_new_under_n(NULL, &under, NULL) == HEDUI_RESULT_OK);
            CHECK(hedui_audit_keyring_add(under, "k1", AUDIT_KEY, 32) == HEDUI_RESULT_OK);
            CHECK(hedui_audit_chain_new("A-SHA", under, &c) == HEDUI_RESULT_OK);
            CHECK(hedui_audit_chain_append_json(c, AUDIT_EVENT, &h) == HEDUI_RESULT_OK);
            lines = NULL;
            CHECK(hedui_audit_chain_to_jsonl(c, &lines) == HEDUI_RESULT_OK);
            CHECK(lines != NULL && strstr(lines, "mac_algorithm") == NULL);
            hedui_string_free(lines);
            hedui_string_free(h);
            hedui_audit_chain_free(c);
            hedui_audit_keyring_free(under);
            hedui_rulebook_free(shangmi);
            free(shangmi_json);
        }
    }
    hedui_string_free(rb_json);
}

/* Log retention (网络安全法 Art 21): entries of 2026-11-29 are kept through 2027-05-29; after
 * a disposal the chain opens only with its record, and a changed record is refused. */
static void test_audit_disposal(void) {
    hedui_audit_keyring *ring = audit_keyring("k1", AUDIT_KEY, NULL, NULL);
    char *head = NULL;
    hedui_audit_chain *chain = audit_chain("A-141002/2026", ring, 3, &head);
    char *plan = NULL;
    CHECK(hedui_audit_chain_disposable_json(NULL, chain, "{\"on\":\"2027-05-29\"}", &plan) ==
          HEDUI_RESULT_OK);
    CHECK(plan != NULL && strcmp(plan, "{\"entries\":0,\"through_seq\":null}") == 0);
    hedui_string_free(plan);
    plan = NULL;
    CHECK(hedui_audit_chain_disposable_json(NULL, chain, "{\"on\":\"2027-05-30\"}", &plan) ==
          HEDUI_RESULT_OK);
    CHECK(plan != NULL && strcmp(plan, "{\"entries\":3,\"through_seq\":2}") == 0);
    hedui_string_free(plan);
    char *record = (char *)SENTINEL;
    CHECK_FAILS(hedui_audit_chain_dispose_json(NULL, chain,
                                               "{\"through_seq\":1,\"on\":\"2027-05-29\"}",
                                               &record),
                HEDUI_RESULT_LOG_RETENTION_NOT_ELAPSED, "log_retention_not_elapsed");
    CHECK_FAILS(hedui_audit_chain_dispose_json(NULL, chain,
                                               "{\"through_seq\":9,\"on\":\"2027-05-30\"}",
                                               &record),
                HEDUI_RESULT_LOG_DISPOSAL_UNKNOWN_ENTRY, "log_disposal_unknown_entry");
    CHECK_FAILS(hedui_audit_chain_dispose_json(NULL, NULL,
                                               "{\"through_seq\":1,\"on\":\"2027-05-30\"}",
                                               &record),
                HEDUI_RESULT_NULL_POINTER, "null_pointer");
    CHECK(record == (char *)SENTINEL);
    CHECK(hedui_audit_chain_len(chain) == 3);
    const char *request = "{\"through_seq\":1,\"on\":\"2027-05-30\"}";
    CHECK(hedui_audit_chain_dispose_json_n(NULL, chain, request, strlen(request), &record,
                                           NULL) == HEDUI_RESULT_OK);
    CHECK(record != (char *)SENTINEL && strstr(record, "\"last_seq\":1,") != NULL);
    CHECK(hedui_audit_chain_len(chain) == 1);
    CHECK(hedui_audit_chain_verify_json(chain, head) == HEDUI_RESULT_OK);
    char *jsonl = NULL;
    CHECK(hedui_audit_chain_to_jsonl(chain, &jsonl) == HEDUI_RESULT_OK);
    if (jsonl != NULL && record != (char *)SENTINEL) {
        /* without its record the rest is a chain cut at the start */
        CHECK_OPEN_FAILS(ring, jsonl, head, HEDUI_RESULT_AUDIT_CHAIN_BROKEN,
                         "audit_chain_broken");
        hedui_audit_chain *back = NULL;
        CHECK(hedui_audit_chain_from_jsonl_after(ring, jsonl, head, record, &back) ==
              HEDUI_RESULT_OK);
        CHECK(back != NULL && hedui_audit_chain_len(back) == 1);
        hedui_audit_chain_free(back);
        char *forged = NULL;
        const char *at = strstr(record, "\"last_seq\":1,");
        if (at != NULL) {
            forged = join("", record, "");
            if (forged != NULL) {
                forged[at - record + 11] = '0';
            }
        }
        hedui_audit_chain *bad = (hedui_audit_chain *)SENTINEL;
        char *error = NULL;
        CHECK(forged != NULL &&
              hedui_audit_chain_from_jsonl_after_n(ring, jsonl, strlen(jsonl), head, strlen(head),
                                                   forged, strlen(forged), &bad,
                                                   &error) == HEDUI_RESULT_AUDIT_CHAIN_BROKEN);
        CHECK(bad == (hedui_audit_chain *)SENTINEL);
        CHECK(error != NULL && strstr(error, "audit_chain_broken") != NULL);
        hedui_string_free(error);
        free(forged);
        CHECK_FAILS(hedui_audit_chain_from_jsonl_after(ring, jsonl, head, NULL, &bad),
                    HEDUI_RESULT_NULL_POINTER, "null_pointer");
    }
    hedui_string_free(jsonl);
    if (record != (char *)SENTINEL) {
        hedui_string_free(record);
    }
    hedui_string_free(head);
    hedui_audit_chain_free(chain);
    hedui_audit_keyring_free(ring);
}

static void test_audit_chain(void) {
    test_audit_keyring();
    test_audit_hmac_sm3();
    hedui_audit_keyring *ring = audit_keyring("k1", AUDIT_KEY, NULL, NULL);
    hedui_audit_chain *chain = NULL;
    CHECK(hedui_audit_chain_new("A-141002/2026", ring, &chain) == HEDUI_RESULT_OK);
    CHECK(chain != NULL);
    if (chain == NULL) {
        hedui_audit_keyring_free(ring);
        return;
    }
    CHECK(hedui_audit_chain_len(chain) == 0);
    char *empty_head = NULL;
    CHECK(hedui_audit_chain_head_json(chain, &empty_head) == HEDUI_RESULT_OK);
    CHECK(empty_head != NULL &&
          strcmp(empty_head, "{\"chain\":\"A-141002/2026\",\"entries\":0,\"mac\":\""
                             "0000000000000000000000000000000000000000000000000000000000000000"
                             "\"}") == 0);
    CHECK(hedui_audit_chain_verify_json(chain, empty_head) == HEDUI_RESULT_OK);
    char *empty = NULL;
    CHECK(hedui_audit_chain_to_jsonl(chain, &empty) == HEDUI_RESULT_OK);
    CHECK(empty != NULL && empty[0] == '\0');

    char *head1 = NULL;
    CHECK(hedui_audit_chain_append_json(chain, AUDIT_EVENT, &head1) == HEDUI_RESULT_OK);
    CHECK(head1 != NULL &&
          strncmp(head1, "{\"chain\":\"A-141002/2026\",\"entries\":1,\"mac\":\"", 44) == 0);
    char *head = NULL;
    CHECK(hedui_audit_chain_append_json(chain, AUDIT_EVENT, &head) == HEDUI_RESULT_OK);
    CHECK(head != NULL && strstr(head, "\"entries\":2,") != NULL);
    char *again_head = NULL;
    CHECK(hedui_audit_chain_head_json(chain, &again_head) == HEDUI_RESULT_OK);
    CHECK(again_head != NULL && head != NULL && strcmp(again_head, head) == 0);
    hedui_string_free(again_head);
    CHECK(hedui_audit_chain_len(chain) == 2);
    CHECK(hedui_audit_chain_verify_json(chain, head) == HEDUI_RESULT_OK);
    /* the chain grew since head1: still fine; no head is an error, never a pass */
    CHECK(hedui_audit_chain_verify_json(chain, head1) == HEDUI_RESULT_OK);
    CHECK_FAILS(hedui_audit_chain_verify_json(chain, NULL), HEDUI_RESULT_NULL_POINTER,
                "null_pointer");
    CHECK_FAILS(hedui_audit_chain_verify_json(chain, "{\"entries\":2}"), HEDUI_RESULT_INPUT_JSON,
                "input_json");
    CHECK_FAILS(hedui_audit_chain_verify_json(NULL, head), HEDUI_RESULT_NULL_POINTER,
                "null_pointer");
    /* a time before the last entry's is refused on append */
    char *out = SENTINEL;
    CHECK_FAILS(hedui_audit_chain_append_json(chain, AUDIT_EVENT_EARLIER, &out),
                HEDUI_RESULT_AUDIT_TIME_BACKWARDS, "audit_time_backwards");
    CHECK(out == SENTINEL);

    char *jsonl = NULL;
    CHECK(hedui_audit_chain_to_jsonl(chain, &jsonl) == HEDUI_RESULT_OK);
    CHECK(jsonl != NULL &&
          strncmp(jsonl, "{\"format\":2,\"chain\":\"A-141002/2026\",\"seq\":0,\"key_id\":\"k1\",",
                  58) == 0);
    if (jsonl != NULL && head != NULL && head1 != NULL) {
        /* read back with the keyring and the head: the same chain, and it keeps growing */
        hedui_audit_chain *back = NULL;
        CHECK(hedui_audit_chain_from_jsonl(ring, jsonl, head, &back) == HEDUI_RESULT_OK);
        CHECK(hedui_audit_chain_len(back) == 2);
        char *again = NULL;
        CHECK(hedui_audit_chain_to_jsonl(back, &again) == HEDUI_RESULT_OK);
        CHECK(again != NULL && strcmp(again, jsonl) == 0);
        hedui_string_free(again);
        char *head3 = NULL;
        CHECK(hedui_audit_chain_append_json(back, AUDIT_EVENT, &head3) == HEDUI_RESULT_OK);
        CHECK(head3 != NULL && strstr(head3, "\"entries\":3,") != NULL);
        hedui_string_free(head3);
        hedui_audit_chain_free(back);

        /* no head, no reading */
        CHECK_OPEN_FAILS(ring, jsonl, NULL, HEDUI_RESULT_NULL_POINTER, "null_pointer");
        /* a wrong key (same id) does not verify the chain */
        uint8_t other_key[32];
        memcpy(other_key, AUDIT_KEY, sizeof other_key);
        other_key[0] ^= 1;
        hedui_audit_keyring *wrong = audit_keyring("k1", other_key, NULL, NULL);
        CHECK_OPEN_FAILS(wrong, jsonl, head, HEDUI_RESULT_AUDIT_CHAIN_BROKEN,
                         "audit_chain_broken");
        hedui_audit_keyring_free(wrong);
        /* a keyring without the key the entries name */
        hedui_audit_keyring *k2 = audit_keyring("k2", AUDIT_KEY_2, NULL, NULL);
        CHECK_OPEN_FAILS(k2, jsonl, head, HEDUI_RESULT_AUDIT_KEY_UNKNOWN, "audit_key_unknown");
        hedui_audit_keyring_free(k2);

        /* a changed reason (still canonical JSON) breaks the MAC */
        char *tampered = join(jsonl, "", "");
        char *p = tampered == NULL ? NULL : strstr(tampered, "SQ-1");
        CHECK(p != NULL);
        if (p != NULL) {
            p[3] = '2';
            CHECK_OPEN_FAILS(ring, tampered, head, HEDUI_RESULT_AUDIT_CHAIN_BROKEN,
                             "audit_chain_broken");
            char msg[256];
            CHECK(hedui_last_error_message(msg, sizeof msg) > 0 &&
                  strstr(msg, "entry 0") != NULL);
        }
        free(tampered);

        /* the last entry cut off: valid in itself, short of the stored head */
        const char *nl = strchr(jsonl, '\n');
        size_t first_len = nl == NULL ? 0 : (size_t)(nl - jsonl) + 1;
        char *first = calloc(first_len + 1, 1);
        if (first != NULL && nl != NULL) {
            memcpy(first, jsonl, first_len);
            CHECK_OPEN_FAILS(ring, first, head, HEDUI_RESULT_AUDIT_CHAIN_TRUNCATED,
                             "audit_chain_truncated");
            /* rolled back to the one-entry copy and written on: as long as the stored head,
             * every MAC valid, and still refused */
            hedui_audit_chain *forked = NULL;
            CHECK(hedui_audit_chain_from_jsonl(ring, first, head1, &forked) == HEDUI_RESULT_OK);
            char *forked_head = NULL;
            CHECK(hedui_audit_chain_append_json(forked, AUDIT_EVENT_OTHER, &forked_head) ==
                  HEDUI_RESULT_OK);
            CHECK(forked_head != NULL && strstr(forked_head, "\"entries\":2,") != NULL);
            CHECK(hedui_audit_chain_verify_json(forked, forked_head) == HEDUI_RESULT_OK);
            CHECK_FAILS(hedui_audit_chain_verify_json(forked, head),
                        HEDUI_RESULT_AUDIT_CHAIN_ROLLED_BACK, "audit_chain_rolled_back");
            char *forked_jsonl = NULL;
            CHECK(hedui_audit_chain_to_jsonl(forked, &forked_jsonl) == HEDUI_RESULT_OK);
            if (forked_jsonl != NULL) {
                CHECK_OPEN_FAILS(ring, forked_jsonl, head, HEDUI_RESULT_AUDIT_CHAIN_ROLLED_BACK,
                                 "audit_chain_rolled_back");
            }
            hedui_string_free(forked_jsonl);
            hedui_string_free(forked_head);
            hedui_audit_chain_free(forked);

            /* another chain under the same key: swapped whole, or spliced in */
            char *b_head = NULL;
            hedui_audit_chain *b = audit_chain("B-141002/2026", ring, 2, &b_head);
            char *b_jsonl = NULL;
            CHECK(hedui_audit_chain_to_jsonl(b, &b_jsonl) == HEDUI_RESULT_OK);
            const char *b_nl = b_jsonl == NULL ? NULL : strchr(b_jsonl, '\n');
            if (b_nl != NULL) {
                CHECK_OPEN_FAILS(ring, b_jsonl, head, HEDUI_RESULT_AUDIT_CHAIN_SWAPPED,
                                 "audit_chain_swapped");
                char *spliced = join(first, b_nl + 1, "");
                if (spliced != NULL) {
                    CHECK_OPEN_FAILS(ring, spliced, head, HEDUI_RESULT_AUDIT_CHAIN_SPLICED,
                                     "audit_chain_spliced");
                }
                free(spliced);
                hedui_audit_chain *b_back = NULL;
                CHECK(hedui_audit_chain_from_jsonl(ring, b_jsonl, b_head, &b_back) ==
                      HEDUI_RESULT_OK);
                hedui_audit_chain_free(b_back);
            }
            hedui_string_free(b_jsonl);
            hedui_string_free(b_head);
            hedui_audit_chain_free(b);
        }
        free(first);

        /* rotation: a keyring with k1 and k2 reads the chain and MACs new entries with k2;
         * a keyring with k2 alone no longer reads it */
        hedui_audit_keyring *rotated = audit_keyring("k1", AUDIT_KEY, "k2", AUDIT_KEY_2);
        hedui_audit_chain *rot = NULL;
        CHECK(hedui_audit_chain_from_jsonl(rotated, jsonl, head, &rot) == HEDUI_RESULT_OK);
        char *rot_head = NULL;
        CHECK(hedui_audit_chain_append_json(rot, AUDIT_EVENT, &rot_head) == HEDUI_RESULT_OK);
        char *rot_jsonl = NULL;
        CHECK(hedui_audit_chain_to_jsonl(rot, &rot_jsonl) == HEDUI_RESULT_OK);
        CHECK(rot_jsonl != NULL && strstr(rot_jsonl, "\"seq\":2,\"key_id\":\"k2\"") != NULL);
        if (rot_jsonl != NULL && rot_head != NULL) {
            hedui_audit_chain *rot_back = NULL;
            CHECK(hedui_audit_chain_from_jsonl(rotated, rot_jsonl, rot_head, &rot_back) ==
                  HEDUI_RESULT_OK);
            hedui_audit_chain_free(rot_back);
            CHECK_OPEN_FAILS(ring, rot_jsonl, rot_head, HEDUI_RESULT_AUDIT_KEY_UNKNOWN,
                             "audit_key_unknown");
        }
        hedui_string_free(rot_jsonl);
        hedui_string_free(rot_head);
        hedui_audit_chain_free(rot);
        hedui_audit_keyring_free(rotated);

        /* a format-1 log is refused with its version; malformed lines with their number */
        CHECK_OPEN_FAILS(ring, AUDIT_FORMAT_1_LINE, head, HEDUI_RESULT_AUDIT_FORMAT_UNSUPPORTED,
                         "audit_format_unsupported");
        char *spaced = join(" ", jsonl, "");
        CHECK_OPEN_FAILS(ring, spaced, head, HEDUI_RESULT_AUDIT_LINE_INVALID,
                         "audit_line_invalid");
        free(spaced);
        CHECK_OPEN_FAILS(ring, "{\"seq\":", head, HEDUI_RESULT_AUDIT_LINE_INVALID,
                         "audit_line_invalid");
        CHECK_OPEN_FAILS(ring, "\n\n", head, HEDUI_RESULT_AUDIT_LINE_INVALID,
                         "audit_line_invalid");
        CHECK_OPEN_FAILS(ring, INVALID_UTF8, head, HEDUI_RESULT_INVALID_UTF8, "input_utf8");
        CHECK_OPEN_FAILS(ring, jsonl, "{\"chain\":", HEDUI_RESULT_INPUT_JSON, "input_json");
        CHECK_OPEN_FAILS(NULL, jsonl, head, HEDUI_RESULT_NULL_POINTER, "null_pointer");
        CHECK_OPEN_FAILS(ring, NULL, head, HEDUI_RESULT_NULL_POINTER, "null_pointer");
        CHECK_FAILS(hedui_audit_chain_from_jsonl(ring, jsonl, head, NULL),
                    HEDUI_RESULT_NULL_POINTER, "null_pointer");
        /* an emptied log against a head of two entries */
        CHECK_OPEN_FAILS(ring, "", head, HEDUI_RESULT_AUDIT_CHAIN_TRUNCATED,
                         "audit_chain_truncated");
        hedui_audit_chain *fresh = NULL;
        CHECK(hedui_audit_chain_from_jsonl(ring, "", empty_head, &fresh) == HEDUI_RESULT_OK);
        CHECK(hedui_audit_chain_len(fresh) == 0);
        hedui_audit_chain_free(fresh);
    }
    hedui_string_free(jsonl);

    /* a failed append leaves the chain and the output as they were */
    CHECK_FAILS(hedui_audit_chain_append_json(chain, "{\"at\":", &out), HEDUI_RESULT_INPUT_JSON,
                "input_json");
    CHECK_FAILS(hedui_audit_chain_append_json(chain, "{\"unknown\":1}", &out),
                HEDUI_RESULT_INPUT_JSON, "input_json");
    CHECK_FAILS(hedui_audit_chain_append_json(chain, INVALID_UTF8, &out),
                HEDUI_RESULT_INVALID_UTF8, "input_utf8");
    CHECK_FAILS(hedui_audit_chain_append_json(chain, NULL, &out), HEDUI_RESULT_NULL_POINTER,
                "null_pointer");
    CHECK_FAILS(hedui_audit_chain_append_json(chain, AUDIT_EVENT, NULL),
                HEDUI_RESULT_NULL_POINTER, "null_pointer");
    CHECK_FAILS(hedui_audit_chain_append_json(NULL, AUDIT_EVENT, &out),
                HEDUI_RESULT_NULL_POINTER, "null_pointer");
    CHECK(out == SENTINEL);
    CHECK(hedui_audit_chain_len(chain) == 2);
    CHECK(hedui_audit_chain_verify_json(chain, head) == HEDUI_RESULT_OK);
    CHECK_FAILS(hedui_audit_chain_head_json(NULL, &out), HEDUI_RESULT_NULL_POINTER,
                "null_pointer");
    CHECK_FAILS(hedui_audit_chain_head_json(chain, NULL), HEDUI_RESULT_NULL_POINTER,
                "null_pointer");
    CHECK_FAILS(hedui_audit_chain_to_jsonl(NULL, &out), HEDUI_RESULT_NULL_POINTER,
                "null_pointer");
    CHECK_FAILS(hedui_audit_chain_to_jsonl(chain, NULL), HEDUI_RESULT_NULL_POINTER,
                "null_pointer");
    CHECK(out == SENTINEL);
    /* a NULL handle is no empty chain: SIZE_MAX and a null_pointer error, or a result */
    CHECK(hedui_audit_chain_len(NULL) == SIZE_MAX);
    CHECK(strcmp(hedui_last_error_code(), "null_pointer") == 0);
    {
        size_t len = 42;
        char *error = SENTINEL;
        CHECK(hedui_audit_chain_len_n(NULL, &len, &error) == HEDUI_RESULT_NULL_POINTER);
        CHECK(len == 42);
        CHECK(error != SENTINEL && error != NULL && strstr(error, "\"null_pointer\"") != NULL);
        hedui_string_free(error);
        error = SENTINEL;
        CHECK(hedui_audit_chain_len_n(chain, &len, &error) == HEDUI_RESULT_OK);
        CHECK(len == 2 && error == NULL);
        CHECK(hedui_audit_chain_verify_json_n(NULL, head, strlen(head), &error) ==
              HEDUI_RESULT_NULL_POINTER);
        CHECK(error != NULL && strstr(error, "`chain`") != NULL);
        hedui_string_free(error);
    }
    hedui_string_free(head);
    hedui_string_free(head1);
    hedui_string_free(empty_head);
    hedui_string_free(empty);
    hedui_audit_chain_free(chain);
    hedui_audit_chain_free(NULL);
    hedui_audit_keyring_free(ring);
}

/* R11 security operations: a success and a failure each, a report signed here and checked
 * here, the same report changed after signing refused. With `out_dir`, the verification
 * request of the report signed here is written to <out_dir>/signed-by-c.json for the uniffi
 * Python tests (scripts/test-ffi.sh): a signature made through C must verify there. */
static const char *const SEED_HEX =
    "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20";

/* An account locked by five wrong passwords until 09:30 Beijing time (its password is
 * `Hd#2026-verify!x`, PBKDF2 with 100,000 iterations). */
static const char LOCKED_ACCOUNT[] =
    "{\"account\":\"op.zhang\",\"name\":\"张伟\",\"resident_id\":\"141030197803100016\","
    "\"registration_number\":\"BA-1\",\"registered_on\":\"2026-01-05\",\"agency_id\":\"HD141030\","
    "\"role\":\"verifier\",\"confidentiality_signed_on\":\"2026-01-05\",\"activated_on\":"
    "\"2026-01-06\",\"passwords\":[{\"salt\":\"00112233445566778899aabbccddeeff\","
    "\"iterations\":100000,\"hash\":"
    "\"8045cc7b6102aa3dceb461ce79994bb14c1c90254108161c6013440adcb7f7e6\","
    "\"set_on\":\"2026-01-06\"}],\"failed_logins\":5,\"locked_until\":\"2026-01-07T01:30:00Z\","
    "\"lockouts\":1}";

/* account_login: a lock-out ends by itself; account_login_unknown answers like a wrong
 * password */
static void test_account_login(void) {
    char *request = join("{\"account\":", LOCKED_ACCOUNT,
                         ",\"password\":\"Hd#2026-verify!x\",\"at\":\"2026-01-07T09:29:00+08:00\"}");
    char *out = NULL;
    CHECK(request != NULL && hedui_account_login_json(NULL, request, &out) == HEDUI_RESULT_OK);
    CHECK(out != NULL && strstr(out, "\"accepted\":false") != NULL &&
          strstr(out, "\"code\":\"security_account_locked\"") != NULL);
    hedui_string_free(out);
    free(request);
    request = join("{\"account\":", LOCKED_ACCOUNT,
                   ",\"password\":\"Hd#2026-verify!x\",\"at\":\"2026-01-07T09:30:00+08:00\"}");
    out = NULL;
    CHECK(request != NULL && hedui_account_login_json(NULL, request, &out) == HEDUI_RESULT_OK);
    CHECK(out != NULL && strstr(out, "\"accepted\":true") != NULL &&
          strstr(out, "\"status\":\"active\"") != NULL && strstr(out, "locked_until") == NULL);
    hedui_string_free(out);
    free(request);
    /* a date alone does not time a login */
    request = join("{\"account\":", LOCKED_ACCOUNT,
                   ",\"password\":\"Hd#2026-verify!x\",\"on\":\"2026-01-07\"}");
    out = SENTINEL;
    CHECK(request != NULL);
    if (request != NULL) {
        CHECK_FAILS(hedui_account_login_json(NULL, request, &out), HEDUI_RESULT_INPUT_JSON,
                    "input_json");
    }
    CHECK(out == SENTINEL);
    free(request);
    out = NULL;
    CHECK(hedui_account_login_unknown_json(
              NULL, "{\"account\":\"op.zhang\",\"password\":\"Hd#2026-verify!x\"}", &out) ==
          HEDUI_RESULT_OK);
    CHECK(out != NULL &&
          strcmp(out, "{\"accepted\":false,\"refused\":{\"code\":\"security_wrong_password\","
                      "\"message\":\"R11 security (N §三): wrong password for account "
                      "`op.zhang`\"}}") == 0);
    hedui_string_free(out);
}

/* `{"report":<report>,<rest>}` */
static char *with_report(const char *report, const char *rest) {
    char *head = join("{\"report\":", report, ",");
    char *all = head == NULL ? NULL : join(head, rest, "}");
    free(head);
    return all;
}

static void test_security_ops(const char *report, const char *out_dir) {
    char *out = NULL;
    /* password_check: a weak password is a result; a bad resident ID is not */
    CHECK(hedui_password_check_json(NULL,
                                    "{\"password\":\"wangli\",\"account\":\"wangli\","
                                    "\"resident_id\":\"141030197803100016\"}",
                                    &out) == HEDUI_RESULT_OK);
    CHECK(out != NULL && strstr(out, "\"acceptable\":false") != NULL &&
          strstr(out, "\"code\":\"too_short\"") != NULL);
    hedui_string_free(out);
    out = NULL;
    CHECK(hedui_password_check_json(NULL,
                                    "{\"password\":\"Gx7#kq2!Lm9z\",\"account\":\"wangli\","
                                    "\"resident_id\":\"141030197803100016\"}",
                                    &out) == HEDUI_RESULT_OK);
    CHECK(out != NULL && strcmp(out, "{\"acceptable\":true,\"weaknesses\":[]}") == 0);
    hedui_string_free(out);
    out = SENTINEL;
    CHECK_FAILS(hedui_password_check_json(NULL,
                                          "{\"password\":\"x\",\"account\":\"op\","
                                          "\"resident_id\":\"141030197803100017\"}",
                                          &out),
                HEDUI_RESULT_ID_RESIDENT_CHECKSUM, "id_resident_checksum");
    CHECK(out == SENTINEL);

    /* permission_check: default deny */
    out = NULL;
    CHECK(hedui_permission_check_json(
              "{\"role\":\"operator\",\"action\":\"query_data\",\"category\":\"bank_deposits\"}",
              &out) == HEDUI_RESULT_OK);
    CHECK(out != NULL && strstr(out, "\"decision\":\"permit\"") != NULL);
    hedui_string_free(out);
    out = NULL;
    CHECK(hedui_permission_check_json("{\"role\":\"auditor\",\"action\":\"view_report\"}", &out) ==
          HEDUI_RESULT_OK);
    CHECK(out != NULL && strstr(out, "\"decision\":\"deny\"") != NULL);
    hedui_string_free(out);
    out = SENTINEL;
    CHECK_FAILS(hedui_permission_check_json("{\"role\":\"operator\",\"action\":\"fly\"}", &out),
                HEDUI_RESULT_INPUT_JSON, "input_json");
    CHECK(out == SENTINEL);

    /* report_mask: the archivist sees no amounts */
    char *mask = with_report(report, "\"role\":\"archivist\"");
    out = NULL;
    CHECK(mask != NULL && hedui_report_mask_json(mask, &out) == HEDUI_RESULT_OK);
    CHECK(out != NULL && strstr(report, "_fen\":") != NULL && strstr(out, "_fen\":") == NULL);
    hedui_string_free(out);
    free(mask);
    out = SENTINEL;
    CHECK_FAILS(hedui_report_mask_json("{\"report\":{\"not\":1},\"role\":\"reviewer\"}", &out),
                HEDUI_RESULT_INPUT_JSON, "input_json");
    CHECK(out == SENTINEL);

    /* report_sign, signing_key_trust, report_verify_signature */
    char *key_request = join("{\"key_id\":\"linfen-2026\",\"seed_hex\":\"", SEED_HEX, "\"}");
    char *key = NULL;
    CHECK(key_request != NULL &&
          hedui_signing_key_trust_json(key_request, &key) == HEDUI_RESULT_OK);
    CHECK(key != NULL && strstr(key, "\"public_key\":\"") != NULL);
    char *sign_rest = join("\"key_id\":\"linfen-2026\",\"seed_hex\":\"", SEED_HEX, "\"");
    char *sign = sign_rest == NULL ? NULL : with_report(report, sign_rest);
    char *signed_report = NULL;
    CHECK(sign != NULL && hedui_report_sign_json(sign, &signed_report) == HEDUI_RESULT_OK);
    CHECK(signed_report != NULL &&
          strstr(signed_report, "\"signature\":{\"key_id\":\"linfen-2026\"") != NULL);
    if (key != NULL && signed_report != NULL) {
        char *keys = join("\"trusted_keys\":[", key, "]");
        char *verify = keys == NULL ? NULL : with_report(signed_report, keys);
        out = NULL;
        CHECK(verify != NULL &&
              hedui_report_verify_signature_json(verify, &out) == HEDUI_RESULT_OK);
        CHECK(out != NULL && strstr(out, "{\"key_id\":\"linfen-2026\",\"digest\":\"") == out);
        hedui_string_free(out);
        if (out_dir != NULL && verify != NULL) {
            char *path = join(out_dir, "/signed-by-c.json", "");
            FILE *f = path == NULL ? NULL : fopen(path, "wb");
            CHECK(f != NULL);
            if (f != NULL) {
                CHECK(fputs(verify, f) >= 0);
                CHECK(fclose(f) == 0);
            }
            free(path);
        }
        /* changed after signing: refused */
        char *field = verify == NULL ? NULL : strstr(verify, "\"household_id\":\"");
        CHECK(field != NULL);
        if (field != NULL) {
            field[strlen("\"household_id\":\"")] ^= 1;
            out = SENTINEL;
            CHECK_FAILS(hedui_report_verify_signature_json(verify, &out),
                        HEDUI_RESULT_SIGNATURE_INVALID, "signature_invalid");
            CHECK(out == SENTINEL);
        }
        free(verify);
        /* no trusted key under the signer's id */
        char *unknown = with_report(signed_report, "\"trusted_keys\":[]");
        out = SENTINEL;
        CHECK(unknown != NULL);
        if (unknown != NULL) {
            CHECK_FAILS(hedui_report_verify_signature_json(unknown, &out),
                        HEDUI_RESULT_SIGNATURE_UNKNOWN_KEY, "signature_unknown_key");
        }
        CHECK(out == SENTINEL);
        free(unknown);
        free(keys);
    }
    /* a seed that is not 32 bytes, an empty key id */
    char *short_seed = with_report(report, "\"key_id\":\"k\",\"seed_hex\":\"0102\"");
    out = SENTINEL;
    CHECK(short_seed != NULL);
    if (short_seed != NULL) {
        CHECK_FAILS(hedui_report_sign_json(short_seed, &out), HEDUI_RESULT_SIGNING_KEY_INVALID,
                    "signing_key_invalid");
    }
    char msg[512];
    hedui_last_error_message(msg, sizeof msg);
    CHECK(strstr(msg, "0102") == NULL);
    CHECK_FAILS(hedui_signing_key_trust_json("{\"key_id\":\" \",\"seed_hex\":"
                                             "\"0102030405060708090a0b0c0d0e0f10"
                                             "1112131415161718191a1b1c1d1e1f20\"}",
                                             &out),
                HEDUI_RESULT_SIGNING_KEY_INVALID, "signing_key_invalid");
    CHECK(out == SENTINEL);
    free(short_seed);
    hedui_string_free(signed_report);
    free(sign);
    free(sign_rest);
    hedui_string_free(key);
    free(key_request);
}

/* The operations corpus (tests/corpus/ops/<operation>/): every request gives its recorded
 * outcome byte for byte, as through Rust and uniffi; and every new operation checks its
 * pointers. */
typedef hedui_result (*op_with_rulebook)(const hedui_rulebook *, const char *, char **);
typedef hedui_result (*op_without)(const char *, char **);
/* the evidence gates take a keyring too; the corpus passes none (the trusted keys are in the
 * requests) */
typedef hedui_result (*op_evidence)(const hedui_rulebook *, const hedui_report_keyring *,
                                    const char *, char **);
static const struct {
    const char *name;
    op_with_rulebook with;
    op_without without;
    op_evidence evidence;
} OPS[] = {
    {"coverage_audit", hedui_coverage_audit_json, NULL, NULL},
    {"query_plan", hedui_query_plan_json, NULL, NULL},
    {"id_check", hedui_id_check_json, NULL, NULL},
    {"resident_id_check", hedui_resident_id_check_json, NULL, NULL},
    {"credit_code_check", hedui_credit_code_check_json, NULL, NULL},
    {"lending_detect", hedui_lending_detect_json, NULL, NULL},
    {"account_set_password", hedui_account_set_password_json, NULL, NULL},
    {"account_login", hedui_account_login_json, NULL, NULL},
    {"account_login_unknown", hedui_account_login_unknown_json, NULL, NULL},
    {"account_register", hedui_account_register_json, NULL, NULL},
    {"account_activate", NULL, hedui_account_activate_json, NULL},
    {"archive_check", hedui_archive_check_json, NULL, NULL},
    {"appeal_file", NULL, NULL, hedui_appeal_file_json},
    {"report_history_record", NULL, NULL, hedui_report_history_record_json},
    {"password_check", hedui_password_check_json, NULL, NULL},
    {"permission_check", NULL, hedui_permission_check_json, NULL},
    {"report_mask", NULL, hedui_report_mask_json, NULL},
    {"case_tables_read", NULL, hedui_case_tables_read_json, NULL},
    {"case_tables_write", NULL, hedui_case_tables_write_json, NULL},
    {"report_sign", NULL, hedui_report_sign_json, NULL},
    {"signing_key_trust", NULL, hedui_signing_key_trust_json, NULL},
    {"report_verify_signature", NULL, hedui_report_verify_signature_json, NULL},
    {"document_seal", NULL, hedui_document_seal_json, NULL},
    {"document_open", NULL, hedui_document_open_json, NULL},
    {"audit_head_sign", NULL, hedui_audit_head_sign_json, NULL},
    {"audit_head_open", NULL, hedui_audit_head_open_json, NULL},
    {"report_check_printed", NULL, hedui_report_check_printed_json, NULL},
    {"report_check_use", hedui_report_check_use_json, NULL, NULL},
};

static hedui_result call_op(size_t i, const hedui_rulebook *rb, const char *request, char **out) {
    if (OPS[i].evidence != NULL) {
        return OPS[i].evidence(rb, NULL, request, out);
    }
    if (OPS[i].with != NULL) {
        return OPS[i].with(rb, request, out);
    }
    CHECK(rb == NULL); /* a case under its own rulebook needs an operation that takes one */
    return OPS[i].without(request, out);
}

/* The rulebook of a corpus case named `<case>@<rulebook>.json`: corpus/rulebooks/<rulebook>.json
 * read into a handle; NULL for a case under the built-in rulebook. */
static hedui_rulebook *case_rulebook(const char *corpus, const char *name) {
    const char *at = strchr(name, '@');
    if (at == NULL) {
        return NULL;
    }
    char *path = join(corpus, "/rulebooks/", at + 1);
    char *text = path != NULL ? read_file(path, NULL) : NULL;
    hedui_rulebook *rb = NULL;
    CHECK(text != NULL && hedui_rulebook_from_json(text, &rb) == HEDUI_RESULT_OK);
    free(text);
    free(path);
    return rb;
}

static void test_ops_corpus(const char *corpus) {
    size_t cases = 0;
    for (size_t i = 0; i < sizeof OPS / sizeof OPS[0]; i++) {
        char *out = SENTINEL;
        CHECK_FAILS(call_op(i, NULL, NULL, &out), HEDUI_RESULT_NULL_POINTER, "null_pointer");
        CHECK_FAILS(call_op(i, NULL, "{}", NULL), HEDUI_RESULT_NULL_POINTER, "null_pointer");
        CHECK_FAILS(call_op(i, NULL, INVALID_UTF8, &out), HEDUI_RESULT_INVALID_UTF8,
                    "input_utf8");
        CHECK_FAILS(call_op(i, NULL, "{", &out), HEDUI_RESULT_INPUT_JSON, "input_json");
        CHECK(out == SENTINEL);

        char *dir = join(corpus, "/ops/", OPS[i].name);
        char *expected_dir = join(corpus, "/ops-expected/", OPS[i].name);
        size_t count = 0;
        char **names = list_json(dir, &count);
        for (size_t k = 0; k < count; k++) {
            char *path = join(dir, "/", names[k]);
            char *expected_path = join(expected_dir, "/", names[k]);
            char *request = read_file(path, NULL);
            char *expected = read_file(expected_path, NULL);
            CHECK(request != NULL && expected != NULL);
            if (request != NULL && expected != NULL) {
                char *got = NULL;
                char *line = NULL;
                hedui_rulebook *rb = case_rulebook(corpus, names[k]);
                if (call_op(i, rb, request, &got) == HEDUI_RESULT_OK) {
                    line = join(got, "\n", "");
                    hedui_string_free(got);
                } else {
                    line = join("{\"error\":\"", hedui_last_error_code(), "\"}\n");
                }
                hedui_rulebook_free(rb);
                CHECK(line != NULL && strcmp(line, expected) == 0);
                if (line == NULL || strcmp(line, expected) != 0) {
                    fprintf(stderr, "ops corpus case %s/%s differs\n", OPS[i].name, names[k]);
                }
                free(line);
                cases++;
            }
            free(request);
            free(expected);
            free(path);
            free(expected_path);
            free(names[k]);
        }
        free(names);
        free(dir);
        free(expected_dir);
    }
    CHECK(cases >= 6);
}

/* The evidence gates through the JSON path with the trusted keys in the request and no
 * keyring handle: a signed report is filed, an unsigned, unknown-key or changed one is refused
 * with its result number (7030, 7031, 7032). */
static void test_appeal_trusted_keys_in_request(const char *corpus) {
    static const struct {
        const char *name;
        hedui_result result;
        unsigned number;
    } CASES[] = {
        {"signed.json", HEDUI_RESULT_OK, 0},
        {"unsigned.json", HEDUI_RESULT_EVIDENCE_UNSIGNED, 7030},
        {"unknown-key.json", HEDUI_RESULT_EVIDENCE_UNKNOWN_KEY, 7031},
        {"no-trusted-keys.json", HEDUI_RESULT_EVIDENCE_UNKNOWN_KEY, 7031},
        {"tampered.json", HEDUI_RESULT_EVIDENCE_BAD_SIGNATURE, 7032},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        char *path = join(corpus, "/ops/appeal_file/", CASES[i].name);
        char *request = path == NULL ? NULL : read_file(path, NULL);
        CHECK(request != NULL);
        if (request != NULL) {
            char *out = NULL;
            hedui_result r = hedui_appeal_file_json(NULL, NULL, request, &out);
            CHECK(r == CASES[i].result && (unsigned)r == CASES[i].number);
            CHECK((r == HEDUI_RESULT_OK) == (out != NULL));
            if (out != NULL) {
                CHECK(strstr(out, "\"disputed_digest\"") != NULL);
                hedui_string_free(out);
            }
        }
        free(request);
        free(path);
    }
}

/* A member of a recheck_schedule corpus request `{"as_of": "YYYY-MM-DD", "households": [...]}`
 * (written in that order, households last, so no JSON parser is needed): the as-of date, or
 * the households array; a new string, or NULL. */
static char *recheck_as_of(const char *request) {
    const char *at = strstr(request, "\"as_of\"");
    at = at == NULL ? NULL : strchr(at + strlen("\"as_of\""), '"');
    const char *end = at == NULL ? NULL : strchr(at + 1, '"');
    if (end == NULL) {
        return NULL;
    }
    size_t len = (size_t)(end - at - 1);
    char *as_of = malloc(len + 1);
    if (as_of != NULL) {
        memcpy(as_of, at + 1, len);
        as_of[len] = '\0';
    }
    return as_of;
}

static char *recheck_households(const char *request) {
    const char *at = strstr(request, "\"households\"");
    at = at == NULL ? NULL : strchr(at, '[');
    const char *end = strrchr(request, ']');
    if (at == NULL || end == NULL || end < at) {
        return NULL;
    }
    size_t len = (size_t)(end - at + 1);
    char *households = malloc(len + 1);
    if (households != NULL) {
        memcpy(households, at, len);
        households[len] = '\0';
    }
    return households;
}

/* The recheck_schedule cases of the operations corpus: hedui_recheck_schedule_json gives the
 * recorded outcome byte for byte, summary included, as through Rust, uniffi and Python. */
static void test_ops_corpus_recheck(const char *corpus) {
    char *dir = join(corpus, "/ops/", "recheck_schedule");
    char *expected_dir = join(corpus, "/ops-expected/", "recheck_schedule");
    size_t count = 0;
    char **names = list_json(dir, &count);
    CHECK(count >= 1);
    for (size_t k = 0; k < count; k++) {
        char *path = join(dir, "/", names[k]);
        char *expected_path = join(expected_dir, "/", names[k]);
        char *request = read_file(path, NULL);
        char *expected = read_file(expected_path, NULL);
        char *as_of = request == NULL ? NULL : recheck_as_of(request);
        char *households = request == NULL ? NULL : recheck_households(request);
        CHECK(as_of != NULL && households != NULL && expected != NULL);
        if (as_of != NULL && households != NULL && expected != NULL) {
            char *got = NULL;
            char *line = NULL;
            if (hedui_recheck_schedule_json(NULL, households, as_of, &got) == HEDUI_RESULT_OK) {
                line = join(got, "\n", "");
                hedui_string_free(got);
            } else {
                line = join("{\"error\":\"", hedui_last_error_code(), "\"}\n");
            }
            CHECK(line != NULL && strcmp(line, expected) == 0);
            if (line == NULL || strcmp(line, expected) != 0) {
                fprintf(stderr, "ops corpus case recheck_schedule/%s differs\n", names[k]);
            }
            free(line);
        }
        free(as_of);
        free(households);
        free(request);
        free(expected);
        free(path);
        free(expected_path);
        free(names[k]);
    }
    free(names);
    free(dir);
    free(expected_dir);
}

int main(int argc, char **argv) {
    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: %s <tests/corpus> <hedui-ffi/tests/fixtures> [<out dir>]\n",
                argv[0]);
        return 2;
    }
    const char *out_dir = argc == 4 ? argv[3] : NULL;
    test_version_and_messages();
    test_rulebook();
    char *report = NULL;
    char *good_case = test_corpus(argv[1], &report);
    CHECK(good_case != NULL && report != NULL);
    if (good_case != NULL && report != NULL) {
        test_verify_bad_input(good_case);
        test_verify_now(good_case);
        test_huge(good_case);
        test_report(report);
        test_threads(good_case, report);
        test_counted_text(good_case, report);
        test_security_ops(report, out_dir);
        test_account_login();
    }
    test_batch(argv[1]);
    test_authorization(argv[2]);
    test_coverage();
    test_recheck_schedule();
    test_relief(argv[2]);
    test_audit_chain();
    test_audit_disposal();
    test_error_on_another_thread();
    test_ops_corpus(argv[1]);
    test_ops_corpus_recheck(argv[1]);
    test_appeal_trusted_keys_in_request(argv[1]);
    free(good_case);
    free(report);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
