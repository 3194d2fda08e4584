package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two lambdas of one class are two functions: named by the method each calls where
 * {@code java.lang} is open to jwq, by their distinct hidden class names where it is not. Child
 * JVMs, since the module flag is per process.
 */
class FunctionNamesChildJvmTest {
    private static final String CHILD = FunctionNamesChild.class.getName();

    @Test
    void withJavaLangOpenEachLambdaIsNamedByItsMethod() throws Exception {
        Map<String, String> n = names("--add-opens", "java.base/java.lang=ALL-UNNAMED");
        assertTrue(n.get("first").matches(Pattern.quote(CHILD) + "::lambda\\$main\\$\\d+"), n.toString());
        assertTrue(n.get("second").matches(Pattern.quote(CHILD) + "::lambda\\$main\\$\\d+"), n.toString());
        assertNotEquals(n.get("first"), n.get("second"));
        assertTrue(n.get("capturing").startsWith(CHILD + "::lambda$main$"), n.toString());
        assertEquals(CHILD + "::tick", n.get("staticRef"));
        assertEquals("java.io.PrintStream::println", n.get("boundRef"));
        assertEquals("java.lang.StringBuilder::new", n.get("constructorRef"));
        assertTrue(n.get("serializable").startsWith(CHILD + "::lambda$main$"), n.toString());
        assertEquals(CHILD + "$1", n.get("anonymous"));
        assertEquals("true", n.get("exported"), "read through jdk.internal.reflect, exported to jwq's module");
        Set<String> functions = new HashSet<>(n.values());
        functions.remove(n.get("exported"));
        assertEquals(n.size() - 1, functions.size(), "every function distinct: " + n);
    }

    @Test
    void withoutItLambdasKeepTheirDistinctHiddenClassNamesAndNothingIsOpened() throws Exception {
        Map<String, String> n = names();
        for (String lambda : List.of("first", "second", "capturing", "staticRef", "boundRef", "constructorRef",
                "serializable")) {
            assertTrue(n.get(lambda).startsWith(CHILD + "$$Lambda/0x"), lambda + ": " + n);
        }
        Set<String> lambdas = n.entrySet().stream().filter(e -> e.getValue().contains("$$Lambda"))
                .map(Map.Entry::getValue).collect(Collectors.toSet());
        assertEquals(7, lambdas.size(), "each lambda its own name: " + n);
        assertEquals(CHILD + "$1", n.get("anonymous"));
        assertEquals("false", n.get("exported"), "jwq widened no access it was not given");
    }

    private static Map<String, String> names(String... jvmArgs) throws Exception {
        ChildJvm.Result r = ChildJvm.run(FunctionNamesChild.class, jvmArgs);
        assertEquals(0, r.exitCode(), r.output());
        return r.output().lines().filter(l -> l.contains("=")).collect(Collectors.toMap(
                l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1)));
    }
}
