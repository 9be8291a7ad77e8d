//! Tables as diesel sees them; kept by hand in step with both migration sets.

diesel::table! {
    districts (id) {
        id -> BigInt,
        name -> Text,
        name_en -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    streets (id) {
        id -> BigInt,
        district_id -> BigInt,
        name -> Text,
        name_en -> Text,
        sort_order -> Integer,
        created_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    communities (id) {
        id -> BigInt,
        street_id -> BigInt,
        name -> Text,
        name_en -> Text,
        created_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    party_organizations (id) {
        id -> BigInt,
        kind -> Text,
        street_id -> BigInt,
        community_id -> Nullable<BigInt>,
        name -> Text,
        name_en -> Text,
        created_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    companies (id) {
        id -> BigInt,
        community_id -> BigInt,
        party_organization_id -> Nullable<BigInt>,
        name -> Text,
        name_en -> Text,
        founded_on -> Date,
        created_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
        travel_buffer_minutes -> BigInt,
    }
}

diesel::table! {
    estates (id) {
        id -> BigInt,
        community_id -> BigInt,
        company_id -> Nullable<BigInt>,
        name -> Text,
        name_en -> Text,
        address -> Text,
        created_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
        grid_worker -> Text,
        grid_worker_phone -> Text,
        join_token -> Nullable<Text>,
    }
}

diesel::table! {
    buildings (id) {
        id -> BigInt,
        estate_id -> BigInt,
        name -> Text,
        created_at -> Timestamp,
        grid_worker -> Text,
        grid_worker_phone -> Text,
    }
}

diesel::table! {
    households (id) {
        id -> BigInt,
        building_id -> BigInt,
        unit -> Text,
        room -> Text,
        created_at -> Timestamp,
        floor_area -> Nullable<BigInt>,
        vacant -> Bool,
    }
}

diesel::table! {
    takeovers (id) {
        id -> BigInt,
        estate_id -> BigInt,
        company_id -> BigInt,
        state_before -> Text,
        taken_over_on -> Date,
        interim_agreement -> Text,
        baseline_notes -> Text,
        cleaning -> Text,
        lighting -> Text,
        security -> Text,
        refuse -> Text,
        greenery -> Text,
        repairs -> Text,
        files_handed_over -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    residents (id) {
        id -> BigInt,
        household_id -> BigInt,
        name -> Text,
        phone -> Text,
        relation -> Text,
        person_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        moved_out_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    committees (id) {
        id -> BigInt,
        estate_id -> BigInt,
        term_starts_on -> Date,
        term_ends_on -> Date,
        created_at -> Timestamp,
        ended_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    committee_members (id) {
        id -> BigInt,
        committee_id -> BigInt,
        name -> Text,
        phone -> Text,
        position -> Text,
        party_member -> Bool,
        person_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    registrations (id) {
        id -> BigInt,
        estate_id -> BigInt,
        household_id -> BigInt,
        name -> Text,
        phone -> Text,
        email -> Text,
        relation -> Text,
        password_hash -> Text,
        lang -> Text,
        client_address -> Text,
        status -> Text,
        reason -> Text,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        person_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    services (id) {
        id -> BigInt,
        company_id -> BigInt,
        category -> Text,
        unit -> Text,
        name -> Text,
        name_en -> Text,
        created_at -> Timestamp,
        retired_at -> Nullable<Timestamp>,
        visit_minutes -> BigInt,
        response_hours -> BigInt,
    }
}

diesel::table! {
    service_prices (id) {
        id -> BigInt,
        service_id -> BigInt,
        our_fen -> BigInt,
        market_fen -> BigInt,
        reason -> Text,
        market_source -> Text,
        surveyed_on -> Date,
        effective_from -> Date,
        set_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    contracts (id) {
        id -> BigInt,
        company_id -> BigInt,
        estate_id -> BigInt,
        state -> Text,
        fee_model -> Text,
        commission_bp -> Nullable<BigInt>,
        late_fee_daily_bp -> Nullable<BigInt>,
        late_fee_cap_bp -> Nullable<BigInt>,
        starts_on -> Date,
        ends_on -> Date,
        renews_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        free_cancel_hours -> BigInt,
        late_cancel_bp -> BigInt,
        vacant_fee_bp -> BigInt,
    }
}

diesel::table! {
    contract_lines (id) {
        id -> BigInt,
        contract_id -> BigInt,
        service_id -> BigInt,
        unit_price_fen -> BigInt,
        basis -> Text,
    }
}

diesel::table! {
    contract_events (id) {
        id -> BigInt,
        contract_id -> BigInt,
        at -> Timestamp,
        person_id -> Nullable<BigInt>,
        step -> Nullable<Text>,
        to_state -> Text,
        comment -> Text,
    }
}

diesel::table! {
    persons (id) {
        id -> BigInt,
        name -> Text,
        phone -> Nullable<Text>,
        username -> Nullable<Text>,
        email -> Nullable<Text>,
        password_hash -> Text,
        must_change_password -> Bool,
        lang -> Text,
        created_at -> Timestamp,
        disabled_at -> Nullable<Timestamp>,
        mail_reminders -> Bool,
        mail_announcements -> Bool,
        unsubscribe_token -> Nullable<Text>,
        password_set_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        created_at -> Timestamp,
        person_id -> Nullable<BigInt>,
        company_id -> Nullable<BigInt>,
        to_address -> Text,
        kind -> Text,
        essential -> Bool,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_at -> Nullable<Timestamp>,
        sent_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    role_grants (id) {
        id -> BigInt,
        person_id -> BigInt,
        role -> Text,
        household_id -> Nullable<BigInt>,
        company_id -> Nullable<BigInt>,
        estate_id -> Nullable<BigInt>,
        community_id -> Nullable<BigInt>,
        street_id -> Nullable<BigInt>,
        district_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        token_hash -> Text,
        person_id -> BigInt,
        grant_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
        ended_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_attempts (id) {
        id -> BigInt,
        account_key -> Text,
        address -> Text,
        at -> Timestamp,
        succeeded -> Bool,
    }
}

diesel::table! {
    posts (id) {
        id -> BigInt,
        person_id -> BigInt,
        company_id -> Nullable<BigInt>,
        party_organization_id -> Nullable<BigInt>,
        title -> Text,
        starts_on -> Date,
        ends_on -> Nullable<Date>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        person_id -> Nullable<BigInt>,
        entity -> Text,
        entity_id -> BigInt,
        action -> Text,
        before_data -> Nullable<Text>,
        after_data -> Nullable<Text>,
        district_id -> Nullable<BigInt>,
        street_id -> Nullable<BigInt>,
        community_id -> Nullable<BigInt>,
    }
}

diesel::joinable!(streets -> districts (district_id));
diesel::joinable!(communities -> streets (street_id));
diesel::joinable!(companies -> communities (community_id));
diesel::table! {
    cleaning_plans (id) {
        id -> BigInt,
        company_id -> BigInt,
        estate_id -> BigInt,
        building_id -> Nullable<BigInt>,
        service_id -> BigInt,
        weekdays -> BigInt,
        start_minute -> BigInt,
        minutes -> BigInt,
        paused_at -> Nullable<Timestamp>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    work_orders (id) {
        id -> BigInt,
        company_id -> BigInt,
        estate_id -> BigInt,
        building_id -> Nullable<BigInt>,
        household_id -> Nullable<BigInt>,
        service_id -> BigInt,
        plan_id -> Nullable<BigInt>,
        channel -> Text,
        state -> Text,
        slot_start -> Timestamp,
        slot_end -> Timestamp,
        staff_id -> Nullable<BigInt>,
        quantity -> BigInt,
        unit_price_fen -> BigInt,
        market_fen -> BigInt,
        amount_fen -> BigInt,
        chargeable -> Bool,
        notes -> Text,
        materials -> Text,
        respond_by -> Timestamp,
        booked_by -> Nullable<BigInt>,
        form_token -> Nullable<Text>,
        stars -> Nullable<BigInt>,
        rating_comment -> Text,
        cancel_fee_fen -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    work_order_events (id) {
        id -> BigInt,
        order_id -> BigInt,
        at -> Timestamp,
        person_id -> Nullable<BigInt>,
        step -> Nullable<Text>,
        to_state -> Text,
        comment -> Text,
    }
}

diesel::table! {
    complaints (id) {
        id -> BigInt,
        company_id -> BigInt,
        estate_id -> BigInt,
        household_id -> Nullable<BigInt>,
        order_id -> Nullable<BigInt>,
        filed_by -> BigInt,
        filed_at -> Timestamp,
        body -> Text,
        answer -> Nullable<Text>,
        answered_by -> Nullable<BigInt>,
        answered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    charges (id) {
        id -> BigInt,
        company_id -> BigInt,
        household_id -> BigInt,
        order_id -> BigInt,
        kind -> Text,
        amount_fen -> BigInt,
        service_on -> Date,
        created_at -> Timestamp,
        bill_id -> Nullable<BigInt>,
    }
}

diesel::joinable!(companies -> party_organizations (party_organization_id));
diesel::joinable!(party_organizations -> streets (street_id));
diesel::joinable!(estates -> communities (community_id));
diesel::joinable!(estates -> companies (company_id));
diesel::joinable!(buildings -> estates (estate_id));
diesel::joinable!(households -> buildings (building_id));
diesel::joinable!(takeovers -> estates (estate_id));
diesel::joinable!(services -> companies (company_id));
diesel::joinable!(contracts -> estates (estate_id));
diesel::joinable!(contract_lines -> contracts (contract_id));
diesel::joinable!(contract_lines -> services (service_id));
diesel::joinable!(contract_events -> contracts (contract_id));
diesel::joinable!(contract_events -> persons (person_id));
diesel::joinable!(service_prices -> services (service_id));
diesel::joinable!(service_prices -> persons (set_by));
diesel::joinable!(residents -> households (household_id));
diesel::joinable!(committees -> estates (estate_id));
diesel::joinable!(committee_members -> committees (committee_id));
diesel::joinable!(registrations -> households (household_id));
diesel::joinable!(role_grants -> persons (person_id));
diesel::joinable!(sessions -> persons (person_id));
diesel::joinable!(posts -> persons (person_id));
diesel::joinable!(posts -> companies (company_id));
diesel::joinable!(posts -> party_organizations (party_organization_id));
diesel::joinable!(audit_log -> persons (person_id));
diesel::joinable!(outbox -> persons (person_id));
diesel::joinable!(outbox -> companies (company_id));
diesel::joinable!(work_orders -> services (service_id));
diesel::joinable!(work_orders -> estates (estate_id));
diesel::joinable!(work_order_events -> work_orders (order_id));
diesel::joinable!(work_order_events -> persons (person_id));
diesel::joinable!(cleaning_plans -> services (service_id));
diesel::joinable!(cleaning_plans -> estates (estate_id));
diesel::joinable!(charges -> work_orders (order_id));

diesel::table! {
    staff_profiles (company_id, person_id) {
        company_id -> BigInt,
        person_id -> BigInt,
        home_estate_id -> Nullable<BigInt>,
        updated_by -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    staff_skills (company_id, person_id, category) {
        company_id -> BigInt,
        person_id -> BigInt,
        category -> Text,
    }
}

diesel::table! {
    staff_hours (company_id, person_id, weekday) {
        company_id -> BigInt,
        person_id -> BigInt,
        weekday -> BigInt,
        start_minute -> BigInt,
        end_minute -> BigInt,
    }
}

diesel::table! {
    staff_leave (id) {
        id -> BigInt,
        company_id -> BigInt,
        person_id -> BigInt,
        first_day -> Date,
        last_day -> Date,
        note -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    districts,
    streets,
    communities,
    party_organizations,
    companies,
    estates,
    buildings,
    households,
    takeovers,
    residents,
    committees,
    committee_members,
    registrations,
    services,
    service_prices,
    contracts,
    contract_lines,
    contract_events,
    persons,
    role_grants,
    sessions,
    login_attempts,
    posts,
    audit_log,
    outbox,
    cleaning_plans,
    work_orders,
    work_order_events,
    complaints,
    charges,
    staff_profiles,
    staff_skills,
    staff_hours,
    staff_leave,
    bill_runs,
    bills,
    adjustments,
    bill_lines,
    payments,
    allocations,
    ledger_lines,
    arrears_steps,
    expenses,
    expense_shares,
    common_incomes,
    statements,
    statement_notes,
    decisions,
    decision_estates,
    decision_steps,
    volunteers,
    volunteer_kinds,
    volunteer_tasks,
    volunteer_task_events,
);

diesel::table! {
    bill_runs (company_id, month) {
        company_id -> BigInt,
        month -> Text,
        state -> Text,
        total -> BigInt,
        done -> BigInt,
        issued -> BigInt,
        started_by -> Nullable<BigInt>,
        started_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    bills (id) {
        id -> BigInt,
        company_id -> BigInt,
        estate_id -> BigInt,
        household_id -> BigInt,
        contract_id -> BigInt,
        month -> Text,
        due_on -> Date,
        total_fen -> BigInt,
        issued_at -> Timestamp,
    }
}

diesel::table! {
    adjustments (id) {
        id -> BigInt,
        company_id -> BigInt,
        household_id -> BigInt,
        amount_fen -> BigInt,
        reason -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        bill_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    bill_lines (id) {
        id -> BigInt,
        bill_id -> BigInt,
        kind -> Text,
        name_zh -> Text,
        name_en -> Text,
        detail -> Text,
        amount_fen -> BigInt,
        market_fen -> BigInt,
        charge_id -> Nullable<BigInt>,
        adjustment_id -> Nullable<BigInt>,
        late_fee_of -> Nullable<BigInt>,
    }
}

diesel::table! {
    payments (id) {
        id -> BigInt,
        company_id -> BigInt,
        household_id -> BigInt,
        method -> Text,
        reference -> Text,
        amount_fen -> BigInt,
        paid_at -> Timestamp,
        recorded_by -> Nullable<BigInt>,
        reversal_of -> Nullable<BigInt>,
        reason -> Text,
        receipt_year -> BigInt,
        receipt_seq -> BigInt,
        prev_seq -> Nullable<BigInt>,
        form_token -> Nullable<Text>,
    }
}

diesel::table! {
    allocations (payment_id, bill_id) {
        payment_id -> BigInt,
        bill_id -> BigInt,
        amount_fen -> BigInt,
    }
}

diesel::table! {
    ledger_lines (id) {
        id -> BigInt,
        company_id -> BigInt,
        posted_at -> Timestamp,
        source -> Text,
        source_id -> BigInt,
        account -> Text,
        household_id -> Nullable<BigInt>,
        amount_fen -> BigInt,
    }
}

diesel::table! {
    arrears_steps (id) {
        id -> BigInt,
        company_id -> BigInt,
        household_id -> BigInt,
        stage -> Text,
        note -> Text,
        taken_by -> Nullable<BigInt>,
        taken_on -> Date,
        created_at -> Timestamp,
    }
}

diesel::joinable!(bills -> households (household_id));
diesel::joinable!(bills -> estates (estate_id));
diesel::joinable!(bill_lines -> bills (bill_id));
diesel::joinable!(allocations -> payments (payment_id));
diesel::joinable!(allocations -> bills (bill_id));
diesel::joinable!(payments -> households (household_id));

diesel::table! {
    expenses (id) {
        id -> BigInt,
        company_id -> BigInt,
        month -> Text,
        spent_on -> Date,
        category -> Text,
        description -> Text,
        amount_fen -> BigInt,
        split_rule -> Text,
        photo_type -> Nullable<Text>,
        photo -> Nullable<Binary>,
        recorded_by -> Nullable<BigInt>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    expense_shares (expense_id, estate_id) {
        expense_id -> BigInt,
        estate_id -> BigInt,
        amount_fen -> BigInt,
    }
}

diesel::table! {
    common_incomes (id) {
        id -> BigInt,
        company_id -> BigInt,
        estate_id -> BigInt,
        month -> Text,
        received_on -> Date,
        source -> Text,
        amount_fen -> BigInt,
        recorded_by -> Nullable<BigInt>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    statements (id) {
        id -> BigInt,
        company_id -> BigInt,
        estate_id -> BigInt,
        month -> Text,
        version -> BigInt,
        corrects_id -> Nullable<BigInt>,
        state -> Text,
        figures -> Text,
        content_hash -> Text,
        submitted_by -> Nullable<BigInt>,
        submitted_at -> Timestamp,
        signed_by -> Nullable<BigInt>,
        signed_by_name -> Nullable<Text>,
        signed_at -> Nullable<Timestamp>,
        second_reason -> Nullable<Text>,
        second_signed_by -> Nullable<BigInt>,
        second_signed_by_name -> Nullable<Text>,
        second_signed_at -> Nullable<Timestamp>,
        disclosed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    statement_notes (id) {
        id -> BigInt,
        statement_id -> BigInt,
        kind -> Text,
        body -> Text,
        person_id -> Nullable<BigInt>,
        person_name -> Text,
        content_hash -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(expense_shares -> expenses (expense_id));
diesel::joinable!(expense_shares -> estates (estate_id));
diesel::joinable!(statement_notes -> statements (statement_id));

diesel::table! {
    decisions (id) {
        id -> BigInt,
        community_id -> BigInt,
        party_organization_id -> Nullable<BigInt>,
        kind -> Text,
        title -> Text,
        details -> Text,
        state -> Text,
        proposed_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    decision_estates (decision_id, estate_id) {
        decision_id -> BigInt,
        estate_id -> BigInt,
    }
}

diesel::table! {
    decision_steps (id) {
        id -> BigInt,
        decision_id -> BigInt,
        step -> Text,
        merged -> Bool,
        held_on -> Date,
        expected -> Nullable<BigInt>,
        attended -> Nullable<BigInt>,
        agreed -> Nullable<BigInt>,
        outcome -> Text,
        recorded_by -> Nullable<BigInt>,
        recorded_by_name -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::joinable!(decisions -> communities (community_id));
diesel::joinable!(decision_estates -> decisions (decision_id));
diesel::joinable!(decision_estates -> estates (estate_id));
diesel::joinable!(decision_steps -> decisions (decision_id));

diesel::table! {
    volunteers (id) {
        id -> BigInt,
        person_id -> BigInt,
        community_id -> BigInt,
        party_member -> Bool,
        organization -> Text,
        registered_on -> Date,
        active -> Bool,
        registered_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    volunteer_kinds (volunteer_id, kind) {
        volunteer_id -> BigInt,
        kind -> Text,
    }
}

diesel::table! {
    volunteer_tasks (id) {
        id -> BigInt,
        community_id -> BigInt,
        estate_id -> BigInt,
        household_id -> BigInt,
        kind -> Text,
        wished_on -> Date,
        start_minute -> BigInt,
        end_minute -> BigInt,
        note -> Text,
        state -> Text,
        ordered_by -> Nullable<BigInt>,
        ordered_at -> Timestamp,
        form_token -> Nullable<Text>,
        volunteer_id -> Nullable<BigInt>,
        dispatched_by -> Nullable<BigInt>,
        dispatched_at -> Nullable<Timestamp>,
        accepted_at -> Nullable<Timestamp>,
        completed_at -> Nullable<Timestamp>,
        minutes -> Nullable<BigInt>,
        outcome -> Text,
        cancelled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    volunteer_task_events (id) {
        id -> BigInt,
        task_id -> BigInt,
        at -> Timestamp,
        person_id -> Nullable<BigInt>,
        step -> Text,
        comment -> Text,
    }
}
