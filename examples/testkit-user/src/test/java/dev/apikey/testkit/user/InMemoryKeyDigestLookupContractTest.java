package dev.apikey.testkit.user;

import dev.apikey.InMemoryKeyStore;
import dev.apikey.spi.KeyStore;
import dev.apikey.testkit.KeyDigestLookupContract;

/** The legacy digest look-up contract on the in-memory store: the reference the database stores are held to. */
class InMemoryKeyDigestLookupContractTest extends KeyDigestLookupContract {

    @Override
    protected KeyStore newStore() {
        return new InMemoryKeyStore();
    }
}
