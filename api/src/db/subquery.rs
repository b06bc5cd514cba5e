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
