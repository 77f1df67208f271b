/**
 * api-key core: key format, hashing, scopes, the verifier and its cache, key lifecycle, and the store SPI.
 * {@code dev.apikey} is the facade, {@code dev.apikey.model} the values, {@code dev.apikey.spi} the extension
 * points, {@code dev.apikey.hash} the built-in hashers; {@code dev.apikey.internal} is not API. Each package's
 * {@code package-info.java} says what it is for, who may use it and which packages it may use.
 */
module dev.apikey.core {
    requires org.slf4j;
    requires com.github.benmanes.caffeine;
    requires de.mkammerer.argon2.nolibs;
    requires de.mkammerer.argon2;

    exports dev.apikey;
    exports dev.apikey.model;
    exports dev.apikey.hash;
    exports dev.apikey.spi;
}
