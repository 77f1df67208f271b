package dev.apikey.admin;

/**
 * A refusal of the admin API, answered as an RFC 9457 problem: its status, a code from docs/ADMIN.md and a
 * detail that names the field and the rule. Carries no secret.
 */
final class AdminProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int status;
    final String code;
    final String title;

    AdminProblem(int status, String code, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
    }

    static AdminProblem badRequest(String detail) {
        return new AdminProblem(400, "malformed_request", "Malformed request", detail);
    }

    static AdminProblem invalid(String detail) {
        return new AdminProblem(422, "invalid_field", "Invalid field", detail);
    }

    static AdminProblem notFound(String keyId) {
        return new AdminProblem(404, "key_not_found", "Key not found", "no key " + keyId);
    }
}
