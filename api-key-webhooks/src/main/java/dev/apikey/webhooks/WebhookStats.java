package dev.apikey.webhooks;

/**
 * What a {@link WebhookChannel} has done since it started.
 *
 * @param delivered messages a receiver answered with 2xx
 * @param retried   attempts that failed and were scheduled again
 * @param gaveUp    messages given up: out of attempts, or answered with a status that asks not to retry (3xx,
 *                  4xx other than 408, 425 and 429)
 * @param dropped   messages never queued because the queue was full or the channel closed
 * @param refused   deliveries to a tenant's endpoint refused because its host resolved to a non-public address
 *                  at delivery time
 */
public record WebhookStats(long delivered, long retried, long gaveUp, long dropped, long refused) {
}
