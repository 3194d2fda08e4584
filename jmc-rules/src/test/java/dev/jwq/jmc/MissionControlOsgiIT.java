package dev.jwq.jmc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The rules loaded the way JDK Mission Control loads plug-ins: JMC is an Eclipse application, an
 * Equinox OSGi framework whose bundles include JMC's core libraries ({@code jmc-core/}); a jar
 * dropped into its {@code dropins} folder is installed as one more bundle. Here: an Equinox
 * framework with exactly those bundles and {@code jwq-jmc-rules.jar}, then JMC's own
 * {@code RuleRegistry}, loaded from its bundle, must list the jwq rules, and the stall rule,
 * run inside the framework on a recording, must warn. Nothing of jwq is on the framework's
 * parent class path: what the rules need must come through their bundle.
 */
class MissionControlOsgiIT {
    private static final String RULES_BUNDLE = "org.openjdk.jmc.flightrecorder.rules";

    @TempDir
    Path dir;

    @Test
    void missionControlsRuleRegistryFindsAndRunsTheJwqRules() throws Exception {
        Framework osgi = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow().newFramework(Map.of(
                Constants.FRAMEWORK_STORAGE, dir.resolve("osgi").toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                // Eclipse applications' default: the JDK's classes for every bundle, nothing else
                "osgi.compatibility.bootdelegation", "true"));
        osgi.start();
        try {
            List<Bundle> bundles = new ArrayList<>();
            for (Path jar : bundleJars()) {
                bundles.add(osgi.getBundleContext().installBundle(jar.toUri().toString()));
            }
            assertTrue(osgi.adapt(FrameworkWiring.class).resolveBundles(bundles), "every bundle resolves: " + states(bundles));
            Bundle rules = bundle(bundles, RULES_BUNDLE);
            Bundle jwq = bundle(bundles, "dev.jwq.jmc.rules");
            assertEquals(Bundle.RESOLVED, jwq.getState(), "the fragment attached");
            assertEquals(BundleRevision.TYPE_FRAGMENT, jwq.adapt(BundleRevision.class).getTypes());
            rules.start();

            ClassLoader host = rules.adapt(BundleWiring.class).getClassLoader();
            Class<?> registry = rules.loadClass(RULES_BUNDLE + ".RuleRegistry");
            Collection<?> all = (Collection<?>) registry.getMethod("getRules").invoke(null);
            Map<String, Object> byId = new HashMap<>();
            for (Object rule : all) {
                byId.put((String) rule.getClass().getMethod("getId").invoke(rule), rule);
            }
            for (String id : JwqRulesReport.IDS) {
                Object rule = byId.get(id);
                assertNotNull(rule, id + " not among JMC's rules: " + byId.keySet());
                assertSame(host, rule.getClass().getClassLoader(), "loaded by the rules bundle, as a fragment");
            }

            // Run the stall rule as the automated analysis page does, inside the framework.
            Path recording = StallRecording.write(dir);
            Object items = rules.loadClass("org.openjdk.jmc.flightrecorder.JfrLoaderToolkit")
                    .getMethod("loadEvents", File.class).invoke(null, recording.toFile());
            Class<?> toolkit = rules.loadClass(RULES_BUNDLE + ".util.RulesToolkit");
            Class<?> itemCollection = rules.loadClass("org.openjdk.jmc.common.item.IItemCollection");
            Class<?> preferences = rules.loadClass("org.openjdk.jmc.common.util.IPreferenceValueProvider");
            Object defaults = preferences.getField("DEFAULT_VALUES").get(null);
            Map<?, ?> futures = (Map<?, ?>) toolkit.getMethod("evaluateParallel", Collection.class, itemCollection,
                    preferences, int.class).invoke(null, List.of(byId.get(WorkqueueStallRule.ID)), items, defaults, 1);
            Object result = ((Future<?>) futures.values().iterator().next()).get(60, TimeUnit.SECONDS);
            Class<?> iResult = rules.loadClass(RULES_BUNDLE + ".IResult");
            Object severity = iResult.getMethod("getSeverity").invoke(result);
            String summary = (String) iResult.getMethod("getSummary").invoke(result);
            assertEquals("WARNING", severity.toString().toUpperCase(java.util.Locale.ROOT), summary);
            assertTrue(summary.contains("pool 6 (cpu 3)"), summary);
        } finally {
            osgi.stop();
            osgi.waitForStop(TimeUnit.SECONDS.toMillis(30));
        }
    }

    /** JMC's core bundles as the build copies them, and the rules jar, as a JMC installation would have them. */
    private static List<Path> bundleJars() throws IOException {
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> core = Files.list(Path.of(System.getProperty("jwq.jmcCore")))) {
            core.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jars::add);
        }
        jars.add(Path.of(System.getProperty("jwq.rulesJar")));
        return jars;
    }

    private static Bundle bundle(List<Bundle> bundles, String symbolicName) {
        return bundles.stream().filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError("no bundle " + symbolicName + " in " + states(bundles)));
    }

    private static String states(List<Bundle> bundles) {
        StringBuilder b = new StringBuilder();
        for (Bundle x : bundles) {
            b.append(x.getSymbolicName()).append('=').append(x.getState()).append(' ');
        }
        return b.toString();
    }
}
