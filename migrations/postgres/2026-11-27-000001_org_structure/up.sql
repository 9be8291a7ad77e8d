-- The organisation tree: district → streets → communities, with each community's
-- service company (first signboard) and Party organisation (second signboard).
-- Nothing with history is deleted: closing sets closed_at.

CREATE TABLE districts (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc')
);

CREATE TABLE streets (
    id BIGSERIAL PRIMARY KEY,
    district_id BIGINT NOT NULL REFERENCES districts(id),
    name TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
    closed_at TIMESTAMP,
    UNIQUE (district_id, name)
);

CREATE TABLE communities (
    id BIGSERIAL PRIMARY KEY,
    street_id BIGINT NOT NULL REFERENCES streets(id),
    name TEXT NOT NULL,
    name_en TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
    closed_at TIMESTAMP,
    UNIQUE (street_id, name)
);

CREATE TABLE party_organizations (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('community_branch', 'community_general_branch',
                                       'community_committee', 'street_working_committee')),
    street_id BIGINT NOT NULL REFERENCES streets(id),
    community_id BIGINT REFERENCES communities(id),
    name TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
    closed_at TIMESTAMP,
    -- A street working committee sits on the street; every other kind on a community.
    CHECK ((kind = 'street_working_committee') = (community_id IS NULL))
);

CREATE TABLE companies (
    id BIGSERIAL PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities(id),
    party_organization_id BIGINT REFERENCES party_organizations(id),
    name TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL DEFAULT '',
    founded_on DATE NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
    closed_at TIMESTAMP
);

CREATE INDEX streets_district ON streets (district_id);
CREATE INDEX communities_street ON communities (street_id);
CREATE INDEX companies_community ON companies (community_id);
CREATE INDEX party_organizations_community ON party_organizations (community_id);
