package dev.jwq.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JMH settings every scenario shares (JMH reads them from the superclass): one fork with a
 * fixed 1 GB heap and native access (jwq pins and reads the CPU through FFM), 3 warm-up and 5
 * measured iterations of 1 s. {@code bench/run.sh} passes the same fork flags explicitly, since a
 * {@code -jvmArgsAppend} on the command line replaces these.
 */
@Warmup(iterations = 3, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
public abstract class Scenario {
}
