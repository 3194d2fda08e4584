package dev.jwq;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;

/**
 * {@link Lifecycle} is linearizable: Lincheck's model checker runs shutdown, stop, terminate and
 * reads from several threads in every interleaving it can reach and checks each outcome against
 * some sequential order of the same calls.
 */
public class LifecycleLincheckTest {
    private final Lifecycle lifecycle = new Lifecycle();

    @Operation
    public boolean shutdown() {
        return lifecycle.shutdown();
    }

    @Operation
    public boolean stop() {
        return lifecycle.stop();
    }

    @Operation
    public boolean terminate() {
        return lifecycle.terminate();
    }

    @Operation
    public int get() {
        return lifecycle.get();
    }

    @Test
    public void modelCheck() {
        new ModelCheckingOptions().iterations(15).invocationsPerIteration(300).threads(2).actorsPerThread(3).actorsBefore(1).actorsAfter(1).check(getClass());
    }
}
