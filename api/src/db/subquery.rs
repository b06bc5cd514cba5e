//! `column IN (subquery)` for boxed subqueries.
//!
//! Written by hand because diesel's own `eq_any(subquery)` cannot carry the disclosure rule's
//! nested subqueries: its type-level check for correlated subqueries refuses a table that appears
//! twice in the nesting (products inside products), and on the multi-connection backend its `IN`
//! needs each subquery to be a fragment of every inner backend, which a boxed query is not.
//! This node just writes `<column> IN (<subquery>)`; binds are collected in walk order.

use diesel::backend::Backend;
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::Bool;
use diesel::QueryResult;

#[derive(Debug, Clone)]
pub struct InSubquery<C, S> {
    column: C,
    subquery: S,
}

/// `column IN (subquery)`; `subquery` selects one column of the same SQL type.
pub fn in_subquery<C, S>(column: C, subquery: S) -> InSubquery<C, S> {
    InSubquery { column, subquery }
}

impl<C: Expression, S> Expression for InSubquery<C, S> {
    type SqlType = Bool;
}

impl<C, S, QS> AppearsOnTable<QS> for InSubquery<C, S> where C: AppearsOnTable<QS> {}

impl<C, S, QS> SelectableExpression<QS> for InSubquery<C, S> where C: SelectableExpression<QS> {}

impl<C, S, GB> ValidGrouping<GB> for InSubquery<C, S>
where
    C: ValidGrouping<GB>,
{
    type IsAggregate = C::IsAggregate;
}

impl<C, S> QueryId for InSubquery<C, S> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<C, S, DB> QueryFragment<DB> for InSubquery<C, S>
where
    DB: Backend,
    C: QueryFragment<DB>,
    S: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (");
        self.subquery.walk_ast(out.reborrow())?;
        out.push_sql(")");
        Ok(())
    }
}

/// A column of the enclosing query, inside a correlated subquery (`EXISTS (… WHERE x = outer.col)`).
///
/// Diesel's type-level check only lets a subquery's filters name its own tables; this wrapper
/// writes the column as usual (`"table"."column"`) and is accepted whatever the FROM clause. The
/// SQL resolves it to the nearest enclosing query that has that table, so the subquery must not
/// itself select from the outer column's table.
#[derive(Debug, Clone, Copy)]
pub struct Outer<C>(pub C);

/// See [`Outer`].
pub fn outer<C>(column: C) -> Outer<C> {
    Outer(column)
}

impl<C: Expression> Expression for Outer<C> {
    type SqlType = C::SqlType;
}

impl<C: Expression, QS> AppearsOnTable<QS> for Outer<C> {}

impl<C: Expression, QS> SelectableExpression<QS> for Outer<C> {}

impl<C, GB> ValidGrouping<GB> for Outer<C> {
    type IsAggregate = diesel::expression::is_aggregate::Never;
}

impl<C> QueryId for Outer<C> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<C: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for Outer<C> {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.0.walk_ast(out)
    }
}

/// `EXISTS (subquery)` over a boxed subquery, usable in any query's filter (the subquery is
/// usually correlated through [`Outer`]). Diesel's own `exists` needs the subquery's type to be
/// valid for every backend of the multi-connection, which a boxed query is not.
pub struct Exists<DB: Backend>(Box<dyn QueryFragment<DB> + Send + 'static>);

/// See [`Exists`].
pub fn exists<DB: Backend, S: QueryFragment<DB> + Send + 'static>(subquery: S) -> Exists<DB> {
    Exists(Box::new(subquery))
}

impl<DB: Backend> Expression for Exists<DB> {
    type SqlType = Bool;
}

impl<DB: Backend, QS> AppearsOnTable<QS> for Exists<DB> {}

impl<DB: Backend, QS> SelectableExpression<QS> for Exists<DB> {}

impl<DB: Backend, GB> ValidGrouping<GB> for Exists<DB> {
    type IsAggregate = diesel::expression::is_aggregate::Never;
}

impl<DB: Backend> QueryId for Exists<DB> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<DB: Backend> QueryFragment<DB> for Exists<DB> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("EXISTS (");
        self.0.walk_ast(out.reborrow())?;
        out.push_sql(")");
        Ok(())
    }
}

/// `column IN (?, …, ?)` over exactly `N` text values, the set padded by repeating its last value:
/// the same SQL text whatever the set, so the statement is prepared once per connection and then
/// taken from diesel's statement cache. Diesel's `eq_any` writes one placeholder per value and
/// marks its statement unsafe to cache on SQLite, so every query that names a small, bounded set
/// (the disclosure rule's TLP labels) was parsed and planned anew on every request.
pub struct InFixed<C, V, const N: usize> {
    column: C,
    values: [V; N],
}

/// See [`InFixed`]; `None` when `values` is empty or holds more than `N`.
pub fn in_fixed<C, V: Clone, const N: usize>(column: C, values: &[V]) -> Option<InFixed<C, V, N>> {
    let last = values.last()?;
    (values.len() <= N)
        .then(|| InFixed { column, values: std::array::from_fn(|i| values.get(i).unwrap_or(last).clone()) })
}

impl<C: Expression, V, const N: usize> Expression for InFixed<C, V, N> {
    type SqlType = Bool;
}

impl<C, V, QS, const N: usize> AppearsOnTable<QS> for InFixed<C, V, N> where C: AppearsOnTable<QS> {}

impl<C, V, QS, const N: usize> SelectableExpression<QS> for InFixed<C, V, N> where C: SelectableExpression<QS> {}

impl<C, V, GB, const N: usize> ValidGrouping<GB> for InFixed<C, V, N>
where
    C: ValidGrouping<GB>,
{
    type IsAggregate = C::IsAggregate;
}

impl<C, V, const N: usize> QueryId for InFixed<C, V, N> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<C, V, DB, const N: usize> QueryFragment<DB> for InFixed<C, V, N>
where
    DB: Backend + diesel::sql_types::HasSqlType<diesel::sql_types::Text>,
    C: QueryFragment<DB>,
    V: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (");
        for (i, v) in self.values.iter().enumerate() {
            if i > 0 {
                out.push_sql(", ");
            }
            out.push_bind_param::<diesel::sql_types::Text, V>(v)?;
        }
        out.push_sql(")");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use diesel::prelude::*;

    use super::in_fixed;
    use crate::db::schema::artifacts;
    use crate::domain::Tlp;

    fn sql(labels: &[Tlp]) -> String {
        let q = artifacts::table.select(artifacts::id).filter(in_fixed::<_, _, 4>(artifacts::tlp, labels).unwrap());
        diesel::debug_query::<diesel::sqlite::Sqlite, _>(&q).to_string()
    }

    #[test]
    fn every_set_writes_the_same_statement_padded_with_its_last_value() {
        let one = sql(&[Tlp::Clear]);
        let three = sql(&[Tlp::Clear, Tlp::Green, Tlp::Amber]);
        let statement = |s: &str| s.split(" -- binds:").next().unwrap_or_default().to_string();
        assert_eq!(statement(&one), statement(&three));
        assert!(one.contains("IN (?, ?, ?, ?)"), "{one}");
        assert!(one.ends_with("binds: [Clear, Clear, Clear, Clear]"), "{one}");
        assert!(three.ends_with("binds: [Clear, Green, Amber, Amber]"), "{three}");
        assert!(in_fixed::<_, Tlp, 4>(artifacts::tlp, &[]).is_none());
        assert!(in_fixed::<_, _, 2>(artifacts::tlp, &[Tlp::Clear, Tlp::Green, Tlp::Red]).is_none());
    }
}
