package dev.apikey.jdbc;

import dev.apikey.InMemoryKeyStore;
import dev.apikey.spi.KeyStore;

/** The contract on the in-memory store, the reference the database stores are held to. */
class InMemoryStoreContractTest extends KeyStoreContract {

    @Override
    KeyStore newStore() {
        return new InMemoryKeyStore();
    }
}
