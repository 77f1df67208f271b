package dev.apikey.jdbc;

import dev.apikey.model.Quota;
import dev.apikey.model.RateLimit;
import dev.apikey.spi.MeterMath;
import dev.apikey.spi.Metered;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * A rate limit spent in one statement: an upsert that writes only where the bucket has room and returns the row
     * when it did; {@link MeterMath#debtAt} in SQL. Parameters: subject, allowance, token units, cost in units, now,
     * then capacity, period and millisecond units twice, and capacity.
     */
    static String oneRateSql(String table) {
        String debt = "GREATEST(0, LEAST(?, CASE WHEN m.win = EXCLUDED.win OR m.win <= 0 THEN m.level"
                + " ELSE CEIL(m.level::numeric * EXCLUDED.win / m.win)::bigint END)"
                + " - LEAST(GREATEST(EXCLUDED.at_ms - m.at_ms, 0), ?) * ?)";
        return "INSERT INTO " + table + " AS m (subject, allowance, win, level, at_ms) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (subject, allowance) DO UPDATE SET win = EXCLUDED.win, level = " + debt
                + " + EXCLUDED.level, at_ms = GREATEST(m.at_ms, EXCLUDED.at_ms) WHERE " + debt
                + " + EXCLUDED.level <= ? RETURNING level";
    }

    /**
     * A quota spent in one statement, as {@link #oneRateSql}: a later window starts at 0, an earlier one counts on in
     * the stored one. Parameters: subject, allowance, window, cost, now, limit.
     */
    static String oneQuotaSql(String table) {
        String used = "CASE WHEN EXCLUDED.win > m.win THEN 0 ELSE m.level END";
        return "INSERT INTO " + table + " AS m (subject, allowance, win, level, at_ms) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (subject, allowance) DO UPDATE SET win = GREATEST(m.win, EXCLUDED.win), level = "
                + used + " + EXCLUDED.level, at_ms = GREATEST(m.at_ms, EXCLUDED.at_ms) WHERE " + used
                + " + EXCLUDED.level <= ? RETURNING level";
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

    /** {@return the allowance column: kind and name, e.g. {@code r:burst} or {@code qd:daily}} */
    static String column(Metered m) {
        return m.kind() + ":" + m.allowance().name();
    }

    /** Binds {@link #oneRateSql} or {@link #oneQuotaSql}. */
    static void bindOne(PreparedStatement ps, Metered m, long cost, long now) throws SQLException {
        ps.setString(1, m.subject());
        ps.setString(2, column(m));
        ps.setLong(5, now);
        if (m.allowance() instanceof RateLimit r) {
            long units = MeterMath.tokenUnits(r);
            ps.setLong(3, units);
            ps.setLong(4, cost * units);
            for (int p = 6; p <= 9; p += 3) {
                ps.setLong(p, MeterMath.capacityUnits(r));
                ps.setLong(p + 1, r.period().toMillis());
                ps.setLong(p + 2, MeterMath.millisUnits(r));
            }
            ps.setLong(12, MeterMath.capacityUnits(r));
        } else {
            Quota q = (Quota) m.allowance();
            ps.setLong(3, MeterMath.window(q, now));
            ps.setLong(4, cost);
            ps.setLong(6, q.calls());
        }
    }

    /** Binds {@link #lockSql}: the batch in lock order, each row as inserted when new (empty). */
    static void bindLock(PreparedStatement ps, List<Metered> batch, Integer[] order, long now) throws SQLException {
        int p = 1;
        for (Integer i : order) {
            Metered m = batch.get(i);
            ps.setString(p++, m.subject());
            ps.setString(p++, column(m));
            ps.setLong(p++, m.allowance() instanceof RateLimit r ? MeterMath.tokenUnits(r)
                    : MeterMath.window((Quota) m.allowance(), now));
            ps.setLong(p++, now);
        }
    }

    /** Binds {@link #updateSql}: each allowance's next row. */
    static void bindUpdate(PreparedStatement ps, List<Metered> batch, long[][] next) throws SQLException {
        int p = 1;
        for (int i = 0; i < batch.size(); i++) {
            ps.setString(p++, batch.get(i).subject());
            ps.setString(p++, column(batch.get(i)));
            ps.setLong(p++, next[i][0]);
            ps.setLong(p++, next[i][1]);
            ps.setLong(p++, next[i][2]);
        }
    }

    /** {@return the batch's indexes in the order its rows are locked: by subject, then allowance} */
    static Integer[] lockOrder(List<Metered> batch) {
        Integer[] order = new Integer[batch.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparing((Integer i) -> batch.get(i).subject())
                .thenComparing(i -> column(batch.get(i))));
        return order;
    }

    /** {@return the rows {@link #lockSql} returned, {win, level, at_ms} by subject and allowance} */
    static Map<String, long[]> byKey(ResultSet rs) throws SQLException {
        Map<String, long[]> rows = new HashMap<>();
        while (rs.next()) {
            rows.put(rs.getString(1) + " " + rs.getString(2), new long[] {rs.getLong(3), rs.getLong(4), rs.getLong(5)});
        }
        return rows;
    }

    /** {@return the row {win, level, at_ms} of one allowance, or null if it has none} */
    static long[] read(Connection c, String usedSql, Metered m) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(usedSql)) {
            ps.setString(1, m.subject());
            ps.setString(2, column(m));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)} : null;
            }
        }
    }
}
