package dev.jwq;

/**
 * Child of {@link SocketPollersTest}: an item reads a byte from a socket that has none yet, so
 * that its worker blocks on the socket (on the JDK's pollers when the worker is a virtual
 * thread); then prints the poller mode property and the names of the platform threads.
 */
public final class SocketPollersChild {
    private SocketPollersChild() {}

    public static void main(String[] args) throws Exception {
        try (Workqueue wq = Workqueue.builder("pollers").build()) {
            BlockedSocketRead.Result r = BlockedSocketRead.run(wq);
            System.out.println("read " + r.value());
            System.out.println("virtual " + r.reader().isVirtual());
            System.out.println("pollerMode " + System.getProperty(SocketPollers.PROPERTY));
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                System.out.println("thread " + t.getName());
            }
        }
    }
}
