package dev.apikey.cli;

import java.nio.charset.Charset;

/**
 * A row of eight-level bars for a series of counts, readable without colour: Unicode blocks where the terminal's
 * charset has them, else ASCII. A series longer than the width is summed into that many groups.
 */
final class Sparkline {

    private static final String BLOCKS = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588";
    private static final String ASCII = "_.-~=+*#";
    /** The most characters a line holds. */
    static final int WIDTH = 60;

    private Sparkline() {
    }

    /** {@return the bars of {@code values}, a space for a zero, in this JVM's charset} */
    static String of(long[] values) {
        return of(values, Charset.defaultCharset().newEncoder().canEncode(BLOCKS));
    }

    /** {@return the bars of {@code values}: blocks if {@code unicode}, else ASCII; a space for a zero} */
    static String of(long[] values, boolean unicode) {
        long[] groups = group(values);
        long max = 0;
        for (long v : groups) {
            max = Math.max(max, v);
        }
        String levels = unicode ? BLOCKS : ASCII;
        StringBuilder line = new StringBuilder(groups.length);
        for (long v : groups) {
            line.append(v == 0 ? ' ' : levels.charAt((int) Math.min(7, (v * 8 - 1) / max)));
        }
        return line.toString();
    }

    private static long[] group(long[] values) {
        if (values.length <= WIDTH) {
            return values;
        }
        int per = (values.length + WIDTH - 1) / WIDTH;
        long[] groups = new long[(values.length + per - 1) / per];
        for (int i = 0; i < values.length; i++) {
            groups[i / per] += values[i];
        }
        return groups;
    }
}
