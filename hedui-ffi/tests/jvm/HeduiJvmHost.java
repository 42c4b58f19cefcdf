/*
 * A JVM host of the hedui C ABI through JNA, as a provincial system in Java would call it.
 *
 *   javac -cp /usr/share/java/jna.jar -d OUT hedui-ffi/tests/jvm/HeduiJvmHost.java
 *   LANG=C LC_ALL=C java -cp OUT:/usr/share/java/jna.jar -Djna.library.path=target/release \
 *       HeduiJvmHost tests/corpus
 *
 * (scripts/test-jvm.sh does both.) Runs under a platform charset that is not UTF-8 (LANG=C)
 * and passes text only as UTF-8 bytes with their length (the _n forms), never as
 * java.lang.String, which JNA would encode in the platform charset. Checks:
 *   - every corpus case, verified many times from a thread pool, gives the recorded outcome
 *     byte for byte (tests/corpus/expected);
 *   - the error of a failed call is taken from the call (error_json_out) and read on a
 *     thread of another pool, where the thread-local last error knows nothing of it;
 *   - a NUL inside the text, invalid UTF-8 and NULL handles give their own codes.
 * Prints "N passed" and exits 0, or names every failure and exits 1.
 */

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

public final class HeduiJvmHost {
    /** The hedui calls this host uses. size_t is a Java long: a 64-bit host. */
    public interface Hedui extends Library {
        int hedui_rulebook_new_default_n(PointerByReference rulebookOut, PointerByReference errorJsonOut);

        void hedui_rulebook_free(Pointer rulebook);

        int hedui_verify_json_at_n(Pointer rulebook, byte[] caseJson, long caseJsonLen,
                byte[] issuedAt, long issuedAtLen, PointerByReference reportJsonOut,
                PointerByReference errorJsonOut);

        int hedui_id_check_json_n(Pointer rulebook, byte[] requestJson, long requestJsonLen,
                PointerByReference checkedJsonOut, PointerByReference errorJsonOut);

        long hedui_audit_chain_len(Pointer chain);

        int hedui_audit_chain_len_n(Pointer chain, LongByReference lenOut,
                PointerByReference errorJsonOut);

        int hedui_audit_chain_verify_json_n(Pointer chain, byte[] headJson, long headJsonLen,
                PointerByReference errorJsonOut);

        Pointer hedui_last_error_code();

        void hedui_string_free(Pointer s);
    }

    static final Hedui HEDUI = Native.load("hedui", Hedui.class);
    static final byte[] ISSUED_AT = utf8("2026-11-29T10:00:00+08:00");
    static final int OK = 0;
    static final int NULL_POINTER = 1000;
    static final int INVALID_UTF8 = 1001;
    static final int INPUT_NUL = 1005;
    static final int ROUNDS = 8;

    static final AtomicInteger passed = new AtomicInteger();
    static final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void check(boolean ok, String what) {
        if (ok) {
            passed.incrementAndGet();
        } else {
            failures.add(what);
            System.err.println("FAIL " + what);
        }
    }

    /** The bytes of a NUL-terminated string hedui wrote, decoded by no charset. */
    static byte[] bytes(Pointer p) {
        long n = p.indexOf(0, (byte) 0);
        return p.getByteArray(0, (int) n);
    }

    /** Takes a string hedui handed out: its bytes, then frees it. */
    static byte[] take(Pointer p) {
        byte[] b = bytes(p);
        HEDUI.hedui_string_free(p);
        return b;
    }

    static String member(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"?([A-Za-z0-9_]+)").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    /** What a call gave, before anyone reads its error. */
    record Call(String name, int result, byte[] report, Pointer error, long threadId) {}

    static Call verify(String name, Pointer rulebook, byte[] caseJson) {
        PointerByReference report = new PointerByReference();
        PointerByReference error = new PointerByReference();
        int r = HEDUI.hedui_verify_json_at_n(rulebook, caseJson, caseJson.length, ISSUED_AT,
                ISSUED_AT.length, report, error);
        byte[] out = null;
        if (r == OK) {
            check(error.getValue() == null, name + ": error written on success");
            out = take(report.getValue());
        } else {
            check(report.getValue() == null, name + ": report written on failure");
        }
        return new Call(name, r, out, error.getValue(), Thread.currentThread().getId());
    }

    /** Reads a call's error on this thread: the outcome line the corpus records. */
    static byte[] outcome(Call c) {
        if (c.result() == OK) {
            byte[] line = Arrays.copyOf(c.report(), c.report().length + 1);
            line[line.length - 1] = '\n';
            return line;
        }
        check(c.threadId() != Thread.currentThread().getId(),
                c.name() + ": error read on the calling thread");
        // this thread made no hedui call: its thread-local last error is empty
        check(bytes(HEDUI.hedui_last_error_code()).length == 0,
                c.name() + ": the reading thread has a last error of its own");
        String error = new String(take(c.error()), StandardCharsets.UTF_8);
        check(String.valueOf(c.result()).equals(member(error, "result")),
                c.name() + ": result " + c.result() + " but error " + error);
        return utf8("{\"error\":\"" + member(error, "code") + "\"}\n");
    }

    static void corpus(Path corpus, Pointer rulebook) throws Exception {
        List<Path> cases;
        try (Stream<Path> s = Files.list(corpus.resolve("cases"))) {
            cases = s.filter(p -> p.toString().endsWith(".json")).sorted().collect(Collectors.toList());
        }
        check(cases.size() >= 8, "corpus has " + cases.size() + " cases");
        ExecutorService callers = Executors.newFixedThreadPool(8);
        ExecutorService readers = Executors.newFixedThreadPool(3);
        try {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            boolean sawChinese = false;
            for (Path path : cases) {
                String name = path.getFileName().toString();
                byte[] caseJson = Files.readAllBytes(path);
                byte[] expected = Files.readAllBytes(corpus.resolve("expected").resolve(name));
                for (byte b : expected) {
                    sawChinese |= b < 0;
                }
                for (int round = 0; round < ROUNDS; round++) {
                    all.add(CompletableFuture
                            .supplyAsync(() -> verify(name, rulebook, caseJson), callers)
                            .thenApplyAsync(HeduiJvmHost::outcome, readers)
                            .thenAccept(got -> check(Arrays.equals(got, expected),
                                    name + ": not the recorded outcome:\n"
                                            + new String(got, StandardCharsets.UTF_8))));
                }
            }
            CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get();
            check(sawChinese, "the expected reports hold no UTF-8 beyond ASCII");
        } finally {
            callers.shutdown();
            readers.shutdown();
        }
    }

    static void badInput(Path corpus, Pointer rulebook) throws IOException {
        byte[] good = Files.readAllBytes(corpus.resolve("cases/sample-good-1.json"));
        // good case + NUL + anything: refused, not verified as the good case
        byte[] tail = utf8("{\"case_id\":\"smuggled\"}");
        byte[] smuggled = Arrays.copyOf(good, good.length + 1 + tail.length);
        System.arraycopy(tail, 0, smuggled, good.length + 1, tail.length);
        Call c = verify("nul inside", rulebook, smuggled);
        check(c.result() == INPUT_NUL, "nul inside: result " + c.result());
        String e = new String(take(c.error()), StandardCharsets.UTF_8);
        check("input_nul".equals(member(e, "code")), "nul inside: " + e);

        byte[] invalid = {'{', '"', 'c', 'a', 's', 'e', '_', 'i', 'd', '"', ':', '"', (byte) 0xff, '"', '}'};
        c = verify("invalid utf-8", rulebook, invalid);
        check(c.result() == INVALID_UTF8, "invalid utf-8: result " + c.result());
        e = new String(take(c.error()), StandardCharsets.UTF_8);
        check("input_utf8".equals(member(e, "code")), "invalid utf-8: " + e);

        // a JSON request with a NUL inside, through another _n function
        PointerByReference out = new PointerByReference();
        PointerByReference error = new PointerByReference();
        byte[] request = utf8("{\"kind\":\"region_code\",\"value\":\"141002\"}\u0000junk");
        int r = HEDUI.hedui_id_check_json_n(rulebook, request, request.length, out, error);
        check(r == INPUT_NUL && out.getValue() == null, "id check nul: result " + r);
        e = new String(take(error.getValue()), StandardCharsets.UTF_8);
        check("input_nul".equals(member(e, "code")), "id check nul: " + e);
        // the same request without the tail is read, through UTF-8 bytes only
        r = HEDUI.hedui_id_check_json_n(rulebook, request, request.length - 5, out, error);
        check(r == OK && error.getValue() == null, "id check: result " + r);
        if (r == OK) {
            String checked = new String(take(out.getValue()), StandardCharsets.UTF_8);
            check(checked.contains("141002"), "id check: " + checked);
        }

        // NULL handles are errors, never a length an empty chain could have
        check(HEDUI.hedui_audit_chain_len(null) == -1L, "audit_chain_len(NULL) is not SIZE_MAX");
        check("null_pointer".equals(new String(bytes(HEDUI.hedui_last_error_code()), StandardCharsets.UTF_8)),
                "audit_chain_len(NULL) sets no null_pointer error");
        LongByReference len = new LongByReference(42);
        error = new PointerByReference();
        r = HEDUI.hedui_audit_chain_len_n(null, len, error);
        check(r == NULL_POINTER && len.getValue() == 42, "audit_chain_len_n(NULL): result " + r);
        e = new String(take(error.getValue()), StandardCharsets.UTF_8);
        check("null_pointer".equals(member(e, "code")), "audit_chain_len_n(NULL): " + e);
        byte[] head = "{\"chain\":\"A-1\",\"entries\":0,\"mac\":\"\"}".getBytes(StandardCharsets.UTF_8);
        r = HEDUI.hedui_audit_chain_verify_json_n(null, head, head.length, error);
        check(r == NULL_POINTER, "audit_chain_verify_json_n(NULL): result " + r);
        e = new String(take(error.getValue()), StandardCharsets.UTF_8);
        check("null_pointer".equals(member(e, "code")), "audit_chain_verify_json_n(NULL): " + e);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: HeduiJvmHost <tests/corpus>");
            System.exit(2);
        }
        // the point of the test: the platform charset is not UTF-8, and nothing depends on it
        String nativeEncoding = System.getProperty("native.encoding", "");
        check(!nativeEncoding.equalsIgnoreCase("UTF-8"),
                "run under LANG=C: the platform charset is " + nativeEncoding);
        Path corpus = Path.of(args[0]);
        PointerByReference rb = new PointerByReference();
        check(HEDUI.hedui_rulebook_new_default_n(rb, null) == OK, "rulebook");
        try {
            corpus(corpus, rb.getValue());
            badInput(corpus, rb.getValue());
        } finally {
            HEDUI.hedui_rulebook_free(rb.getValue());
        }
        System.out.println(passed.get() + " passed, " + failures.size() + " failed (platform charset "
                + nativeEncoding + ")");
        System.exit(failures.isEmpty() ? 0 : 1);
    }
}
