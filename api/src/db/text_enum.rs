//! Enums stored as text columns, mapped to the database once: `text_enum!(T)` gives `T` the
//! `FromSql`/`ToSql` pair for `Text` on every backend (SQLite, Postgres and the multi-connection
//! backend over both) through strum's names. A stored value the code does not know is an error
//! that names the type and the value, never a silent fallback.

/// Implements `FromSql<Text, _>` and `ToSql<Text, _>` for an enum deriving
/// `strum::EnumString`, `strum::IntoStaticStr`, `diesel::AsExpression` and `diesel::FromSqlRow`
/// (with `#[diesel(sql_type = diesel::sql_types::Text)]`).
#[macro_export]
macro_rules! text_enum {
    ($t:ty) => {
        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $t
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let s = <String as diesel::deserialize::FromSql<diesel::sql_types::Text, DB>>::from_sql(bytes)?;
                s.parse::<$t>().map_err(|_| format!("unknown {} `{s}` stored in the database", stringify!($t)).into())
            }
        }

        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $t
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut diesel::serialize::Output<'b, '_, DB>) -> diesel::serialize::Result {
                let s: &'static str = self.into();
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, DB>>::to_sql(s, out)
            }
        }
    };
}

/// A `snake_case` vocabulary stored as text and spoken on the wire: the enum with its derives
/// (serde, strum, utoipa, diesel), [`text_enum!`] and `as_str`, declared once.
#[macro_export]
macro_rules! text_vocabulary {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
            strum::EnumString, strum::IntoStaticStr, strum::EnumIter, diesel::AsExpression, diesel::FromSqlRow)]
        #[diesel(sql_type = diesel::sql_types::Text)]
        #[serde(rename_all = "snake_case")]
        #[strum(serialize_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant),+ }
        $crate::text_enum!($name);
        impl $name {
            pub fn as_str(self) -> &'static str { self.into() }
        }
    };
}
