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
    }
}

diesel::joinable!(streets -> districts (district_id));
diesel::joinable!(communities -> streets (street_id));
diesel::joinable!(companies -> communities (community_id));
diesel::joinable!(companies -> party_organizations (party_organization_id));

diesel::allow_tables_to_appear_in_same_query!(
    districts,
    streets,
    communities,
    party_organizations,
    companies,
);
