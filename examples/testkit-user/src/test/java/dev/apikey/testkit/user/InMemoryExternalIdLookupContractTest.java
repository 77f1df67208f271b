package dev.apikey.testkit.user;

import dev.apikey.InMemoryKeyStore;
import dev.apikey.spi.KeyStore;
import dev.apikey.testkit.ExternalIdLookupContract;

/** The external id look-up contract (imports) on the in-memory store: the reference the database stores are held to. */
class InMemoryExternalIdLookupContractTest extends ExternalIdLookupContract {

    @Override
    protected KeyStore newStore() {
        return new InMemoryKeyStore();
    }
}
