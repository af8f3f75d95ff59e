package io.dln.simulator.world;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A memo for values that are pure functions of their key. When it grows past its limit it simply
 * starts over: simpler than LRU, and the values are cheap to compute again.
 */
final class BoundedCache<K, V> {

    private final int limit;
    private final ConcurrentHashMap<K, V> map = new ConcurrentHashMap<>();

    BoundedCache(int limit) {
        this.limit = limit;
    }

    V get(K key, Function<K, V> compute) {
        V v = map.get(key);
        if (v != null) return v;
        if (map.size() >= limit) map.clear();
        v = compute.apply(key);
        map.put(key, v);
        return v;
    }
}
