package dev.jwq.samples;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * A remote service on a loopback socket, for the samples' blocking I/O: it reads a request
 * (8 bytes), takes {@code latency} as a remote service would, and answers {@code answer} of
 * it (8 bytes). One virtual thread per connection, so that it adds no platform threads to the
 * figures of the process it runs in (only the few carrier threads).
 */
public final class LoopbackService implements AutoCloseable {
    private final ServerSocket server;
    private final long latencyMillis;
    private final LongUnaryOperator answer;

    private LoopbackService(ServerSocket server, Duration latency, LongUnaryOperator answer) {
        this.server = server;
        this.latencyMillis = latency.toMillis();
        this.answer = answer;
    }

    /** Starts serving on an ephemeral loopback port. */
    public static LoopbackService start(Duration latency, LongUnaryOperator answer) {
        try {
            LoopbackService s = new LoopbackService(new ServerSocket(0, 1024, InetAddress.getLoopbackAddress()), latency, answer);
            Thread.ofVirtual().name("loopback-accept").start(s::accept);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on loopback", e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().name("loopback-conn").start(() -> serve(s));
            } catch (IOException e) {
                return;   // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s; DataInputStream in = new DataInputStream(s.getInputStream());
             DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
            s.setTcpNoDelay(true);
            while (true) {
                long request = in.readLong();
                Cpu.sleepMillis(latencyMillis);
                out.writeLong(answer.applyAsLong(request));
                out.flush();
            }
        } catch (EOFException e) {
            // the client closed the connection
        } catch (IOException e) {
            // reset by a client that stopped: nothing left to answer
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
