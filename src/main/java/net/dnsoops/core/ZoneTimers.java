package net.dnsoops.core;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How a zone's SOA timers become check times, like a secondary: REFRESH after success, RETRY
 * after failure, EXPIRE counted from the last success; each clamped to operator limits, refresh
 * and retry shortened by up to {@code jitter} so that many zones do not check in lockstep.
 *
 * @param initialRetry    retry interval before the first successful check (no SOA known yet)
 * @param expireWarning   how long before expiry zone-expiring is raised (at most half the EXPIRE)
 * @param refreshFailures consecutive failed checks before zone-refresh-failed is raised
 * @param minCheckInterval a zone is not queried more often than this, however many NOTIFYs come
 *                        (the last one is still followed by a check); like BIND's serial-query-rate
 */
public record ZoneTimers(Duration minRefresh, Duration maxRefresh, Duration minRetry, Duration maxRetry,
                         Duration minExpire, Duration maxExpire, Duration initialRetry, Duration expireWarning,
                         double jitter, int refreshFailures, Duration minCheckInterval) {

    public long refreshMillis(long soaRefreshSeconds, RandomGenerator random) {
        return jittered(clamp(soaRefreshSeconds, minRefresh, maxRefresh), random);
    }

    public long retryMillis(long soaRetrySeconds, RandomGenerator random) {
        return jittered(clamp(soaRetrySeconds, minRetry, maxRetry), random);
    }

    public long initialRetryMillis(RandomGenerator random) {
        return jittered(initialRetry.toMillis(), random);
    }

    public long expireMillis(long soaExpireSeconds) {
        return clamp(soaExpireSeconds, minExpire, maxExpire);
    }

    /** The warning period for an expire interval: the configured one, but at most half of it. */
    public long warningMillis(long expireMillis) {
        return Math.min(expireWarning.toMillis(), expireMillis / 2);
    }

    private static long clamp(long seconds, Duration min, Duration max) {
        long ms = Math.multiplyExact(Math.max(0, seconds), 1000L);
        return Math.max(min.toMillis(), Math.min(max.toMillis(), ms));
    }

    private long jittered(long ms, RandomGenerator random) {
        if (jitter <= 0) return ms;
        return ms - (long) (ms * jitter * random.nextDouble());
    }
}
