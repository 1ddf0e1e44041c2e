//! The parser's grammar rules for dots, brackets, filters, function calls, slices and
//! multiselects: the remaining `_token_led_*` / `_parse_*` methods of `jmespath.parser.Parser`.

use super::ast::Node;
use super::lexer::{Kind, TokenValue};
use super::parser::{PResult, Parser};
use super::pyfmt::str_list_repr;

/// `Parser._PROJECTION_STOP`: tokens binding weaker than this end a projection.
const PROJECTION_STOP: u8 = 10;

impl Parser<'_> {
    #[inline(never)]
    pub(super) fn led_dot(&mut self, left: Node) -> PResult<Node> {
        if self.current() == Kind::Star {
            self.advance();
            let right = self.projection_rhs(Kind::Dot.binding_power())?;
            return Ok(Node::ValueProjection(Box::new(left), Box::new(right)));
        }
        let right = self.dot_rhs(Kind::Dot.binding_power())?;
        Ok(match left {
            Node::Subexpression(mut children) => {
                children.push(right);
                Node::Subexpression(children)
            }
            other => Node::Subexpression(vec![other, right]),
        })
    }

    #[inline(never)]
    pub(super) fn led_lparen(&mut self, left: Node) -> PResult<Node> {
        let Node::Field(name) = left else {
            let token = self.token(-2);
            let reason = format!("Invalid function name '{}'", token.display_value());
            return Err(self.error_for(reason, token));
        };
        let mut args = Vec::new();
        while self.current() != Kind::Rparen {
            let arg = self.expression(0)?;
            if self.current() == Kind::Comma {
                self.expect(Kind::Comma)?;
            }
            args.push(arg);
        }
        self.expect(Kind::Rparen)?;
        Ok(Node::Function { name, args })
    }

    #[inline(never)]
    pub(super) fn led_filter(&mut self, left: Node) -> PResult<Node> {
        let condition = self.expression(0)?;
        self.expect(Kind::Rbracket)?;
        let right = if self.current() == Kind::Flatten {
            Node::Identity
        } else {
            self.projection_rhs(Kind::Filter.binding_power())?
        };
        Ok(Node::FilterProjection {
            left: Box::new(left),
            right: Box::new(right),
            condition: Box::new(condition),
        })
    }

    #[inline(never)]
    pub(super) fn led_lbracket(&mut self, left: Node) -> PResult<Node> {
        if matches!(self.current(), Kind::Number | Kind::Colon) {
            let right = self.index_expression()?;
            return match left {
                Node::IndexExpression(mut children) => {
                    children.push(right);
                    Ok(Node::IndexExpression(children))
                }
                other => self.project_if_slice(other, right),
            };
        }
        self.expect(Kind::Star)?;
        self.expect(Kind::Rbracket)?;
        let right = self.projection_rhs(Kind::Star.binding_power())?;
        Ok(Node::Projection(Box::new(left), Box::new(right)))
    }

    pub(super) fn project_if_slice(&mut self, left: Node, right: Node) -> PResult<Node> {
        let is_slice = matches!(right, Node::Slice { .. });
        let index_expression = Node::IndexExpression(vec![left, right]);
        if !is_slice {
            return Ok(index_expression);
        }
        let rhs = self.projection_rhs(Kind::Star.binding_power())?;
        Ok(Node::Projection(Box::new(index_expression), Box::new(rhs)))
    }

    pub(super) fn number_value(&self) -> i64 {
        match self.token(0).value {
            TokenValue::Number(value, _) => value,
            _ => 0,
        }
    }

    pub(super) fn index_expression(&mut self) -> PResult<Node> {
        if self.lookahead(0) == Kind::Colon || self.lookahead(1) == Kind::Colon {
            return self.slice_expression();
        }
        let node = Node::Index(self.number_value());
        self.advance();
        self.expect(Kind::Rbracket)?;
        Ok(node)
    }

    #[inline(never)]
    pub(super) fn slice_expression(&mut self) -> PResult<Node> {
        let mut parts = [None; 3];
        let mut index = 0;
        while self.current() != Kind::Rbracket && index < 3 {
            match self.current() {
                Kind::Colon => {
                    index += 1;
                    if index == 3 {
                        return Err(self.error_for("syntax error".into(), self.token(0)));
                    }
                    self.advance();
                }
                Kind::Number => {
                    parts[index] = Some(self.number_value());
                    self.advance();
                }
                _ => {
                    return Err(self.error_for("syntax error".into(), self.token(0)));
                }
            }
        }
        self.expect(Kind::Rbracket)?;
        Ok(Node::Slice {
            start: parts[0],
            stop: parts[1],
            step: parts[2],
        })
    }

    #[inline(never)]
    pub(super) fn multi_select_list(&mut self) -> PResult<Node> {
        let mut items = Vec::new();
        loop {
            items.push(self.expression(0)?);
            if self.current() == Kind::Rbracket {
                break;
            }
            self.expect(Kind::Comma)?;
        }
        self.expect(Kind::Rbracket)?;
        Ok(Node::MultiSelectList(items))
    }

    #[inline(never)]
    pub(super) fn multi_select_hash(&mut self) -> PResult<Node> {
        let mut pairs = Vec::new();
        loop {
            let key_token = self.token(0);
            if !matches!(
                key_token.kind,
                Kind::QuotedIdentifier | Kind::UnquotedIdentifier
            ) {
                let expected = ["quoted_identifier", "unquoted_identifier"];
                return Err(self.error_maybe_eof(&str_list_repr(expected.into_iter())));
            }
            let key = key_token.display_value();
            self.advance();
            self.expect(Kind::Colon)?;
            let value = self.expression(0)?;
            pairs.push((key, value));
            if self.current() == Kind::Comma {
                self.expect(Kind::Comma)?;
            } else if self.current() == Kind::Rbrace {
                self.expect(Kind::Rbrace)?;
                break;
            }
        }
        Ok(Node::MultiSelectHash(pairs))
    }

    #[inline(never)]
    pub(super) fn projection_rhs(&mut self, binding_power: u8) -> PResult<Node> {
        match self.current() {
            kind if kind.binding_power() < PROJECTION_STOP => Ok(Node::Identity),
            Kind::Lbracket | Kind::Filter => self.expression(binding_power),
            Kind::Dot => {
                self.expect(Kind::Dot)?;
                self.dot_rhs(binding_power)
            }
            _ => Err(self.error_for("syntax error".into(), self.token(0))),
        }
    }

    #[inline(never)]
    pub(super) fn dot_rhs(&mut self, binding_power: u8) -> PResult<Node> {
        match self.current() {
            Kind::QuotedIdentifier | Kind::UnquotedIdentifier | Kind::Star => {
                self.expression(binding_power)
            }
            Kind::Lbracket => {
                self.expect(Kind::Lbracket)?;
                self.multi_select_list()
            }
            Kind::Lbrace => {
                self.expect(Kind::Lbrace)?;
                self.multi_select_hash()
            }
            _ => {
                let token = self.token(0);
                let allowed = [
                    "quoted_identifier",
                    "unquoted_identifier",
                    "lbracket",
                    "lbrace",
                ];
                let reason = format!(
                    "Expecting: {}, got: {}",
                    str_list_repr(allowed.into_iter()),
                    token.kind.name()
                );
                Err(self.error_for(reason, token))
            }
        }
    }
}
