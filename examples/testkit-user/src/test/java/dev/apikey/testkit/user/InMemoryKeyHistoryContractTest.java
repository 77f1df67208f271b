package dev.apikey.testkit.user;

import dev.apikey.InMemoryKeyStore;
import dev.apikey.spi.KeyStore;
import dev.apikey.testkit.KeyHistoryContract;

/** The history contract on the in-memory store: the reference the database stores are held to. */
class InMemoryKeyHistoryContractTest extends KeyHistoryContract {

    @Override
    protected KeyStore newStore() {
        return new InMemoryKeyStore();
    }
}
