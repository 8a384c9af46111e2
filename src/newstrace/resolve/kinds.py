"""What kind of thing a one-word name is, from the evidence of its article.

The tagger labels each mention on its own, and a one-word name is where it errs most:
'Kherson' as a person ('the city of Kherson', 'Kherson region'), 'Stanovaya' as a building
after 'Analyst Tatiana Stanovaya', a reporter's 'Dixon reported from Riga' as an
organisation. The article says more than one label: all its mentions of the word are given
the kind the strongest evidence supports, and the labels count only where nothing does.

Strongest first: a title or honorific on the mention (already read as a person); a reporting
credit ('Dixon reported from Riga, and Belton from London'); the surname of a person the
article names in full ('Stanovaya' after Tatiana Stanovaya), unless a mention reads as a
place; a place phrase ('the city of X', 'X region', 'annexed X') or a place of the place
table (Kyiv); last, for a word tagged as a person with nothing else said, being where things
happen or come from ('in X', 'from X', not 'in X's') in two of its mentions and at least half.

A word tagged as a person that no full name of the article explains is no one's name when
every mention of it says so: capitals with a digit are a code ('MI6'), 'pro-'/'anti-' make an
adjective ('pro-Kremlin'); with no noun after it, 'a'/'one' before it make it one of a
people ('One Muscovite said') and 'the' a thing ('to the Rhine on'), or a team if plural
('the Rams'); and a capital only
at the start of a sentence, the word written in lower case elsewhere, is a common noun
('Surrender.' where the article speaks of a surrender).
"""

from __future__ import annotations

import re

from newstrace.model import Mention
from newstrace.resolve.keys import fold, rules, surname_key
from newstrace.resolve.names import ParsedName

_PLACE_NOUNS = r"city|town|village|region|province|oblast|district|county|capital|port|island"
# 'the city of Kherson', 'illegally annexed Crimea': only a place is so named or so taken.
_PLACE_BEFORE = re.compile(
    rf"\b(?:(?:{_PLACE_NOUNS}) of|annexed|occupied|liberated|besieged)\s+(?:the\s+)?$"
)
_PLACE_AFTER = re.compile(r"^(?:’s|'s)?\s+(?:region|province|oblast|district|county)\b")
# 'in Kherson', 'retreat from Kherson': places, mostly; 'a call from Biden' is why this is
# weak evidence, used only against a person label with nothing else behind it ('in the
# Hillary mode' is none).
_WHERE_BEFORE = re.compile(r"\b(?:in|from|near|outside|into|across|towards?)\s+$")
# A reporting credit: 'Dixon reported from Riga', 'Hale contributed reporting'.
_CREDIT_AFTER = re.compile(
    r"^\s+(?:and\s+[A-Z][\w’'-]+\s+)?(?:reported\s+from|contributed\s+(?:reporting|to\s+this))\b"
)
# ... and the second reporter of one: 'Dixon reported from Riga, Latvia and Belton from London'.
_CREDIT_BEFORE = re.compile(r"\breported\s+from\s+[^.!?\n]{1,60}(?:,|\band)\s+$")
_FROM_PLACE = re.compile(r"^\s+from\s+[A-Z]")
_TAKEN = ("person", "organisation", "place", "other")
_CODE = re.compile(r"[A-Z]+-?[0-9]+[A-Z]*|[0-9]+[A-Z]+")
_ADJECTIVE = re.compile(r"(?:pro|anti|non|ex)-", re.IGNORECASE)
_ONE_OF = re.compile(r"\b(?:[Aa]n?|[Oo]ne|[Ee]very|[Ee]ach|[Aa]nother|[Aa]ny)\s+$")
_THE = re.compile(r"\b[Tt]he\s+$")
# After 'the X' or 'a X': punctuation or a word that is no noun, so X is not a modifier ('the
# Obama administration', 'the Clinton and Carter administrations', 'a Sam's Club').
_NO_NOUN_AFTER = re.compile(
    r"^(?:\s*[.,;:!?)\]]|\s+(?:on|in|at|of|to|from|for|by|with|near|outside|over|against|"
    r"is|was|has|had|will|would|said|says)\b)"
)
_SAID = re.compile(r"^\s+(?:said|says|told|added)\b")
_SENTENCE_START = re.compile(r"(?:^|[.!?][\"”’')]*\s+|\n\s*)$")
KIND_ORDER = ("person", "organisation", "place", "group", "other")


def settle_kinds(text: str, parsed: list[tuple[Mention, ParsedName]]) -> None:
    """Give every one-word name of an article the kind its evidence supports (see the module
    docstring); names with several words, and groups (NORP), keep what they have."""
    # Surnames of people the article names in full and says something of (a title, a role,
    # a gender, if only their given name's): not the tagger's 'Across Athens'. Each with
    # where it is first named: a surname is used after its person is introduced ('the strike
    # at Oderin ... Per Oderin, the founder's grandson' is the company), but for a headline,
    # which names people by surname before the text introduces them ('Red Sox offer Teixeira').
    headline = headline_end(text)
    said = {n.surname_key for _, n in parsed if n.is_full and (n.titles or n.roles or n.gender)}
    surnames: dict[str, int] = {}
    for mention, n in parsed:
        if n.is_full and n.surname_key in said:
            surnames.setdefault(n.surname_key, mention.start)
    places = rules().place_group
    full_surnames = {n.surname_key for _, n in parsed if n.is_full}
    words: dict[str, list[tuple[Mention, ParsedName]]] = {}
    for mention, name in parsed:
        if len(name.tokens) == 1 and name.kind in _TAKEN and not name.titles:
            words.setdefault(name.key, []).append((mention, name))
    for key, members in words.items():
        cues = [_cue(text, mention) for mention, _ in members]
        for (_, name), cue in zip(members, cues, strict=True):
            name.where = cue == "where"
        labels = [name.kind for _, name in members]
        common = {_not_a_name(text, mention) for mention, _ in members}
        if (
            set(labels) == {"person"}
            and surname_key(key) not in full_surnames
            and (len(common) == 1 and "" not in common)
        ):
            kind = common.pop()
        elif "credit" in cues or (
            surname_key(key) in surnames
            and any(m.start > surnames[surname_key(key)] or m.start < headline for m, _ in members)
            and "place" not in cues
            and "where" not in cues
        ):
            kind = "person"
        elif (
            "place" in cues
            or fold(key) in places
            or (
                labels.count("person") * 2 > len(labels)
                and "said" not in cues
                and cues.count("where") >= max(2, (len(cues) + 1) // 2)
            )
        ):
            kind = "place"
        else:
            continue
        for _, name in members:
            name.settled = True
            if name.kind != kind:
                name.kind = kind
                name.gender = name.gender if kind == "person" else ""
                name.roles = name.roles if kind == "person" else []


def headline_end(text: str) -> int:
    """Where an article's first line ends when it has several (its headline), else 0."""
    end = text.find("\n")
    return end if end > 0 and text[end:].strip() else 0


def _cue(text: str, mention: Mention) -> str:
    """What the words around one mention say of its kind: 'credit', 'place', 'where', 'said'
    (a subject of speech: a person or an organisation) or ''."""
    line = text.rfind("\n", 0, mention.start) + 1
    before = text[max(line, mention.start - 80) : mention.start]
    after = text[mention.end : mention.end + 60]
    if _CREDIT_AFTER.match(after) or (_CREDIT_BEFORE.search(before) and _FROM_PLACE.match(after)):
        return "credit"
    if _PLACE_BEFORE.search(before) or _PLACE_AFTER.match(after):
        return "place"
    if _WHERE_BEFORE.search(before) and not re.match(r"(?:’s|'s)\b", after):
        return "where"  # not 'in Klitschko's sixth defence'
    if _SAID.match(after):
        return "said"
    return ""


def _not_a_name(text: str, mention: Mention) -> str:
    """The kind of a one-word 'person' whose form or words say it is no one's name, or ''
    (see the module docstring)."""
    word = mention.text
    if _CODE.fullmatch(word):
        return "organisation"
    if _ADJECTIVE.match(word):
        return "other"
    before = text[max(0, mention.start - 40) : mention.start]
    after = text[mention.end : mention.end + 12]
    if _ONE_OF.search(before) and _NO_NOUN_AFTER.match(after):
        return "group"
    if _THE.search(before) and _NO_NOUN_AFTER.match(after):
        return "organisation" if re.search(r"[^s]s$", word) else "other"  # 'the Rams': a team
    elsewhere = text[: mention.start] + " " + text[mention.end :]
    if (
        _SENTENCE_START.search(before)
        and not _SAID.match(after)  # 'Rose said' where prices rose: still her name
        and re.search(rf"(?<![\w-]){re.escape(word.lower())}(?![\w-])", elsewhere)
    ):
        return "other"
    return ""


def majority_kind(members: list[tuple[Mention, ParsedName]]) -> str:
    """The kind most members have (ties: person, organisation, place, group, other); a
    member whose words say its kind (a title, 'the city of': ``settle_kinds``) counts three
    times a tag alone, and words tagged a person but said twice or more to be where
    something happens ('in Khartoum') vote for a place."""
    counts: dict[str, int] = {}
    where = 0
    for _, parsed in members:
        if parsed.settled or parsed.titles:
            counts[parsed.kind] = counts.get(parsed.kind, 0) + 3
        elif parsed.where and parsed.kind == "person":
            where += 1
        else:
            counts[parsed.kind] = counts.get(parsed.kind, 0) + 1
    if where:
        kind = "place" if where >= 2 else "person"
        counts[kind] = counts.get(kind, 0) + where
    return max(KIND_ORDER, key=lambda kind: (counts.get(kind, 0), -KIND_ORDER.index(kind)))
