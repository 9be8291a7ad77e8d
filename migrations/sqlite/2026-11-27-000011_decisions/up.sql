-- Decision records for major matters (四议两公开): the community Party
-- organisation proposes, the two committees deliberate, the Party members'
-- meeting reviews, the residents' (representatives') meeting resolves; then
-- the resolution and later its implementation are disclosed to the affected
-- estates. Each step is one row, written once and never changed, so the
-- record is what was decided, when, by how many. Timestamps UTC; dates are
-- China dates.

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities(id),
    -- The branch that proposed it; a community without one leaves it empty.
    party_organization_id BIGINT REFERENCES party_organizations(id),
    kind TEXT NOT NULL CHECK (kind IN ('price_change', 'new_contract', 'major_repair', 'other')),
    title TEXT NOT NULL CHECK (title <> ''),
    details TEXT NOT NULL CHECK (details <> ''),
    state TEXT NOT NULL CHECK (state IN ('proposed', 'deliberated', 'reviewed', 'resolved',
                                         'disclosed', 'implemented', 'rejected')),
    proposed_by BIGINT REFERENCES persons(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX decisions_community ON decisions (community_id);

-- The estates the matter concerns: their residents see the disclosures.
CREATE TABLE decision_estates (
    decision_id BIGINT NOT NULL REFERENCES decisions(id),
    estate_id BIGINT NOT NULL REFERENCES estates(id),
    PRIMARY KEY (decision_id, estate_id)
);
CREATE INDEX decision_estates_estate ON decision_estates (estate_id);

CREATE TABLE decision_steps (
    id INTEGER PRIMARY KEY,
    decision_id BIGINT NOT NULL REFERENCES decisions(id),
    step TEXT NOT NULL CHECK (step IN ('propose', 'deliberate', 'members_review', 'resolve',
                                       'disclose_resolution', 'disclose_implementation')),
    -- One record for proposing and deliberating, where one person holds
    -- both posts (一套人马、两块牌子).
    merged BOOLEAN NOT NULL DEFAULT FALSE,
    held_on DATE NOT NULL,
    expected BIGINT,
    attended BIGINT,
    agreed BIGINT,
    outcome TEXT NOT NULL CHECK (outcome <> ''),
    recorded_by BIGINT REFERENCES persons(id),
    recorded_by_name TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    UNIQUE (decision_id, step),
    CHECK ((NOT merged) OR step = 'propose'),
    CHECK ((expected IS NULL) = (attended IS NULL) AND (attended IS NULL) = (agreed IS NULL)),
    CHECK (expected IS NULL OR (expected >= 1 AND attended >= 0 AND attended <= expected
                                AND agreed >= 0 AND agreed <= attended)),
    -- The two meetings that vote need their attendance and a quorum of two thirds.
    CHECK (step NOT IN ('members_review', 'resolve')
           OR (expected IS NOT NULL AND attended * 3 >= expected * 2))
);
CREATE INDEX decision_steps_decision ON decision_steps (decision_id);

-- A recorded step is history: never changed, never deleted.
CREATE TRIGGER decision_steps_frozen BEFORE UPDATE ON decision_steps
BEGIN
    SELECT RAISE(ABORT, 'a recorded decision step cannot change');
END;
CREATE TRIGGER decision_steps_kept BEFORE DELETE ON decision_steps
BEGIN
    SELECT RAISE(ABORT, 'a recorded decision step cannot be deleted');
END;
