//! Typed ids of the main entities, on the floor. An `ArtifactId` cannot be passed where a
//! `VersionId` is expected; each is text in the database and a plain string on the wire (its own
//! named string schema in the OpenAPI document). `Deref<Target = str>` lets an id go wherever a
//! `&str` is read (a log line, a format, a diesel filter on a text column).

/// Declares a string id type: serde-transparent, stored as `Text` on every backend, a named
/// string schema, and `Display`/`Deref`/`From<String>`/`PartialEq<str>`.
macro_rules! entity_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default,
            serde::Serialize, serde::Deserialize, diesel::AsExpression, diesel::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name(s)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_string())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                <String as diesel::deserialize::FromSql<diesel::sql_types::Text, DB>>::from_sql(bytes).map($name)
            }
        }

        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut diesel::serialize::Output<'b, '_, DB>) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, DB>>::to_sql(self.0.as_str(), out)
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .description(Some(concat!("The id of ", $crate::ids::article!($name))))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

/// "an organisation", "a product" … for the schema descriptions.
#[macro_export]
#[doc(hidden)]
macro_rules! __id_article {
    (OrgId) => {
        "an organisation"
    };
    (ProductId) => {
        "a product"
    };
    (VersionId) => {
        "a product version"
    };
    (ArtifactId) => {
        "an artifact"
    };
    (TokenId) => {
        "a customer access token"
    };
    (UserId) => {
        "a user"
    };
}
pub(crate) use __id_article as article;

entity_id!(
    /// An organisation (the manufacturer).
    OrgId
);
entity_id!(
    /// A product of an organisation.
    ProductId
);
entity_id!(
    /// A version of a product.
    VersionId
);
entity_id!(
    /// An uploaded artifact (SBOM, VEX, advisory, document).
    ArtifactId
);
entity_id!(
    /// A customer's access token (not its secret).
    TokenId
);
entity_id!(
    /// A user account.
    UserId
);
