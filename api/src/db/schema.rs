// One hand-checked schema for both backends: only types SQLite and Postgres share
// (Text, BigInt, Integer, Bool, Timestamp).

diesel::table! {
    organizations (id) {
        id -> Text,
        slug -> Text,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        display_name -> Text,
        password_hash -> Text,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    memberships (id) {
        id -> Text,
        org_id -> Text,
        user_id -> Text,
        role -> Text,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    user_sessions (id) {
        id -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    instance_setup (id) {
        id -> Integer,
        completed_at -> Timestamp,
    }
}

diesel::table! {
    audit_events (id) {
        id -> BigInt,
        event_id -> Text,
        org_id -> Nullable<Text>,
        occurred_at -> Timestamp,
        category -> Text,
        action -> Text,
        outcome -> Text,
        actor_type -> Text,
        actor_id -> Nullable<Text>,
        actor_name -> Nullable<Text>,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        request_id -> Nullable<Text>,
        product_id -> Nullable<Text>,
        version_id -> Nullable<Text>,
        artifact_id -> Nullable<Text>,
        sha256 -> Nullable<Text>,
        details -> Nullable<Text>,
    }
}

diesel::joinable!(memberships -> organizations (org_id));
diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(user_sessions -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    organizations,
    users,
    memberships,
    user_sessions,
    instance_setup,
    audit_events
);
