package dev.apikey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.model.KeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The console a team runs on (issue 31 §2), in headless Chromium against Jetty: every key paged through, sorted by
 * column and filtered by the API; who is signed in, for which tenant, and signing out; dates that do not wrap and
 * the icon. The key dialogs are {@link ConsoleKeyFormBrowserTest}. Skipped, saying why, without Chromium.
 */
class ConsoleTeamBrowserTest extends ConsoleSession {

    @Test
    void everyKeyIsPagedThroughSortedByColumnAndFilteredByTheApi() throws Exception {
        start(null);
        for (int i = 0; i < 260; i++) {
            apiKeys.create(KeySpec.builder(String.format("key-%03d", i)).tenantId("92").scopes("events:read")
                    .build());
        }
        signIn();
        List<String> expected = new ArrayList<>();
        expected.add("console admin");
        for (int i = 0; i < 260; i++) {
            expected.add(String.format("key-%03d", i));
        }
        expected.sort(null);

        assertThat(allPages()).as("by name, ascending, every page").containsExactlyElementsOf(expected);
        assertThat(browser.findElement(By.id("page-number")).getText()).isEqualTo("Page 6");
        clickAndReload(By.id("page-previous"));
        assertThat(names().get(0)).isEqualTo(expected.get(200));

        clickAndReload(By.cssSelector("th[data-sort='name'] button"));
        assertThat(browser.findElement(By.cssSelector("th[data-sort='name']")).getAttribute("aria-sort"))
                .isEqualTo("descending");
        assertThat(browser.findElement(By.id("page-number")).getText()).isEqualTo("Page 1");
        assertThat(names().subList(0, 3)).containsExactly("key-259", "key-258", "key-257");

        clickAndReload(By.cssSelector("th[data-sort='created'] button"));
        assertThat(names().get(0)).as("the oldest first").isEqualTo("console admin");

        browser.findElement(By.id("filter-name")).sendKeys("KEY-25");
        clickAndReload(By.cssSelector("#filters button[type='submit']"));
        // Still sorted by creation (the last header clicked): the same time for many, then by key id.
        assertThat(allPages()).containsExactlyInAnyOrder("key-250", "key-251", "key-252", "key-253", "key-254",
                "key-255", "key-256", "key-257", "key-258", "key-259");
        apiKeys.disable(apiKeys.list(dev.apikey.KeyQuery.tenant("92").nameContains("key-253")).get(0).keyId());
        new Select(browser.findElement(By.id("filter-status"))).selectByVisibleText("disabled");
        clickAndReload(By.cssSelector("#filters button[type='submit']"));
        assertThat(names()).containsExactly("key-253");
    }

    @Test
    void theSignedInCallerAndTenantAreShownPrefilledAndSignOutForgetsTheKey() throws Exception {
        start(null);
        signIn();
        String keyHint = apiKeys.keyFormat().parse(admin).orElseThrow().keyId();

        assertThat(browser.findElement(By.id("who")).getText()).startsWith("Signed in as key:").contains(keyHint);
        assertThat(browser.findElement(By.id("tenants")).getText()).isEqualTo("tenant 92");
        browser.findElement(By.id("new-key")).click();
        assertThat(browser.findElement(By.id("create-tenant")).getAttribute("value")).isEqualTo("92");
        browser.findElement(By.cssSelector("#create-dialog button.cancel")).click();

        browser.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-key")));
        assertThat(browser.findElement(By.id("keys")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("identity")).isDisplayed()).isFalse();
        assertThat(browser.findElements(By.cssSelector("#key-table tbody tr"))).isEmpty();
        assertThat(signOuts).as("no host sign-out configured").isEmpty();
    }

    @Test
    void signOutPostsToTheHostsSignOutWithTheCsrfTokenAndReloads() throws Exception {
        start("/logout");
        signIn();
        browser.manage().addCookie(new org.openqa.selenium.Cookie("XSRF-TOKEN", "t0k3n"));

        browser.findElement(By.id("sign-out")).click();

        wait.until(d -> !signOuts.isEmpty());
        assertThat(signOuts).containsExactly("t0k3n");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("signin-key")));
        assertThat(browser.findElement(By.id("keys")).isDisplayed()).isFalse();
    }

    @Test
    void datesDoNotWrapInANarrowWindowAndTheIconIsServed() throws Exception {
        start(null);
        apiKeys.create(KeySpec.builder("a key with a rather long name that takes room").tenantId("92")
                .scopes("events:read", "webhooks:write").environment("production").owner("someone@example.com")
                .expiresAt(Instant.now().plus(Duration.ofDays(200))).build());
        signIn();
        browser.manage().window().setSize(new Dimension(600, 900));

        for (String column : List.of("created", "expires")) {
            WebElement date = browser.findElement(By.cssSelector("#key-table tbody tr td." + column));
            assertThat(date.getCssValue("white-space")).as(column).isEqualTo("nowrap");
            assertThat(date.getAttribute("title")).as(column).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            Object lines = browser.executeScript("const r = document.createRange(); "
                    + "r.selectNodeContents(arguments[0].firstChild); return r.getClientRects().length;", date);
            assertThat(((Number) lines).intValue()).as(column + " on one line").isEqualTo(1);
        }

        HttpClient http = HttpClient.newHttpClient();
        for (String icon : List.of("/admin/favicon.ico", "/admin/favicon.svg")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + icon))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(icon).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("image/svg+xml"));
            assertThat(r.body()).startsWith("<svg");
        }
        Object status = browser.executeAsyncScript("const done = arguments[0]; "
                + "fetch(document.querySelector('link[rel=icon]').href).then(r => done(r.status), e => done(0));");
        assertThat(((Number) status).intValue()).as("the page's icon, fetched under the page's CSP").isEqualTo(200);
    }
}
