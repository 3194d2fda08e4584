package dev.jwq.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * Puts the jwq runtime and the agent's helpers on the bootstrap class path, from the jar nested in
 * the agent jar, so that rewritten call sites in classes of any class loader and advice inlined
 * into JDK classes all reach one copy of them.
 *
 * <p>The nested jar is extracted once per content (named by its CRC and size) into a directory
 * only the current user may write, and reused by later runs: start-up then costs no copying.
 */
final class BootJar {
    static final String ENTRY = "META-INF/jwq/jwq-boot.jar.bin";

    private BootJar() {}

    static void append(Instrumentation inst) throws IOException, URISyntaxException {
        Path agentJar = Path.of(BootJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (JarFile jar = new JarFile(agentJar.toFile())) {
            ZipEntry entry = jar.getEntry(ENTRY);
            if (entry == null) {
                throw new IOException(agentJar + " has no " + ENTRY);
            }
            Path dir = privateDir();
            Path target = dir.resolve("jwq-boot-" + Long.toHexString(entry.getCrc()) + "-" + entry.getSize() + ".jar");
            if (!Files.isRegularFile(target) || Files.size(target) != entry.getSize()) {
                Path tmp = Files.createTempFile(dir, "jwq-boot", ".tmp");
                try (InputStream in = jar.getInputStream(entry)) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            inst.appendToBootstrapClassLoaderSearch(new JarFile(target.toFile()));
        }
    }

    /**
     * Code put into java.base (the hooks, observe mode) calls classes of the bootstrap loader's
     * unnamed module, where the boot jar's classes live: java.base must read that module.
     */
    static void letJavaBaseReadIt(Instrumentation inst) {
        Module boot = dev.jwq.agent.boot.AgentReport.class.getModule();
        Module javaBase = Object.class.getModule();
        if (!javaBase.canRead(boot)) {
            inst.redefineModule(javaBase, Set.of(boot), java.util.Map.of(), java.util.Map.of(), Set.of(), java.util.Map.of());
        }
    }

    /** ${java.io.tmpdir}/jwq-agent-USER, created rwx------ and refused if another user owns it. */
    private static Path privateDir() throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "jwq-agent-" + System.getProperty("user.name"));
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir)) {
            try {
                if (posix) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(dir);
                }
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another JVM made it: checked below like any existing one
            }
        }
        if (posix) {
            String owner = Files.getOwner(dir).getName();
            if (!owner.equals(System.getProperty("user.name")) || !Files.getPosixFilePermissions(dir).equals(
                    Set.copyOf(PosixFilePermissions.fromString("rwx------")))) {
                throw new IOException(dir + " is not private to this user; refusing to load classes from it");
            }
        }
        return dir;
    }
}
