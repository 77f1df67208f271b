package dev.apikey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.apikey.ApiKeys;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** {@code apikey.history-retention}: how long a key's history is kept, range-checked and named in its refusal. */
class HistoryRetentionPropertyTest {

    /** Starts a quiet non-web context with this retention. */
    private static ConfigurableApplicationContext start(String retention) {
        return new SpringApplicationBuilder(BadPropertiesTest.App.class).web(WebApplicationType.NONE)
                .properties(Map.of("apikey.prefix", "wlcro", "apikey.scopes.[events:read]", "Read events",
                        "apikey.history-retention", retention, "spring.main.banner-mode", "off",
                        "logging.level.root", "off", "spring.autoconfigure.exclude",
                        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"))
                .run();
    }

    @Test
    void theRetentionIsSetFromItsPropertyAndAWrongOneFailsTheStartNamingIt() {
        try (ConfigurableApplicationContext context = start("30d")) {
            assertThat(context.getBean(ApiKeys.class).history().retention()).isEqualTo(Duration.ofDays(30));
        }

        Throwable failure = catchThrowable(() -> start("1h").close());

        StringBuilder messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        assertThat(messages).contains(
                "apikey.history-retention: historyRetention must be between PT24H and PT87600H, was PT1H");
    }
}
