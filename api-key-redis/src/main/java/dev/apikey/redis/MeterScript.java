package dev.apikey.redis;

/**
 * The Lua script of {@link RedisMeter}: the arithmetic of {@code dev.apikey.spi.MeterMath} on each allowance's
 * hash ({@code l}: debt or count, {@code w}: token units or window, {@code t}: time of the last spend), checking
 * all before taking from any. Redis runs a script atomically, so the check and the take see the same counts.
 */
final class MeterScript {

    /**
     * KEYS: one hash per allowance. ARGV: now (ms), cost, then six per allowance: kind ({@code r} or {@code q}), then
     * for a rate limit its token units, millisecond units, capacity units and period (ms); for a quota its limit, the
     * window of now, the milliseconds until it ends and 0; last the expiry (ms). Answers {index, wait}: {-1, 0} when
     * granted, else the most constrained allowance's index (0-based) and milliseconds until it has room.
     */
    static final String SPEND = String.join("\n",
            "local now = tonumber(ARGV[1])",
            "local cost = tonumber(ARGV[2])",
            "local worst, worstWait = -1, 0",
            "local nl, nw, nt = {}, {}, {}",
            "for i = 1, #KEYS do",
            "  local b = 2 + (i - 1) * 6",
            "  local kind = ARGV[b + 1]",
            "  local a, c, d, e = tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3]), tonumber(ARGV[b + 4]),"
                    + " tonumber(ARGV[b + 5])",
            "  local s = redis.call('HMGET', KEYS[i], 'l', 'w', 't')",
            "  local level = tonumber(s[1]) or 0",
            "  local win = tonumber(s[2])",
            "  local at = tonumber(s[3]) or now",
            "  local wait = 0",
            "  if kind == 'r' then",
            "    if win and win > 0 and win ~= a then level = math.ceil(level * a / win) end",
            "    if level > d then level = d end",
            "    local elapsed = now - at",
            "    if elapsed > 0 then level = math.max(0, level - math.min(elapsed, e) * c) end",
            "    local after = level + cost * a",
            "    if after > d then wait = math.ceil((after - d) / c) end",
            "    nl[i] = after",
            "    nw[i] = a",
            "  else",
            "    if win == nil or c > win then level = 0; win = c end",
            "    if level + cost > a then wait = d end",
            "    nl[i] = level + cost",
            "    nw[i] = win",
            "  end",
            "  nt[i] = math.max(at, now)",
            "  if wait > worstWait then worst = i - 1; worstWait = wait end",
            "end",
            "if worst >= 0 then return {worst, worstWait} end",
            "for i = 1, #KEYS do",
            // %.0f: a Lua number as a whole decimal, never in exponent form (Redis would write 1e+15).
            "  redis.call('HSET', KEYS[i], 'l', string.format('%.0f', nl[i]), 'w', string.format('%.0f', nw[i]),"
                    + " 't', string.format('%.0f', nt[i]))",
            "  redis.call('PEXPIRE', KEYS[i], ARGV[2 + (i - 1) * 6 + 6])",
            "end",
            "return {-1, 0}");

    private MeterScript() {
    }
}
