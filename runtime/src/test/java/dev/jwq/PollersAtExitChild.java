package dev.jwq;

/**
 * Child of {@link PollersAtExitTest}: a virtual thread blocks on a socket read, which starts the
 * JDK's pollers, and gets its byte; then the child prints the time and ends. System property
 * {@value #HOW}: {@code item} (the reader is a workqueue item), {@code vthread} (a virtual thread
 * of the JDK's), {@code exit} (an item, and another item calls {@code System.exit(0)}).
 */
public final class PollersAtExitChild {
    static final String HOW = "pollersAtExit.how";

    private PollersAtExitChild() {}

    public static void main(String[] args) throws Exception {
        String how = System.getProperty(HOW);
        Workqueue wq = Workqueue.builder("at-exit").build();
        BlockedSocketRead.Result r = BlockedSocketRead.run(how.equals("vthread") ? Thread.ofVirtual()::start : wq);
        System.out.println("read " + r.value() + " virtual " + r.reader().isVirtual());
        boolean pollerInNative = PollersAtExit.runnablePoller(PollersAtExit.READ_POLLER) != null;
        System.out.println("pollerMode " + System.getProperty(SocketPollers.PROPERTY) + " poller " + pollerInNative);
        if (how.equals("exit")) {
            wq.execute(() -> {
                System.out.println("end " + System.currentTimeMillis());
                System.out.flush();
                System.exit(0);
            });
            Thread.currentThread().join(); // until the item ends the process
        }
        System.out.println("end " + System.currentTimeMillis());
    }
}
