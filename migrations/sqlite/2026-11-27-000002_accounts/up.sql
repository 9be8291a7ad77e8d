-- Accounts, role grants with scopes, sessions, login throttling, posts on the two
-- signboards, the audit log, and the simplest estates → buildings → households
-- (the estates area deepens them). Nothing with history is deleted.

CREATE TABLE estates (
    id INTEGER PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities(id),
    -- The service company that took the estate over; none while unmanaged.
    company_id BIGINT REFERENCES companies(id),
    name TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    closed_at TIMESTAMP,
    UNIQUE (community_id, name)
);

CREATE TABLE buildings (
    id INTEGER PRIMARY KEY,
    estate_id BIGINT NOT NULL REFERENCES estates(id),
    name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (estate_id, name)
);

CREATE TABLE households (
    id INTEGER PRIMARY KEY,
    building_id BIGINT NOT NULL REFERENCES buildings(id),
    unit TEXT NOT NULL,
    room TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (building_id, unit, room)
);

CREATE TABLE persons (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    phone TEXT UNIQUE,
    username TEXT UNIQUE,
    email TEXT,
    password_hash TEXT NOT NULL,
    -- Set for an administrator-issued one-time password.
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    lang TEXT NOT NULL DEFAULT 'zh-CN',
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    disabled_at TIMESTAMP,
    CHECK (phone IS NOT NULL OR username IS NOT NULL)
);

-- A role held over exactly one scope, of the kind the role calls for.
CREATE TABLE role_grants (
    id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES persons(id),
    role TEXT NOT NULL CHECK (role IN ('resident', 'staff', 'manager', 'cashier',
                                       'committee', 'party', 'admin')),
    household_id BIGINT REFERENCES households(id),
    company_id BIGINT REFERENCES companies(id),
    estate_id BIGINT REFERENCES estates(id),
    community_id BIGINT REFERENCES communities(id),
    street_id BIGINT REFERENCES streets(id),
    district_id BIGINT REFERENCES districts(id),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    revoked_at TIMESTAMP,
    CHECK ((CASE WHEN household_id IS NULL THEN 0 ELSE 1 END)
         + (CASE WHEN company_id IS NULL THEN 0 ELSE 1 END)
         + (CASE WHEN estate_id IS NULL THEN 0 ELSE 1 END)
         + (CASE WHEN community_id IS NULL THEN 0 ELSE 1 END)
         + (CASE WHEN street_id IS NULL THEN 0 ELSE 1 END)
         + (CASE WHEN district_id IS NULL THEN 0 ELSE 1 END) = 1),
    CHECK (role <> 'resident' OR household_id IS NOT NULL),
    CHECK (role NOT IN ('staff', 'manager', 'cashier') OR company_id IS NOT NULL),
    CHECK (role <> 'committee' OR estate_id IS NOT NULL),
    CHECK (role <> 'party' OR community_id IS NOT NULL OR street_id IS NOT NULL),
    CHECK (role <> 'admin' OR district_id IS NOT NULL)
);

-- Server-side sessions; the cookie holds a random token, this table its SHA-256.
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    person_id BIGINT NOT NULL REFERENCES persons(id),
    -- The role the person is acting in; they may switch among their grants.
    grant_id BIGINT REFERENCES role_grants(id),
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP
);

CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    -- The login name as typed (normalised), whether or not such an account exists.
    account_key TEXT NOT NULL,
    address TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    succeeded BOOLEAN NOT NULL
);

-- A person's post on one of the two signboards: the company or its Party
-- organisation. Ending a post sets ends_on; the row stays.
CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES persons(id),
    company_id BIGINT REFERENCES companies(id),
    party_organization_id BIGINT REFERENCES party_organizations(id),
    title TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CHECK ((company_id IS NULL) <> (party_organization_id IS NULL)),
    CHECK (ends_on IS NULL OR ends_on >= starts_on)
);

-- Who changed what, when, and how it looked before and after (JSON). The place
-- columns let Party oversight see the entries of its own community or street.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    person_id BIGINT REFERENCES persons(id),
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    action TEXT NOT NULL,
    before_data TEXT,
    after_data TEXT,
    district_id BIGINT REFERENCES districts(id),
    street_id BIGINT REFERENCES streets(id),
    community_id BIGINT REFERENCES communities(id)
);

CREATE INDEX estates_company ON estates (company_id);
CREATE INDEX buildings_estate ON buildings (estate_id);
CREATE INDEX role_grants_person ON role_grants (person_id);
CREATE INDEX sessions_person ON sessions (person_id);
CREATE INDEX login_attempts_account ON login_attempts (account_key, at);
CREATE INDEX login_attempts_address ON login_attempts (address, at);
CREATE INDEX posts_person ON posts (person_id);
CREATE INDEX posts_company ON posts (company_id);
CREATE INDEX posts_party_organization ON posts (party_organization_id);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_person ON audit_log (person_id);
