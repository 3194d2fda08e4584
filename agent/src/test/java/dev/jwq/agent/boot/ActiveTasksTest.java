package dev.jwq.agent.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The task names of a rewritten executor's tasks, made once per worker name. */
class ActiveTasksTest {

    /**
     * An unbound pool under load has dozens of workers (46 in the flagship demo): each worker's
     * task name is made once, however many workers take turns, and a worker that comes back
     * with a reused id (a new name object of the same value) gets the same name.
     */
    @Test
    void aTaskNameIsMadeOncePerWorkerWhateverTheWorkerCount() {
        ActiveTasks tasks = new ActiveTasks(new ActiveTasks.Owner() {
            @Override
            public void beforeExecute(Thread t, Runnable r) {}

            @Override
            public void afterExecute(Runnable r, Throwable t) {}

            @Override
            public boolean stopping() {
                return false;
            }
        });
        tasks.nameAfter("okhttp-worker");
        List<String> workers = new ArrayList<>();
        List<String> first = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            workers.add("jwq/u4:" + i);
            first.add(tasks.taskName(workers.get(i)));
        }
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < workers.size(); i++) {
                String again = tasks.taskName(round == 2 ? new String(workers.get(i)) : workers.get(i));
                assertEquals(TaskThreadNames.prefix("okhttp-worker") + workers.get(i), again);
                assertSame(first.get(i), again, "made again for " + workers.get(i) + " in round " + round);
            }
        }
    }
}
