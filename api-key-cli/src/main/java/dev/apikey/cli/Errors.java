package dev.apikey.cli;

import dev.apikey.model.ApiKeyException;
import dev.apikey.model.KeyAlreadyRotatedException;
import dev.apikey.model.KeyLimitReachedException;
import dev.apikey.model.KeyNotActiveException;
import dev.apikey.model.KeyNotFoundException;
import dev.apikey.model.ScopeNotGrantableException;
import dev.apikey.model.StaleVersionException;
import dev.apikey.model.TooManyCreatesException;
import dev.apikey.model.UnknownScopeException;
import dev.apikey.spi.KeyStoreException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * One line (or, with {@code --json}, one JSON object {@code {code, message}} on standard output) and an exit
 * code for every failure a command can meet. The codes are listed in docs/JSON.md.
 */
final class Errors {

    private Errors() {
    }

    /** 2 for a bad argument, 1 for anything else. */
    static int exitCode(Exception e) {
        if (e instanceof CliException c) {
            return c.exitCode();
        }
        return e instanceof IllegalArgumentException || e instanceof UnknownScopeException
                || e instanceof IllegalStateException || e instanceof CommandLine.ParameterException ? 2 : 1;
    }

    /** The stable code of a failure, for scripts. */
    static String code(Exception e) {
        if (e instanceof CliException c) {
            return c.code();
        }
        if (e instanceof CommandLine.ParameterException || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException) {
            return "bad_argument";
        }
        if (e instanceof UnknownScopeException) {
            return "unknown_scope";
        }
        if (e instanceof KeyNotFoundException) {
            return "key_not_found";
        }
        if (e instanceof KeyAlreadyRotatedException) {
            return "key_already_rotated";
        }
        if (e instanceof KeyNotActiveException) {
            return "key_not_active";
        }
        if (e instanceof KeyStoreException) {
            return "store_failed";
        }
        // The management rules' refusals, named as the admin API names them.
        if (e instanceof KeyLimitReachedException) {
            return "key_limit_reached";
        }
        if (e instanceof TooManyCreatesException) {
            return "too_many_creates";
        }
        if (e instanceof ScopeNotGrantableException) {
            return "scope_not_grantable";
        }
        if (e instanceof dev.apikey.model.ScopeNotInPlanException) {
            return "scope_not_in_plan";
        }
        if (e instanceof StaleVersionException) {
            return "precondition_failed";
        }
        return "failed";
    }

    static String describe(Exception e) {
        if (e instanceof KeyStoreException) {
            return "the key store failed: " + e.getMessage();
        }
        if (e instanceof KeyLimitReachedException k) {
            return "tenant " + k.tenantId() + " already has " + k.limit() + " live keys (active or disabled), its "
                    + "limit: revoke the keys it no longer needs (apikey list --tenant " + k.tenantId()
                    + "; apikey revoke <key-id>), then create again";
        }
        if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
            // The library names its Java fields (expiresAt); the user typed a flag (--expires).
            return Flags.translate(e.getMessage());
        }
        if (e instanceof CommandLine.ParameterException p && p.getCommandLine() != null) {
            // picocli's own words (Missing required options, Unknown option), and where the right ones are listed.
            return p.getMessage() + " (" + p.getCommandLine().getCommandSpec().qualifiedName() + " --help lists them)";
        }
        if (e instanceof ApiKeyException || e instanceof CliException || e instanceof CommandLine.ParameterException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** Prints the failure the way the command line asked for, and returns its exit code. */
    static int report(Exception e, boolean json, PrintWriter out, PrintWriter err) {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", code(e));
            m.put("message", describe(e));
            Output.json(out, m);
        } else {
            err.println("apikey: " + describe(e));
        }
        return exitCode(e);
    }
}
