package dev.apikey.testkit.user;

import dev.apikey.InMemoryKeyStore;
import dev.apikey.spi.KeyStore;
import dev.apikey.testkit.KeyStoreContract;

/** The store contract on the in-memory store: the reference the database stores are held to. */
class InMemoryStoreContractTest extends KeyStoreContract {

    @Override
    protected KeyStore newStore() {
        return new InMemoryKeyStore();
    }
}
