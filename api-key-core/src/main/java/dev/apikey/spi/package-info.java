/**
 * The extension points: a store of keys ({@link dev.apikey.spi.KeyStore}, with the optional capabilities
 * {@link dev.apikey.spi.ChangeFeed}, {@link dev.apikey.spi.ChangePush}, {@link dev.apikey.spi.NoticeLog},
 * {@link dev.apikey.spi.TenantStore} and {@link dev.apikey.spi.UsageStore}: verify counts), a meter of allowances
 * ({@link dev.apikey.spi.Meter}), a secret hasher, a host's access policy, and the listeners and observers of events.
 *
 * <p>Who may use it: authors of a backend or an integration, who implement these interfaces; hosts only to plug
 * one in. It depends on the values of {@code dev.apikey.model} and nothing above them: the rules of the lifecycle
 * (revoked is final, a rotation once) live in the engine, not in a store. The test kit
 * ({@code dev.apikey:api-key-testkit}) holds the contract every store and meter must pass.
 */
package dev.apikey.spi;
