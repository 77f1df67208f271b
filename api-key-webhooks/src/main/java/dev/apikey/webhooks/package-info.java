/**
 * Key events as signed webhooks (Standard Webhooks): {@link dev.apikey.webhooks.WebhookChannel} delivers them off the
 * request thread to the host's endpoints and to the endpoints tenants register ({@link
 * dev.apikey.webhooks.TenantWebhooks}), the latter only over https to public addresses; {@link
 * dev.apikey.webhooks.WebhookSigner} signs and verifies. docs/WEBHOOKS.md describes the format.
 */
package dev.apikey.webhooks;
