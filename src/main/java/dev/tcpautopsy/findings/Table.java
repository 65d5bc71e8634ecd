package dev.tcpautopsy.findings;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A map of at most {@code max} keys, whatever the capture. When it is full, the entries that cannot make a
 * finding yet ({@code expendable}) are dropped to make room, at most once every eighth of {@code max} keys
 * asked for (so a sweep costs some eight steps a key, and a table full of keepers no sweep a flow); a key
 * that finds no room is turned away ({@link #get} returns {@code null}).
 */
final class Table<K, V> {
    private final int max;
    private final Function<K, V> make;
    private final Predicate<V> expendable;
    private final Consumer<V> dropped;
    private final Map<K, V> map = new HashMap<>();
    /** Keys made or turned away since the last sweep. */
    private int sinceSweep;

    Table(int max, Function<K, V> make, Predicate<V> expendable) {
        this(max, make, expendable, v -> { });
    }

    /** @param dropped told of each entry dropped to make room (to give back what it held) */
    Table(int max, Function<K, V> make, Predicate<V> expendable, Consumer<V> dropped) {
        this.max = max;
        this.make = make;
        this.expendable = expendable;
        this.dropped = dropped;
    }

    /** The key's entry, made when missing and there is room; {@code null} when there is none. */
    V get(K key) {
        V v = map.get(key);
        if (v != null) {
            return v;
        }
        if (map.size() >= max && sinceSweep >= Math.max(1, max / 8)) {
            sinceSweep = 0;
            map.values().removeIf(e -> {
                if (expendable.test(e)) {
                    dropped.accept(e);
                    return true;
                }
                return false;
            });
        }
        sinceSweep++;
        if (map.size() >= max) {
            return null;
        }
        v = make.apply(key);
        map.put(key, v);
        return v;
    }

    /** The entry if there is one, without making it. */
    V peek(K key) {
        return map.get(key);
    }

    Map<K, V> entries() {
        return map;
    }

    Collection<V> values() {
        return map.values();
    }
}
