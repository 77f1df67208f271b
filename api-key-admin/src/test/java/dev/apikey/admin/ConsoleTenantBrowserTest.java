package dev.apikey.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.apikey.model.Failure;
import dev.apikey.model.KeySpec;
import dev.apikey.model.Tenant;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The console's tenant page (issue 26 §5, tenants.js) in headless Chromium against Jetty: a manager of every tenant
 * sees a tenant's record, suspends and resumes it and sets its plan and cap; a tenant's own admin sees its record only.
 * Skipped, saying why, without Chromium.
 */
class ConsoleTenantBrowserTest extends ConsoleSession {

    private WebElement record() {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tenant-record")));
    }

    private void showTenant(String id) {
        WebElement input = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tenant-id")));
        input.clear();
        input.sendKeys(id);
        browser.findElement(By.id("tenant-show")).click();
    }

    @Test
    void aManagerOfEveryTenantSuspendsResumesAndSetsThePlanAndCap() throws Exception {
        start(null);
        String key = apiKeys.create(KeySpec.builder("k").tenantId("92").scopes("events:read", "webhooks:write")
                .build()).plaintext();
        // A management key of no tenant manages every tenant.
        admin = apiKeys.create(KeySpec.builder("operator").scopes("keys:manage", "events:read", "webhooks:write")
                .build()).plaintext();
        signIn();

        showTenant("92");
        assertThat(record().getText()).contains("active", "any (no plan)", "default", "no record");
        browser.findElement(By.id("tenant-suspend")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#tenant-record .tenant-status"),
                "suspended"));
        assertThat(apiKeys.verify(key, "events:read").failure()).contains(Failure.TENANT_SUSPENDED);
        assertThat(browser.findElement(By.id("tenant-suspend")).isDisplayed()).isFalse();

        browser.findElement(By.id("tenant-resume")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#tenant-record .tenant-status"),
                "active"));
        assertThat(apiKeys.verify(key, "events:read").isGranted()).isTrue();

        browser.findElement(By.cssSelector("#tenant-plan input[value='events:read']")).click();
        browser.findElement(By.id("tenant-cap")).sendKeys("3");
        browser.findElement(By.id("tenant-save")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("tenant-record"), "Version\n3"));
        Tenant t = apiKeys.tenants().get("92").orElseThrow();
        assertThat(t.planScopes()).containsExactly("events:read");
        assertThat(t.maxLiveKeys()).isEqualTo(3);
        assertThat(record().getText()).contains("events:read").doesNotContain("webhooks:write");
        assertThat(apiKeys.verify(key, "webhooks:write").failure()).contains(Failure.SCOPE_NOT_IN_PLAN);

        WebElement cap = browser.findElement(By.id("tenant-cap"));
        cap.clear();
        cap.sendKeys("0");
        browser.findElement(By.id("tenant-save")).click();
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tenant-error")));
        assertThat(error.getText()).contains("max_live_keys");
        assertThat(apiKeys.tenants().get("92").orElseThrow().version()).as("nothing written").isEqualTo(3);
    }

    @Test
    void aTenantsOwnAdminSeesItsRecordButNoChanges() throws Exception {
        start(null);
        apiKeys.tenants().setMaxLiveKeys("92", 7);
        signIn();

        WebElement id = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tenant-id")));
        assertThat(id.getAttribute("value")).as("its one tenant, prefilled").isEqualTo("92");
        browser.findElement(By.id("tenant-show")).click();
        assertThat(record().getText()).contains("Max live keys\n7");
        assertThat(browser.findElement(By.id("tenant-read-only")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("tenant-actions")).isDisplayed()).isFalse();

        showTenant("93");
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("tenant-error")));
        assertThat(error.getText()).contains("93");
    }
}
