package dev.apikey.cli;

import dev.apikey.ApiKeys;
import dev.apikey.model.ApiKeyInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code apikey disable} and {@code apikey enable}: the reversible switch beside the final revoke. */
abstract class SwitchCommand extends KeyCommand implements Callable<Integer> {

    @Parameters(paramLabel = "<key-id>", description = "The key id (8 characters) or the key's hint.")
    String keyId;

    /** Switches the key; returns it after. */
    abstract ApiKeyInfo apply(ApiKeys apiKeys, String id);

    /** Whether the key is in the state the command leads to already. */
    abstract boolean isDone(ApiKeyInfo key);

    abstract String verb();

    @Override
    public Integer call() {
        String id = keyIdOf(keyId, cli.prefix);
        try (KeyStoreSession session = cli.open()) {
            requireHintMatches(keyId, id, session.apiKeys);
            boolean done = session.apiKeys.get(id).map(this::isDone).orElse(false);
            ApiKeyInfo info = apply(session.apiKeys, id);
            printStateChange(info, verb(), info.disabledAt(), done);
            return 0;
        }
    }

    /** {@code apikey disable}. */
    @Command(name = "disable", description = "Disable a key: refused with disabled_api_key until enabled again. A "
            + "key disabled already is left as it is (exit code 0, with a note).", footerHeading = "%nExamples:%n",
            footer = {"  apikey disable wlcro_92_3kTz9QbC", "  apikey enable wlcro_92_3kTz9QbC", "",
                KeyCommand.STORE_OPTIONS})
    static final class Disable extends SwitchCommand {
        @Override
        ApiKeyInfo apply(ApiKeys apiKeys, String id) {
            return apiKeys.manage(ACTOR).disable(id);
        }

        @Override
        boolean isDone(ApiKeyInfo key) {
            return key.disabledAt().isPresent();
        }

        @Override
        String verb() {
            return "disabled";
        }
    }

    /** {@code apikey enable}. */
    @Command(name = "enable", description = "Enable a disabled key again. A key enabled already is left as it is "
            + "(exit code 0, with a note).", footerHeading = "%nExamples:%n",
            footer = {"  apikey enable wlcro_92_3kTz9QbC", "  apikey --json enable 3kTz9QbC", "",
                KeyCommand.STORE_OPTIONS})
    static final class Enable extends SwitchCommand {
        @Override
        ApiKeyInfo apply(ApiKeys apiKeys, String id) {
            return apiKeys.manage(ACTOR).enable(id);
        }

        @Override
        boolean isDone(ApiKeyInfo key) {
            return key.disabledAt().isEmpty();
        }

        @Override
        String verb() {
            return "enabled";
        }
    }
}
