package dev.tcpautopsy.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bytes for an immutable model made of records, and the model back from them: the analysis model is
 * not {@link Serializable}, and a capture's report (without its flows) travels from an executor to the
 * driver. Records become arrays of their components, enums their names, lists and maps (in their
 * order) lists; strings, numbers, booleans, instants and durations stay as they are. Nothing here
 * names a model class, so fields added to the model travel too. A component of any other type
 * (an interface such as a flow set) must be {@code null}.
 */
final class RecordCodec {
    private RecordCodec() {
    }

    static byte[] encode(Record r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(plain(r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static <T extends Record> T decode(byte[] bytes, Class<T> type) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return type.cast(model(in.readObject(), type));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object plain(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean
                || v instanceof java.time.Instant || v instanceof java.time.Duration) {
            return v;
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        if (v instanceof Record r) {
            RecordComponent[] parts = r.getClass().getRecordComponents();
            Object[] out = new Object[parts.length];
            for (int i = 0; i < parts.length; i++) {
                out[i] = plain(get(parts[i], r));
            }
            return out;
        }
        if (v instanceof List<?> l) {
            ArrayList<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(plain(x)));
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            ArrayList<Object> out = new ArrayList<>(2 * m.size());
            m.forEach((k, x) -> {
                out.add(plain(k));
                out.add(plain(x));
            });
            return out;
        }
        throw new IllegalArgumentException("cannot encode a " + v.getClass().getName());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object model(Object v, Type type) {
        if (v == null) {
            return null;
        }
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (raw.isEnum()) {
            return Enum.valueOf((Class<? extends Enum>) raw, (String) v);
        }
        if (raw.isRecord()) {
            return record(raw, (Object[]) v);
        }
        if (List.class.isAssignableFrom(raw)) {
            Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
            List<Object> out = new ArrayList<>();
            for (Object x : (List<?>) v) {
                out.add(model(x, element));
            }
            return Collections.unmodifiableList(out);
        }
        if (Map.class.isAssignableFrom(raw)) {
            Type[] kv = ((ParameterizedType) type).getActualTypeArguments();
            List<?> l = (List<?>) v;
            Map<Object, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < l.size(); i += 2) {
                out.put(model(l.get(i), kv[0]), model(l.get(i + 1), kv[1]));
            }
            return Collections.unmodifiableMap(out);
        }
        return v;
    }

    private static Object record(Class<?> type, Object[] values) {
        RecordComponent[] parts = type.getRecordComponents();
        Class<?>[] types = new Class<?>[parts.length];
        Object[] args = new Object[parts.length];
        for (int i = 0; i < parts.length; i++) {
            types[i] = parts[i].getType();
            args[i] = model(values[i], parts[i].getGenericType());
        }
        try {
            Constructor<?> c = type.getDeclaredConstructor(types);
            c.setAccessible(true);
            return c.newInstance(args);
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException("cannot rebuild " + type.getName(), e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot rebuild " + type.getName() + ": " + e.getCause(), e.getCause());
        }
    }

    private static Object get(RecordComponent part, Record r) {
        try {
            java.lang.reflect.Method m = part.getAccessor();
            m.setAccessible(true);
            return m.invoke(r);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + part, e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + part + ": " + e.getCause(), e.getCause());
        }
    }
}
