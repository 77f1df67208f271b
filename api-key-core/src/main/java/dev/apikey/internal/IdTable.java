package dev.apikey.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A bounded concurrent map from a {@code long} id to an entry that carries its own id: the verify cache's
 * table. A read is a volatile array load, a probe and a field compare: no boxing, no allocation, no lock, no
 * write. Writes lock one of up to 64 segments.
 *
 * <p>Each segment is an open-addressing table (linear probing, removals leave a tombstone, rebuilt when
 * tombstones pile up) whose array is replaced, never shrunk in place, so a reader on an old array sees a
 * consistent, if slightly old, picture: a read may miss an entry put a moment ago, never return a removed
 * one after {@link #remove} returned. When a segment is over its share of {@code maximumSize}, it evicts the
 * least recently touched of 8 sampled entries (sampled LRU, as Redis does).
 *
 * <p>Not API. Thread-safe.
 *
 * @param <E> the entry type
 */
public final class IdTable<E extends IdTable.Entry> {

    /** What the table holds: anything with a fixed id and a time of last use for eviction. */
    public abstract static class Entry {
        /** The id this entry is stored under. */
        protected final long id;

        /** @param id the id this entry is stored under */
        protected Entry(long id) {
            this.id = id;
        }

        /** The id this entry is stored under. */
        public final long id() {
            return id;
        }

        /** When the entry was last useful (any monotonic unit): the least recent of a sample is evicted. */
        protected abstract long lastTouched();
    }

    private static final Object TOMBSTONE = new Object();
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final int SAMPLE = 8;

    private final Segment[] segments;
    private final int segmentShift;
    private final Consumer<? super E> onRemoval;

    /**
     * @param maximumSize most entries held, at least 1
     * @param onRemoval   told of every entry that leaves the table (removed, replaced or evicted), under the
     *                    segment's lock: keep it short
     */
    public IdTable(long maximumSize, Consumer<? super E> onRemoval) {
        if (maximumSize < 1) {
            throw new IllegalArgumentException("maximumSize must be at least 1, was " + maximumSize);
        }
        int count = 1;
        while (count < 64 && count * 2L * 256 <= maximumSize) {
            count *= 2;
        }
        this.segments = new Segment[count];
        for (int i = 0; i < count; i++) {
            long share = maximumSize / count + (i < maximumSize % count ? 1 : 0);
            segments[i] = new Segment((int) Math.min(share, Integer.MAX_VALUE / 4));
        }
        this.segmentShift = 64 - Integer.numberOfTrailingZeros(count);
        this.onRemoval = onRemoval;
    }

    private static long spread(long id) {
        return id * 0x9E3779B97F4A7C15L;
    }

    private Segment segmentFor(long h) {
        return segments.length == 1 ? segments[0] : segments[(int) (h >>> segmentShift)];
    }

    /** The entry for this id, or {@code null}. Lock-free. */
    @SuppressWarnings("unchecked")
    public E get(long id) {
        long h = spread(id);
        Object[] table = segmentFor(h).table;
        int mask = table.length - 1;
        int i = (int) h & mask;
        while (true) {
            Object o = SLOTS.getAcquire(table, i);
            if (o == null) {
                return null;
            }
            if (o != TOMBSTONE && ((Entry) o).id == id) {
                return (E) o;
            }
            i = (i + 1) & mask;
        }
    }

    /**
     * Puts the entry under its id if {@code condition} holds, checked under the segment's lock.
     *
     * @return whether it was put
     */
    @SuppressWarnings("unchecked")
    public boolean putIf(E entry, BooleanSupplier condition) {
        long h = spread(entry.id);
        Segment s = segmentFor(h);
        E removed = null;
        E evicted = null;
        synchronized (s) {
            if (!condition.getAsBoolean()) {
                return false;
            }
            removed = (E) s.put(entry, h);
            if (removed == null && s.size > s.capacity) {
                evicted = (E) s.evictOne();
            }
        }
        notifyRemoved(removed);
        notifyRemoved(evicted);
        return true;
    }

    /** Removes the entry of this id; returns it, or {@code null} if there was none. */
    @SuppressWarnings("unchecked")
    public E remove(long id) {
        long h = spread(id);
        Segment s = segmentFor(h);
        E removed;
        synchronized (s) {
            removed = (E) s.remove(id, h);
        }
        notifyRemoved(removed);
        return removed;
    }

    /**
     * Runs {@code action} on the entry of this id, if there is one, under the segment's lock: no
     * {@link #putIf} for this id runs meanwhile.
     */
    @SuppressWarnings("unchecked")
    public void update(long id, Consumer<? super E> action) {
        Segment s = segmentFor(spread(id));
        synchronized (s) {
            E e = get(id);
            if (e != null) {
                action.accept(e);
            }
        }
    }

    private void notifyRemoved(E e) {
        if (e != null) {
            onRemoval.accept(e);
        }
    }

    /** Entries held now. */
    public long size() {
        long n = 0;
        for (Segment s : segments) {
            synchronized (s) {
                n += s.size;
            }
        }
        return n;
    }

    /** Visits every entry held when each segment is reached; entries put meanwhile may or may not be seen. */
    @SuppressWarnings("unchecked")
    public void forEach(Consumer<? super E> action) {
        for (Segment s : segments) {
            Object[] table = s.table;
            for (int i = 0; i < table.length; i++) {
                Object o = SLOTS.getAcquire(table, i);
                if (o != null && o != TOMBSTONE) {
                    action.accept((E) o);
                }
            }
        }
    }

    /** One lock's share of the table. Fields other than {@code table} are guarded by the segment's monitor. */
    private static final class Segment {
        final int capacity;
        volatile Object[] table = new Object[16];
        int size;
        /** Slots not null: entries and tombstones. */
        int used;
        int sampleSeed = 0x2545F491;

        Segment(int capacity) {
            this.capacity = capacity;
        }

        Object put(Entry entry, long h) {
            Object[] t = table;
            int mask = t.length - 1;
            int i = (int) h & mask;
            int free = -1;
            while (true) {
                Object o = t[i];
                if (o == null) {
                    break;
                }
                if (o == TOMBSTONE) {
                    if (free < 0) {
                        free = i;
                    }
                } else if (((Entry) o).id == entry.id) {
                    SLOTS.setRelease(t, i, entry);
                    return o;
                }
                i = (i + 1) & mask;
            }
            if (free < 0) {
                free = i;
                used++;
            }
            SLOTS.setRelease(t, free, entry);
            size++;
            if (used * 2 > t.length) {
                rebuild();
            }
            return null;
        }

        Object remove(long id, long h) {
            Object[] t = table;
            int mask = t.length - 1;
            int i = (int) h & mask;
            while (true) {
                Object o = t[i];
                if (o == null) {
                    return null;
                }
                if (o != TOMBSTONE && ((Entry) o).id == id) {
                    SLOTS.setRelease(t, i, TOMBSTONE);
                    size--;
                    return o;
                }
                i = (i + 1) & mask;
            }
        }

        /** Removes the least recently touched of a few sampled entries. */
        Object evictOne() {
            Object[] t = table;
            int mask = t.length - 1;
            Entry victim = null;
            for (int n = 0; n < SAMPLE; n++) {
                int i = nextSample() & mask;
                for (int probe = 0; probe < t.length; probe++, i = (i + 1) & mask) {
                    Object o = t[i];
                    if (o != null && o != TOMBSTONE) {
                        Entry e = (Entry) o;
                        if (victim == null || e.lastTouched() < victim.lastTouched()) {
                            victim = e;
                        }
                        break;
                    }
                }
            }
            return victim == null ? null : remove(victim.id, spread(victim.id));
        }

        private int nextSample() {
            int x = sampleSeed;
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            sampleSeed = x;
            return x;
        }

        /** Copies the entries into a fresh array sized for them, dropping tombstones, and publishes it. */
        private void rebuild() {
            int length = 16;
            while (length < size * 4L && length < (1 << 30)) {
                length *= 2;
            }
            Object[] old = table;
            Object[] fresh = new Object[length];
            int mask = length - 1;
            for (Object o : old) {
                if (o != null && o != TOMBSTONE) {
                    int i = (int) spread(((Entry) o).id) & mask;
                    while (fresh[i] != null) {
                        i = (i + 1) & mask;
                    }
                    fresh[i] = o;
                }
            }
            used = size;
            table = fresh;
        }
    }
}
