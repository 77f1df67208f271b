package dev.apikey.testkit;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A logback appender, attached to the root logger at TRACE for the whole test suite (logback-test.xml),
 * that looks at every log event for anything {@link SecretShapes} calls secret-shaped. {@link SecretLeakCheck}
 * fails the test during which one was logged.
 */
public final class SecretLeakDetector extends AppenderBase<ILoggingEvent> {

    public static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    /** {@return the leaks seen since the last call, forgetting them: for a test that logs one on purpose} */
    public static List<String> drain() {
        List<String> seen = List.copyOf(LEAKS);
        LEAKS.removeAll(seen);
        return seen;
    }

    /** Everything an event could print: the message, each argument, each throwable's message. */
    public static List<String> texts(ILoggingEvent event) {
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
            if (text != null && SecretShapes.in(text)) {
                LEAKS.add(event.getLoggerName() + ": " + event.getFormattedMessage());
                return;
            }
        }
    }
}
