// One hand-checked schema for both backends: only types SQLite and Postgres share
// (It is long because it is the whole schema; it holds declarations only.)
// (Text, BigInt, Integer, Bool, Timestamp).

diesel::table! {
    organizations (id) {
        id -> Text,
        slug -> Text,
        name -> Text,
        created_at -> Timestamp,
        password_login -> Bool,
        admins_need_totp -> Bool,
        catalogue_generation -> BigInt,
    }
}

diesel::table! {
    account_links (id) {
        id -> Text,
        kind -> Text,
        secret_hash -> Text,
        org_id -> Nullable<Text>,
        email -> Text,
        user_id -> Nullable<Text>,
        role -> Nullable<Text>,
        created_by_id -> Nullable<Text>,
        created_by_name -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
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
        totp_sealed -> Nullable<Text>,
        totp_pending_sealed -> Nullable<Text>,
        totp_enabled_at -> Nullable<Timestamp>,
        totp_last_step -> BigInt,
    }
}

diesel::table! {
    recovery_codes (user_id, code_hash) {
        user_id -> Text,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
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
        last_seen_at -> Nullable<Timestamp>,
        method -> Text,
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

diesel::table! {
    products (id) {
        id -> Text,
        org_id -> Text,
        slug -> Text,
        name -> Text,
        description -> Text,
        portal_visible -> Bool,
        archived -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    product_versions (id) {
        id -> Text,
        product_id -> Text,
        version -> Text,
        release_date -> Nullable<Date>,
        support_until -> Nullable<Date>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    artifacts (id) {
        id -> Text,
        org_id -> Text,
        product_id -> Text,
        version_id -> Text,
        kind -> Text,
        format -> Text,
        media_type -> Text,
        filename -> Text,
        size -> BigInt,
        sha256 -> Text,
        sha512 -> Text,
        status -> Text,
        document_type -> Nullable<Text>,
        title -> Nullable<Text>,
        facts -> Text,
        supersedes_id -> Nullable<Text>,
        superseded_by_id -> Nullable<Text>,
        uploaded_by_type -> Text,
        uploaded_by_id -> Nullable<Text>,
        uploaded_by_name -> Text,
        uploaded_at -> Timestamp,
        published_by_name -> Nullable<Text>,
        published_at -> Nullable<Timestamp>,
        withdrawn_by_name -> Nullable<Text>,
        withdrawn_at -> Nullable<Timestamp>,
        withdrawal_reason -> Nullable<Text>,
        tlp -> Nullable<Text>,
        sbom_purl -> Nullable<Text>,
        sbom_purl_base -> Nullable<Text>,
        sbom_cpe -> Nullable<Text>,
    }
}

diesel::table! {
    csaf_documents (artifact_id) {
        artifact_id -> Text,
        org_id -> Text,
        tracking_id -> Text,
        title -> Text,
        initial_release -> Timestamp,
        current_release -> Timestamp,
        publisher_category -> Nullable<Text>,
        publisher_name -> Nullable<Text>,
        publisher_namespace -> Nullable<Text>,
        purls -> Text,
    }
}

diesel::table! {
    artifact_versions (artifact_id, version_id) {
        artifact_id -> Text,
        version_id -> Text,
    }
}

diesel::table! {
    artifact_vulnerabilities (artifact_id, vulnerability_id) {
        artifact_id -> Text,
        vulnerability_id -> Text,
    }
}

diesel::table! {
    vex_statements (id) {
        id -> BigInt,
        artifact_id -> Text,
        vulnerability_id -> Text,
        aliases -> Text,
        product_ref -> Text,
        product_name -> Nullable<Text>,
        purl -> Nullable<Text>,
        status -> Text,
        justification -> Nullable<Text>,
        impact_statement -> Nullable<Text>,
        action_statement -> Nullable<Text>,
        statement_time -> Nullable<Text>,
    }
}

diesel::table! {
    api_keys (id) {
        id -> Text,
        org_id -> Text,
        name -> Text,
        hint -> Text,
        secret_hash -> Text,
        scopes -> Text,
        publish_on_push -> Bool,
        created_by_id -> Nullable<Text>,
        created_by_name -> Text,
        created_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    portals (org_id) {
        org_id -> Text,
        enabled -> Bool,
        slug -> Text,
        visibility -> Text,
        display_name -> Text,
        description -> Text,
        contact_email -> Nullable<Text>,
        updated_at -> Timestamp,
        default_tlp -> Text,
        csaf_publisher_name -> Nullable<Text>,
        csaf_publisher_namespace -> Nullable<Text>,
        csaf_publisher_category -> Text,
        csaf_publisher_contact_details -> Nullable<Text>,
        csaf_publisher_issuing_authority -> Nullable<Text>,
        require_conformance -> Text,
        notify_within_hours -> Integer,
        critical_fix_business_days -> Integer,
        expiry_warning_days -> Text,
        landing_show_description -> Bool,
        landing_show_contact -> Bool,
        logo_sha256 -> Nullable<Text>,
        logo_media_type -> Nullable<Text>,
        access_requests_enabled -> Bool,
        nda_text -> Nullable<Text>,
        nda_version -> Nullable<Text>,
    }
}

diesel::table! {
    access_tokens (id) {
        id -> Text,
        org_id -> Text,
        name -> Text,
        hint -> Text,
        secret_hash -> Text,
        product_ids -> Nullable<Text>,
        created_by_id -> Nullable<Text>,
        created_by_name -> Text,
        created_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        last_used_ip -> Nullable<Text>,
        use_count -> BigInt,
        revoked_at -> Nullable<Timestamp>,
        revoked_by_name -> Nullable<Text>,
        max_tlp -> Text,
        contact_email -> Nullable<Text>,
        expiry_warned -> Text,
    }
}

diesel::table! {
    audit_daily (org_id, day, action, outcome, actor_type, actor_id, product_id) {
        org_id -> Text,
        day -> Date,
        action -> Text,
        outcome -> Text,
        actor_type -> Text,
        actor_id -> Text,
        product_id -> Text,
        events -> BigInt,
    }
}

diesel::table! {
    portal_sessions (id) {
        id -> Text,
        token_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        ip -> Nullable<Text>,
    }
}

diesel::table! {
    audit_daily_actions (org_id, day, action, outcome) {
        org_id -> Text,
        day -> Date,
        action -> Text,
        outcome -> Text,
        events -> BigInt,
    }
}

diesel::table! {
    audit_daily_products (org_id, day, product_id) {
        org_id -> Text,
        day -> Date,
        product_id -> Text,
        downloads -> BigInt,
    }
}

diesel::table! {
    audit_daily_actors (org_id, day, actor_id) {
        org_id -> Text,
        day -> Date,
        actor_id -> Text,
        events -> BigInt,
        downloads -> BigInt,
    }
}

diesel::table! {
    audit_hourly_ips (org_id, hour, actor_id, ip) {
        org_id -> Text,
        hour -> Timestamp,
        actor_id -> Text,
        ip -> Text,
        events -> BigInt,
        downloads -> BigInt,
        first_at -> Timestamp,
        last_at -> Timestamp,
    }
}

diesel::table! {
    vulnerabilities (id) {
        id -> Text,
        org_id -> Text,
        vuln_id -> Text,
        aliases -> Text,
        title -> Text,
        description -> Text,
        severity -> Text,
        cvss_v3_vector -> Nullable<Text>,
        actively_exploited -> Bool,
        aware_at -> Timestamp,
        created_at -> Timestamp,
        created_by_name -> Text,
        updated_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
        revision -> Integer,
        published_at -> Nullable<Timestamp>,
        first_notified_at -> Nullable<Timestamp>,
        first_fixed_published_at -> Nullable<Timestamp>,
        reminded -> Text,
    }
}

diesel::table! {
    vuln_assessments (vulnerability_id, version_id) {
        vulnerability_id -> Text,
        version_id -> Text,
        status -> Text,
        justification -> Nullable<Text>,
        impact_statement -> Nullable<Text>,
        action_statement -> Nullable<Text>,
        fixed_in -> Nullable<Text>,
        updated_at -> Timestamp,
        updated_by_name -> Text,
    }
}

diesel::table! {
    vuln_reports (vulnerability_id, kind) {
        vulnerability_id -> Text,
        kind -> Text,
        submitted_at -> Timestamp,
        reference -> Nullable<Text>,
        recorded_by_name -> Text,
    }
}

diesel::table! {
    vuln_documents (vulnerability_id, version_id, format) {
        vulnerability_id -> Text,
        version_id -> Text,
        format -> Text,
        artifact_id -> Text,
        revision -> Integer,
        history -> Text,
        generated_at -> Timestamp,
    }
}

diesel::table! {
    vuln_steps (id) {
        id -> Text,
        vulnerability_id -> Text,
        at -> Timestamp,
        kind -> Text,
        summary -> Text,
        actor_name -> Text,
        audit_event_id -> Nullable<Text>,
    }
}

diesel::table! {
    subscriptions (id) {
        id -> Text,
        org_id -> Text,
        token_id -> Text,
        email -> Nullable<Text>,
        webhook_url -> Nullable<Text>,
        sealed_secret -> Nullable<Text>,
        secret_hint -> Nullable<Text>,
        events -> Text,
        product_ids -> Nullable<Text>,
        created_at -> Timestamp,
        created_by_name -> Text,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    notifications (id) {
        id -> Text,
        org_id -> Text,
        token_id -> Nullable<Text>,
        subscription_id -> Nullable<Text>,
        vulnerability_id -> Nullable<Text>,
        channel -> Text,
        target -> Text,
        event_type -> Text,
        payload -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    renewal_requests (id) {
        id -> Text,
        org_id -> Text,
        token_id -> Text,
        message -> Text,
        requested_at -> Timestamp,
        status -> Text,
        decided_at -> Nullable<Timestamp>,
        decided_by_name -> Nullable<Text>,
        new_expires_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    access_requests (id) {
        id -> Text,
        org_id -> Text,
        name -> Text,
        company -> Text,
        email -> Text,
        reason -> Text,
        nda_version -> Nullable<Text>,
        nda_sha256 -> Nullable<Text>,
        requested_at -> Timestamp,
        status -> Text,
        decided_at -> Nullable<Timestamp>,
        decided_by_name -> Nullable<Text>,
        decision_note -> Nullable<Text>,
        token_id -> Nullable<Text>,
    }
}

diesel::joinable!(memberships -> organizations (org_id));
diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(user_sessions -> users (user_id));

diesel::joinable!(products -> organizations (org_id));
diesel::joinable!(product_versions -> products (product_id));
diesel::joinable!(artifacts -> product_versions (version_id));
diesel::joinable!(artifact_versions -> product_versions (version_id));
diesel::joinable!(vex_statements -> artifacts (artifact_id));
diesel::joinable!(csaf_documents -> artifacts (artifact_id));
diesel::joinable!(api_keys -> organizations (org_id));
diesel::joinable!(portals -> organizations (org_id));
diesel::joinable!(access_tokens -> organizations (org_id));
diesel::joinable!(portal_sessions -> access_tokens (token_id));

diesel::allow_tables_to_appear_in_same_query!(
    csaf_documents,
    organizations,
    account_links,
    access_requests,
    users,
    memberships,
    user_sessions,
    instance_setup,
    audit_events,
    products,
    product_versions,
    artifacts,
    artifact_versions,
    artifact_vulnerabilities,
    vex_statements,
    api_keys,
    portals,
    access_tokens,
    audit_daily,
    portal_sessions,
    audit_daily_actions,
    audit_daily_products,
    audit_daily_actors,
    audit_hourly_ips,
    audit_monthly_actors,
    signing_keys,
    csaf_signatures,
    tea_collections,
    checklist_templates,
    product_checklists,
    checklist_acknowledgements,
    vulnerabilities,
    vuln_assessments,
    vuln_reports,
    vuln_steps,
    vuln_documents,
    subscriptions,
    notifications,
    renewal_requests,
    recovery_codes,
);

diesel::table! {
    audit_monthly_actors (org_id, month, actor_id) {
        org_id -> Text,
        month -> Date,
        actor_id -> Text,
        events -> BigInt,
        downloads -> BigInt,
    }
}

diesel::table! {
    signing_keys (id) {
        id -> Text,
        org_id -> Text,
        fingerprint -> Text,
        algorithm -> Text,
        user_id -> Text,
        public_key -> Text,
        sealed_secret -> Text,
        created_by_name -> Text,
        created_at -> Timestamp,
        retired_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    csaf_signatures (artifact_id, key_id) {
        artifact_id -> Text,
        key_id -> Text,
        signature -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    tea_collections (version_id, collection_version) {
        version_id -> Text,
        collection_version -> Integer,
        created_at -> Timestamp,
        update_reason -> Text,
        update_comment -> Nullable<Text>,
        artifact_ids -> Text,
    }
}

diesel::table! {
    checklist_templates (org_id) {
        org_id -> Text,
        sections -> Text,
        updated_at -> Timestamp,
        updated_by_name -> Text,
    }
}

diesel::table! {
    product_checklists (product_id) {
        product_id -> Text,
        org_id -> Text,
        answers -> Text,
        published -> Bool,
        updated_at -> Timestamp,
        updated_by_name -> Text,
    }
}

diesel::table! {
    checklist_acknowledgements (id) {
        id -> Text,
        org_id -> Text,
        product_id -> Text,
        token_id -> Text,
        name -> Text,
        title -> Text,
        sha256 -> Text,
        acknowledged_at -> Timestamp,
    }
}
