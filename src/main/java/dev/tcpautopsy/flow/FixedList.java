package dev.tcpautopsy.flow;

import java.util.AbstractList;
import java.util.RandomAccess;
import java.util.function.IntFunction;

/**
 * An unmodifiable list over elements made on demand from an index, holding nothing else that can change:
 * for the lists of {@link FlowFacts} made for every finished connection, which {@code List.copyOf} would copy
 * again, and whose state transitions are read only for the few connections a report details.
 */
final class FixedList<T> extends AbstractList<T> implements RandomAccess {
    private final int size;
    /** The elements, or null: then {@link #element} makes them. */
    private final T[] items;
    private final IntFunction<T> element;

    FixedList(int size, IntFunction<T> element) {
        this.size = size;
        this.items = null;
        this.element = element;
    }

    // the elements read straight from the array: a function of the index for each list would be one more
    // call the quick compiler cannot bind at every get, and a lambda made through a method handle each time
    private FixedList(T[] items) {
        this.size = items.length;
        this.items = items;
        this.element = null;
    }

    /** An unmodifiable view of {@code items}, which the caller gives away. */
    static <T> FixedList<T> of(T[] items) {
        return new FixedList<>(items);
    }

    @Override
    public T get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " (size " + size + ")");
        }
        return items != null ? items[index] : element.apply(index);
    }

    @Override
    public int size() {
        return size;
    }
}
