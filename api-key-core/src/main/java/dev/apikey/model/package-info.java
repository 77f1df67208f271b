/**
 * The values of api-key: what a key is ({@link dev.apikey.model.KeySpec} and its patch
 * {@link dev.apikey.model.KeyUpdate}, {@link dev.apikey.model.Allowance}, {@link dev.apikey.model.Tenant}), what is
 * known of it ({@link dev.apikey.model.ApiKeyInfo}, {@link dev.apikey.model.KeyNotice}), what a verify asks and
 * answers ({@link dev.apikey.model.VerifyRequest}, {@link dev.apikey.model.Verification},
 * {@link dev.apikey.model.ApiKeyPrincipal}, {@link dev.apikey.model.Failure}, {@link dev.apikey.model.Check}), the
 * scope catalog and the key format, and the exceptions.
 *
 * <p>Who may use it: hosts, adapters and store or meter authors alike. Every type is immutable. It is the bottom
 * layer of the API: it uses {@code dev.apikey.internal} only, never the SPI or the facade, so a store written
 * against {@code dev.apikey.spi} sees these values and nothing of the engine. What only a verify may make (a
 * principal, a grant) the engine makes through {@link dev.apikey.model.ModelAccess}, which is not API.
 */
package dev.apikey.model;
