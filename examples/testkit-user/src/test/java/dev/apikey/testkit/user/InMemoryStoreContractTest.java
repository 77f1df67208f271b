package dev.apikey.testkit.user;

// README:store-contract:imports:start
import dev.apikey.InMemoryKeyStore;
import dev.apikey.spi.KeyStore;
import dev.apikey.testkit.KeyStoreContract;
// README:store-contract:imports:end

/** The store contract on the in-memory store: the reference the database stores are held to. */
// README:store-contract:start
class InMemoryStoreContractTest extends KeyStoreContract {

    @Override
    protected KeyStore newStore() {
        return new InMemoryKeyStore();   // your store here, empty for each case
    }
}
// README:store-contract:end
