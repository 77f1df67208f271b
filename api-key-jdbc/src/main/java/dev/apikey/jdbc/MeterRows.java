package dev.apikey.jdbc;

import dev.apikey.Quota;
import dev.apikey.RateLimit;
import dev.apikey.spi.MeterMath;
import dev.apikey.spi.Metered;
import java.util.Collections;

/**
 * The rows of {@link JdbcMeter}: its statements, and the arithmetic on a row {@code {win, level, at_ms}} (a rate
 * limit's token units, debt and last time; a quota's window, count and last time).
 */
final class MeterRows {

    private MeterRows() {
    }

    /** An upsert of n rows that locks each (the no-op update) and returns it; a new row is inserted empty. */
    static String lockSql(String table, int n) {
        return "INSERT INTO " + table + " AS m (subject, allowance, win, level, at_ms) VALUES "
                + String.join(", ", Collections.nCopies(n, "(?, ?, ?, 0, ?)"))
                + " ON CONFLICT (subject, allowance) DO UPDATE SET subject = m.subject"
                + " RETURNING subject, allowance, win, level, at_ms";
    }

    /** One update of n rows: subject, allowance, win, level, at_ms each. */
    static String updateSql(String table, int n) {
        return "UPDATE " + table + " AS m SET win = v.win, level = v.level, at_ms = v.at_ms FROM (VALUES "
                + String.join(", ", Collections.nCopies(n, "(?, ?, ?::bigint, ?::bigint, ?::bigint)"))
                + ") AS v (subject, allowance, win, level, at_ms)"
                + " WHERE m.subject = v.subject AND m.allowance = v.allowance";
    }

    /** Checks one allowance against its row {win, level, at}, leaving the row it would write in {@code next}. */
    static long check(Metered m, long[] row, long cost, long now, long[] next) {
        if (m.allowance() instanceof RateLimit r) {
            long debt = MeterMath.debtAt(row[1], row[0], row[2], now, r);
            next[0] = MeterMath.tokenUnits(r);
            next[1] = debt + cost * next[0];
            next[2] = Math.max(row[2], now);
            return MeterMath.rateWait(debt, cost, r);
        }
        Quota q = (Quota) m.allowance();
        long window = MeterMath.window(q, now);
        long used = window > row[0] ? 0 : row[1];
        next[0] = Math.max(window, row[0]);
        next[1] = used + cost;
        next[2] = Math.max(row[2], now);
        return MeterMath.quotaWait(used, cost, q, now);
    }

    /** The units used at {@code now} of a row. */
    static long used(Metered metered, long win, long level, long at, long now) {
        if (metered.allowance() instanceof RateLimit r) {
            return MeterMath.rateUsed(MeterMath.debtAt(level, win, at, now, r), r);
        }
        Quota q = (Quota) metered.allowance();
        return MeterMath.window(q, now) > win ? 0 : Math.min(q.calls(), level);
    }
}
