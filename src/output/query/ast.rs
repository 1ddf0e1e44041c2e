//! The syntax tree, mirroring the node types of Python's `jmespath.ast`.

use std::sync::Arc;

use super::value::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Comparator {
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
}

impl Comparator {
    /// The Python operator symbol, as it appears in `TypeError` messages.
    pub(super) fn symbol(self) -> &'static str {
        match self {
            Comparator::Eq => "==",
            Comparator::Ne => "!=",
            Comparator::Lt => "<",
            Comparator::Lte => "<=",
            Comparator::Gt => ">",
            Comparator::Gte => ">=",
        }
    }
}

#[derive(Debug, Clone)]
pub(super) enum Node {
    Identity,
    Current,
    Field(String),
    Literal(Value),
    /// Python ints are unbounded; saturating to i64 keeps every index/slice result identical
    /// because any list is far shorter.
    Index(i64),
    Slice {
        start: Option<i64>,
        stop: Option<i64>,
        step: Option<i64>,
    },
    /// Children are applied in sequence (`a.b.c`), as Python flattens them.
    Subexpression(Vec<Node>),
    IndexExpression(Vec<Node>),
    Projection(Box<Node>, Box<Node>),
    ValueProjection(Box<Node>, Box<Node>),
    FilterProjection {
        left: Box<Node>,
        right: Box<Node>,
        condition: Box<Node>,
    },
    Flatten(Box<Node>),
    Comparator(Comparator, Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    And(Box<Node>, Box<Node>),
    Not(Box<Node>),
    Pipe(Box<Node>, Box<Node>),
    MultiSelectList(Vec<Node>),
    MultiSelectHash(Vec<(String, Node)>),
    Function {
        name: String,
        args: Vec<Node>,
    },
    /// Shared so that evaluating `&expr` can hand out a value pointing at the subtree.
    Expref(Arc<Node>),
}
