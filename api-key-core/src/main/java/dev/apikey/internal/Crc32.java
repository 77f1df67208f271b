package dev.apikey.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * CRC-32 (IEEE 802.3, the checksum of {@code java.util.zip.CRC32}) of a short byte range, eight bytes a step
 * ("slicing-by-8"). On the 49 bytes a tenant key's checksum covers it took ~42 ns where {@code java.util.zip.CRC32},
 * whose intrinsic folds 16-byte blocks and then goes byte by byte, took ~60 ns ({@code HitPartsBenchmark}); it
 * allocates nothing and keeps no state.
 *
 * <p>Not API. Thread-safe: a pure function over constant tables.
 */
public final class Crc32 {

    /** Eight tables of 256 entries, one after the other: table k gives the CRC of a byte followed by k zeros. */
    private static final int[] TABLE = new int[8 * 256];
    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    static {
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
            }
            TABLE[n] = c;
        }
        for (int n = 0; n < 256; n++) {
            int c = TABLE[n];
            for (int k = 1; k < 8; k++) {
                c = TABLE[c & 0xff] ^ (c >>> 8);
                TABLE[k * 256 + n] = c;
            }
        }
    }

    private Crc32() {
    }

    /**
     * The CRC-32 of {@code b[from, to)}, as {@code java.util.zip.CRC32.getValue()} would give it.
     *
     * @throws IndexOutOfBoundsException if the range is not within {@code b}
     */
    public static long of(byte[] b, int from, int to) {
        java.util.Objects.checkFromToIndex(from, to, b.length);
        int crc = 0xFFFFFFFF;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            int one = (int) INT_LE.get(b, i) ^ crc;
            int two = (int) INT_LE.get(b, i + 4);
            crc = TABLE[7 * 256 + (one & 0xff)]
                    ^ TABLE[6 * 256 + ((one >>> 8) & 0xff)]
                    ^ TABLE[5 * 256 + ((one >>> 16) & 0xff)]
                    ^ TABLE[4 * 256 + (one >>> 24)]
                    ^ TABLE[3 * 256 + (two & 0xff)]
                    ^ TABLE[2 * 256 + ((two >>> 8) & 0xff)]
                    ^ TABLE[256 + ((two >>> 16) & 0xff)]
                    ^ TABLE[two >>> 24];
        }
        for (; i < to; i++) {
            crc = TABLE[(crc ^ b[i]) & 0xff] ^ (crc >>> 8);
        }
        return ~crc & 0xFFFFFFFFL;
    }
}
