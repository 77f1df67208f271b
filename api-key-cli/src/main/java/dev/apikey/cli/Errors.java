package dev.apikey.cli;

import dev.apikey.ApiKeyException;
import dev.apikey.KeyNotActiveException;
import dev.apikey.KeyNotFoundException;
import dev.apikey.UnknownScopeException;
import dev.apikey.spi.KeyStoreException;

/** One line and an exit code for every failure a command can meet. */
final class Errors {

    private Errors() {
    }

    /** 2 for a bad argument, 1 for anything else. */
    static int exitCode(Exception e) {
        return e instanceof IllegalArgumentException || e instanceof UnknownScopeException
                || e instanceof IllegalStateException ? 2 : 1;
    }

    static String describe(Exception e) {
        if (e instanceof KeyStoreException) {
            return "the key store failed: " + e.getMessage();
        }
        if (e instanceof KeyNotFoundException || e instanceof KeyNotActiveException || e instanceof ApiKeyException
                || e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
