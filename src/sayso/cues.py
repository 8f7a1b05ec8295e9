"""Lexicons of attribution cues: the words that introduce what someone said, wrote, believes or plans.

The verb list was drawn from the PolNeAR training split (lemmas annotated as cues in at least a third of their
occurrences, ``scripts/cue_stats.py``) and completed by hand with common news reporting verbs. Each verb gets a
*frame* telling the attribution finder which complements can carry the content:

- ``clause``: a clausal complement or an adjacent quotation (say, tell, argue ...)
- ``object``: also a plain noun-phrase object ("announced a partial mobilization", "denied the report")
- ``infinitive``: also a to-infinitive ("vowed to fight", "urged Congress to act")
"""

from __future__ import annotations

CLAUSE_VERBS = frozenset(
    """
    say tell add write note argue claim insist warn state declare report explain acknowledge admit recall
    conclude reply respond predict indicate assert contend maintain observe remark stress emphasize point
    tweet post testify complain concede answer continue allege boast joke quip lament comment speculate hint
    signal agree believe think hope fear worry feel expect suggest reveal learn find show estimate reiterate
    repeat echo assure remind caution imply underscore highlight clarify inform email tout brag muse
    disclose confirm deny announce recount interject proclaim reaffirm doubt suspect wonder
    know understand acknowledge ask question quote
    """.split()
)

OBJECT_VERBS = frozenset(
    """
    announce confirm deny reveal describe criticize criticise slam blast praise accuse defend reject endorse
    denounce dismiss condemn propose question call blame mock praise applaud decry dispute contradict
    rebuke lambast deride hail tout cite mention unveil outline detail recommend demand request support oppose
    suggest dub label characterize portray
    attack liken
    """.split()
)

INFINITIVE_VERBS = frozenset(
    """
    promise vow pledge threaten urge ask decline refuse seek hope expect call press order
    want plan intend encourage
    """.split()
)

CUE_VERBS = CLAUSE_VERBS | OBJECT_VERBS | INFINITIVE_VERBS

#: Adverbs that mark a sourceless, hedged attribution ("reportedly").
HEDGE_ADVERBS = frozenset({"reportedly", "allegedly", "purportedly", "supposedly", "rumoredly"})

#: Passive verbs that hedge without naming a source ("is said to", "was reported to").
HEDGE_PASSIVES = frozenset({"say", "report", "believe", "think", "rumor", "rumour", "allege", "expect", "claim"})

#: Words that mark modality or hedging inside a cue or a content.
MODALITY_WORDS = frozenset(
    """
    reportedly allegedly purportedly supposedly apparently probably possibly perhaps may might could would
    likely unlikely plan plans planning planned consider considering considered seek seeking intend intends
    intention expect expects expected deny denied denies rumored rumoured unconfirmed prepare prepares preparing
    reject rejects rejected dismiss dismisses dismissed allege alleges alleged dispute disputes disputed
    contemplate contemplating weigh weighing mull mulling possible possibly
    """.split()
)

#: Nouns that head a description of an anonymous source.
ANONYMOUS_HEADS = frozenset(
    """
    source sources official officials insider insiders aide aides person people diplomat diplomats officer
    officers employee employees staffer staffers member members adviser advisers advisor advisors
    spokesperson representative representatives lawmaker lawmakers executive executives analyst analysts
    figure figures operative operatives investigator investigators colleague colleagues acquaintance
    acquaintances confidant confidants associate associates individual individuals envoy envoys negotiator
    negotiators mediator mediators trader traders banker bankers lawyer lawyers manager managers worker workers
    employee staff contractor contractors doctor doctors nurse nurses engineer engineers neighbour neighbours
    neighbor neighbors witness witnesses resident residents relative relatives friend friends passenger
    passengers
    """.split()
)

#: Nouns for news outlets, used to type sources and resolve "the outlet".
OUTLET_NOUNS = frozenset(
    """
    outlet outlets newspaper newspapers paper agency agencies website site broadcaster channel magazine
    daily tabloid publication network station newsroom portal wire weekly journal blog
    """.split()
)

#: Names that stand for governments when they speak ("the Kremlin said").
#: Words that mark a name as a news outlet's ("Radio Kessby", "The Norrland Courier", "Meridian Newswire").
OUTLET_NAME_WORDS = frozenset(
    """
    radio tv television news times post herald courier gazette daily journal tribune wire newswire bulletin
    review sentinel chronicle observer telegraph mirror express standard press broadcasting broadcaster
    weekly monitor dispatch ledger inquirer examiner independent guardian reporter newsweek magazine
    """.split()
)

GOVERNMENT_NAMES = frozenset(
    """
    kremlin white house pentagon downing street élysée elysee kyiv moscow washington beijing london paris
    berlin tehran ankara brussels tokyo seoul pyongyang kiev jerusalem
    """.split()
)

GOVERNMENT_WORDS = frozenset(
    """
    ministry department government administration cabinet office presidency parliament congress senate
    council commission duma rada authorities authority police army military
    """.split()
)

#: Phrases that state why a source is anonymous.
ANONYMITY_MARKERS = (
    "condition of anonymity",
    "anonymity",
    "not authorized",
    "not authorised",
    "not allowed",
    "not permitted",
    "asked not to be named",
    "asked not to be identified",
    "declined to be named",
    "declined to be identified",
    "requested anonymity",
    "not to be named",
    "for fear of",
    "fear of reprisal",
)

CLOSENESS_MARKERS = (
    "close to",
    "familiar with",
    "with knowledge of",
    "with direct knowledge of",
    "briefed on",
    "knowledgeable about",
    "in contact with",
    "linked to",
    "connected to",
    "associated with",
)

#: Titles and roles that precede a person's name ("President Vladimir Putin").
TITLE_WORDS = frozenset(
    """
    president vice prime minister chancellor king queen prince governor mayor senator sen. rep.
    representative congressman congresswoman secretary general gen. col. lt. sgt. adm. admiral colonel
    captain judge justice chief director spokesman spokeswoman spokesperson ambassador commander
    leader chairman chairwoman chair ceo founder dr. mr. mrs. ms. professor prof. pope bishop sheikh
    councillor councilor councilman councilwoman economist lawyer attorney analyst
    """.split()
)
