package dev.tcpautopsy.flow;

/**
 * The values of the addresses looked up last, in front of a map keyed by address text: a direct-mapped
 * cache compared by reference, since a thread's {@link AddressNames} hands out the same String for an
 * address flow after flow. A hit costs the String's hash and two array reads; a miss (another String, or
 * a slot taken by another address) falls through to the map, whose iteration order the caller keeps.
 * Why: judging looks each flow's hosts up in several tables, and through {@link java.util.HashMap} every
 * look was a call on the key that the quick compiler cannot bind and a node to follow.
 */
public final class AddressCache<V> {
    private static final int SLOTS = 1 << 12;
    private final String[] keys = new String[SLOTS];
    private final Object[] values = new Object[SLOTS];

    /** The value put for this very String, or null (always for null, which the map behind may hold). */
    @SuppressWarnings("unchecked")
    public V get(String address) {
        if (address == null) {
            return null;
        }
        int i = address.hashCode() & (SLOTS - 1);
        return keys[i] == address ? (V) values[i] : null;
    }

    public void put(String address, V value) {
        if (address == null) {
            return;
        }
        int i = address.hashCode() & (SLOTS - 1);
        keys[i] = address;
        values[i] = value;
    }

    /** Forgets every value (the map behind it dropped some). */
    public void clear() {
        java.util.Arrays.fill(keys, null);
        java.util.Arrays.fill(values, null);
    }
}
