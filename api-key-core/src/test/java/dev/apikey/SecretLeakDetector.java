package dev.apikey;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * A logback appender, attached to the root logger at TRACE for the whole test suite (logback-test.xml),
 * that looks at every log event for anything shaped like a secret: a run of 32 or more base62/base64
 * characters (a key's secret or token, a hash's salt or digest) or a PHC hash. {@link SecretLeakCheck}
 * fails the test during which one was logged.
 */
public final class SecretLeakDetector extends AppenderBase<ILoggingEvent> {

    private static final Pattern SECRET_SHAPED = Pattern.compile("[A-Za-z0-9+/]{32,}|\\$(argon2id|sha256|hmac-sha256)\\$");

    static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    /** Everything an event could print: the message, each argument, each throwable's message. */
    static List<String> texts(ILoggingEvent event) {
        List<String> texts = new ArrayList<>();
        texts.add(event.getFormattedMessage());
        if (event.getArgumentArray() != null) {
            for (Object arg : event.getArgumentArray()) {
                texts.add(String.valueOf(arg));
            }
        }
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            texts.add(String.valueOf(t.getMessage()));
        }
        return texts;
    }

    @Override
    protected void append(ILoggingEvent event) {
        for (String text : texts(event)) {
            if (text != null && SECRET_SHAPED.matcher(text).find()) {
                LEAKS.add(event.getLoggerName() + ": " + event.getFormattedMessage());
            }
        }
    }
}
