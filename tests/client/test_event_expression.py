"""The event expression language: parsing, matching and its text forms."""

from __future__ import annotations

import operator
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ftrack_api.event.base import Event
from ftrack_api.event.expression import All, Any, Condition, Expression, Not, Parser
from ftrack_api.event.subscriber import Subscriber
from ftrack_api.event.subscription import Subscription
from ftrack_api.exception import ParseError

parser = Parser()

EVENT = Event(
    "ftrack.update",
    data={
        "name": "shot_010",
        "count": 10,
        "text": "10",
        "tags": ["hero", "wip"],
        "nested": {"deep": {"value": "x"}},
        "empty": "",
        "none": None,
    },
    source={"id": "src", "user": {"username": "jane"}},
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("topic=ftrack.update", "<Condition topic=ftrack.update>"),
        ("topic = ftrack.update", "<Condition topic=ftrack.update>"),
        ("  topic=x  ", "<Condition topic=x>"),
        ("a!=1", "<Condition a!=1>"),
        ("a>=1", "<Condition a>=1>"),
        ("a<=1", "<Condition a<=1>"),
        ("a>1", "<Condition a>1>"),
        ("a<1", "<Condition a<1>"),
        ('a="x y"', "<Condition a=x y>"),
        ("a='x y'", "<Condition a=x y>"),
        (r'a="x\"y"', r"<Condition a=x\"y>"),
        ('a="x""y"', '<Condition a=x""y>'),
        ('a=""', "<Condition a=>"),
        ("a=-_,./*@+", "<Condition a=-_,./*@+>"),
        ("a=1 and b=2", "<All [<Condition a=1> <Condition b=2>]>"),
        ("a=1 and b=2 and c=3", "<All [<Condition a=1> <Condition b=2> <Condition c=3>]>"),
        ("a=1 or b=2", "<Any [<Condition a=1> <Condition b=2>]>"),
        ("not a=1", "<Not <Condition a=1>>"),
        ("NOT a=1", "<Not <Condition a=1>>"),
        ("not not a=1", "<Not <Not <Condition a=1>>>"),
        ("a=1 AND b=2 Or c=3", "<Any [<All [<Condition a=1> <Condition b=2>]> <Condition c=3>]>"),
        ("(a=1)", "<Condition a=1>"),
        ("(a=1 and b=2) and c=3", "<All [<All [<Condition a=1> <Condition b=2>]> <Condition c=3>]>"),
        ("not=1", "<Condition not=1>"),
        ("and=1 and or=2", "<All [<Condition and=1> <Condition or=2>]>"),
        ("notable=1", "<Condition notable=1>"),
        ("a=1\nand\tb=2", "<All [<Condition a=1> <Condition b=2>]>"),
    ],
)
def test_parse_to_expected_tree(text: str, expected: str) -> None:
    assert str(parser.parse(text)) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # not binds tighter than and, which binds tighter than or.
        ("a=1 or b=2 and c=3", "<Any [<Condition a=1> <All [<Condition b=2> <Condition c=3>]>]>"),
        ("a=1 and b=2 or c=3", "<Any [<All [<Condition a=1> <Condition b=2>]> <Condition c=3>]>"),
        ("not a=1 and b=2", "<All [<Not <Condition a=1>> <Condition b=2>]>"),
        ("not a=1 or b=2", "<Any [<Not <Condition a=1>> <Condition b=2>]>"),
        ("not (a=1 or b=2)", "<Not <Any [<Condition a=1> <Condition b=2>]>>"),
        ("(a=1 or b=2) and c=3", "<All [<Any [<Condition a=1> <Condition b=2>]> <Condition c=3>]>"),
    ],
)
def test_precedence(text: str, expected: str) -> None:
    assert str(parser.parse(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "invalid",
        "a=b nor c=d",
        "",
        "   ",
        "a==b",
        "topic=",
        "=x",
        "a=1 and",
        "a=1 or",
        "not",
        "a-b=1",
        "a=b c",
        'a="unterminated',
        "a='x\ny'",
        "(a=1",
        "a=1)",
        "()",
        "a:b",
        "a=b:c",
        'a=b"c"',
        "a=é",
        "a=1 andb=2",
    ],
)
def test_invalid_expressions_raise_parse_error(text: str) -> None:
    with pytest.raises(ParseError):
        parser.parse(text)


def test_parse_error_names_the_expression() -> None:
    with pytest.raises(ParseError) as caught:
        parser.parse("a=b nor c=d")
    assert "a=b nor c=d" in str(caught.value)


def test_parse_rejects_non_text() -> None:
    with pytest.raises(TypeError):
        parser.parse(None)  # type: ignore[arg-type]


def test_parse_deep_nesting_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        parser.parse("(" * 5000 + "a=1" + ")" * 5000)


def test_parsed_expressions_are_cached() -> None:
    assert Parser().parse("topic=cached.once") is Parser().parse(" topic=cached.once ")


@pytest.mark.parametrize(
    "text, matches",
    [
        ("topic=ftrack.update", True),
        ("topic=ftrack.other", False),
        ("TOPIC=ftrack.update", False),  # keys are case-sensitive
        ("topic=FTRACK.UPDATE", False),  # values too
        ("topic!=ftrack.other", True),
        ("data.name=shot_010", True),
        ('data.name="shot_010"', True),
        ("data.nested.deep.value=x", True),
        ("source.user.username=jane", True),
        # Missing keys never match, whatever the operator.
        ("data.missing=1", False),
        ("data.missing!=1", False),
        ("data.name.deeper=1", False),
        ("data.tags.0=hero", False),
        # Values are strings: no coercion.
        ("data.count=10", False),
        ("data.count!=10", True),
        ("data.text=10", True),
        ("data.count>1", False),
        ("data.text>09", True),
        ("data.text<09", False),
        ("data.name>=shot_010", True),
        ("data.name<=shot_010", True),
        # Wildcards: containment of the text before the final '*'.
        ("topic=ftrack.*", True),
        ("topic=update*", True),
        ("topic=*", True),
        ("topic=other*", False),
        ("data.tags=hero*", True),
        ("data.tags=her*", False),
        ("data.nested=deep*", True),
        ("data.count=1*", False),
        ("data.none=*", False),
        ("topic!=ftrack.*", True),  # '*' is a plain character with !=
        ('data.empty=""', False),
        ("not topic=ftrack.update", False),
        ("topic=ftrack.update and data.name=shot_010", True),
        ("topic=ftrack.update and data.name=other", False),
        ("topic=x or data.name=shot_010", True),
        ("topic=x or data.name=y", False),
        ("topic=ftrack.update and (data.name=x or not data.tags=wip*)", False),
        ("topic=ftrack.update and (data.name=x or not data.tags=zzz*)", True),
    ],
)
def test_match_against_event(text: str, matches: bool) -> None:
    assert parser.parse(text).match(EVENT) is matches


def test_match_against_plain_mapping_and_non_mappings() -> None:
    expression = parser.parse("id=abc")
    assert expression.match({"id": "abc", "other": 1}) is True
    assert expression.match({"id": "abd"}) is False
    assert expression.match(None) is False
    assert expression.match("id") is False
    assert expression.match(["id"]) is False


def test_expression_classes_directly() -> None:
    yes = Condition("a", operator.eq, "1")
    no = Condition("a", operator.eq, "2")
    candidate = {"a": "1"}

    assert Expression().match(candidate) is True
    assert str(Expression()) == "<Expression>"
    assert All().match(candidate) is True
    assert Any().match(candidate) is False
    assert All([yes, no]).match(candidate) is False
    assert Any([yes, no]).match(candidate) is True
    assert Not(no).match(candidate) is True
    assert str(All([yes, no])) == "<All [<Condition a=1> <Condition a=2>]>"
    assert str(Any([yes])) == "<Any [<Condition a=1>]>"
    assert str(Not(yes)) == "<Not <Condition a=1>>"
    assert str(Condition("a", operator.ge, "1")) == "<Condition a>=1>"


def test_condition_round_trips_through_pickle() -> None:
    condition = Condition("topic", operator.eq, "ftrack.*")
    copy = pickle.loads(pickle.dumps(condition))
    assert str(copy) == str(condition)
    assert copy.match({"topic": "ftrack.update"}) is True


def test_subscription_and_subscriber() -> None:
    subscription = Subscription("topic=ftrack.update")
    assert str(subscription) == "topic=ftrack.update"
    assert subscription.includes(EVENT) is True
    assert isinstance(Subscription.parser, Parser)

    subscriber = Subscriber("topic=other", print, {"id": "s1"}, 10)
    assert subscriber.interested_in(EVENT) is False
    assert subscriber.priority == 10
    assert subscriber.callback is print
    assert str(subscriber) == "<Subscriber metadata={'id': 's1'} subscription=\"topic=other\">"

    with pytest.raises(ParseError):
        Subscription("invalid")


# Property tests ---------------------------------------------------------------

_fields = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}(\.[A-Za-z0-9_]{1,6}){0,2}", fullmatch=True)
_bare_values = st.from_regex(r"[A-Za-z0-9_\-,./*@+]{1,8}", fullmatch=True)
_operators = st.sampled_from(["=", "!=", ">=", "<=", ">", "<"])
_keywords = {"and", "or", "not"}


@st.composite
def _conditions(draw: st.DrawFn) -> str:
    field = draw(_fields.filter(lambda f: f.split(".")[0].lower() not in _keywords))
    value = draw(
        st.one_of(
            _bare_values,
            st.text(alphabet=st.characters(blacklist_characters="\"\\\n\r"), max_size=8).map(
                lambda v: f'"{v}"'
            ),
        )
    )
    return f"{field}{draw(_operators)}{value}"


_expressions = st.recursive(
    _conditions(),
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda pair: f"{pair[0]} and {pair[1]}"),
        st.tuples(inner, inner).map(lambda pair: f"{pair[0]} OR {pair[1]}"),
        inner.map(lambda e: f"not {e}"),
        inner.map(lambda e: f"({e})"),
    ),
    max_leaves=8,
)


@settings(max_examples=300)
@given(st.text(max_size=40))
def test_garbage_parses_or_raises_parse_error(text: str) -> None:
    try:
        expression = parser.parse(text)
    except ParseError:
        return
    assert isinstance(expression, Expression)
    expression.match(EVENT)


_alphabet = st.sampled_from(
    list("abcxyz019_.-*@+,/ \t\n()=!<>\"'\\$:")
    + ["and", "or", "not", "AND", " and ", " or ", " not "]
)


@settings(max_examples=300)
@given(st.lists(_alphabet, max_size=20).map("".join))
def test_token_soup_parses_or_raises_parse_error(text: str) -> None:
    try:
        expression = parser.parse(text)
    except ParseError:
        return
    expression.match(EVENT)
    expression.match({"a": {"b": ["x"]}})


@settings(max_examples=200)
@given(_expressions)
def test_generated_expressions_parse_and_match_without_error(text: str) -> None:
    expression = parser.parse(text)
    assert isinstance(expression.match(EVENT), bool)
    assert isinstance(expression.match({}), bool)


@settings(max_examples=200)
@given(_expressions)
def test_not_negates_and_parentheses_change_nothing(text: str) -> None:
    plain = parser.parse(text)
    assert parser.parse(f"not ({text})").match(EVENT) is (not plain.match(EVENT))
    assert parser.parse(f"({text})").match(EVENT) is plain.match(EVENT)
