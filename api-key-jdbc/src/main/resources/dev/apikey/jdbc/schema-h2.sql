-- api-key: the key table for H2 (2.x). JdbcKeyStore.createSchemaIfMissing() runs this with
-- "api_keys" replaced by the configured table name.
CREATE SEQUENCE IF NOT EXISTS api_keys_change_seq;

CREATE TABLE IF NOT EXISTS api_keys (
    key_id               VARCHAR(8)               NOT NULL,
    tenant_id            VARCHAR(36),
    name                 VARCHAR(100)             NOT NULL,
    secret_hash          VARCHAR(512)             NOT NULL,
    scopes               TEXT                     NOT NULL,
    created_utc          TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_utc          TIMESTAMP WITH TIME ZONE,
    revoked_utc          TIMESTAMP WITH TIME ZONE,
    disabled_utc         TIMESTAMP WITH TIME ZONE,
    last_used_utc        TIMESTAMP WITH TIME ZONE,
    metadata             TEXT                     NOT NULL,
    environment          VARCHAR(32),
    owner                VARCHAR(200),
    rotate_by_utc        TIMESTAMP WITH TIME ZONE,
    allowed_cidrs        TEXT                     NOT NULL,
    rate_limit_requests  BIGINT,
    rate_limit_period_ms BIGINT,
    replaced_by          VARCHAR(8),
    quota_calls          BIGINT,
    quota_period         VARCHAR(5),
    lineage_id           VARCHAR(8),
    allowances           TEXT,
    allowed_countries    TEXT,
    version              BIGINT                   DEFAULT 1 NOT NULL,
    change_seq           BIGINT                   NOT NULL,
    CONSTRAINT api_keys_pk PRIMARY KEY (key_id)
);

CREATE INDEX IF NOT EXISTS api_keys_tenant_idx ON api_keys (tenant_id);
CREATE INDEX IF NOT EXISTS api_keys_change_seq_idx ON api_keys (change_seq);
CREATE INDEX IF NOT EXISTS api_keys_expires_idx ON api_keys (expires_utc);
CREATE INDEX IF NOT EXISTS api_keys_rotate_by_idx ON api_keys (rotate_by_utc);
-- The admin list pages in key id order: one tenant's page read from this index without sorting the tenant.
CREATE INDEX IF NOT EXISTS api_keys_tenant_key_idx ON api_keys (tenant_id, key_id);

-- Warnings sent (expiry, rotate-by, unused), one row per key and warning, so that each is sent once across
-- every instance: the primary key decides which instance sends it.
CREATE TABLE IF NOT EXISTS api_keys_notices (
    key_id   VARCHAR(8)               NOT NULL,
    notice   VARCHAR(200)             NOT NULL,
    sent_utc TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT api_keys_notices_pk PRIMARY KEY (key_id, notice)
);

-- Tenants' own records: the allowances their keys share (issue 25), as JSON in the codec's shape.
CREATE TABLE IF NOT EXISTS api_keys_tenants (
    tenant_id  VARCHAR(36) NOT NULL,
    allowances TEXT        NOT NULL,
    allowed_countries TEXT,
    version    BIGINT      NOT NULL,
    CONSTRAINT api_keys_tenants_pk PRIMARY KEY (tenant_id)
);

-- Columns added after the first snapshot: an older table gets them here, empty for its keys. The rotation link:
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS replaced_by VARCHAR(8);
-- Disable and enable (0.x, issue "keys that stay healthy"):
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS disabled_utc TIMESTAMP WITH TIME ZONE;
-- Quotas (issue "many instances"):
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS quota_calls BIGINT;
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS quota_period VARCHAR(5);
-- The rotation lineage, which a rotated key's quota and rate limit are counted under (issue 30):
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS lineage_id VARCHAR(8);
-- A key's allowances, named rate limits and quotas, as JSON (issue 25). Rows from before keep theirs in
-- rate_limit_* and quota_* until they are next written:
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS allowances TEXT;
-- A key's version, one more at each change of state or attributes (issue 25):
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS version BIGINT DEFAULT 1 NOT NULL;
-- Allowed countries, ISO 3166-1 alpha-2 codes as a JSON array, NULL for anywhere (issue 26), of a key and of a
-- tenant:
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS allowed_countries TEXT;
ALTER TABLE api_keys_tenants ADD COLUMN IF NOT EXISTS allowed_countries TEXT;

-- history (issue 26 §3): every lifecycle event of a key (created, edited, rotated, disabled, enabled, revoked, leak
-- reported, hash upgraded, warned), inserted in the transaction of its change. No secret or hash is ever written
-- here: details holds an edit's changed attributes and the event's other details as JSON. Read newest first by
-- key, or by tenant and time, and old events are deleted by the retention purge, oldest first.
CREATE TABLE IF NOT EXISTS api_keys_events (
    event_id   VARCHAR(32)              NOT NULL,
    key_id     VARCHAR(8)               NOT NULL,
    lineage_id VARCHAR(8),
    tenant_id  VARCHAR(36),
    event_type VARCHAR(20)              NOT NULL,
    actor      VARCHAR(200)             NOT NULL,
    at_utc     TIMESTAMP WITH TIME ZONE NOT NULL,
    details    TEXT                     NOT NULL,
    CONSTRAINT api_keys_events_pk PRIMARY KEY (event_id)
);
CREATE INDEX IF NOT EXISTS api_keys_events_key_idx ON api_keys_events (key_id, at_utc, event_id);
CREATE INDEX IF NOT EXISTS api_keys_events_tenant_idx ON api_keys_events (tenant_id, at_utc, event_id);
CREATE INDEX IF NOT EXISTS api_keys_events_at_idx ON api_keys_events (at_utc, event_id);
-- tenants (issue 26 §5): a tenant's status (NULL: active), the scopes its plan includes as a JSON array (NULL: no
-- restriction), its cap of live keys (NULL: the default), and its place in the change feed, from the keys'
-- sequence, so that other instances see a suspension within one poll. Older records read as active, without a plan.
ALTER TABLE api_keys_tenants ADD COLUMN IF NOT EXISTS status VARCHAR(16);
ALTER TABLE api_keys_tenants ADD COLUMN IF NOT EXISTS plan_scopes TEXT;
ALTER TABLE api_keys_tenants ADD COLUMN IF NOT EXISTS max_live_keys INTEGER;
ALTER TABLE api_keys_tenants ADD COLUMN IF NOT EXISTS change_seq BIGINT;
CREATE INDEX IF NOT EXISTS api_keys_tenants_change_seq_idx ON api_keys_tenants (change_seq);
-- usage (issue 27): verify counts, a row per grain ('m' minute, 'h' hour, 'd' day), key, bucket (its start, epoch
-- seconds) and outcome ('granted' or a failure code). key_id '-' is the series of refusals that named no known key.
-- Each minute count is added to its minute, hour and day rows at once, and networks is a 64-bit sketch of the distinct
-- source networks (/24, /48), merged with OR. Rows older than their grain's retention are deleted about hourly.
CREATE TABLE IF NOT EXISTS api_keys_usage (
    grain     CHAR(1)     NOT NULL,
    key_id    VARCHAR(8)  NOT NULL,
    bucket    BIGINT      NOT NULL,
    outcome   VARCHAR(64) NOT NULL,
    tenant_id VARCHAR(36),
    n         BIGINT      NOT NULL,
    networks  BIGINT      DEFAULT 0 NOT NULL,
    CONSTRAINT api_keys_usage_pk PRIMARY KEY (grain, key_id, bucket, outcome)
);
CREATE INDEX IF NOT EXISTS api_keys_usage_tenant_idx ON api_keys_usage (grain, tenant_id, bucket);
CREATE INDEX IF NOT EXISTS api_keys_usage_bucket_idx ON api_keys_usage (grain, bucket);
-- legacy keys (issue 29 §1): the look-up digest of a legacy key's stored hash (LegacyHash.lookupDigest: 64 hex digits,
-- SHA-256 of the whole key or of its id part), unique, found by KeyDigestLookup, NULL for keys of our own format.
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS legacy_digest VARCHAR(64);
CREATE UNIQUE INDEX IF NOT EXISTS api_keys_legacy_digest_idx ON api_keys (legacy_digest);

-- anomalies (issue 27 §3): the anomalies the scheduled detection opened, each once by its id
-- (kind.subject-kind.subject-id.window-start-epoch-seconds: the first insert wins across instances), key_id null for
-- a tenant's, and the leases that let one instance at a time run the detection. Times are epoch milliseconds.
-- Anomalies closed 30 days ago are deleted by the detection.
CREATE TABLE IF NOT EXISTS api_keys_anomalies (
    id           VARCHAR(120) NOT NULL,
    kind         VARCHAR(32)  NOT NULL,
    key_id       VARCHAR(8),
    tenant_id    VARCHAR(36),
    window_start BIGINT       NOT NULL,
    window_end   BIGINT       NOT NULL,
    observed     BIGINT       NOT NULL,
    baseline     BIGINT       NOT NULL,
    detail       VARCHAR(200),
    opened_at    BIGINT       NOT NULL,
    closed_at    BIGINT,
    CONSTRAINT api_keys_anomalies_pk PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS api_keys_anomalies_tenant_idx ON api_keys_anomalies (tenant_id, opened_at);
CREATE INDEX IF NOT EXISTS api_keys_anomalies_key_idx ON api_keys_anomalies (key_id, opened_at);
CREATE INDEX IF NOT EXISTS api_keys_anomalies_open_idx ON api_keys_anomalies (closed_at, window_end);
CREATE TABLE IF NOT EXISTS api_keys_leases (
    name     VARCHAR(64) NOT NULL,
    holder   VARCHAR(64) NOT NULL,
    until_ms BIGINT      NOT NULL,
    CONSTRAINT api_keys_leases_pk PRIMARY KEY (name)
);

-- webhooks (issue 27 §3, delivery): the endpoints tenants registered for their key events, each with its Standard
-- Webhooks signing secret (whsec_ and base64, kept, not hashed: it signs every delivery, so protect the database as
-- you protect the hashes of the keys), in order of registration.
CREATE TABLE IF NOT EXISTS api_keys_webhooks (
    webhook_id  VARCHAR(40)              NOT NULL,
    tenant_id   VARCHAR(36)              NOT NULL,
    url         VARCHAR(2048)            NOT NULL,
    secret      VARCHAR(100)             NOT NULL,
    created_utc TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT api_keys_webhooks_pk PRIMARY KEY (webhook_id)
);
CREATE INDEX IF NOT EXISTS api_keys_webhooks_tenant_idx ON api_keys_webhooks (tenant_id, created_utc);

-- ops27 (issue 27, webhooks): a tenant's endpoint that answered 410 Gone is disabled here, so that every instance
-- stops delivering to it (registering its URL again replaces it with an enabled one).
ALTER TABLE api_keys_webhooks ADD COLUMN IF NOT EXISTS disabled_utc TIMESTAMP WITH TIME ZONE;
ALTER TABLE api_keys_webhooks ADD COLUMN IF NOT EXISTS disabled_reason VARCHAR(200);

-- imports (issue 29, import29): the id the system a key was imported from knew it by (apikey import's external_id,
-- 1 to 200 printable ASCII characters), unique, found by ExternalIdLookup so that a rerun of an import recognises its
-- lines. NULL for keys not imported with one.
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS external_id VARCHAR(200);
CREATE UNIQUE INDEX IF NOT EXISTS api_keys_external_id_idx ON api_keys (external_id);

-- usage countries (issue 27 §3, the new-country anomaly): the countries a key was seen from, a row per key, hour (its
-- start, epoch seconds) and ISO 3166-1 alpha-2 code. Learnt only from outcomes earned with the key's secret whose
-- source network was new to the key within a flush interval, at most 8 per key and interval, each row written once
-- (a second write of the same key, hour and country changes nothing). Deleted with the hour rows of api_keys_usage.
CREATE TABLE IF NOT EXISTS api_keys_usage_countries (
    key_id    VARCHAR(8)  NOT NULL,
    bucket    BIGINT      NOT NULL,
    country   CHAR(2)     NOT NULL,
    tenant_id VARCHAR(36),
    CONSTRAINT api_keys_usage_countries_pk PRIMARY KEY (key_id, bucket, country)
);
CREATE INDEX IF NOT EXISTS api_keys_usage_countries_bucket_idx ON api_keys_usage_countries (bucket);
