package dev.jwq.samples.sprawl;

import dev.jwq.samples.Cpu;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The remote service the app's HTTP client calls, on a loopback socket: it reads a request id
 * (8 bytes), takes {@link #LATENCY_MS} as a remote service would, and answers
 * {@link Values#upstream}. The launcher runs it in its own process so that its threads are not
 * counted in the app's; one virtual thread per connection.
 */
public final class Upstream implements AutoCloseable {
    /** Service time of one call. */
    static final long LATENCY_MS = 1;

    private final ServerSocket server;

    private Upstream(ServerSocket server) {
        this.server = server;
    }

    /** Starts serving on an ephemeral loopback port. */
    public static Upstream start() {
        try {
            Upstream u = new Upstream(new ServerSocket(0, 512, InetAddress.getLoopbackAddress()));
            Thread.ofVirtual().name("upstream-accept").start(u::accept);
            return u;
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
                Thread.ofVirtual().name("upstream-conn").start(() -> serve(s));
            } catch (IOException e) {
                return;   // closed
            }
        }
    }

    private static void serve(Socket s) {
        try (s; DataInputStream in = new DataInputStream(s.getInputStream());
             DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
            s.setTcpNoDelay(true);
            while (true) {
                long id = in.readLong();
                Cpu.sleepMillis(LATENCY_MS);
                out.writeLong(Values.upstream(id));
                out.flush();
            }
        } catch (EOFException e) {
            // the client closed the connection
        } catch (IOException e) {
            // a connection reset by a client that stopped: nothing to answer
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
