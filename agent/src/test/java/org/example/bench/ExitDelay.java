package org.example.bench;

import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * How long a JVM takes to exit after one socket read on a virtual or a platform thread, with no
 * jwq anywhere: time the whole process ({@code docs/agent.md}, "Cost on programs built on
 * executors"). A virtual thread's socket I/O starts the JDK's poller, a thread that then waits
 * in {@code epoll_wait}, native code, for the rest of the process; at exit the VM waits for
 * threads in native code to block, up to 300 ms.
 */
public final class ExitDelay {
    private ExitDelay() {}

    public static void main(String[] args) throws Exception {
        boolean virtual = args.length == 1 && args[0].equals("virtual");
        if (!virtual && !(args.length == 1 && args[0].equals("platform"))) {
            throw new IllegalArgumentException("usage: ExitDelay virtual|platform");
        }
        try (ServerSocket server = new ServerSocket(0)) {
            ExecutorService e = virtual ? Executors.newVirtualThreadPerTaskExecutor() : Executors.newCachedThreadPool();
            Future<Integer> read = e.submit(() -> {
                try (Socket s = new Socket("localhost", server.getLocalPort())) {
                    return s.getInputStream().read();
                }
            });
            try (Socket c = server.accept()) {
                c.getOutputStream().write(7);
            }
            System.out.println("read " + read.get());
            e.shutdown();
            if (!e.awaitTermination(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the reading task did not end");
            }
        }
    }
}
