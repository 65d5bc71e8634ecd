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
    private final IntFunction<T> element;

    FixedList(int size, IntFunction<T> element) {
        this.size = size;
        this.element = element;
    }

    /** An unmodifiable view of {@code items}, which the caller gives away. */
    static <T> FixedList<T> of(T[] items) {
        return new FixedList<>(items.length, i -> items[i]);
    }

    @Override
    public T get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " (size " + size + ")");
        }
        return element.apply(index);
    }

    @Override
    public int size() {
        return size;
    }
}
