-- The estates area: grid workers, takeover records, floor areas and vacancy,
-- residents, homeowner committees with their history, and self-registration
-- requests from the estate's QR poster. Nothing with history is deleted.

-- The grid worker of the fourth grid level (estate / resident group) and the
-- building head (楼栋长) of each building.
ALTER TABLE estates ADD COLUMN grid_worker TEXT NOT NULL DEFAULT '';
ALTER TABLE estates ADD COLUMN grid_worker_phone TEXT NOT NULL DEFAULT '';
-- The secret in the QR poster's link; a new one retires old posters.
ALTER TABLE estates ADD COLUMN join_token TEXT;
CREATE UNIQUE INDEX estates_join_token ON estates (join_token);

ALTER TABLE buildings ADD COLUMN grid_worker TEXT NOT NULL DEFAULT '';
ALTER TABLE buildings ADD COLUMN grid_worker_phone TEXT NOT NULL DEFAULT '';

-- Floor area in hundredths of a square metre (exact, two decimals); unknown
-- until recorded.
ALTER TABLE households ADD COLUMN floor_area BIGINT CHECK (floor_area IS NULL OR floor_area > 0);
ALTER TABLE households ADD COLUMN vacant BOOLEAN NOT NULL DEFAULT FALSE;

-- How a company took over an unmanaged estate, and what it found.
CREATE TABLE takeovers (
    id INTEGER PRIMARY KEY,
    estate_id BIGINT NOT NULL UNIQUE REFERENCES estates(id),
    company_id BIGINT NOT NULL REFERENCES companies(id),
    -- 失管 (abandoned by its former manager) or 漏管 (never managed).
    state_before TEXT NOT NULL CHECK (state_before IN ('unmanaged', 'overlooked')),
    taken_over_on DATE NOT NULL,
    interim_agreement TEXT NOT NULL DEFAULT '',
    baseline_notes TEXT NOT NULL DEFAULT '',
    cleaning TEXT NOT NULL CHECK (cleaning IN ('good', 'poor', 'absent')),
    lighting TEXT NOT NULL CHECK (lighting IN ('good', 'poor', 'absent')),
    security TEXT NOT NULL CHECK (security IN ('good', 'poor', 'absent')),
    refuse TEXT NOT NULL CHECK (refuse IN ('good', 'poor', 'absent')),
    greenery TEXT NOT NULL CHECK (greenery IN ('good', 'poor', 'absent')),
    repairs TEXT NOT NULL CHECK (repairs IN ('good', 'poor', 'absent')),
    files_handed_over TEXT NOT NULL DEFAULT '',
    recorded_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- The people living in a household; a resident who moves out is kept with
-- the date. `person_id` links a resident account, which may hold several
-- households.
CREATE TABLE residents (
    id INTEGER PRIMARY KEY,
    household_id BIGINT NOT NULL REFERENCES households(id),
    name TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    relation TEXT NOT NULL CHECK (relation IN ('owner', 'tenant', 'family')),
    person_id BIGINT REFERENCES persons(id),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    moved_out_at TIMESTAMP
);
CREATE INDEX residents_household ON residents (household_id);

-- One committee per term; a new term ends the previous one, which stays.
CREATE TABLE committees (
    id INTEGER PRIMARY KEY,
    estate_id BIGINT NOT NULL REFERENCES estates(id),
    term_starts_on DATE NOT NULL,
    term_ends_on DATE NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    ended_at TIMESTAMP,
    CHECK (term_ends_on > term_starts_on)
);
CREATE INDEX committees_estate ON committees (estate_id);
-- At most one sitting committee per estate.
CREATE UNIQUE INDEX committees_sitting ON committees (estate_id) WHERE ended_at IS NULL;

CREATE TABLE committee_members (
    id INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees(id),
    name TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    position TEXT NOT NULL CHECK (position IN ('chair', 'vice_chair', 'member')),
    party_member BOOLEAN NOT NULL DEFAULT FALSE,
    person_id BIGINT REFERENCES persons(id),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX committee_members_committee ON committee_members (committee_id);
CREATE UNIQUE INDEX committee_members_one_chair ON committee_members (committee_id) WHERE position = 'chair';

-- A resident's request, from the estate's QR poster, to be linked to a
-- household; the manager approves or rejects it. The password the resident
-- chose is kept hashed until an account is made on approval.
CREATE TABLE registrations (
    id INTEGER PRIMARY KEY,
    estate_id BIGINT NOT NULL REFERENCES estates(id),
    household_id BIGINT NOT NULL REFERENCES households(id),
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    email TEXT NOT NULL,
    relation TEXT NOT NULL CHECK (relation IN ('owner', 'tenant', 'family')),
    password_hash TEXT NOT NULL,
    -- The language of the page it came from, for the answer by mail.
    lang TEXT NOT NULL DEFAULT 'zh-CN',
    client_address TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    reason TEXT NOT NULL DEFAULT '',
    decided_by BIGINT REFERENCES persons(id),
    decided_at TIMESTAMP,
    person_id BIGINT REFERENCES persons(id),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX registrations_estate ON registrations (estate_id, status);
-- One open request per phone and household: a double submit creates nothing.
CREATE UNIQUE INDEX registrations_pending ON registrations (household_id, phone) WHERE status = 'pending';
