package dev.jwq.samples.sprawl;

/**
 * What each part of the app computes for a request, as pure functions, so that the load
 * generator can check every response against the value it must have.
 */
final class Values {
    private Values() {}

    /** The value the cache loads for {@code key}. */
    static long cached(long key) {
        return mix(key ^ 0x5DEECE66DL);
    }

    /** The row the database returns for request {@code id}. */
    static long row(long id) {
        return mix(id * 0x9E3779B97F4A7C15L);
    }

    /** What the upstream service answers to request {@code id}. */
    static long upstream(long id) {
        return mix(id + 0xBF58476D1CE4E5B9L);
    }

    /** The response body of request {@code id}, from its three inputs. */
    static long body(long cached, long row, long upstream) {
        return mix(cached * 31 + row * 17 + upstream);
    }

    /** The response request {@code id} must get. */
    static long expected(long id, int cacheKeys) {
        return body(cached(id % cacheKeys), row(id), upstream(id));
    }

    /** splitmix64's finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
