//! `sum_i64(column)`: the sum of a BIGINT column as a BIGINT on both backends.
//!
//! Diesel's `sum` follows each backend's rules: on Postgres `SUM(bigint)` is `NUMERIC`, which
//! would need a decimal type just to read counters back. This node writes
//! `CAST(SUM(<expr>) AS BIGINT)`, an aggregate usable in any `select`/`order` of a `group_by`
//! query. Written by hand for that one cast; everything else uses diesel's own aggregates.

use diesel::backend::Backend;
use diesel::expression::{is_aggregate, AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::BigInt;
use diesel::QueryResult;

#[derive(Debug, Clone, Copy)]
pub struct SumI64<E>(E);

/// `CAST(SUM(expr) AS BIGINT)` (0 rows in a group never happen: groups have rows).
pub fn sum_i64<E: Expression<SqlType = BigInt>>(expr: E) -> SumI64<E> {
    SumI64(expr)
}

impl<E> Expression for SumI64<E> {
    type SqlType = BigInt;
}

impl<E, QS> AppearsOnTable<QS> for SumI64<E> where E: AppearsOnTable<QS> {}

impl<E, QS> SelectableExpression<QS> for SumI64<E> where E: SelectableExpression<QS> {}

impl<E, GB> ValidGrouping<GB> for SumI64<E> {
    type IsAggregate = is_aggregate::Yes;
}

impl<E> QueryId for SumI64<E> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<E: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for SumI64<E> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("CAST(SUM(");
        self.0.walk_ast(out.reborrow())?;
        out.push_sql(") AS BIGINT)");
        Ok(())
    }
}
