/**
 * The built-in {@link dev.apikey.spi.SecretHasher}s: SHA-256 (the default: keys carry 190 bits of entropy),
 * HMAC-SHA-256 with a pepper, and Argon2id.
 *
 * <p>Who may use it: hosts that choose or configure a hasher. It implements the SPI and uses
 * {@code dev.apikey.internal}; only the facade above it names it.
 */
package dev.apikey.hash;
