//! SQL built piece by piece, for IN lists and multi-row VALUES on both engines.

use super::Backend;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::{Any, Arguments, Encode, Type};

/// on) for PostgreSQL, since sqlx's `QueryBuilder` writes `?` under the `Any` driver and
/// PostgreSQL refuses that; plain `?` for SQLite, where sqlx would look each numbered one up by
/// name (with a batch's thousands of values, that lookup alone took 5 % of the hub's time).
pub struct Sql<'a> {
    backend: Backend,
    text: String,
    args: AnyArguments<'a>,
    n: usize,
}

impl<'a> Sql<'a> {
    pub fn new(backend: Backend, text: &str) -> Self {
        Sql {
            backend,
            text: text.to_string(),
            args: AnyArguments::default(),
            n: 0,
        }
    }
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }
    /// Write the next placeholder and bind `v` to it.
    pub fn bind<T: 'a + Encode<'a, Any> + Type<Any>>(&mut self, v: T) -> &mut Self {
        self.n += 1;
        match self.backend {
            Backend::Sqlite => self.text.push('?'),
            Backend::Postgres => {
                self.text.push('$');
                self.text.push_str(&self.n.to_string());
            }
        }
        self.args.add(v).expect("a value the Any driver encodes");
        self
    }
    /// A parenthesised, comma-separated list with one placeholder per item, for `IN`.
    pub fn list<T: 'a + Encode<'a, Any> + Type<Any>>(
        &mut self,
        items: impl IntoIterator<Item = T>,
    ) -> &mut Self {
        let mut items = items.into_iter().peekable();
        if items.peek().is_none() {
            // `IN (NULL)` is valid SQL that matches nothing.
            return self.push("(NULL)");
        }
        self.rows([items], |r, items| {
            for v in items {
                r.bind(v);
            }
        })
    }
    /// One parenthesised tuple per item, comma-separated, for multi-row `VALUES` (give at least
    /// one item); `f` binds a tuple's values in order.
    pub fn rows<I>(
        &mut self,
        items: impl IntoIterator<Item = I>,
        mut f: impl FnMut(&mut Tuple<'_, 'a>, I),
    ) -> &mut Self {
        for (i, item) in items.into_iter().enumerate() {
            self.text.push_str(if i == 0 { "(" } else { "), (" });
            f(
                &mut Tuple {
                    sql: self,
                    first: true,
                },
                item,
            );
        }
        self.text.push(')');
        self
    }
    pub async fn fetch_all<'e>(
        self,
        e: impl sqlx::Executor<'e, Database = Any>,
    ) -> sqlx::Result<Vec<AnyRow>> {
        sqlx::query_with(&self.text, self.args).fetch_all(e).await
    }
    pub async fn execute<'e>(
        self,
        e: impl sqlx::Executor<'e, Database = Any>,
    ) -> sqlx::Result<u64> {
        Ok(sqlx::query_with(&self.text, self.args)
            .execute(e)
            .await?
            .rows_affected())
    }
}

/// The values of one tuple in [`Sql::rows`], comma-separated.
pub struct Tuple<'s, 'a> {
    sql: &'s mut Sql<'a>,
    first: bool,
}

impl<'a> Tuple<'_, 'a> {
    pub fn bind<T: 'a + Encode<'a, Any> + Type<Any>>(&mut self, v: T) -> &mut Self {
        if !self.first {
            self.sql.text.push_str(", ");
        }
        self.first = false;
        self.sql.bind(v);
        self
    }
}
