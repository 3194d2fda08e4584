package dev.jwq.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The agent's one registered transformer, handing each class to the agent's parts in turn. With
 * any transformer registered the JVM calls into Java for every class that loads; one registration
 * (not retransform-capable: loaded classes are changed by a retransformer registered only while
 * it works, see JwqAgent.retransform) means one such call per class instead of one per part. Each
 * part returns null for classes it leaves alone, and never throws.
 */
final class ChainedTransformer implements ClassFileTransformer {
    private final List<ClassFileTransformer> parts = new CopyOnWriteArrayList<>();

    void add(ClassFileTransformer part) {
        parts.add(part);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) throws IllegalClassFormatException {
        byte[] current = classfileBuffer;
        boolean changed = false;
        for (ClassFileTransformer part : parts) {
            byte[] out = part.transform(module, loader, className, classBeingRedefined, protectionDomain, current);
            if (out != null) {
                current = out;
                changed = true;
            }
        }
        return changed ? current : null;
    }
}
