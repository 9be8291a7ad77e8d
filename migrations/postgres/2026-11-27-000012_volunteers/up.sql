-- Party-member volunteer service (点单-派单-接单): Party members report to the
-- community where they live (双报到) and join its volunteer pool; a resident
-- orders a free service for their household, the community's Party
-- organization dispatches it to a volunteer, who accepts (or declines, which
-- puts it back in the queue) and completes it with the time served. Every
-- step is kept as an event. Days and windows are China local time (minutes
-- after local midnight); other timestamps are UTC.

CREATE TABLE volunteers (
    id BIGSERIAL PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES persons(id),
    community_id BIGINT NOT NULL REFERENCES communities(id),
    party_member BOOLEAN NOT NULL,
    -- The work unit of an in-service Party member (在职党员), or empty.
    organization TEXT NOT NULL DEFAULT '',
    registered_on DATE NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    registered_by BIGINT REFERENCES persons(id),
    created_at TIMESTAMP NOT NULL,
    -- One registration per person and community; leaving is `active = false`.
    UNIQUE (person_id, community_id)
);
CREATE INDEX volunteers_community ON volunteers (community_id);

-- The kinds of service a volunteer offers.
CREATE TABLE volunteer_kinds (
    volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
    kind TEXT NOT NULL CHECK (kind IN ('elder_care', 'meals', 'tutoring', 'other')),
    PRIMARY KEY (volunteer_id, kind)
);

CREATE TABLE volunteer_tasks (
    id BIGSERIAL PRIMARY KEY,
    -- Where the household is, kept with the task so each Party scope finds
    -- its own without walking the grid.
    community_id BIGINT NOT NULL REFERENCES communities(id),
    estate_id BIGINT NOT NULL REFERENCES estates(id),
    household_id BIGINT NOT NULL REFERENCES households(id),
    kind TEXT NOT NULL CHECK (kind IN ('elder_care', 'meals', 'tutoring', 'other')),
    wished_on DATE NOT NULL,
    start_minute BIGINT NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute BIGINT NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
    note TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('ordered', 'dispatched', 'accepted', 'completed', 'cancelled')),
    ordered_by BIGINT REFERENCES persons(id),
    ordered_at TIMESTAMP NOT NULL,
    -- The order form's one-time token: the same form sent twice orders once.
    form_token TEXT UNIQUE,
    -- The volunteer (a person) it is dispatched to; cleared when declined.
    volunteer_id BIGINT REFERENCES persons(id),
    dispatched_by BIGINT REFERENCES persons(id),
    dispatched_at TIMESTAMP,
    accepted_at TIMESTAMP,
    completed_at TIMESTAMP,
    -- Time served, in quarter hours from 15 minutes to 12 hours.
    minutes BIGINT CHECK (minutes BETWEEN 15 AND 720 AND minutes % 15 = 0),
    outcome TEXT NOT NULL DEFAULT '',
    cancelled_at TIMESTAMP,
    CHECK (end_minute > start_minute),
    CHECK (state = 'ordered' OR state = 'cancelled' OR volunteer_id IS NOT NULL),
    CHECK (state <> 'completed' OR completed_at IS NOT NULL),
    CHECK ((state = 'completed') = (minutes IS NOT NULL)),
    CHECK ((state = 'cancelled') = (cancelled_at IS NOT NULL))
);
CREATE INDEX volunteer_tasks_community_state ON volunteer_tasks (community_id, state);
CREATE INDEX volunteer_tasks_household ON volunteer_tasks (household_id, ordered_at);
CREATE INDEX volunteer_tasks_volunteer ON volunteer_tasks (volunteer_id, state);

-- Every step of a task: who, when, and why (a decline's or a cancellation's
-- reason, the volunteer sent, the outcome).
CREATE TABLE volunteer_task_events (
    id BIGSERIAL PRIMARY KEY,
    task_id BIGINT NOT NULL REFERENCES volunteer_tasks(id),
    at TIMESTAMP NOT NULL,
    person_id BIGINT REFERENCES persons(id),
    step TEXT NOT NULL CHECK (step IN ('order', 'dispatch', 'accept', 'decline', 'complete', 'cancel')),
    comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX volunteer_task_events_task ON volunteer_task_events (task_id);
