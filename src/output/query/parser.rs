//! Pratt parser, a line-by-line port of `jmespath.parser.Parser` so that exactly the same
//! expressions are accepted (including its quirks, e.g. `f(a b)` or `{a: b c: d}`) and syntax
//! errors carry Python's messages and positions.

use std::sync::Arc;

use super::ast::{Comparator, Node};
use super::error::SyntaxError;
use super::lexer::{Kind, Token, TokenValue, tokenize};

/// Python's own recursion limit rejects roughly 250–500 nesting levels depending on the
/// construct; this bounds both our parser recursion and the height of the tree (which the
/// evaluator and `Drop` recurse over) so that a debug build stays within a 2 MiB thread stack.
const MAX_NESTING: usize = 300;

/// Errors are boxed to keep results small: debug builds reserve stack for every temporary
/// result, per nesting level.
pub(super) type PResult<T> = Result<T, Box<SyntaxError>>;

pub(super) fn parse(expression: &str) -> Result<Node, SyntaxError> {
    let tokens = tokenize(expression)?;
    let mut parser = Parser {
        tokens,
        index: 0,
        expression,
        depth: 0,
    };
    let node = parser.expression(0).map_err(|e| *e)?;
    if parser.current() != Kind::Eof {
        let token = parser.token(0);
        let reason = format!("Unexpected token: {}", token.display_value());
        return Err(*parser.error_for(reason, token));
    }
    Ok(node)
}

pub(super) struct Parser<'a> {
    tokens: Vec<Token>,
    index: usize,
    expression: &'a str,
    depth: usize,
}

impl Parser<'_> {
    pub(super) fn token(&self, offset: isize) -> &Token {
        let last = self.tokens.len() - 1;
        let i = self.index.checked_add_signed(offset).unwrap_or(0).min(last);
        &self.tokens[i]
    }

    pub(super) fn current(&self) -> Kind {
        self.token(0).kind
    }

    pub(super) fn lookahead(&self, offset: isize) -> Kind {
        self.token(offset).kind
    }

    pub(super) fn advance(&mut self) {
        self.index += 1;
    }

    pub(super) fn error_for(&self, reason: String, token: &Token) -> Box<SyntaxError> {
        let value = token.display_value();
        Box::new(SyntaxError::parse(
            reason,
            token.start,
            &value,
            token.kind.name(),
            self.expression,
        ))
    }

    pub(super) fn error_maybe_eof(&self, expected: &str) -> Box<SyntaxError> {
        let token = self.token(0);
        if token.kind == Kind::Eof {
            return Box::new(SyntaxError::incomplete(self.expression));
        }
        self.error_for(
            format!("Expecting: {expected}, got: {}", token.kind.name()),
            token,
        )
    }

    pub(super) fn expect(&mut self, kind: Kind) -> PResult<()> {
        if self.current() != kind {
            return Err(self.error_maybe_eof(kind.name()));
        }
        self.advance();
        Ok(())
    }

    /// Counts one level of nesting, for recursion and for each node wrapping `left`.
    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(Box::new(SyntaxError::too_deep(self.token(0).start)));
        }
        Ok(())
    }

    pub(super) fn expression(&mut self, binding_power: u8) -> PResult<Node> {
        let saved = self.depth;
        let result = match self.enter() {
            Ok(()) => self.expression_body(binding_power),
            Err(e) => Err(e),
        };
        self.depth = saved;
        result
    }

    fn expression_body(&mut self, binding_power: u8) -> PResult<Node> {
        self.advance();
        let mut left = self.nud()?;
        while binding_power < self.current().binding_power() {
            // Python appends to these two node kinds instead of wrapping, so no height is added.
            let appends = match (&left, self.current()) {
                (Node::Subexpression(_), Kind::Dot) => self.lookahead(1) != Kind::Star,
                (Node::IndexExpression(_), Kind::Lbracket) => {
                    matches!(self.lookahead(1), Kind::Number | Kind::Colon)
                }
                _ => false,
            };
            if !appends {
                self.enter()?;
            }
            left = self.led(left)?;
        }
        Ok(left)
    }

    /// Dispatches on the token just consumed. Every arm is a separate function because in
    /// debug builds one large function reserves stack for all arms at every nesting level.
    fn nud(&mut self) -> PResult<Node> {
        let token = self.token(-1);
        match token.kind {
            Kind::Literal => Ok(match &token.value {
                TokenValue::Literal(value) => Node::Literal(value.clone()),
                _ => Node::Identity,
            }),
            Kind::UnquotedIdentifier => Ok(Node::Field(token.display_value())),
            Kind::QuotedIdentifier => self.nud_quoted_identifier(),
            Kind::Star => self.nud_star(),
            Kind::Filter => self.led_filter(Node::Identity),
            Kind::Lbrace => self.multi_select_hash(),
            Kind::Lparen => self.nud_lparen(),
            Kind::Flatten => self.flatten(Node::Identity),
            Kind::Not => Ok(Node::Not(Box::new(
                self.expression(Kind::Not.binding_power())?,
            ))),
            Kind::Lbracket => self.nud_lbracket(),
            Kind::Current => Ok(Node::Current),
            Kind::Expref => self.nud_expref(),
            Kind::Eof => Err(Box::new(SyntaxError::incomplete(self.expression))),
            _ => Err(self.error_for("invalid token".into(), token)),
        }
    }

    #[inline(never)]
    fn nud_quoted_identifier(&mut self) -> PResult<Node> {
        if self.current() == Kind::Lparen {
            let reason = "Quoted identifier not allowed for function names.".to_string();
            let t = self.token(0);
            let value = t.display_value();
            return Err(Box::new(SyntaxError::parse(
                reason,
                0,
                &value,
                t.kind.name(),
                self.expression,
            )));
        }
        Ok(Node::Field(self.token(-1).display_value()))
    }

    #[inline(never)]
    fn nud_star(&mut self) -> PResult<Node> {
        let right = if self.current() == Kind::Rbracket {
            Node::Identity
        } else {
            self.projection_rhs(Kind::Star.binding_power())?
        };
        Ok(Node::ValueProjection(
            Box::new(Node::Identity),
            Box::new(right),
        ))
    }

    #[inline(never)]
    fn nud_lparen(&mut self) -> PResult<Node> {
        let inner = self.expression(0)?;
        self.expect(Kind::Rparen)?;
        Ok(inner)
    }

    #[inline(never)]
    fn nud_lbracket(&mut self) -> PResult<Node> {
        if matches!(self.current(), Kind::Number | Kind::Colon) {
            let right = self.index_expression()?;
            self.project_if_slice(Node::Identity, right)
        } else if self.current() == Kind::Star && self.lookahead(1) == Kind::Rbracket {
            self.advance();
            self.advance();
            let right = self.projection_rhs(Kind::Star.binding_power())?;
            Ok(Node::Projection(Box::new(Node::Identity), Box::new(right)))
        } else {
            self.multi_select_list()
        }
    }

    #[inline(never)]
    fn nud_expref(&mut self) -> PResult<Node> {
        let inner = self.expression(Kind::Expref.binding_power())?;
        Ok(Node::Expref(Arc::new(inner)))
    }

    #[inline(never)]
    pub(super) fn flatten(&mut self, left: Node) -> PResult<Node> {
        let left = Node::Flatten(Box::new(left));
        let right = self.projection_rhs(Kind::Flatten.binding_power())?;
        Ok(Node::Projection(Box::new(left), Box::new(right)))
    }

    fn led(&mut self, left: Node) -> PResult<Node> {
        let kind = self.current();
        let comparator = match kind {
            Kind::Eq => Comparator::Eq,
            Kind::Ne => Comparator::Ne,
            Kind::Gt => Comparator::Gt,
            Kind::Gte => Comparator::Gte,
            Kind::Lt => Comparator::Lt,
            Kind::Lte => Comparator::Lte,
            Kind::Dot
            | Kind::Pipe
            | Kind::Or
            | Kind::And
            | Kind::Lparen
            | Kind::Filter
            | Kind::Flatten
            | Kind::Lbracket => {
                self.advance();
                return match kind {
                    Kind::Dot => self.led_dot(left),
                    Kind::Lparen => self.led_lparen(left),
                    Kind::Filter => self.led_filter(left),
                    Kind::Flatten => self.flatten(left),
                    Kind::Lbracket => self.led_lbracket(left),
                    _ => self.led_binary(kind, left),
                };
            }
            _ => return Err(self.error_for("invalid token".into(), self.token(0))),
        };
        self.advance();
        let right = self.expression(kind.binding_power())?;
        Ok(Node::Comparator(
            comparator,
            Box::new(left),
            Box::new(right),
        ))
    }

    #[inline(never)]
    fn led_binary(&mut self, kind: Kind, left: Node) -> PResult<Node> {
        let right = Box::new(self.expression(kind.binding_power())?);
        let left = Box::new(left);
        Ok(match kind {
            Kind::Pipe => Node::Pipe(left, right),
            Kind::Or => Node::Or(left, right),
            _ => Node::And(left, right),
        })
    }
}
