package dev.jwq;

/**
 * An intrusive FIFO of work items (Linux's {@code list_head} worklists): the links live in
 * {@link Work} itself, so insertion and removal from anywhere are O(1) and allocate nothing,
 * which is what cancel needs. A work item is on at most one list at a time.
 *
 * <p>Not thread-safe: every list is guarded by the lock of the pool it belongs to, and every
 * method must be called with that lock held (checked by the callers' assertions).
 */
final class WorkList {
    private Work head;  // L: owner pool's lock
    private Work tail;  // L
    private int size;   // L

    boolean isEmpty() {
        return head == null;
    }

    int size() {
        return size;
    }

    Work first() {
        return head;
    }

    void addLast(Work w) {
        assert w.list == null : "work already on a list";
        w.list = this;
        w.prev = tail;
        w.next = null;
        if (tail == null) {
            head = w;
        } else {
            tail.next = w;
        }
        tail = w;
        size++;
    }

    void addFirst(Work w) {
        assert w.list == null : "work already on a list";
        w.list = this;
        w.prev = null;
        w.next = head;
        if (head == null) {
            tail = w;
        } else {
            head.prev = w;
        }
        head = w;
        size++;
    }

    Work pollFirst() {
        Work w = head;
        if (w != null) {
            remove(w);
        }
        return w;
    }

    void remove(Work w) {
        assert w.list == this : "work is not on this list";
        Work p = w.prev, n = w.next;
        if (p == null) {
            head = n;
        } else {
            p.next = n;
        }
        if (n == null) {
            tail = p;
        } else {
            n.prev = p;
        }
        w.prev = w.next = null;
        w.list = null;
        size--;
    }
}
