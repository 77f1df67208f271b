package dev.apikey.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.apikey.ApiKeys;
import dev.apikey.json.KeyJson;
import dev.apikey.model.Tenant;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's tenant endpoints: {@code GET /tenants/{id}} (a tenant's record: status, plan, cap of live keys,
 * shared allowances, countries), read by a caller that manages the tenant; {@code PUT /tenants/{id}} (any of those
 * members, all written at once) and {@code POST /tenants/{id}/suspend} and {@code /resume}, only by a caller that
 * manages every tenant: a tenant's admin does not raise its own plan or lift its own suspension. A tenant the caller
 * does not manage is answered 404, as if it did not exist.
 *
 * <p>Package-private; made per request by {@link AdminApi}, which writes the answers and the problems.
 */
final class TenantEndpoint {

    /** The actions on a tenant, {@code POST /tenants/{id}/<action>}. */
    static final Set<String> ACTIONS = Set.of("suspend", "resume");

    private static final Logger AUDIT = LoggerFactory.getLogger("dev.apikey.admin.audit");

    private final ApiKeys apiKeys;

    TenantEndpoint(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
    }

    /** {@code GET} or {@code PUT /tenants/{id}}: the record, as it is or after the change. */
    JsonNode record(String method, Caller caller, String tenantId, Supplier<JsonNode> body) {
        requireVisible(caller, tenantId);
        if (AdminApi.allow(method, "GET", "PUT").equals("GET")) {
            return KeyJson.writeTenant(tenantId, apiKeys.tenants().get(tenantId).orElse(null));
        }
        requireAllTenants(caller);
        // Every member is read and checked before any is written, and all are written at once: a bad one changes
        // nothing.
        KeyJson.TenantChange change = KeyJson.readTenant(body.get());
        Tenant after = apiKeys.tenants().update(tenantId, change::applyTo);
        AUDIT.info("event=admin_tenant actor=\"{}\" tenant={} status={} plan={} max_live_keys={} allowances={} "
                + "countries={}", caller.actor(), tenantId, after.status(), after.planScopes(), after.maxLiveKeys(),
                after.allowances(), after.allowedCountries());
        return KeyJson.writeTenant(tenantId, after);
    }

    /** {@code POST /tenants/{id}/suspend} or {@code /resume}: the record after it. */
    JsonNode action(String method, Caller caller, String tenantId, String action, Supplier<JsonNode> body) {
        requireVisible(caller, tenantId);
        AdminApi.allow(method, "POST");
        requireAllTenants(caller);
        KeyRequests.noFields(body.get(), action);
        Tenant after = action.equals("suspend") ? apiKeys.tenants().suspend(tenantId)
                : apiKeys.tenants().resume(tenantId);
        AUDIT.info("event=admin_tenant_{} actor=\"{}\" tenant={}", action, caller.actor(), tenantId);
        return KeyJson.writeTenant(tenantId, after);
    }

    private static void requireVisible(Caller caller, String tenantId) {
        if (!tenantId.matches("[A-Za-z0-9-]{1,36}") || !caller.mayManage(tenantId)) {
            throw new AdminProblem(404, "not_found", "Not found", "no tenant " + (tenantId.length() > 36
                    ? tenantId.substring(0, 36) + "..." : tenantId) + " this caller manages");
        }
    }

    private static void requireAllTenants(Caller caller) {
        if (!caller.allTenants()) {
            throw new AdminProblem(403, "tenant_not_managed", "Tenant not managed",
                    "only a caller that manages every tenant changes a tenant's record (status, plan, cap, shared "
                            + "allowances, countries)");
        }
    }
}
