"""Rule-based commitment detection: cue patterns (English and Chinese), owners, tasks, due dates.

A quick experiment (see issue 5) found that cue-pattern rules plus a deadline
filter and a deterministic date resolver beat a 135M model at finding action
items, so this is the backbone; the model only helps where it measurably does.
Every candidate is a verbatim sentence of one segment, so evidence is exact.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections import Counter
from dataclasses import dataclass, field, replace

from copilot.domain.dates import (
    CARDINAL_DAYS,
    MONTHS_EN,
    ORDINAL_WORDS,
    WEEKDAYS_EN,
    ResolvedDate,
    add_months,
    find_dates,
)
from copilot.schema import Evidence
from summarize.text import (
    ACKNOWLEDGEMENTS,
    DETERMINERS,
    LEAD_WORDS,
    NOT_TOPICS,
    STOPWORDS,
    TITLES,
    TOPIC_LEAD,
    Sentence,
    content_words,
    first_sentence,
    is_cjk,
    standalone_topic,
    topic_fragment,
    topic_opener,
)

# --------------------------------------------------------------------------- cue patterns

SELF_STRONG = re.compile(
    # "Mi will chase IT": Jamaican "mi" is "I" (not after "the"/"an": "an MI will show on the ECG")
    r"\b(?:I(?:'ll|\s+will|\s+shall)|(?<!\bthe\s)(?<!\ban\s)mi\s+(?:will|a\s+go|gwine)|I(?:'m|\s+am)\s+(?:going\s+to|gonna|fixin['’g]?\s+to)|(?<!am\s)I\s+going\s+(?:to|and)|let\s+me|I\s+promise\s+to|"
    r"I\s+commit\s+to|I\s+plan\s+to|I\s+intend\s+to|my\s+plan\s+is\s+to|put\s+me\s+down(?:\s+(?:for|to)|(?=\s*[.!]))|"
    r"assign\s+(?:it|that|this|them)\s+to\s+me\b|consider\s+it\s+done|(?<!\bso\s)(?<!\bso\sthat\s)I\s+can\s+(?=take|do|send|set|book|write|share|draft|prepare|"
    r"schedule|follow|look|check|get|put|run|pair|update|review|ask|find|organi[sz]e|handle|own|cover|pick|"
    r"have\s+(?:it|that|this|those|these|them|the|a|an|my|your)\b))\b"
    r"(?:\s+(?:also|just|then|definitely|certainly|absolutely|happily|gladly|make\s+sure\s+to|try\s+to|try\s+and))*",
    re.I,
)
SELF_WEAK = re.compile(
    # "I should be able to get the slides to you by the end of the month": with its date, a promise
    r"\bI\s+should\s+be\s+able\s+to\b|"
    r"\bI\s+(?:need|have|ought)\s+to\b|\bI(?:'ve|\s+have)?\s+got\s+to\b|\bI\s+should\b|\bI(?:'d|\s+would)\s+better\b"
    r"|\bI\s+might\s+could\b"  # US South: "I might could do a clinic" offers, tentatively
    # "I was going to go through the DNA list": a plan, an item once the other person endorses it ("Yeah, do that")
    r"|\bI\s+was\s+(?:going|planning)\s+to\b(?!\s+(?:suggest|ask|say|mention|float|propose|raise)\b)",
    re.I,
)
OTHER_STRONG = re.compile(
    r"\b(?:can|could|would|will)\s+(?:you|yuh)(?:\s+please)?|\byou(?:'ll|\s+will)|\byou(?:'re|\s+are)\s+going\s+to|"
    r"\b(?:I|we)\s+need\s+you\s+to|\b(?:I|we)(?:'d|\s+would)\s+like\s+you\s+to|\b(?:I|we)\s+want\s+you\s+to|\bplease\b|"
    r"\bmake\s+sure\s+(?:that\s+)?you|\bdon't\s+forget\s+to|\bremember\s+to\b|"
    r"\bwhat\s+I(?:'d|\s+would)\s+like\s+(?:from\s+you\s+)?is\b|"
    # "it'd be really helpful if you could ...", "any chance you could ...", "would you mind ..."
    r"\b(?:if|chance)\s+you\s+could\b|\bwould\s+you\s+mind\b",
    re.I,
)
OTHER_WEAK = re.compile(
    r"\byou\s+(?:should|need\s+to|have\s+to|must|ought\s+to)\b|\byou\s+(?:might|may|could)\s+want\s+to\b"
    r"|\bit(?:'d|\s+might|\s+may|\s+would|\s+could)\s+be\s+worth\b"  # "it might be worth writing a checklist"
    # "What if you did the rehearsal schedule this year?": a suggestion, an item once taken up ("I'll have a go")
    r"|\b(?:what\s+if|how\s+about|why\s+don't)\s+you\b(?!\s*\?)(?!\s+(?:think|thought|feel|felt|were|are|had|have|"
    r"could|can|would|will|'re|'d|mean|meant|say|said)\b)",
    re.I,
)
WE_STRONG = re.compile(r"\blet's|\blet\s+us\b|\bwe(?:'ll|\s+will)|\bwe(?:'re|\s+are)\s+going\s+to\b", re.I)
WE_WEAK = re.compile(
    r"\bwe\s+(?:should|need\s+to|have\s+to|must)\b|\bwe(?:'ve|\s+have)?\s+got\s+to\b"
    # "could we get an extra guard on Saturdays?": a need put to the group, taken up by "consider it done"
    r"|\b(?:could|can)\s+we\s+(?=get|have|add|hire|buy|order|book|bring|arrange)",
    re.I,
)
# a bare imperative at the start of a sentence ("Run five user interviews by October first"): weak, needs a date
IMPERATIVE = re.compile(
    r"^(?:(?:so|then|and|okay|ok|alright|also|first|next|right)[,\s]+)*(?:please\s+)?(?=(?:send|write|run|draft|"
    r"prepare|book|schedule|set\s+up|share|update|finish|complete|create|build|fix|document|organi[sz]e|present|"
    r"submit|follow\s+up|reach\s+out|talk\s+to|ask|find|collect|test|deploy|ship|publish|post|email|call|pair|"
    r"mentor|read|add|sign\s+up|enrol+|register|deliver|clean\s+up|migrate)\b(?!['’]))",  # "Draft's done." is no order
    re.I,
)
# "If the river turbidity spikes, switch over to the alternate intake": an instruction for a case that may come.
# Weak like any imperative (it needs a date or an acceptance); the verbs are those of standing instructions, and
# "let me know" is left out ("If you need anything, let me know" offers help, it asks for no work).
CONDITIONAL_IMPERATIVE = re.compile(
    r"^(?:(?:so|then|and|okay|ok|alright|also|right|good)[,.\s]+)*(?:if|when|once|whenever|in\s+case)\b[^,;]{3,80},\s*"
    r"(?:please\s+|just\s+)?(?=(?:keep|switch|move|ring|phone|call|text|e-?mail|tell|chase|stop|close|open|shut|use|"
    r"put|pull|hold|notify|contact|inform|escalate|log|report|flag|raise|swap|turn|cancel|send|book|check|get|take|"
    r"bring|give|hand|leave|divert|evacuate|isolate|lock|do)\b)",
    re.I,
)
# "Someone needs to run the usability benchmark": nobody's task until someone takes it up ("I can take that")
NEED = re.compile(
    r"\b(?:someone|somebody|one\s+of\s+us)\s+(?:needs?\s+to|has\s+to|should|must|ought\s+to)\b"
    # "The mooring lines, we need a count and a condition check before the survey." - "I'll have that to you Monday"
    r"|\bwe\s+(?:need|want)\s+(?=(?:a|an|some)\s+\w)",
    re.I,
)
# the task of a need for a thing: "a count and a condition check" -> "Get a count and a condition check"
NEED_THING = re.compile(r"^(?:a|an|some)\s", re.I)
NAMED = re.compile(r"\b([A-Z][a-z]+)(?:'ll|\s+will|\s+is\s+going\s+to)\b")
NOT_OWNERS = frozenset(
    {"i", "we", "you", "it", "that", "this", "there", "he", "she", "they", "what", "who"}
    | {"someone", "somebody", "anyone", "anybody", "everyone", "everybody", "nobody", "no-one", "one"}
)

ZH_SELF = re.compile(
    # a week word only when the date ends there: in "我下周五前会…" the date runs on and 会 is the cue
    r"我(?:(?:会|會)(?![议議])|来|來|去|将|將|负责|負責|打算|争取|爭取|保证|保證|马上|馬上|尽快|盡快|(?:这周|這週|下周|下週)(?![一二三四五六日天末])|明天)"
    r"|我(?![们們哋])[^，。！？,.!?]{1,12}?(?:会|會|将|將)(?![议議])"  # 我下個禮拜五之前會…: time phrase before 会
)
# "我聽日之前 send 份 plan 俾你" / "你下周一前交报告": a person, then a date, then the work (no modal verb, common in
# spoken Cantonese and code-switching); matched against the text before a date `find_dates` recognised
ZH_DATED_SUBJECT = re.compile(r"(我|你)\s*(?:会|會|喺|在|将|將)?\s*$")
ZH_OTHER_LATE = re.compile(r"你(?![们們])[^，。！？,.!?]{1,12}?(?:能不能|可不可以|能|可以|会不会|會不會)(?=\S)")
ZH_OTHER = re.compile(
    r"你(?:能不能|可不可以|可以|能|来|來|(?:负责|負責)(?!的)|去|把|记得|記得)|麻烦你|麻煩你|请你|請你|你(?:(?:下周|下週|这周|這週)(?![一二三四五六日天末])|明天)"
)
ZH_OTHER_WEAK = re.compile(r"你(?:要|需要|得|应该|應該)")
ZH_WE = re.compile(r"我们(?:会|來|来|一起)|我們(?:會|來|来|一起)|我哋(?:會|会|嚟|一齊)|咱们|咱們|让我们|讓我們")
ZH_SELF_WEAK = re.compile(r"我(?:要|需要|得|应该|應該)")

# --------------------------------------------------------------------------- exclusions

# the meeting's own pace ("keep it short", "not keep you long"): no work, in CONVERSATIONAL and dated or not
MEETING_PACE_WORDS = (
    r"keep\s+(?:it|this)\s+(?:short|brief|quick|focused|tight)\b|(?:not\s+)?keep\s+you\s+(?:long|too\s+long|back)\b"
)
# "go through it and update it" is work after the meeting; "go through it" alone is talk now (CONVERSATIONAL)
GO_THROUGH_AND_FIX = re.compile(
    r"\s*(?:go|run)\s+(?:back\s+)?(?:through|over)\b[^.?!]*\band\s+(?:update|fix|correct|clean|tidy|sort|amend|redo)\b",
    re.I,
)
# talk now, in the meeting: "tell me more", "let's start with", and errands done on the spot ("let me get the milk
# in the fridge", "I'll let you get your tea")
CONVERSATIONAL = re.compile(
    r"^\s*(?:(?:only|really|just|actually|still|also|then)\s+)*(?:tell(?=\s+(?:me|you|us|ya)\b)|walk|explain|describe|elaborate|say|repeat|clarify|remind|hear|see|hold|wait|imagine|"
    r"think|talk\s+(?!to\b|with\b)|give\s+me\s+(?:an?\s+)?example|give\s+me\s+(?:a\s+(?:bit|little)\s+)?more\s+than\s+that|read\s+(?:back|out)\b|go\s+on|continue|share\s+(?:more|your\s+thoughts)|be\s+honest|admit|"
    r"start\s+(?:with|wi(?=['’]))|keep\s+(?:it|this)\s+to\b|"
    # "so I'll start and she'll crash in": who opens the meeting
    r"(?:start|begin|kick\s+(?:it\s+|us\s+)?off|go\s+first)(?:\s+(?:then|off))?\s*(?:$|[,.!?;]|and\b)|"
    rf"(?:try\s+(?:not\s+)?to\s+)?(?:{MEETING_PACE_WORDS})|ask\s+me\s+again|"
    r"let\s+you\s+(?:go|get\s+(?:back|on|off|going|your\s+(?:tea|lunch|dinner|coffee|break|evening|weekend)))|"
    r"(?:go\s+and\s+)?(?:get|grab|fetch|put|rescue|shut|close|open|mute|unmute|turn|switch)\s+(?:the|my|those|these|this|that|your)\s+(?:\w+\s+){0,2}?(?:milk|tea|coffee|kettle|door|window|boxe?s?|mic|microphone|camera|video|charger|headset|headphones|lights?|fridge)(?=\s*(?:$|[,.!?;]|(?:in|on|out|off|from|for|down|up)\b))|"
    r"get\s+back\s+(?:out\s+there|to\s+(?:it|work)\b)|believe\s+(?:it|that|them)\s+when|(?:run|go)\s+(?:back\s+)?(?:over|through)\s+(?:it|that|this|everything|what\s+we)|play\s+(?:it|that)\s+back\b|come\s+back\s+to\s+(?:it|that|this)(?=\s*(?:$|[,.!?;]|later\b))|go\s+back\s+to\s+(?:work|it)\b|crack\s+on(?!\s+with)\b|wrap\s+(?:it|this|that)(?:\s+up)?(?=\s*(?:$|[,.!?;]|before\b))|(?:fill|write|type|note|jot|put)\s+(?:it|this|that|them|things|everything)\s+(?:in|down)\s+as\s+we\s+go\b|leave\s+you(?:\s+(?:two|both|all|guys))?\s+(?:to\s+(?:it|the\s+rest|your\s+\w+)|be|in\s+peace)|give\s+(?:myself|you|him|her|them)\s+that(?=\s*(?:$|[,.!?;]))|ask\s+(?:you\s+)?(?:something|somethin['’]?|a\s+question|one\s+thing)\b|cross\s+that\s+bridge|take\s+(?:this|that|the)\s+call\b|lose\s+you\b|share\s+(?:my|the|your)\s+screen\b|stay\s+(?:on\s+mute|muted|quiet)\b|(?:both|all)\s+see\b|check\s+(?:the|my)\s+(?:calendar|diary|schedule)(?=\s*(?:$|[,.!?;]))|take\s+(?:my\s+|our\s+)?leave(?=\s*(?:then|now)?\W*$)|head\s+(?:off|back)\b|get\s+through\s+\w+\s+first|sit\s+down(?!\s+with\s+(?!you\b|me\b|us\b))|come\s+in|take\s+a\s+(?:seat|look\s+at\s+this\s+now)|"
    # "I'm gonna stop you right there. No.": a word against; "let's put it on the table at your review": deferred
    r"stop\s+you\s+(?:right\s+)?there\b|put\s+(?:it|that|this)\s+on\s+the\s+table\b|"
    r"be\s+brief|let\s+you\s+know|note\s+that|(?:write|jot|note|put)\s+(?:this|that|it|these|those)\s+down|mention|answer|go\s+(?:through|over)|know\b|go\s+\w+\s+by\s+\w+|look\s+at|discuss|"
    # "Let's start." / "I'll start by ...": the meeting's own start; "I'll start sending you the tracker" is work
    r"(?:start|begin)(?=\s*(?:$|[,.!?;]|by\b|off\b|again\b|there\b|here\b|then\b|now\b|first\b))|"
    r"move\s+on|get\s+started|wrap\s+up|recap|catch\s+up|review\s+(?:your|the)\s+(?:goals|year|quarter)"
    # the meeting's own pace and order: "I'll try not to keep you long", "let's do this one quickly", "I'll do what
    # I always do, the numbers first", "I'm going to float something"
    r"|do\s+(?:this|it)(?:\s+one)?\s+quick(?:ly)?\b"
    r"|do\s+what\s+I\s+always\s+do\b|float\s+(?:something|an?\s+idea)\b"
    # "I'll manage.", "I'll drop off." (leaving a call): coping or leaving, no work; "If you'll have me.", "I'll
    # accept that one." (taking feedback): agreeing, no work
    r"|(?:manage|cope|survive|live|muddle\s+through|get\s+by|drop\s+off|hop\s+off|jump\s+off|have\s+me"
    r"|accept\s+(?:that|this|it)(?:\s+one)?)(?=\s*(?:$|[,.!?;])))\b",
    re.I,
)
# "I'll try to keep it tight", "I'll try not to keep you long": the meeting's pace, whatever day is named with it
MEETING_PACE = re.compile(rf"\s*(?:{MEETING_PACE_WORDS})", re.I)
# "Would you want some time back on the tools?", "Would you like a hand?": something offered, not work asked for
OFFERED = re.compile(r"\s*(?:want|like|fancy|prefer)\s+(?:some|a|an|more|any|another)\b", re.I)
# "I'd better go, Nora's waving at me", "I've got to run": leaving the meeting
LEAVING = re.compile(
    r"\s*(?:go|get\s+going|be\s+off|run|dash|scoot|head\s+off|make\s+a\s+move|love\s+you\s+and\s+leave\s+you)"
    r"(?=\s*(?:$|[,.!?;]|now\b|then\b))",
    re.I,
)
# "I will just unplug it from the internet and go live in the desert": running away, anywhere in the promise
ESCAPE = re.compile(
    r"\b(?:go\s+(?:and\s+)?live\s+(?:in|on)|move\s+to)\s+(?:a|an|the)\s+"
    r"(?:desert|island|moon|cave|mountain|forest|woods|beach|tent|hut)\b"
    r"|\bsell\s+\w+\s+on\s+the\s+beach\b",
    re.I,
)
# "I'll keep cleanin' the fermenters Mondays like always": a routine, nothing new to track
ROUTINE = re.compile(r"\b(?:like|as)\s+(?:always|usual|ever)\b|\bsame\s+as\s+(?:always|ever|usual|aye)\b", re.I)
# "Yeah, yeah, one sec, let me get this tyre off": done right there
ONE_MOMENT = re.compile(
    r"\b(?:one|a)\s+sec(?:ond)?\b|\bhang\s+on\b|\bhold\s+on\b|\bgive\s+me\s+a\s+(?:sec|second|minute|moment)\b", re.I
)
BROKEN_OFF = re.compile(r"\b(?:my|your|the|our|their|his|her|a|an)\s*,\s*(?=" + ONE_MOMENT.pattern + ")", re.I)
# what people say they'll do when fed up, and never mean: no task
HYPERBOLE = re.compile(
    r"^\s*(?:just\s+|probably\s+|honestly\s+)?(?:resign|quit|emigrate|retire|scream|cry|explode|lose\s+it|lose\s+my\s+mind|"
    r"forget(?!\s+(?:about|it|that)\b)|"  # "because I'll forget otherwise": what will happen, not what to do
    r"go\s+mad|walk\s+out|run\s+away|faint|"
    r"(?:just\s+)?take\s+over\s+(?:your|his|her)\s+job|clone\s+myself)\b"
    r"|^.*\bat\s+this\s+rate\W*$",  # "I'll get a tattoo of the OASys login at this rate"
    re.I,
)
# "If they change that cladding one more time, I going to go live in Tobago": what one threatens when fed up, also
# "the way the repairs are going, I'm going to ..." and "At this rate I'll ..."
VENTING = re.compile(
    r"\bif\b[^.?!]*\bone\s+more\s+time\b|\bthe\s+way\s+[^.?!,]{1,40}?\s+(?:is|are)\s+going\b|\bat\s+this\s+rate\b"
    # "If they lose Saturday I'm going to start supporting Bradford", "If you keep smiling like that I'm gonna make
    # you do burpees till Easter": a joke on a result or a habit, no work
    r"|\bif\s+(?:we|they|you)\s+(?:lose|keep\s+\w+ing)\b",
    re.I,
)
WANT_TO = re.compile(r"\s*want\s+to\b", re.I)
LET_ME_JUST = re.compile(r"let\s+me\s+just\b", re.I)
# "Let me check my schedule first", "First let me do the review properly": a step there and then, or a deferral
LET_ME_NOW = re.compile(
    r"\s*(?:check\s+(?:my|the|our)\s+(?:schedule|diary|calendar|availability)|(?:do|start|finish)\s+(?:the|this)\s+review)\b",
    re.I,
)
GO_AND = re.compile(r"\s*go\s+and\b", re.I)  # "I'm coming, let me go and close the shelter": off to do it now
THINKING = re.compile(r"^(?:[\s,.!?-]|\b(?:um+|uh+|erm|er|yes|yeah|ok|okay|so|well|hmm+|mm+|see)\b)*$", re.I)
# "Make sure you do, legal will have kittens otherwise": the work was named before, in the sentence this answers
ELLIPSIS = re.compile(
    r"^\s*(?:do|will|did)\s*(?:[.!?;]|$|,\s+(?!(?:um+|uh+|erm|er|like|you\s+know|the|a|an|some|all|my|your|our|that|"
    r"this|those|these|it|them)\b))",  # "I'll do, um, the rota" still names its work
    re.I,
)
DONE_NOW = re.compile(r"(?<!\bfrom\s)(?<!\bfor\s)(?<!\buntil\s)\b(?:right\s+)?now\b(?!\s+(?:on|that)\b)", re.I)
# dated the day of the meeting but after it: "I'll look at the rota tonight" is no talk about the rota now
# "I'll look at the overtime figures just now" (South African English: in a while): later, not in the meeting
LATER_WORDS = re.compile(r"\b(?:just\s+now|now\s+now|later\s+on|afterwards)\b", re.I)
LATER_TODAY = re.compile(
    r"\b(?:tonight|this\s+(?:afternoon|arvo|evening)|later\s+today|end\s+of\s+(?:the\s+)?day|eod|after\s+(?:this|the|our)\b)",
    re.I,
)
# "by then" / "before then": the date the talk just named ("Her review's on the twenty-sixth. Could you write up her
# notes before then?")
BY_THEN = re.compile(r"\b(?:by|before|until|till)\s+then\b", re.I)
BY_THEN_LOOKBACK = 3  # sentences
# "Tuesday the eighth, yeah. I'll run the tabletop then.", "I'll move the site visit to then": the date just said
AT_THEN = re.compile(r"\b(?:to|for|on)\s+then\b|\bthen\s*[.!]?\s*$", re.I)
# "before the freeze", "by the end of the sprint", "ahead of their consultation": an event whose date was said earlier
BEFORE_EVENT = re.compile(
    r"\b(?:before|by|ahead\s+of|in\s+time\s+for)\s+(?:the\s+end\s+of\s+)?(?:the|their|our|his|her|your|my|this)\s+"
    r"((?!end\b|week\b|month\b|day\b|time\b|way\b)[a-z]{4,}(?:\s+[a-z]{4,})?)\b",
    re.I,
)
EVENT_LOOKBACK = 40  # sentences
# "before he goes solo", "before you fly out": an event told by what someone does; its date was said just before
PRONOUN_EVENT = re.compile(
    r"\b(?:before|by\s+the\s+time|ahead\s+of\s+when)\s+(?:he|she|they|you|we)\s+((?:[a-z]+\s+){0,2}?[a-z]+)\b"
    r"(?=\s*[,.;?!]|\s*$)",
    re.I,
)
PRONOUN_EVENT_LOOKBACK = 8  # sentences: a pronoun points at someone just talked about
EVENT_FILLER = frozenset(
    {"goes", "gets", "get", "out", "off", "the", "and", "for", "are", "has", "have", "will", "can"}
)
TURN_DATE_LOOKBACK = 3  # earlier sentences of the asker's own turn that may say when ("It's at panel on the fourth.")
# "today" is when it was said, "next month" when something else begins: neither dates a task said after it
VAGUE_CONTEXT_DATE = re.compile(r"^\W*(?:today|tonight|(?:this|next)\s+(?:month|year|quarter))\W*$", re.I)
# "February ninth, that's the Wednesday": the second phrase only says again which day it is
SAYS_AGAIN = re.compile(r"(?:,\s*(?:so|i\.e\.)|\b(?:that's|that\s+is|which\s+is))\s*(?:the\s+)?$", re.I)
# "speak to him", "send her a video": a person the task names by pronoun only
PERSON_OBJECT = re.compile(
    r"\b(?:(?:speak|talk|chat|check)\s+(?:to|with)|(?:pair|sit|catch\s+up|meet\s+up)\s+with|ask|tell|send|e-?mail"
    r"|ping|call|ring|chase|remind|message|text|show|brief|book|take|walk|(?:\w+\s+)?in\s+with)\s+(him|her)\b",
    re.I,
)
# a capitalised word inside a sentence, or a full name anywhere (one capitalised word at the very start of a
# sentence cannot be told from any first word)
PERSON_NAME = re.compile(r"\b([A-Z][a-z]{2,})(?:\s+[A-Z][a-z]{2,})*\b")
NOT_NAMES = frozenset(
    {"i", "okay", "ok", "god", "english", "christmas", "easter", "mr", "mrs", "ms", "dr"}
) | frozenset(WEEKDAYS_EN.keys() | MONTHS_EN.keys())
PERSON_LOOKBACK = 4  # sentences
SENTENCE_OPENERS = frozenset(
    "and but so or then now well oh yeah yes no right okay ok also just have has did does the this that "
    "what who when where why how can could would will should if because".split()
)
# "let's check the forecast" / "let's make that concrete": doing it now, in the meeting (undated "we" only)
WE_NOW = re.compile(
    r"^\s*(?:check|look|see|review|discuss|think|focus|keep|take\s+a\s+look|do|hear|spend|dig|continue|say|"
    r"get\s+through|come\s+back\s+to|have\s+to\s+(?:think|see|wait)|revisit|leave\b|pick\s+(?:that|this|it)\s+up|"
    r"go\s+(?:for|to|with|on)\b|make\s+(?:that|this|it)\b)",  # "let's go for your goals" (ASR for "go through")
    re.I,
)
ROLE_ASKED = re.compile(r"\s*be\s+(?:his|her|their|the|a)\s+(?:\w+\s+)?(?:mentor|buddy)\b", re.I)
# status and forecasts ("we're going to be at 80% by the end of the quarter")
STATUS = re.compile(
    r"^\s*(?:(?:both|all)\s+)?(?:be|hit|reach|land|end\s+up|finish\s+(?:at|around)|get\s+to\s+\d|probably\s+be|likely\s+be)\b"
    # "we'll smash the Christmas target, easy": a forecast about a number, no work
    r"|^\s*(?:smash|beat|crush|nail|exceed|blow\s+past)\s+(?:the|our|my|your|this|that)\s+(?:\w+\s+){0,2}?"
    r"(?:target|targets|number|numbers|budget|record|forecast|quota)\b"
    r"|\b(?:key\s+result|okr|kr)\s+is\b|\b\d+\s*(?:%|percent)\s+(?:by|at)\b"
    # "we will have more guests waiting": a forecast ("I'll have it ready" is not: it names the work)
    r"|^\s*have\s+(?:more|less|fewer|a\s+lot|lots|plenty|no|some|many|much|enough)\b"
    # "we'll need another four hundred stems" (a requirement), "we'll get there", "you'll have heard"
    r"|^\s*need\b|^\s*get\s+there\b|^\s*have\s+(?:heard|seen|noticed|had|been)\b"
    # "There are some comments about the meeting point you'll want to see": what someone will make of it
    r"|^\s*(?:want|like|love|enjoy|hate)\s+(?:to\s+(?:see|know|hear|read)|this|that|it)\b"
    # "I'll get that nineteen down, promise": a number to move, not work
    r"|^\s*(?:get|bring|push)\s+(?:that|the|my|it)\s+(?:\d+|" + "|".join(CARDINAL_DAYS) + r")\s+(?:down|up)\b"
    # "I'll have to put it down as behind": the review's record of an objective, not work
    r"|^\s*(?:have\s+to\s+|need\s+to\s+|just\s+)?(?:put|mark|write|record|log)\s+(?:it|that|this|them|you)\s+(?:down\s+)?"
    r"as\s+(?:behind|on\s+track|at\s+risk|ahead|red|amber|green|met|not\s+met|exceed|meets?|partly|partially)\b",
    re.I,
)
# "Let's grab a coffee sometime": a "we" with no time but a vague one is a pleasantry, not a plan
VAGUE_TIME = re.compile(
    r"\b(?:sometime|some\s+time|at\s+some\s+point|one\s+of\s+these\s+days|some\s+day|one\s+day)\b", re.I
)
WISH = re.compile(
    r"\bI(?:'d|\s+would)\s+(?:like|love)\s+to\b|\bI\s+(?:want|hope|wish)\s+to\b|\bmy\s+goal\b|\bI'm\s+hoping\b|"
    # "Maybe next year I can do some course" (a hope), "So sometimes I will have meetings" (a habit)
    r"\b(?:maybe|perhaps|possibly)\b[^.,;?!]*\bI(?:\s+can|'ll|\s+will)\b|"  # "Maybe next year I will go for it"
    r"\b(?:sometimes|usually|normally|often|some\s+days)\s+I(?:'ll|\s+will)\b|"
    r"\bI\s+(?:say|keep\s+saying)\s+(?:that\s+)?I(?:'ll|\s+will)\b|"  # "Every year I say I will learn the butchery"
    # "And someday I'll learn to make haggis", "One day mi a go wrestle that printer"
    r"\b(?:someday|some\s+day|one\s+day)\b[^.,;?!]*(?:\bI(?:'ll|\s+will|(?:'m|\s+am)\s+(?:going\s+to|gonna))|\bmi\s+(?:a\s+go|will|gwine))\b|"
    r"我(?:想|希望|想要)",
    re.I,
)
# "Maybe I will submit next year, if I'm lucky": an undated promise hedged with luck is a hope
HOPE = re.compile(r"\bif\s+I(?:'m|\s+am)\s+lucky\b|\bwith\s+(?:any|a\s+bit\s+of)\s+luck\b|\bfingers\s+crossed\b", re.I)
# a promise broken off ("I'll, ah, well, we'll see"), a trip ("going to Brighton"), an unsure or open "we"
ABANDONED = re.compile(r"\s*,\s*(?:(?:ah+|um+|uh+|erm|er|well|oh)\s*,\s*)+(?:we|you|they)(?:['’]\w+)?\s", re.I)
GOING_TO = re.compile(r"\b(?:going\s+to|gonna)\s*$", re.I)
PLACE = re.compile(r"\s*(?!I\b)[A-Z][a-z]+")  # "going to Brighton": a capitalised word where a verb would be
UNSURE = re.compile(r"\s*(?:probably|maybe|perhaps|possibly)\b", re.I)
WAIT_AND_SEE = re.compile(r"\bwe(?:['’]ll|\s+will)\s+see\b", re.I)


def _wait_and_see(sents: list[Sentence], sent: Sentence) -> bool:
    """The speaker leaves their own suggestion open in the same turn ("... actually. Well, we'll see.")."""
    turn = [s for s in sents[sent.index : sent.index + 3] if s.segment_id == sent.segment_id]
    return any(WAIT_AND_SEE.search(s.text) for s in turn)


REFUSAL = re.compile(
    # "Ai, Wanjiru, I can't." / "Tammy, honestly, I cannot": after a word or two of address, not after a yes
    r"^\s*(?:(?:ah+|oh+|och|aw+|ach|ugh|um+|uh+|erm|er|hmm+)\b[\s,.!]*)?"  # "Ah no. No, I won't, Declan, sorry."
    r"(?:(?!(?:yes|yeah|yep|yup|sure|okay|ok|aye|ja|fine|of\s+course|absolutely|definitely|today|tonight|tomorrow|(?:mon|tues|wednes|thurs|fri|satur|sun)day|next|this)\b)[\w'’]+(?:\s+[\w'’]+)?,\s*){0,2}"
    r"(?:no\b(?![\s,]+(?:problem|worries|bother|sweat|trouble)\b)|nope\b|yeah,?\s+nah\b|nah\b(?![\s,]+yeah\b)|I\s+can't|I\s+cannot|I\s+won't|I\s+don't\s+think\s+(?:so|I\s+can)|not\s+(?:really|by)|"
    r"not\s+this\s+(?:week|month|time|quarter|year|cycle|round)\b|that\s+won't\s+work|不行|不能|没办法|沒辦法|做不到"
    # "Could you do November's?" - "Abeg, Tunde is the one doing it now.": someone else has the work
    r"|(?-i:[A-Z][a-z]+)\s+is\s+(?:the\s+one\s+)?doing\s+(?:it|that|them)\b)",
    re.I,
)
WITHDRAWAL = re.compile(
    r"\blet's\s+not\b|\blet\s+us\s+not\b|\bscratch\s+that\b|\bnever\s*mind\b|\bforget\s+(?:about\s+)?(?:it|that)\b|\blet's\s+forget\b|"
    r"\bon\s+second\s+thought\b|\bno\s+need\b|\bdon't\s+(?:you\s+)?worry\s+about\s+(?:it|that)\b|\bcancel\s+that\b|"
    r"\bactually,?\s+(?:we|I|you)\s+(?:don't|won't|shouldn't)\b|\bdon't\s+do\s+that\b|\bdon't\s+bother\b|"
    r"\bforget\s+I\s+(?:asked|said)\b|\bI\s+won['’]t\s+bother\b|"
    r"(?<!\bnot\s)(?<!n't\s)(?<!\bnever\s)\bforget\s+(?:about\s+)?the\s+[\w' -]+?(?=\s*[.!;]|$)|"
    # "Ignore me." takes back; "They'll not ignore me." does not
    r"(?<!\bnot\s)(?<!n't\s)(?<!'ll\s)(?<!\bwill\s)\bignore\s+(?:that|me)\b|"
    r"\bscrap\s+that\b|\bskip\s+(?:it|that)\b|\b(?:drop|park)\s+(?:that|it)\b|"
    r"算了|还是不要|還是不要|不用了|取消(?:吧|了)|别做了|別做了",
    re.I,
)
MEETING_NAMED = re.compile(r"\s+(?:meeting|call|catch-?up|huddle|stand-?up|briefing)\b", re.I)
DATE_PREPOSITION = re.compile(
    # "I'll re-baseline it, give me till Wednesday": asking for time is the date's preposition too
    r"(?:\s*,)?\s*(?:\bgive\s+(?:me|us)\s+(?=(?:till|until|to)\b))?"
    r"(?:\b(?:by|before|on|until|till|no\s+later\s+than|for|within|in|at|around|latest\s+by|by\s+the|to)\s+)?"
    r"(?:(?:close|end)\s+of\s+(?:play|business|day)\s+(?:on\s+)?|cob\s+|eod\s+)?"  # "by close of play Thursday"
    r"(?:the\s+)?(?:在|於|于|喺)?$",
    re.I,
)
LEAD_IN = re.compile(
    r"^\s*(?:,|also|just|only|then|definitely|certainly|probably|please|go\s+ahead\s+and|and|do\s+is|ever)\s+", re.I
)  # "what I'll do is look at overtime cover": "do is" leads in; "would you ever do the bar shoes": a polite ask
# "What if you did the rehearsal schedule this year?": a suggestion in the past tense; the task is an imperative
PAST_TO_BASE = {
    "did": "do", "wrote": "write", "took": "take", "made": "make", "gave": "give", "sent": "send", "ran": "run",
    "got": "get", "went": "go", "brought": "bring", "kept": "keep", "told": "tell", "rang": "ring", "spoke": "speak",
    "came": "come", "began": "begin", "drew": "draw", "chose": "choose", "led": "lead", "met": "meet", "paid": "pay",
    "sold": "sell", "bought": "buy", "built": "build", "taught": "teach", "caught": "catch",
}  # fmt: skip
PAST_FIRST = re.compile(
    r"^\s*(" + "|".join(PAST_TO_BASE) + r"|\w+(?:is|iz|at|id|ud)ed)\b(?!\s+(?:to|by|on|in|at|up)\b)", re.I
)  # "organised", "updated", "decided": drop the "d"
# "I'll do it on Tuesday night itself": Indian English stresses the date, the word is no part of the task
DATED_EVENT = re.compile(r"^['’]s(?:\s+[a-z][\w-]*){1,2}?(?=\s*(?:[,.;!?]|$|\s+(?:and|but|so|then)\b))")
DATE_EMPHASIS = re.compile(r"^\s+(?:itself|only)\b", re.I)
ZH_DATE_SUFFIX = re.compile(r"^(?:之前|以前|前|内|內|之内|之內)")
# "…，好嗎" / "…吗": the question tag of a request is not part of the task
ZH_TAG_QUESTION = re.compile(
    r"[，,]?\s*(?:好嗎|好吗|好不好|得唔得|可唔可以|可以嗎|可以吗|行不行|ok嗎|ok吗|好唔好)?[吗嗎呢啦吧呀啊喇]?\s*$", re.I
)
# "please don't take it forward": a request not to do something is no task
# ", because it's been a pain" / ", otherwise they'll use last-click" / " so people stop asking": why, not what
TRAILING_CLAUSE = re.compile(
    r"\s*,\s*(?:because|since|as(?!\s+(?:a|an)\b)|so|otherwise|which|though|but|anyway|hopefully|by\s+the\s+way|if\s+that|"
    r"honest(?:ly)?|I\s+promise|I\s+swear|reckon|"
    r"that's|that\s+is|it's|it\s+is|I|I'm|I'll|I've|we|we're|we'll|they|they're|they'll|he|she|you|you're|you'll|"
    r"before|after|when|once|while|until|probably|maybe|perhaps|don't\s+(?:you\s+)?worry)\b.*$"
    r"|\s+(?:because|so\s+that|so\s+(?:people|we|they|nobody|everyone|the\s+team|you|I|he|she|it))\b.*$"
    r"|\s+and\s+I(?:'m|\s+am)?\s+(?:not|don't|won't|never)\b.*$"  # "write them and I'm not assigning it at random"
    # "ring Pieter, if I can get hold of him" (a hedge, not the condition), "get it done before I go"
    r"|\s*,\s*if\s+I\s+can\b.*$"
    # "run it, and Moira is on leave": a second clause about someone else says why, not what
    r"|\s*,\s*and\s+(?:(?-i:[A-Z][a-z]+)|he|she|they|it)(?:'s|\s+(?:is|was|are|were|has|had|isn't|wasn't|hasn't))\b.*$"
    r"|\s+before\s+(?:I|you|we|he|she|they)\s+(?:go|leave|head\s+off)\b.*$"
    # "sign the requisition today, then it goes to HR": what others do next is no part of the task
    r"|\s*,\s*then\s+(?:it|they|he|she|you|(?-i:[A-Z][a-z]+))(?:'ll|\s+(?:goes|go|gets|will|can|could|has|must))\b.*$",
    re.I,
)
NEGATED = re.compile(r"^\s*(?:,\s*)?(?:don't|do\s+not|dont|never|not)\b", re.I)
# "I'll try my best" / "我会尽量": how hard, not what; the task is the request it answers
HEDGE = re.compile(
    r"\b(?:try\s+(?:my|our)\s+best|do\s+(?:my|our)\s+best|(?:try|see)\s+what\s+I\s+can\s+do|try\s+(?:to|and)|"
    r"give\s+it\s+a\s+(?:go|shot|try))\b|尽量|盡量|尽力|盡力|试试|試試|试一下|試一下|努力",
    re.I,
)


# "Shall I ...?", "Do you want me to ...?", "What if we ...?": the words before a cue that make it a question
QUESTION_FORM = re.compile(
    r"\b(?:shall|should|can|could|may|might|do|does|would|will|must|what\s+if|how\s+about|why\s+don't)\s*"
    r"(?:you\s+want\s+(?:me|us)\s+to\s*)?$",
    re.I,
)
# "Yeah, do that." / "Please do.": the other person endorses a plan
ENDORSE = re.compile(
    r"^\W*(?:(?:yes|yeah|yep|ok(?:ay)?|great|good|sure|right)[,.!\s]+)*(?:do\s+(?:that|it)|please\s+do|go\s+for\s+it|"
    r"good\s+idea|great\s+idea|sounds\s+(?:good|great|like\s+a\s+plan))\b",
    re.I,
)
# "Will do.", "Yep, on it.": the whole reply accepts a request
ACCEPTANCE = re.compile(
    r"^\W*(?:(?:yes|yeah|yep|ok(?:ay)?|sure|right|of\s+course|nah,?\s+yeah)[,.!\s]+)*(?:will\s+do|on\s+it|no\s+(?:problem|worries|bother)|not\s+a\s+problem|"
    # "Can." / "Can, can lah.": yes, in Singapore and Malaysia
    r"sure(?:\s+thing)?|(?:of\s+)?course|can\s+do|can(?:[,\s]+(?:can|lah|la))*|I\s+will|I'll\s+do\s+(?:that|it))\W*$",
    re.I,
)
# "Yes sir, I'll inform the counter staff.": a yes that goes on to say how; "Yes, and I'll also ..." adds a task
ACCEPTANCE_LEAD = re.compile(
    r"^\W*(?:yes|yeah|yep|sure|okay|ok|of\s+course|absolutely|nah,?\s+yeah)\b[\s,.!]*(?:(?:sir|ma['’]?am|ma|madam|boss|mate)\b[\s,.!]*)?"
    r"(?=I(?:['’]ll|\s+will)\s+(?!also\b)(?!.*\b(?:also|too|as\s+well)\W*$))",
    re.I,
)
# "the guests say, no, I'll just book it online": someone else's words, quoted
REPORTED = re.compile(
    # "I said, let's do a little showcase": the speaker says their own words again (after a drop-out), no quote
    r"(?<!\bI\s)\b(?:say|says|said|saying|asks|asked|goes|went)\s*[,:]|\b(?:was|were|is|are|been|keeps?|kept)\s+saying\b"
    # "Coach Daniels said he'd let us have the stadium": what someone else said they would do
    r"|\b(?:said|says|told\s+(?:me|us))\s+(?:that\s+)?(?:he|she|they)(?:['’]d|['’]ll|\s+would|\s+will)\b"
    # "I already told Kirsty I'll take Boxing Day": arranged before the meeting, no new work
    r"|\balready\s+(?:told|promised|said\s+to)\b",
    re.I,
)
# "if it's as big as they're saying, I'll ...", "like you were saying, I'll ...": a comparison, nobody quoted
AS_SAYING = re.compile(
    r"\b(?:as|like)\s+(?:\w+\s+){0,2}?(?:they|he|she|you|we|people|everyone|everybody)"
    r"(?:['’]re|['’]s|\s+are|\s+is|\s+were|\s+was)\s+saying\b",
    re.I,
)


def _reported(lead: str) -> bool:
    """The words before a promise quote someone else ("He keeps saying, I'll fix it")."""
    return bool(REPORTED.search(AS_SAYING.sub("", lead)))


# "If finance gives me the number by Wednesday, I'll approve ...": that date is the condition's, not the task's
CONDITION = re.compile(r"\b(?:if|once|when|whenever|unless|as\s+soon\s+as|after|provided)\b", re.I)
CONDITION_NEGATED = re.compile(r"\b(?:not|no|never|still|again)\b|n't\b", re.I)
BY_END = re.compile(r"\b(?:by|before)\s*$", re.I)
# "Yeah, sure. End of next week?" / "Next Friday, then": a reply that is a date sets the date of what it answers
DATE_REPLY_LEAD = re.compile(
    r"^\s*(?:(?:yes|yeah|yep|sure|okay|ok|right|fine|um|uh|so|then|and|great|perfect|by|the|what|probably|maybe|say|"
    r"give\s+me\s+(?:till|until|to)|"  # "Give me till the end of next week?"
    r"you(?:['’]ll|\s+will)\s+have\s+(?:it|them|that|those|this|these)|"  # "You'll have them by the end of the day"
    r"no\s+rush|no\s+hurry|just|ideally|that(?:['’]?s)?|that\s+is|it(?:['’]?s)?|which(?:\s+is)?|"
    r"can\s+do|will\s+do|no\s+problem|no\s+worries|of\s+course|absolutely|definitely)"  # "Can do, by Friday."
    r"[,.!\s]+)*$",
    re.I,
)
DATE_REPLY_TURNS = 2
"""Turns after a commitment in which a bare date answers "when?"."""
# "by the Friday before, so the twenty-fifth": a date said again, more exactly
RESTATED_DATE = re.compile(r",\s*(?:so|that's|that\s+is|which\s+is|i\.e\.)\s*(?:the\s+)?$", re.I)
RESTATING = re.compile(r"(?:so|that's|that\s+is|which\s+is)\b", re.I)
DATE_NOTE_LEAD_WORDS = 2  # "Handover end of next week.": a word or two naming the step, then when
DATE_NOTE_WORDS = 7
CLAUSE_BREAK = re.compile(r"[,;:]")
NARROW_DAYS = 7  # "Next week. By Wednesday?": the exact day lies inside the span said first
PRE_CUE_DATE_WORDS = 6
"""Most words between a date and the cue after it for the date to be the task's ("First thing Monday, I'll ...")."""
# "I'll put a recurring half hour in for us": a day agreed for it is a schedule, no deadline
# "every Friday", "a weekly slot"; not "every one of the servers", "every single invoice": all of them, once
RECURRING = re.compile(
    r"\b(?:recurring|regular|every(?!\s+(?:one|single|last)\b)|weekly|fortnightly|monthly|each\s+(?:week|month))\b",
    re.I,
)
# "I'll send you a short written update every Friday, starting tomorrow": the first one is due when it starts
RECURRING_START = re.compile(r"\b(?:starting|beginning|from)\s+(?:on\s+)?", re.I)
# "please, or payroll will kill me" / "New one, please, the one Sam sent round": no request follows "please"
OTHERWISE = re.compile(r",\s*(?:otherwise|or\s+else)\b", re.I)
REASON = re.compile(r"\b(?:because|cos|'cause|since)\b|,\s*as\s+(?:I|we)(?:'m|\s+am|'re|\s+are)\b", re.I)
CONSEQUENCE = re.compile(r"^\W*(?:or|otherwise|because|cos|as|since)\b", re.I)
# "Haha, please no, the release team will find you", "No, please, who will fix my coolant then?"
PLEA = re.compile(r"^\W*(?:no|don't|stop|who|why|how|where)\b", re.I)
PLEASE_CHOICE = re.compile(r"^\W*(?:the|a|an|this|that|those|these|one|both|either)\b", re.I)
# "She's in branch on Tuesdays, so, next Tuesday.": a date the speaker concludes
SO_DATE = re.compile(r"\bso[,\s]*$", re.I)
# "put your name forward for it": the task ends on a pronoun that stands for what it is about
# "it" is never "IT" (information technology): "Chase IT about your second screen" names its own object
_IT = r"(?-i:it|It)"
PRONOUN_END = re.compile(
    # "Ring Whitby about it, tell 'em ..."
    rf"\b(?:for|to|on|about|with|into|of|in)\s+(?:{_IT}|that|this|them)\s*(?:$|,)"
    # "book it in with the fleet people"
    rf"|^\w+\s+(?:{_IT}|that|this|them|those|['’]em)(?!\w)(?!\s+(?:is|was|are|were)\b)"
    rf"|^\w+\s+(?:through|over)\s+(?:{_IT}|them|those|these)\b"  # "Go through it and update it"
    rf"|\b\w+\s+(?:{_IT}|them)\s+(?:up|out|off|over|across|back|round|around|in|through|down)\s*(?:$|,)",  # "put it up"
    re.I,
)
CONTACT = re.compile(
    r"^(?:contact|call|ring|phone|e-?mail|text|message|ping|chase|remind|invite|brief)\s+(?:them|him|her)\b", re.I
)
CONTACT_VERBS = frozenset({"contact", "call", "ring", "phone", "email", "ping", "speak", "talk", "ask", "chase"})
PRONOUN_START = re.compile(r"^\W*(?:it|that|this|they|those|these)\b", re.I)
THE_ONE = re.compile(r"^\W*the\s+one\b", re.I)
# "Let the employee know", "flag it to the manager": what to tell is the condition ("if the grower can't ...")
TELL = re.compile(
    r"^(?:let\s+(?:the\s+)?\w+\s+know|tell|flag|warn|ping|shout|give\s+(?:the\s+)?\w+\s+a\s+heads?[- ]?up)\b", re.I
)
# "So our next catch-up, I'll move it": the speaker names the thing first, in the same sentence
LEAD_CLAUSE = re.compile(r"^(?P<lead>[^,]{3,}?),\s*$")
# "Sir, if they ask for the stability data again, I'll pull ...": a short address or filler may come first
CONDITION_CLAUSE = re.compile(r"^(?:[^,]{1,20},\s*)?(?P<lead>[^,]{3,}?),?\s*$")  # the comma is often not written
# "And the house bank mapping from Mr. Reddy, if it doesn't come by Friday, tell me, I'll take it up ...": a topic
# named first, before more clauses; "So I was thinking, the three primary schools ..." thinks aloud first
TOPIC_CHUNK = re.compile(
    r"^(?:(?:so\s+|and\s+)?(?:I\s+was\s+thinking|I'm\s+thinking|you\s+know|look)\s*,\s*)?"
    r"(?P<lead>(?:(?:and|so|now|oh|also|then)[,\s]+)?(?:the|your|our|their|this|that|those|these)\s+[^,]{3,}?),",
    re.I,
)

# "Can you do that?": a task that names neither the work nor its object
DO_THAT = re.compile(r"^(?:do|sort|handle|manage|take\s+care\s+of)\s+(?:that|it|this)(?:\s+out)?$", re.I)
# "those nine", "the other two", "all three", "the last four": a count that points back at what was counted
COUNTED_REFERENCE = re.compile(
    r"\b(?:those|these|the\s+other|the\s+last|the\s+remaining|all|both\s+of)\s+"
    r"(?P<count>two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+)\b(?!\s+(?:days?|weeks?|months?))",
    re.I,
)
# "get it rescheduled", "pull those together": the task names its object only by a pronoun
THEM = re.compile(r"\bthem\b|(?<!\w)['’]em\b", re.I)
# "All the March and April valuations that didn't instruct, ...", "The three new starters, ...": a plural named first
LISTED = re.compile(r"^\W*(?:all\s+|both\s+)?(?:the|those|these|our|your|my)\s+\w", re.I)
OBJECT_ANAPHOR = re.compile(r"\b(?:it|them)\b|(?<!\w)['’]em\b", re.I)  # "get them booked in": no "that"/"this"
ANAPHOR = re.compile(r"\b(?:that|it|this|those|these|them)\b|(?<!\w)['’]em\b", re.I)  # "I'll call 'em Monday"
ROLE_WORDS = frozenset({"manager", "employee", "manager's", "employee's"})
"""Put into tasks for "you"/"me"; they say to whom, not what, so they do not make two tasks the same."""
EMPTY_WORDS = ROLE_WORDS | {"done", "sorted", "handled", "ready", "finished"}
"""Words that do not say what a task is about ("have that done", "get it sorted for the manager")."""
LIGHT_VERBS = frozenset({"get", "do", "have", "sort", "make", "take", "handle", "deal"})
"""Verbs that say nothing of the work when their object is a pronoun: "get it done", "sort that"."""
POSSESSIVES = frozenset({"his", "its", "hers", "theirs"})
"""Possessives `content_words` keeps; they say whose work it is, not what ("do his supervision")."""
ACCEPT_TURNS = 3
"""Turns within which "I'll do that" accepts a request ("any chance you could ...?" - "When's the slot?" - ...)."""
# "Ha. Okay. Fine, I'll take it.": giving in after pushing back ("And Callum?" - "Who else is going to do it?")
CONCEDED = re.compile(
    r"(?:^|[.!?]\s*|,\s*)(?:okay,?\s+|ok,?\s+|oh\s+)?(?:fine|alright\s+then|all\s+right\s+then|go\s+on\s+then)\W*$",
    re.I,
)
CONCEDE_TURNS = 10
"""Turns of pushing back within which a conceded "Fine, I'll take it" still accepts the request argued over."""
# a suggestion that is no item of its own, so a "let's not" right after it takes back only it
SUGGESTION = re.compile(
    r"\b(?:was|were)\s+(?:also\s+)?(?:going\s+to|gonna)\s+(?:suggest|say|propose|ask)\b|\bhow\s+about\b|\bwhat\s+if\b"
    r"|\b(?:i|we)\s+(?:thought|wondered)\b|\b(?:i|we)\s*(?:was|were|am|'m|are|'re)\s+(?:just\s+)?thinking\b"
    r"|\b(?:i|we)\s+could\s+(?:also\s+|even\s+|always\s+)?(?!not\b|be\b|have\b|never\b)[a-z]+",  # an offer said since
    re.I,
)
WITHDRAWAL_LEAD_WORDS = 5
"""More content words than this before "forget that" in one sentence: it withdraws what that sentence said."""
# "I'll tell 'em myself, don't you worry about that": after one's own promise, reassurance rather than withdrawal
REASSURANCE = re.compile(r"don't\s+(?:you\s+)?worry", re.I)
# "Leave that with me.", "That's on me.", "I'll take that.": the speaker takes on the problem just raised
TAKE_ON = re.compile(
    r"\bleave\s+(?:it|that|this|those|them)\s+with\s+me\b|\b(?:that's|that\s+is|it's|it\s+is)\s+on\s+me\b"
    r"|\bI(?:'ll|\s+will)\s+take\s+(?:that|it|this)(?:\s+on)?\s*(?:[.!]|$)",
    re.I,
)
LEFT_WITH_ME = re.compile(r"\bleave\s+(?P<what>it|that|this|those|them)\s+with\s+me\b", re.I)
# "When do you need it?", "By when?", "What's the deadline?": a question whose answer is the item's date
DATE_ASKED = re.compile(r"\b(?:when|what\s+time|how\s+long|how\s+soon|deadline|due|what\s+date|which\s+day)\b", re.I)
WHEN_QUESTION = re.compile(r"^\W*(?:(?:and|so|okay|right)\W+)*(?:when|what\s+time|how\s+long)\b", re.I)
DETERMINER_START = re.compile(rf"^\W*(?:{'|'.join(DETERMINERS)})\s+\w", re.I)
DATE_WORDS = frozenset(WEEKDAYS_EN.keys() | MONTHS_EN.keys()) | {
    "end", "next", "week", "weeks", "month", "months", "day", "days", "tomorrow", "today", "tonight", "morning",
    "afternoon", "evening", "weekend", "first", "thing", "close", "play", "latest", "start", "quarter", "year",
    "week's",
}  # fmt: skip
"""Words of a date phrase: a sentence made of nothing else ("End of next week.") is no topic."""
ORDINALS = frozenset(ORDINAL_WORDS)


def _only_date_words(text: str) -> bool:
    """'Fifteenth January.', 'the thirteenth', 'the fifteenth of January': a date phrase and nothing else."""
    return not content_words(text) - DATE_WORDS - ORDINALS


DATE_TALK = frozenset(
    {"when", "when's", "deadline", "date", "due", "time", "now", "again", "then", "long", "thinking", "reckon"}
)  # "When were you thinking?" asks for a date only
LEAD_IN_WORDS = 6  # a lead-in opening with a pronoun ("It's in my head") names its topic only with more words than this
RECAP_ROOT = 5
REFERENCE_WINDOW = 6
"""Sentences to look back for what "it"/"that" stands for; a review topic rarely runs longer between mentions."""
REFERENCE_WORDS = 12
"""Longest context phrase added to a task: enough to name the thing, short enough to stay a task."""
FRAGMENT_TURNS = 2
"""A bare "I'll sort it" takes a topic phrase named at most this many segments earlier."""
# "Where was we?", "Sorry, where were we?", "Anyway.": the speaker comes back from an aside to the point at hand
RESUMING = re.compile(
    r"^(?:(?:so|sorry|right|okay|ok|anyway|now)\s*,?\s+)*(?:where\s+(?:was|were)\s+(?:we|I)\b.*\?|anyway\s*[.,]?$)",
    re.I,
)


@dataclass
class Candidate:
    """A detected commitment before merging: one sentence, one owner."""

    owner: str
    task: str
    due: dt.date | None
    sentence: Sentence
    kind: str  # "self", "other", "we", "named"
    strength: str  # "strong", "weak" or "need" (only ever latent)
    evidence: list[Evidence] = field(default_factory=list)
    merged_sentences: list[int] = field(default_factory=list)
    generic: bool = False  # no task of its own: only an acceptance of a request ("Yes, I can do that this week")
    topic: str = ""  # what a pronoun task refers to, from an earlier sentence; shown with the task, never merged on
    topic_evidence: Evidence | None = None  # the sentence the topic comes from, cited while the topic is shown
    lead: str = ""  # the words before the cue in its own sentence ("So our next catch-up, I'll move it")
    topic_dates: bool = True  # a date in the topic's sentence may date the item (not when it is a problem raised)
    deferred: bool = False  # a request answered "Let me think about it": a yes may come much later
    revisits: frozenset[int] = frozenset()  # later turns in which the asker brings a deferred request up again

    @property
    def full_task(self) -> str:
        return f"{self.task} ({self.topic})" if self.topic else self.task

    @property
    def short(self) -> bool:
        """Two words or fewer that say what the task is about."""
        return _task_words(self.task) <= 2

    @property
    def bare(self) -> bool:
        """'Send the manager a draft': the task says what to do, not what it is about (a draft of what?)."""
        return self.generic or self.short

    @property
    def anaphoric(self) -> bool:
        """The task names its object only by a pronoun ("Get it rescheduled"), or has no object at all."""
        return self.generic or (self.short and bool(ANAPHOR.search(self.task)))


# "Nah, perfect timing, Dev." / "And, um, Dev, while you're here": a name the others address someone by
VOCATIVE_LEAD = r"(?i:so|and|oh|hey|okay|ok|right|alright|um+|uh+|thanks|cheers|nah|yeah|yes|no|well|look)"
NAME = r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]+"  # "Dev", "Hélène"
VOCATIVE_START = re.compile(rf"^\W*(?:{VOCATIVE_LEAD}\W+)*(?!{VOCATIVE_LEAD}\b)(?P<name>{NAME})\s*,")
# "Cheers, Paulette." / "Not bad, Paulette, you?": the name ends the sentence, or a short tag follows it
VOCATIVE_END = re.compile(rf",\s*(?P<name>{NAME})\s*(?:,\s*(?i:you|and\s+you|mate|love|yeah)\s*)?[.!?]*\s*$")
# "Hallo Niamh." / "Okay, thanks Winnie." / "Niamh!": a greeting or a call needs no comma
VOCATIVE_CALL = re.compile(
    rf"\b(?i:hi|hiya|hello|hallo|hey|morning|evening|thanks|thank\s+you|cheers|bye)\s+(?P<name>{NAME})\s*[.!?]+\s*$"
    rf"|^\W*(?P<called>{NAME})\s*[!?]+\s*$"
)
# "Kevin Mutua is also joining" / "Hélène Dufresne, everyone, our director": a full name said as a voice arrives
FULL_NAME = re.compile(rf"\b(?P<name>{NAME})\s+{NAME}\b")
# "You've met Sophie? She's our HR partner" / "This is Priya" / "That'll be Paulette at the door": a first name
# introduced as a voice arrives
INTRODUCED = re.compile(
    rf"\b(?i:you've\s+met|you\s+have\s+met|you\s+know|meet|this\s+is|welcome|joined\s+by|that'll\s+be|here's|here\s+comes)"
    rf"\s+(?P<name>{NAME})\b"
)


SPOKE_OF_SELF = re.compile(r"\b(?:I|me|my|mine)\b|\?", re.I)


@dataclass(frozen=True)
class Participants:
    """Who is in the meeting, so 'I'/'you' resolve to people."""

    speakers: tuple[str, ...]
    employee: str | None = None
    manager: str | None = None
    aliases: tuple[tuple[str, str], ...] = ()
    """Short names the meeting calls a role by, lower-cased, with the role: (("aga", "employee"),)."""

    def __post_init__(self) -> None:
        """A blank name is no name: "  " would otherwise have no first word to match."""
        for role in ("employee", "manager"):
            name = " ".join((getattr(self, role) or "").split())
            object.__setattr__(self, role, name or None)

    def other(self, speaker: str, context: list[Sentence], text: str = "", asked: Sentence | None = None) -> str:
        """The party a speaker addresses: one named at the start ("Jordan, can you ..."), the other role, else the
        nearest other speaker."""
        vocative = VOCATIVE_START.match(text)
        if vocative:
            named = self.normalise(vocative["name"])
            if named in ("manager", "employee") and named != speaker:
                return named
        if speaker in ("manager", "employee"):
            # "Can you send me the list?" (a third voice) - "Yeah, I'll send you the list": the one just heard, when
            # they spoke of themselves or asked ("You'd be good at that." - "I'll put your name down": not them)
            # (said before: "I'll have your pay review done. Helen, hold me to it." - "Oh, I'll hold you to it.")
            nearest = next(
                (s.speaker for s in context if s.speaker != speaker and (asked is None or s.index < asked.index)),
                None,
            )
            if nearest is not None and nearest not in ("manager", "employee") and nearest in self.speakers:
                voice = [s for s in context if s.speaker == nearest and (asked is None or s.index < asked.index)]
                # "Maricel, your name came up." - "I'll nominate you": the voice spoke to the other role
                role = "employee" if speaker == "manager" else "manager"
                calls = (VOCATIVE_START.match(s.text) for s in voice)
                if any(c is not None and self.normalise(c["name"]) == role for c in calls):
                    return role
                if any(SPOKE_OF_SELF.search(s.text) for s in voice):
                    return nearest
            return "employee" if speaker == "manager" else "manager"
        if asked is not None and asked.text.rstrip().endswith("?"):
            # a third voice asks "will you train the front desk on it?": whoever answers is asked
            reply = next((s for s in context if s.index > asked.index and s.speaker != speaker), None)
            if reply is not None:
                return reply.speaker
        for sent in context:
            if sent.speaker != speaker:
                return sent.speaker
        others = [s for s in self.speakers if s != speaker]
        return others[0] if others else speaker

    @property
    def name_forms(self) -> frozenset[str]:
        """The employee's and manager's names, full and first, lower-cased ("okay, callum." is no topic)."""
        people = [p.strip().lower() for p in (self.employee, self.manager) if p and p.strip()]
        return frozenset([*people, *(p.split()[0] for p in people), *(alias for alias, _ in self.aliases)])

    def name_roles(self, task: str) -> str:
        """'Send the employee the link' -> 'Send Darlene the link': a review names people as the meeting did.

        Tasks are built with role words ("you" -> "the employee") so that merging can ignore them; the draft shows
        the first name instead (the full name when both share it), and keeps the role word when no name is known.
        """
        names = {role: name for role, name in (("employee", self.employee), ("manager", self.manager)) if name}
        firsts = [name.split()[0] for name in names.values()]
        for role, name in names.items():
            shown = name.split()[0] if firsts.count(name.split()[0]) == 1 else name
            task = re.sub(rf"\b[Tt]he {role}\b", shown, task)
        return task

    def normalise(self, name: str) -> str:
        """Map a participant's name to the role label used in the transcript."""
        low = name.strip().lower()
        if self.employee and low == self.employee.strip().lower().split()[0]:
            return "employee"
        if self.manager and low == self.manager.strip().lower().split()[0]:
            return "manager"
        return dict(self.aliases).get(low, name.strip())


def _lower_case_words(sents: list[Sentence]) -> set[str]:
    """Words the meeting also writes in lower case: "Sawa, sawa" or "Brilliant, thanks" open with no name."""
    return {w for s in sents for w in re.findall(r"\b[a-zß-öø-ÿ]+\b", s.text)}


ALIAS_PREFIX = 2  # "Aga" for Agnieszka, "Thandi" for Thandiwe: a short name starts as the full one does


def with_aliases(sents: list[Sentence], participants: Participants) -> Participants:
    """Learn the short names the meeting calls the employee and manager by: "Aga, can you send me photos of the
    snug?" answered by the employee Agnieszka makes "Aga" her, not a third voice's name nor someone else to ask."""
    firsts = {
        role: name.split()[0].lower()
        for role, name in (("employee", participants.employee), ("manager", participants.manager))
        if name
    }
    found: dict[str, str] = {}
    lower_case = _lower_case_words(sents)  # "Brilliant, thanks." is no name
    for i, sent in enumerate(sents):
        for call in (VOCATIVE_START.match(sent.text), VOCATIVE_END.search(sent.text)):
            if call is None:
                continue
            low = call["name"].lower()
            if low in lower_case or low in NOT_A_NAME:
                continue
            reply = next((s.speaker for s in sents[i + 1 :] if s.speaker != sent.speaker), None)
            first = firsts.get(reply or "")
            if first and low != first and len(low) > ALIAS_PREFIX:
                if low[:ALIAS_PREFIX] == first[:ALIAS_PREFIX] and low not in firsts.values():
                    found[low] = reply  # type: ignore[assignment]
    return replace(participants, aliases=tuple(sorted(found.items())))


VOICE_TURN_LOOKBACK = 8  # sentences: "Oh yeah, nah, fair. Make it the Wednesday then. The second. I'll get it to you"


def _voice_turn(sents: list[Sentence], sent: Sentence) -> list[Sentence]:
    """The whole last turn of the third voice heard just before, for `Participants.other`: "Aga, can you send me
    photos of the snug? For the website. You took some nice ones." - "I'll send them to you": it asked, four
    sentences back."""
    nearest = next(
        (
            s
            for s in reversed(sents[max(0, sent.index - VOICE_TURN_LOOKBACK) : sent.index])
            if s.speaker != sent.speaker
        ),
        None,
    )
    if nearest is None or nearest.speaker in ("manager", "employee"):
        return []
    return [s for s in sents[max(0, nearest.index - 6) : nearest.index + 1] if s.segment_id == nearest.segment_id]


@functools.lru_cache(maxsize=4096)
def _task_words(task: str) -> int:
    """How many words of a task say what it is about (cached: `merge` asks for every pair)."""
    return len(content_words(task) - EMPTY_WORDS)


def _first(patterns: list[tuple[re.Pattern[str], str, str]], text: str) -> tuple[re.Match[str], str, str] | None:
    best: tuple[re.Match[str], str, str] | None = None
    for pattern, kind, strength in patterns:
        match = pattern.search(text)
        if match and (best is None or match.start() < best[0].start()):
            best = (match, kind, strength)
    return best


# "I do this." / "Then I send you the list on Monday" / "Yes, I prepare it": a speaker of another first language often
# promises in the present tense. It counts only with a date to come or right after the other person asked.
SELF_PRESENT = re.compile(
    r"(?:^|"
    + "|".join(rf"(?<=^{w}\s)|(?<=^{w},\s)" for w in ("yes", "ja", "okay", "ok", "sure", "then", "so", "and"))
    + r"|(?<=,\s)"  # "So Thursday, I send them Thursday": after a short lead (see PRESENT_LEAD_WORDS)
    # "By next Wednesday I go through all the battery logs": after a date said first
    + r"|(?<=day\s)|(?<=week\s)|(?<=month\s)|(?<=tomorrow\s)|(?<=tonight\s))I\s+"
    r"(?=(?:do|send|prepare|write|make|fix|check|call|ring|email|share|book|update|finish|clean|sit|show|take|"
    r"organi[sz]e|arrange|lodge|submit|forward|go\s+through)\s+(?:all\s+)?(?:it|this|that|them|you|her|him|the|those|these)\b)",
    re.I,
)
PRESENT_LEAD_WORDS = 3
# "We'll need to clean those up before the audit": a proposal to the group (taken up by "I do this"), before "we'll"
WE_NEED = re.compile(r"\bwe(?:'ll|\s+will)\s+(?:need|have)\s+to\b", re.I)
ASKED = re.compile(r"\?\s*$|\b(?:can|could|would|will)\s+you\b|\bwe(?:'ll)?\s+need\s+to\b|\bplease\b", re.I)
# "Let's do a refresher with the pickers then." - "I do it.": a proposal, which a present-tense "I do it" takes on
PROPOSED = re.compile(r"^(?:\w+,?\s+)?let's\b", re.I)

CUES: list[tuple[re.Pattern[str], str, str]] = [
    (SELF_STRONG, "self", "strong"),
    (SELF_PRESENT, "self", "present"),
    (WE_NEED, "we", "weak"),
    (OTHER_STRONG, "other", "strong"),
    (WE_STRONG, "we", "strong"),
    (SELF_WEAK, "self", "weak"),
    (IMPERATIVE, "other", "weak"),
    (CONDITIONAL_IMPERATIVE, "other", "weak"),
    (OTHER_WEAK, "other", "weak"),
    (WE_WEAK, "we", "weak"),
    (ZH_SELF, "self", "strong"),
    (ZH_OTHER_LATE, "other", "strong"),
    (ZH_OTHER, "other", "strong"),
    (ZH_WE, "we", "strong"),
    (ZH_SELF_WEAK, "self", "weak"),
    (ZH_OTHER_WEAK, "other", "weak"),
]


def _dated_subject(text: str, meeting_date: dt.date) -> tuple[re.Match[str], str, str] | None:
    """'我/你 <date> <work>' with no modal verb: the subject commits (我) or is asked (你) to do it by then."""
    for found in sorted(find_dates(text, meeting_date), key=lambda r: r.start):
        match = ZH_DATED_SUBJECT.search(text, 0, found.start)
        if match:
            return match, "self" if match.group(1) == "我" else "other", "strong"
    return None


def _strip_dates(text: str, meeting_date: dt.date) -> str:
    """Remove due-date phrases and their prepositions from a task."""
    for found in sorted(find_dates(text, meeting_date), key=lambda r: r.start, reverse=True):
        if MEETING_NAMED.match(text[found.end :]):
            text = text[: found.start].rstrip() + text[found.end :]  # "in the Monday meeting" -> "in the meeting"
            continue
        head = DATE_PREPOSITION.sub("", text[: found.start])
        # "before Tuesday's dress": the date names an event, and the event goes with it
        tail = DATE_EMPHASIS.sub("", ZH_DATE_SUFFIX.sub("", DATED_EVENT.sub("", text[found.end :])))
        text = head + tail
    return text


def _task(rest: str, *, owner_is_speaker: bool, speaker: str, addressee: str, meeting_date: dt.date) -> str:
    """A short imperative task from the words after the cue ("send you the plan by Friday" → "Send the plan ...")."""
    text = HEDGE.sub("", _strip_dates(rest, meeting_date))
    text = first_sentence(text)
    text = TRAILING_CLAUSE.sub("", text)
    text = re.sub(r"\s*,?\s*\b(?:by|before|until|till|to|for|on)\s+then\b", "", text, flags=re.I)  # dated from context
    text = re.sub(
        r"\s*,?\s*\b(?:okay|ok|alright|right|please|then|this\s+time|fingers\s+crossed|touch\s+wood|hopefully)\s*$",
        "",
        text,
        flags=re.I,
    )
    # "I'll take that, sir": a form of address ends no task
    text = re.sub(r"\s*,\s*(?:sir|ma['’]?am|madam|boss|mate|hon|bro|chief|love|my\s+friend)\s*$", "", text, flags=re.I)
    # "do the fire walk with them on their first day, yeah?": a question tag ("tell them yes" keeps its "yes")
    text = re.sub(r"\s*,\s*(?:yeah|yes|eh|innit|lah|yah|aye)\s*$", "", text, flags=re.I)
    text = PAST_FIRST.sub(lambda m: PAST_TO_BASE.get(m[1].lower(), m[1][:-1]), text)  # "What if you did the schedule"
    text = re.sub(r"\s*,?\s+(?:and|or|but|so)\s*$", "", text, flags=re.I)  # "do two sessions Monday and Tuesday"
    text = re.sub(
        r"\s+(?:yourself|yourselves|myself|meself|masel|ourselves)\b", "", text, flags=re.I
    )  # "write them yourself"
    text = re.sub(r"\s*,?\s*\bfirst\s+thing\b(?:\s+in\s+the\s+morning)?", "", text, flags=re.I)  # when, not what
    text = re.sub(
        r"\s+when\s+(?:you|you've|you're|you\s+have)\s+(?:can|got|get|a\s+(?:minute|sec|chance))\b.*$",
        "",
        text,
        flags=re.I,
    )
    text = ZH_TAG_QUESTION.sub("", text)
    text = re.sub(r"^\s*(?:会|會|将|將)(?=\S)", "", text)  # "我这周会把数据整理好": the modal after a week word
    for _ in range(3):
        text = LEAD_IN.sub("", text)
    text = re.sub(r"^\s*get\s+(?:on\s*to|hold\s+of|in\s+touch\s+with)\b", "contact", text, flags=re.I)  # phrasal verbs
    text = re.sub(
        r"^\s*(?:have|grab)\s+a\s+(?:quick\s+|proper\s+)?(?:word|chat)\s+with\b", "speak to", text, flags=re.I
    )
    text = re.sub(r"^\s*give\s+(.{1,40}?)\s+a\s+(?:quick\s+)?(?:ring|call|bell|buzz)\b", r"call \1", text, flags=re.I)
    # "I'll have the report to you", "I'll have all four OASys done": the speaker gets it there, or done
    text = re.sub(
        r"^\s*have(?=\s+(?:the|your|my|our|all|those|these|a\s+first|a\s+draft)\s+\w.{0,60}?\s+"
        r"(?:to|over|back|done|ready|finished|drafted|written|sorted|completed|booked|signed)\b)",
        "get",
        text,
        flags=re.I,
    )
    if owner_is_speaker:
        # "an email intro between you two": more than the listener, said as it is
        text = re.sub(
            r"\byou\b(?!\s+(?:two|three|both|all|guys|lot|lads)\b)",
            f"the {addressee}" if addressee in ("manager", "employee") else addressee,
            text,
        )
        text = re.sub(
            r"\byour\b", f"the {addressee}'s" if addressee in ("manager", "employee") else f"{addressee}'s", text
        )
        text = re.sub(r"\bmy\b", "their", text)
    else:
        label = f"the {speaker}" if speaker in ("manager", "employee") else speaker
        text = re.sub(r"\bme\b", label, text)
        text = re.sub(r"\bmy\b", f"{label}'s", text)
        text = re.sub(r"\byour\b", "their", text)
    text = re.sub(r"\s+", " ", text).strip(" ,;:-，、")
    if not text:
        return ""
    return text[0].upper() + text[1:]


# "Ha!", "Haha, file a P1.", "(laughs)": the other person takes what was just said as a joke
# "Ha, good." laughs at a remark but approves the plan: no joke
LAUGH = re.compile(
    r"^\W*(?:ha(?:ha)*|hah|heh(?:eh)*|lol|\(laugh\w*\)|\[laugh\w*\])(?!\w)"
    r"(?![\s,.!]+(?:good|great|fair|nice|brilliant|perfect|lovely|cheers|thanks|love\s+it|excellent)\b)",
    re.I,
)


def _laughed_at(sents: list[Sentence], sent: Sentence) -> bool:
    """The turn ends on this sentence and the next speaker's reply opens with a laugh."""
    after = sents[sent.index + 1] if sent.index + 1 < len(sents) else None
    return (
        after is not None
        and after.segment_id != sent.segment_id
        and after.speaker != sent.speaker
        and bool(LAUGH.match(after.text))
    )


def laughed_at_sentences(sents: list[Sentence]) -> frozenset[int]:
    """Sentences the other person laughs at: a joke is no item, no topic and no evidence for a review section."""
    return frozenset(s.index for s in sents if _laughed_at(sents, s))


def _in_laughing_reply(sents: list[Sentence], sent: Sentence) -> bool:
    """The sentence opens a turn by laughing at what the other person just said, or comes right after the laugh.

    Later sentences of the turn have moved on ("Ha. Femi is going on secondment. ... Can you take them?").
    """
    opening = sent
    while opening.index > 0 and sents[opening.index - 1].segment_id == sent.segment_id:
        opening = sents[opening.index - 1]
    return sent.index - opening.index <= 1 and opening.index > 0 and _laughed_at(sents, sents[opening.index - 1])


def _plays_along(sents: list[Sentence], sent: Sentence, joked: set[int]) -> bool:
    """A reply in the turn right after the other person's joke joins in the joke."""
    before = [s for s in sents[max(0, sent.index - 4) : sent.index] if s.segment_id == sent.segment_id - 1]
    return any(s.speaker != sent.speaker and s.segment_id in joked for s in before)


def _continued(sents: list[Sentence], sent: Sentence) -> Sentence | None:
    """The rest of a sentence the speaker finished after the listener's "Mm-hm" (a transcript cuts a segment there):
    "I'll check the policy on the standby allowance" - "Mm." - "and get back to you both by Friday."."""
    if sent.text.rstrip().endswith((".", "?", "!", "。", "？", "！")) or sent.index + 2 >= len(sents):
        return None
    listener, rest = sents[sent.index + 1], sents[sent.index + 2]
    backchannel = listener.speaker != sent.speaker and not content_words(listener.text) - ACKNOWLEDGEMENTS
    same_turn_on = rest.speaker == sent.speaker and rest.segment_id == listener.segment_id + 1
    return rest if backchannel and same_turn_on and rest.text[:1].islower() else None


# "I'll speak to the sponsor about it, and I'll get you access to the portal": a second promise in one sentence
SECOND_PROMISE = re.compile(
    r"\s*,\s*and\s+(?:(?:once|when|after)\b[^,]{1,60}?,?\s+)?(?=I(?:'ll|\s+will)\s+(?!be\b|have\s+to\b)\w)", re.I
)


SENDING_STEP = re.compile(r"^I(?:['’]ll|\s+will)\s+(?:just\s+)?(?:send|email|forward|text|ring|call|book|put)\b", re.I)


def _dates_said_after(text: str, after: Sentence, meeting_date: dt.date) -> list[ResolvedDate]:
    """The dates of `after`, placed as if it went on from `text`, so they fall after the cue they belong to."""
    return [
        replace(d, start=d.start + len(text) + 1, end=d.end + len(text) + 1)
        for d in find_dates(after.text, meeting_date)
        if d.date >= meeting_date
    ]


def _promise_clauses(sents: list[Sentence], meeting_date: dt.date) -> list[Sentence]:
    """The sentences, with one that holds two explicit promises ("..., and I'll ...") given as its two clauses.

    Each clause keeps its sentence's index and segment, so context rules see the same neighbours; its text is a
    verbatim slice of the segment, so it can be quoted as evidence. Sending word of the first in two words is a
    step of it ("I'll set up a weekly check-in, and I'll send the invite this afternoon"): no split.
    """
    out: list[Sentence] = []
    for sent in sents:
        second = SECOND_PROMISE.search(sent.text)
        tail = _strip_dates(sent.text[second.end() :], meeting_date) if second else ""
        step = bool(SENDING_STEP.match(tail)) and len(content_words(tail) - EMPTY_WORDS - {"ll", "will"}) <= 2
        if second is None or not SELF_STRONG.search(sent.text[: second.start()]) or step:
            out.append(sent)
            continue
        head = sent.text[: second.start()]
        tail_start = sent.start + second.end()
        out.append(replace(sent, end=sent.start + len(head), text=head))
        out.append(replace(sent, start=tail_start, text=sent.text[second.end() :]))
    return out


WHAT_BEFORE = re.compile(r"\bwhat\s*$", re.I)  # "What I can do, ...": the cue leads in to what follows
DO_THEN_PAUSE = re.compile(r"\s*do\s*(?:[,:;.]|$)", re.I)
# "I'll figure something out with Marcus", "I'm gonna go alphabetize something": no work named (undated)
VAGUE_WORK = re.compile(r"\s*(?:(?:sort|figure|work)\s+something\s+out|go\s+\w+\s+something\s*(?:[.!,]|$))", re.I)
BARE_DO = re.compile(r"\W*do\W*", re.I)  # "Can you do Monday morning?" with its date taken out
# "What I can do is the pricing tool.": an offer of a thing instead of what was asked, no task ("What I can do is
# send you the list" has one)
DO_IS_THING = re.compile(r"\s*do\s+is\s+(?:the|a|an|some|our|my|your|this|that)\b", re.I)
GOING_TO_END = re.compile(r"\b(?:going\s+to|gonna)\s*$", re.I)  # "I'm gonna start wearing ...": a resolution
START_DOING = re.compile(r"\s*start\s+\w+ing\b", re.I)
LAUGH_THEN_YES = re.compile(r"^\W*\w+[\s,.!]+(?:yes|yeah|yep|sure|fine|okay|ok|aye|right|mine|deal)\b", re.I)


def _opens_laughing(sents: list[Sentence], sent: Sentence) -> bool:
    """The sentence's turn opens with a laugh ("Ha!", "Ha, ...") at a remark that asked for nothing."""
    turn = [s for s in sents[max(0, sent.index - 3) : sent.index + 1] if s.segment_id == sent.segment_id]
    if not turn or not LAUGH.match(turn[0].text) or sent.index - turn[0].index > 1:
        return False
    if LAUGH_THEN_YES.match(turn[0].text):
        return False  # "Ha, yes, mine. I'll deprecate the S3 export": a laugh, then taking it on
    before = [s for s in sents[max(0, turn[0].index - 3) : turn[0].index] if s.segment_id == sent.segment_id - 1]
    return bool(before) and before[0].speaker != sent.speaker and not any(ASKED.search(s.text) for s in before)


def detect(
    sents: list[Sentence],
    participants: Participants,
    meeting_date: dt.date,
    *,
    excluded: frozenset[int] = frozenset(),
    latent: list[Candidate] | None = None,
) -> list[Candidate]:
    """Candidate commitments, one per sentence, in transcript order (before withdrawal and merging).

    `excluded` holds sentence indexes that must not yield items (e.g. injection attempts). Undated advice
    ("we need to update the rota") is no item, but it goes to `latent`: a later "I'll do that" may take it up.
    """
    out: list[Candidate] = []
    joked: set[int] = set()  # segments where a speaker vented or joked ("I'll resign and go and sell suya")
    for sent in _promise_clauses(sents, meeting_date):
        if sent.index in excluded:
            continue
        text = sent.text
        withdrawal = WITHDRAWAL.search(text)
        # "I'll tell 'em myself, don't you worry about that": reassurance after a promise, no withdrawal
        # "Don't worry about that, I'll chase Dev myself this week": reassurance, then the speaker takes it on
        if withdrawal and not (
            REASSURANCE.match(withdrawal.group(0))
            and (SELF_STRONG.search(text[: withdrawal.start()]) or SELF_STRONG.search(text[withdrawal.end() :]))
        ):
            continue
        cue = _first(CUES, text) or (_dated_subject(text, meeting_date) if is_cjk(text) else None)
        # "And the rate shopper, the renewal. Leave it with me.": taking the point on is a promise to handle it
        left_with_me = LEFT_WITH_ME.search(text) if cue is None else None
        cue = (left_with_me, "self", "strong") if left_with_me is not None else cue
        # "I'll be her buddy, and I'll set up a shadowing plan": a state first, then a promise in the same sentence
        while cue is not None and cue[1] == "self" and STATUS.match(text[cue[0].end() :]):
            again = SELF_STRONG.search(text, cue[0].end())
            if again is None:
                break
            cue = (again, "self", "strong")
        named = NAMED.search(text)
        need = NEED.search(text) if cue is None and named is None else None
        if cue is None and named is None and need is None:
            continue
        dates = [d for d in find_dates(text, meeting_date) if d.date >= meeting_date]
        if (after := _continued(sents, sent)) is not None:  # "I'll get the PSR," - "Mm-hm." - "written by the 14th."
            dates += _dates_said_after(text, after, meeting_date)
        said_after = sents[sent.index + 1] if sent.index + 1 < len(sents) else None
        # "so I should write it. By next Friday, okay?": a date said on its own right after makes it a promise
        if (
            not dates
            and cue is not None
            and cue[1:] == ("self", "weak")
            and said_after is not None
            and said_after.segment_id == sent.segment_id
            and not content_words(said_after.text) - DATE_WORDS - ORDINALS - ACKNOWLEDGEMENTS
        ):
            dates = _dates_said_after(text, said_after, meeting_date)
        # "by the Friday before, so the twenty-fifth": the date said again, more exactly, is the one meant
        restated = [d for d in dates if RESTATED_DATE.search(text[: d.start]) or RESTATING.match(d.phrase)]
        dates = restated[-1:] or dates
        # "We'll do it now only, otherwise this will also go to next month": that date is the consequence's
        otherwise = OTHERWISE.search(text)
        dates = [d for d in dates if otherwise is None or d.start < otherwise.start()]
        # "I can have that done by Monday week, I reckon, because I'm on nights this weekend": the reason's date
        reason = REASON.search(text, cue[0].end() if cue else 0)
        dates = [d for d in dates if reason is None or d.start < reason.start()]
        if need is not None:
            cue = (need, "we", "need")
        if cue is None and named is not None:
            name = named.group(1)
            if name.lower() in NOT_OWNERS:  # "Someone'll have to pick up the flys though"
                continue
            match, kind, strength = named, "named", "strong"
        else:
            assert cue is not None
            match, kind, strength = cue
        if strength == "present" and len(text[: match.start()].split()) > PRESENT_LEAD_WORDS:
            continue  # "We had two cuts in February, I check the kits every day": a clause, then a habit
        if strength == "present":
            # the speaker's turn before this one: did the other person just ask for something?
            turn_before = [s for s in sents[max(0, sent.index - 4) : sent.index] if s.segment_id == sent.segment_id - 1]
            asked = any(
                s.speaker != sent.speaker and (ASKED.search(s.text) or PROPOSED.match(s.text)) for s in turn_before
            )
            opens_turn = all(s.segment_id != sent.segment_id for s in sents[max(0, sent.index - 2) : sent.index])
            # "I forward it to you tonight": later today counts too
            to_come = any(d.date > meeting_date or LATER_TODAY.search(d.phrase) for d in dates)
            if not to_come and not (asked and opens_turn):
                continue
            strength = "strong"
        rest = text[match.end() :]
        stutter = re.match(r"\s*,?\s*" + re.escape(match.group(0).strip()) + r"\b", rest, re.I)
        rest = rest[stutter.end() :] if stutter else rest  # "Let's, let's come back to that"
        # "just let me, um, let me get the milk in the fridge": what follows the repeated cue is what is said
        restart = re.match(
            r"\s*,?\s*(?:(?:um+|uh+|erm|er)\s*,?\s*)+" + re.escape(match.group(0).strip()) + r"\b", rest, re.I
        )
        restarted = rest[restart.end() :] if restart else rest
        # "So I will, um, I'll have the committee report to you by the eighteenth": the cue said again, reworded
        filler = re.match(r"\s*,\s*(?:(?:um+|uh+|erm|er)\b\s*,?\s*)+", rest, re.I)
        again = match.re.match(rest, filler.end()) if filler and kind == "self" else None
        if again is not None and not restart:
            rest = restarted = rest[again.end() :]
        elif restart:
            rest = restarted  # "I'll, um, I'll send the deck by Friday": the task is what follows the cue said again
        if WHAT_BEFORE.search(text[: match.start()]) and (DO_THEN_PAUSE.match(rest) or DO_IS_THING.match(rest)):
            continue  # "What I can do, your certificate runs out in April anyway. I'll enrol you ...": a lead-in
        if kind == "other" and dates and BARE_DO.fullmatch(_strip_dates(rest, meeting_date)):
            continue  # "Can you do Monday morning?": a date proposed for the work under discussion, no task of its own
        if VAGUE_WORK.match(rest) and not dates:
            continue  # "I'll figure something out with Marcus", "I'm gonna go alphabetize something": nothing named
        if ABANDONED.match(rest) and not restart and again is None:
            continue  # "I'll, ah, well, we'll see what works": the speaker broke off and said something else
        if NEGATED.search(rest) or _reported(text[: match.start()]):
            continue
        thinking_aloud = match.group(0).lower().startswith("let") and THINKING.match(rest)
        now = LET_ME_JUST.match(match.group(0)) or (
            match.group(0).lower().startswith("let") and (GO_AND.match(rest) or LET_ME_NOW.match(rest))
        )
        if now and not any(d.date > meeting_date for d in dates):
            continue  # "Ope, let me just move my gloves", "let me just recap": done there and then
        elided = ELLIPSIS.match(rest) and not re.search(r"\b(?:can|could|would)\s+you\s*$", match.group(0), re.I)
        if elided or thinking_aloud:  # "Make sure you do, legal will ...", "Let me, um, yes."
            continue
        if match.group(0).lower() == "please" and (PLEASE_CHOICE.match(rest) or PLEA.match(rest)):
            continue  # "New one, please, the one Sam sent round": a choice answered politely, no request
        if match.group(0).lower() == "please" and CONSEQUENCE.match(rest):
            rest = ""  # "By close of play tomorrow, please, or payroll will kill me": what follows is no task
        later = any(d.date > meeting_date or LATER_TODAY.search(d.phrase) for d in dates) or bool(
            LATER_WORDS.search(rest)
        )
        # "I'll go through the SOP binder this week": talk now, unless the speaker dates it for later
        talk_now = (
            (CONVERSATIONAL.search(rest) or CONVERSATIONAL.search(restarted))
            and not GO_THROUGH_AND_FIX.match(rest)
            and not (
                kind == "self" and later and not MEETING_PACE.match(rest)  # "I know it's Friday afternoon, I'll ..."
            )
        )
        # "I'll just text him now so he's not blindsided", "we'll do it now only": done in the meeting
        talk_now = talk_now or (kind in ("self", "we") and not later and bool(DONE_NOW.search(rest)))
        talk_now = talk_now or (kind == "self" and not later and bool(ONE_MOMENT.search(text[: match.start()])))
        # "let me check my, hold on ah.": broken off to look it up there and then
        talk_now = talk_now or (kind == "self" and not later and bool(BROKEN_OFF.search(rest)))
        # "Nice. Eat something good for me." - "Ha, I will eat for both of us.": a turn that opens laughing at a remark
        # plays along; a promise in it counts only with a date or as the answer to a request
        if kind == "self" and not dates and _opens_laughing(sents, sent):
            continue
        # "I'm gonna start wearing my ice fishing suit on the ramp": a resolution, unless it has a when or a how often
        if (
            kind == "self"
            and GOING_TO_END.search(match.group(0))
            and START_DOING.match(rest)
            and not dates
            and not RECURRING.search(rest)
        ):
            continue
        if kind in ("self", "we") and ROUTINE.search(rest):
            continue
        if kind == "other" and OFFERED.match(rest):
            continue  # "Would you want some time back on the tools?": an offer, nothing asked of them
        if kind == "self" and strength == "weak" and LEAVING.match(rest):
            continue  # "Right, I'd better go, Nora's waving at me."
        # "Can you be his mentor on the night shifts?" asks them to take a role on: work, not a state
        role_asked = kind == "other" and bool(ROLE_ASKED.match(rest))
        if talk_now or (STATUS.search(rest) and not role_asked) or STATUS.search(text[: match.start()]):
            continue
        if kind == "self" and WISH.search(text[: match.start()] + text[match.start() : match.end()]):
            continue
        if kind == "self" and WANT_TO.match(rest):
            continue  # "So I will want to take my paternity leave then": a wish said in the future
        if kind == "self" and (HYPERBOLE.match(rest) or ESCAPE.search(rest) or VENTING.search(text[: match.start()])):
            joked.add(sent.segment_id)
            continue  # "If one more rat runs over my foot, I'll resign and go and sell suya"
        if not dates and _laughed_at(sents, sent):
            continue  # "I'll put the CEO on a performance improvement plan for never filling in the survey." - "Ha!"
        if kind == "self" and not dates and _plays_along(sents, sent, joked):
            continue  # "... I going to go live in Tobago." - "I will come with you, boss."
        if not dates and ((kind == "self" and HOPE.search(text)) or (WISH.search(text) and strength == "weak")):
            continue
        if GOING_TO.search(match.group(0)) and PLACE.match(rest):
            continue  # "I'm going to Brighton with my housemates": a trip, not a task
        if kind == "we" and not dates and UNSURE.match(rest):
            continue  # "so we'll probably need to look at our procedure when that lands"
        if kind == "we" and strength == "weak" and _wait_and_see(sents, sent):
            continue  # "We should do a team lunch before the holidays. I'll, ah, well, we'll see what works."
        # "Let's do the objectives first", "we'll catch up sometime": talk now or a vague plan, no item; it stays
        # latent for an explicit taker ("Let's do a refresher with the pickers then." - "I do it.")
        talk_now_we = kind == "we" and not dates and bool(WE_NOW.search(rest) or VAGUE_TIME.search(rest))
        if talk_now_we and latent is None:
            continue
        if text.rstrip().endswith("?") and kind in ("self", "we") and QUESTION_FORM.search(text[: match.start()]):
            continue  # "shall I ...?" / "should we ...?" asks; "I'll send them by early January?" still commits
        # advice without a date is not a commitment, nor is a need nobody has taken up yet
        deadline_filtered = (strength == "weak" and not dates) or strength == "need" or talk_now_we
        if deadline_filtered and latent is None:
            continue
        context = sents[max(0, sent.index - 3) : sent.index][::-1] + sents[sent.index + 1 : sent.index + 3]
        context += _voice_turn(sents, sent)
        # "Chiamaka, one small thing for me. Site 107 ... Can you chase them?": the turn opened on whom it asks
        opening = next(s for s in sents[max(0, sent.index - 5) : sent.index + 1] if s.segment_id == sent.segment_id)
        addressed = text if VOCATIVE_START.match(text) or opening is sent else opening.text
        addressee = participants.other(sent.speaker, context, addressed, asked=sent)
        if kind in ("self", "we"):
            owner = sent.speaker
        elif kind == "other":
            owner = addressee
        else:
            owner = participants.normalise(match.group(1))
        task = _task(
            rest,
            owner_is_speaker=owner == sent.speaker,
            speaker=sent.speaker,
            addressee=addressee,
            meeting_date=meeting_date,
        )
        if left_with_me is not None and not content_words(task):
            task = f"Handle {left_with_me['what'].lower()}"  # what it is comes from the talk before
        # "Ha! Please, do it in front of me.": a laughing reply that asks for "it" plays along with the joke
        if not dates and ANAPHOR.search(task) and _task_words(task) <= 2 and _in_laughing_reply(sents, sent):
            continue
        if strength == "need" and NEED_THING.match(rest.lstrip()):
            task = f"Get {task[0].lower()}{task[1:]}" if task else task
        # "I can do that", "I will.", "I'll get it done": no task of its own; "call them" has one (the topic says who)
        words = content_words(task)
        generic = (len(words) < (1 if is_cjk(task) else 2) and not CONTACT.match(task)) or (
            not is_cjk(task) and not words - EMPTY_WORDS - LIGHT_VERBS
        )
        due = _due(dates, match, text)
        # "... every Monday. Starting next Monday.": the start may come as the speaker's next sentence
        said_next = sents[sent.index + 1] if sent.index + 1 < len(sents) else None
        start_next = said_next.text if said_next is not None and said_next.segment_id == sent.segment_id else ""
        for said in (rest, start_next):
            # "I'll take the minutes, starting next Tuesday": a start said with the promise is when it falls due
            if due is None and (RECURRING.search(rest) or said is rest) and (start := RECURRING_START.search(said)):
                first = find_dates(said[start.end() :], meeting_date)
                due = first[0].date if first and first[0].start == 0 and first[0].date >= meeting_date else None
                if TAKES_ON.match(task):  # "take over the rota from next month": its first day, not its end
                    due = _month_start(said[start.end() :], meeting_date) or due
        # "We'll work around it", "if they can't sort it we'll go elsewhere": an undated "we" that names
        # hardly any work is a way of coping, no task (it may still be taken up: "we need to update the rota")
        coping = kind == "we" and due is None and not deadline_filtered and len(content_words(task) - ROLE_WORDS) <= 2
        if coping and latent is None:
            continue
        # ... but "Let's do a refresher with the pickers then." - "I do it." takes it up
        (latent if (deadline_filtered or coping) and latent is not None else out).append(
            Candidate(
                generic=generic,
                owner=owner,
                task=task,
                due=due,
                sentence=sent,
                kind=kind,
                strength=strength,
                evidence=[Evidence(segment_id=sent.segment_id, quote=sent.text)],
                merged_sentences=[sent.index],
                # "First thing Monday, I'll ..." names no topic; "If the river spikes, switch ..." keeps its condition
                lead=_strip_dates(
                    text[: match.end() if match.re is CONDITIONAL_IMPERATIVE else match.start()], meeting_date
                ),
            )
        )
    return out


# "Shall I draft the letter?", "Do you still want me doing the taster lecture?", "Want me to send it over?": an offer
OFFER = re.compile(
    r"(?:^(?:(?:so|and|okay|ok|right|oh|then|um|well)[,\s]+)*shall\s+I\s+"
    r"|\b(?:(?:do|would)\s+you\s+)?(?:still\s+)?(?:want|like|need)\s+me\s+(?:to\s+|(?P<doing>doing\s+)))"
    r"(?P<rest>[^?]+)\?\s*$",
    re.I,
)
# "Yes please, if you can.", "Go on then.", "Would you?": the other person takes the offer up
OFFER_TAKEN = re.compile(
    r"^\W*(?:(?:oh|ah|um|yes|yeah|yep|ok(?:ay)?)[,.!\s]+)*(?:yes|yeah|yep|please|go\s+on|go\s+for\s+it|would\s+you|"
    r"(?:that|it)(?:'d|\s+would)\s+be\s+(?:great|brilliant|lovely|good|amazing|a\s+help)|if\s+you\s+(?:can|could|would|don't\s+mind)|"
    r"absolutely|definitely|sure|please\s+do|do\s+(?:it|that)\b(?!\s*\?))\b(?![^.!?]*\b(?:no|not|don't|nah|needn't)\b)",
    re.I,
)


def accepted_offers(
    sents: list[Sentence], participants: Participants, meeting_date: dt.date, *, excluded: frozenset[int] = frozenset()
) -> list[Candidate]:
    """'Do you still want me doing the taster lecture?' - 'Yes please, if you can.': the one who offered owns it.

    An offer is a question, so detection skips it; it becomes the offerer's item only when the other person's
    next turn opens by taking it up. A refusal ("No, you're fine") or no answer leaves nothing.
    """
    out: list[Candidate] = []
    for sent in sents:
        offer = OFFER.search(sent.text) if sent.index not in excluded else None
        if offer is None:
            continue
        reply = next((s for s in sents[sent.index + 1 :] if s.segment_id != sent.segment_id), None)
        if reply is None or reply.speaker == sent.speaker or reply.index in excluded:
            continue
        if reply.segment_id != sent.segment_id + 1 or not OFFER_TAKEN.match(reply.text):
            continue
        context = sents[max(0, sent.index - 3) : sent.index][::-1] + [reply]
        addressee = participants.other(sent.speaker, context, sent.text)
        rest = f"do {offer['rest']}" if offer["doing"] else offer["rest"]
        task = _task(rest, owner_is_speaker=True, speaker=sent.speaker, addressee=addressee, meeting_date=meeting_date)
        if not task or not content_words(task) - LIGHT_VERBS - EMPTY_WORDS:
            continue  # "Shall I do it?": what "it" is, the talk before says; too little to stand alone
        dates = [d for d in find_dates(f"{sent.text} {reply.text}", meeting_date) if d.date >= meeting_date]
        out.append(
            Candidate(
                owner=sent.speaker,
                task=task,
                due=dates[-1].date if dates else None,
                sentence=sent,
                kind="self",
                strength="strong",
                evidence=[
                    Evidence(segment_id=sent.segment_id, quote=sent.text),
                    Evidence(segment_id=reply.segment_id, quote=reply.text),
                ],
                merged_sentences=[sent.index, reply.index],
            )
        )
    return out


def _month_start(text: str, meeting_date: dt.date) -> dt.date | None:
    """'I'll take the phishing rota from April': a start said as a month is its first day (the coming one)."""
    if NEXT_MONTH.match(text):  # "I'll take over the TB testing rota from next month"
        return dt.date(*add_months(meeting_date, 1), 1)
    said = MONTH_FIRST.match(text)
    if said is None:
        return None
    month = MONTHS_EN[said[1].lower()]
    year = meeting_date.year + (month <= meeting_date.month)
    return dt.date(year, month, 1)


# "I'll take the rota from April", "join the rota from October": taking on a duty, not "what we learnt from June"
TAKES_ON = re.compile(r"(?:take|join|start|lead|run|cover|sort|switch|move|begin|pick\s+up)\b", re.I)
# a month's full name, capitalised ("from April"; not "from April 3rd": a date says that)
NEXT_MONTH = re.compile(r"next\s+month\b", re.I)
MONTH_FIRST = re.compile(rf"({'|'.join(calendar.month_name[1:])})\b(?!\s+\d)")


def _due(dates: list[ResolvedDate], match: re.Match[str], text: str) -> dt.date | None:
    """The task's date: one after the cue, else one before it, unless that is a condition's deadline.

    A conditional promise falls due when its condition can be judged: "If they haven't confirmed by next
    Wednesday, I'll ring the centre" and "If they short us again tomorrow, I'll open a backup account" are
    due then. "If finance gives me the number by Wednesday, I'll approve the vendor" waits on the number,
    which may come any time before: no date.
    """
    after = [d for d in dates if d.start >= match.start()]
    if after:
        return after[-1].date
    # "Monday week for the four shots, daily updates, and I'll get onto Jonas": a date said for another task
    dates = [d for d in dates if len(text[d.end : match.start()].split()) <= PRE_CUE_DATE_WORDS]
    if not dates:
        return None
    lead = text[: match.start()]
    last = dates[-1]
    if CONDITION.search(lead) and not CONDITION_NEGATED.search(lead) and BY_END.search(text[: last.start]):
        return None
    return last.date


def endorsed(latent: list[Candidate], sents: list[Sentence]) -> tuple[list[Candidate], set[int]]:
    """Undated plans that the other person takes up in the next turn, and the replies that only said how.

    One's own plan ("I was going to ring them") endorsed ("Yeah, do that"), or an undated request ("Send me the
    form when you've got it") accepted in so many words ("Will do."). A yes that goes on with how ("If it
    finishes late, keep the counter open" - "Yes sir, I'll inform the counter staff") accepts the request too;
    its sentence index is returned so that its own words make no second item.
    """
    out: list[Candidate] = []
    how: set[int] = set()
    for cand in latent:
        if cand.generic or cand.kind not in ("self", "other") or cand.strength == "need":
            continue
        answer = ENDORSE if cand.kind == "self" else ACCEPTANCE
        reply = next(
            (
                s
                for s in sents[cand.sentence.index + 1 : cand.sentence.index + 4]
                if s.speaker != cand.sentence.speaker and s.segment_id == cand.sentence.segment_id + 1
            ),
            None,
        )
        if reply is None:
            continue
        says_how = cand.kind == "other" and bool(ACCEPTANCE_LEAD.match(reply.text))
        if answer.match(reply.text) or says_how:
            cand.evidence.append(Evidence(segment_id=reply.segment_id, quote=reply.text))
            out.append(cand)
            if says_how:
                how.add(reply.index)
    return out, how


def date_replies(cands: list[Candidate], sents: list[Sentence], meeting_date: dt.date) -> None:
    """Give an undated item the date of a reply that is only a date ("End of next week?", "First thing Monday")."""
    said = {c.sentence.index for c in cands if not c.generic}  # "I'll do it." still answers the same ask
    for cand in cands:
        if cand.due is not None or RECURRING.search(cand.sentence.text):
            continue  # "I'll put a recurring half hour in for us" - "Tuesday is good": a schedule, no deadline
        # "Fifteenth January. Okay, I'll do that.": the date just agreed, said again by the one who takes it on
        before = sents[cand.sentence.index - 1] if cand.sentence.index > 0 else None
        if before is not None and before.segment_id == cand.sentence.segment_id and before.index not in said:
            agreed = find_dates(before.text, meeting_date)
            one_date = len({d.date for d in agreed}) == 1  # not "Not the Tuesday, the Wednesday, the ninth."
            if one_date and agreed[0].date >= meeting_date and _only_date_words(before.text):
                cand.due = agreed[0].date
                cand.evidence.append(Evidence(segment_id=before.segment_id, quote=before.text))
                continue
        for sent in sents[cand.sentence.index + 1 :]:
            if sent.index in said or sent.segment_id > cand.sentence.segment_id + DATE_REPLY_TURNS:
                break  # the talk has moved on to another task
            found = sorted(find_dates(sent.text, meeting_date), key=lambda r: r.start)
            lead = sent.text[: found[0].start] if found else ""
            # "I'll book you in with her. She's in branch on Tuesdays, so, next Tuesday.": the speaker's own conclusion
            concluded = sent.segment_id == cand.sentence.segment_id and bool(SO_DATE.search(lead))
            # "Fine, I'll take them. Handover end of next week.": the speaker's own short note of when
            # "Small groups, before the end of the month.": the preposition belongs to the date
            step = re.sub(r"\b(?:by|before|until|till|for|on|at|in|around|within)\s*$", "", lead.strip(), flags=re.I)
            noted = (
                sent.segment_id == cand.sentence.segment_id
                and len(step.split()) <= DATE_NOTE_LEAD_WORDS
                and len(CLAUSE_BREAK.split(sent.text)[0].split()) <= DATE_NOTE_WORDS  # ", once the PSR's in."
            )
            if found and found[0].date >= meeting_date and (DATE_REPLY_LEAD.match(lead) or concluded or noted):
                cand.due = _in_month_said(found[0], sents, cand.sentence, meeting_date)
                cand.evidence.append(Evidence(segment_id=sent.segment_id, quote=sent.text))
                _narrow(cand, sents, sent, meeting_date)
                break
            if (
                not found
                and sent.speaker != cand.sentence.speaker
                and sent.text.rstrip().endswith("?")
                and not DATE_ASKED.search(sent.text)
            ):
                # "Are the new starters allowed solo by then? Their nesting finishes on the-" - "Tenth of December":
                # a date after another question answers that question, not when the task is due
                break


MONTH_SAID_DAYS = 183
MONTH_ONLY = re.compile(r"^\W*(?:(?:in|for|that's|so|um|uh)\s+)?(?P<month>[A-Za-z]+)\W*$")
DAY_ONLY = re.compile(r"\b(?P<day>\d{1,2}(?:st|nd|rd|th)|[a-z]+(?:-[a-z]+)?)\b", re.I)


def _in_month_said(day: ResolvedDate, sents: list[Sentence], promise: Sentence, meeting_date: dt.date) -> dt.date:
    """ "The standardisation ... The next one." - "November." - "I'll run that one. The nineteenth, is it?": a day of
    the month said alone falls in the month just named, not the next nineteenth."""
    if any(word.lower() in MONTHS_EN for word in re.findall(r"[A-Za-z]+", day.phrase)):
        return day.date
    for sent in sents[max(0, promise.index - REFERENCE_WINDOW) : promise.index][::-1]:
        said = MONTH_ONLY.match(sent.text)
        if said is None or said["month"].lower() not in MONTHS_EN:
            continue
        ordinal = next((w for w in DAY_ONLY.findall(day.phrase) if w.lower() in ORDINAL_WORDS or w[:1].isdigit()), None)
        again = find_dates(f"the {ordinal} of {said['month']}", meeting_date) if ordinal else []
        # a month more than half a year off was talk about another time ("March." - what happened then)
        soon = again and meeting_date <= again[0].date <= meeting_date + dt.timedelta(days=MONTH_SAID_DAYS)
        return again[0].date if soon else day.date
    return day.date


def _narrow(cand: Candidate, sents: list[Sentence], dated: Sentence, meeting_date: dt.date) -> None:
    """'Next week. By Wednesday?': a date said right after, inside the week before the first one, makes it exact."""
    after = sents[dated.index + 1] if dated.index + 1 < len(sents) else None
    if cand.due is None or after is None or (after.speaker, after.segment_id) != (dated.speaker, dated.segment_id):
        return
    found = sorted(find_dates(after.text, meeting_date), key=lambda r: r.start)
    if (
        found
        and DATE_REPLY_LEAD.match(after.text[: found[0].start])
        and meeting_date <= found[0].date < cand.due
        and (cand.due - found[0].date).days < NARROW_DAYS
    ):
        cand.due = found[0].date
        cand.evidence.append(Evidence(segment_id=after.segment_id, quote=after.text))


# "I'll have that to you Monday." - "Here, wait, no, I'm off Monday. Actually make that Wednesday."
HESITATION_WORDS = frozenset({"actually", "wait", "hang", "sorry", "second", "thought", "thinking", "hmm", "um", "er"})
"""Words a speaker takes a date back with ("Actually, no, wait. Give me until Monday."): no other topic."""
# "Actually make that Wednesday", "Give me until Monday", "Can we say Thursday the twenty-seventh?", "Let's say Monday"
DATE_REVISION = re.compile(
    r"\b(?:(?:make|change)\s+(?:that|it)(?:\s+to)?|give\s+me\s+(?:until|till|til)|(?:can|could)\s+(?:we|I)\s+say"
    r"|let['’]s\s+say|(?:push|move)\s+(?:that|it)\s+(?:back\s+)?to)\s+(?=\S)",
    re.I,
)
# "Ah, true. Wednesday then." / "Thursday then, Thursday confirm.": a new day settled on, said with "then"
SETTLED_LEAD = re.compile(
    r"^(?:\W*\b(?:ah|oh|okay|ok|right|true|fine|yes|yeah|sure|no|wait|actually|so|um|uh)\b)*\W*$", re.I
)
SETTLED_TAIL = re.compile(r"^\s*then\b", re.I)


def _date_then(text: str, meeting_date: dt.date) -> dt.date | None:
    """The day of a sentence that settles on it ("Wednesday then."), else None."""
    found = find_dates(text, meeting_date)
    if not found or found[0].date < meeting_date:
        return None
    first = found[0]
    if text.rstrip().endswith("?"):
        return None  # "Friday then?" asks; the answer settles it
    if SETTLED_LEAD.match(text[: first.start]) and SETTLED_TAIL.match(text[first.end :]):
        return first.date
    return None


RELATIVE_WEEKDAY = re.compile(rf"^the\s+(?P<day>{'|'.join(WEEKDAYS_EN)})\s+(?P<rel>after|before)\b", re.I)


def _weekday_from(day: dt.date, weekday: int, rel: str) -> dt.date:
    """The first `weekday` after (or the last before) `day`: 'the Monday after' a Friday is three days on."""
    if rel == "after":
        return day + dt.timedelta(days=(weekday - day.weekday() - 1) % 7 + 1)
    return day - dt.timedelta(days=(day.weekday() - weekday - 1) % 7 + 1)


def date_revisions(cands: list[Candidate], sents: list[Sentence], meeting_date: dt.date) -> None:
    """A dated item whose date is moved a turn or two later ("Actually make that Wednesday") takes the new date."""
    said = {c.sentence.index for c in cands if not c.generic}
    for cand in cands:
        if cand.due is None:
            continue
        for sent in sents[cand.sentence.index + 1 :]:
            if sent.index in said or sent.segment_id > cand.sentence.segment_id + DATE_REPLY_TURNS + 1:
                break
            revision = DATE_REVISION.search(sent.text)
            if revision is None:
                agreed = _date_then(sent.text, meeting_date)
                if agreed is not None and agreed != cand.due:
                    cand.due = agreed
                    cand.evidence.append(Evidence(segment_id=sent.segment_id, quote=sent.text))
                    break
                continue
            # "Oh, Wei, about Jenkins again. ... Can we say May fourteenth?" moves another date than this one's;
            # "make it Monday" names only a date, so it always moves this one
            proposed = not revision[0].lower().startswith(("make", "change"))
            if proposed and sent.segment_id != cand.sentence.segment_id:
                turn_before = " ".join(s.text for s in sents[: sent.index] if s.segment_id == sent.segment_id)
                if content_words(f"{turn_before} {sent.text[: revision.start()]}") - HESITATION_WORDS:
                    continue
            relative = RELATIVE_WEEKDAY.match(sent.text[revision.end() :])
            if relative is not None:  # "make it the Monday after": after the date it replaces
                cand.due = _weekday_from(cand.due, WEEKDAYS_EN[relative["day"].lower()], relative["rel"].lower())
                cand.evidence.append(Evidence(segment_id=sent.segment_id, quote=sent.text))
                break
            found = [d for d in find_dates(sent.text[revision.end() :], meeting_date) if d.start <= len("the ")]
            if found and found[0].date >= meeting_date:
                cand.due = found[0].date
                cand.evidence.append(Evidence(segment_id=sent.segment_id, quote=sent.text))
                break


# "Can I make the migration plan Friday the first instead?", "I'll move the site visit to then": a date moved by
# naming what it belongs to, however much later in the meeting
NAMED_REVISION = re.compile(
    r"\b(?:make|move|push|shift)\s+the\s+(?P<what>[\w' -]{3,40}?)\s+(?:to\s+|back\s+to\s+)?(?=(?:then|on|next|the|"
    + "|".join(WEEKDAYS_EN)
    + r")\b)",
    re.I,
)
TOPIC_FILLER = frozenset({"thing", "things", "stuff", "bit", "one", "ones", "actually", "okay", "about", "still"})


def _said_just_before(sents: list[Sentence], sent: Sentence, turns: int) -> list[Sentence]:
    """The sentences before `sent` in its own turn and the `turns - 1` turns before it, in order, without scanning
    the whole meeting (a late date move looks back from every sentence that moves a date)."""
    start = sent.index
    while start > 0 and sents[start - 1].segment_id > sent.segment_id - turns:
        start -= 1
    return sents[start : sent.index]


def _revised_date(sent: Sentence, sents: list[Sentence], meeting_date: dt.date) -> tuple[dt.date, str] | None:
    """The new day a sentence moves a date to, with the words that name what is moved, or None."""
    named = NAMED_REVISION.search(sent.text)
    cue = named or DATE_REVISION.search(sent.text)
    if cue is None:
        return None
    rest = sent.text[cue.end() :]
    if named is not None and re.match(r"\s*then\b", rest, re.I):  # "move the site visit to then": the day just said
        turn = [s for s in _said_just_before(sents, sent, 1) if s.segment_id == sent.segment_id]
        said = [d for s in turn for d in find_dates(s.text, meeting_date)] + find_dates(
            sent.text[: cue.start()], meeting_date
        )
        day = said[-1].date if said else None
    else:
        found = [d for d in find_dates(rest, meeting_date) if _only_date_words(rest[: d.start])]
        day = found[0].date if found else None
    if day is None or day < meeting_date:
        return None
    return day, named["what"] if named is not None else ""


WORD_RUN = re.compile(r"[\w'’-]+(?:\s+[\w'’-]+)*")


def _word_runs(text: str) -> list[set[str]]:
    """The runs of content words a text names things with, split at punctuation and stop words ("the board report"
    -> {board, report}), without dates and fillers."""
    runs: list[set[str]] = []
    for chunk in WORD_RUN.findall(text):
        run: set[str] = set()
        for word in chunk.split():
            found = content_words(word) - TOPIC_FILLER - DATE_WORDS - ORDINALS
            if found:
                run |= found
            elif run:
                runs.append(run)
                run = set()
        if run:
            runs.append(run)
    return runs


def _named_by(phrases: list[set[str]], item_words: set[str]) -> set[str]:
    """The words of the phrases that name an item: only phrases all of whose words are its own ("the cost model"
    names "Send the multi-region cost model"; "the board report" does not name "Send the sales report")."""
    return {word for phrase in phrases if phrase <= item_words for word in phrase}


def late_date_revisions(
    cands: list[Candidate], sents: list[Sentence], meeting_date: dt.date, *, skip: frozenset[int] = frozenset()
) -> None:
    """A date moved much later by naming its item ("Jennifer, about the cost model. Tuesday won't work ... Can we say
    Thursday the twenty-seventh?"; "And the loggers, still Thursday?" - "Actually make that Monday").

    The words naming the item come from the revision itself ("make the migration plan Friday"), the two sentences
    before it in its turn, or the other speaker's question just before. A phrase names an item only when all its
    words are the item's own, and the item must be named by more words than any other dated item, or nothing
    moves.
    """
    dated = [c for c in cands if c.due is not None and not c.generic]
    if not dated:
        return
    words_of = {id(c): content_words(f"{c.task} {c.topic}") - TOPIC_FILLER - DATE_WORDS for c in dated}
    for sent in sents:
        if sent.index in skip:
            continue
        revised = _revised_date(sent, sents, meeting_date)
        if revised is None:
            continue
        day, what = revised
        said_before = [
            s for s in _said_just_before(sents, sent, 2) if s.index not in skip
        ]  # injected turns name nothing
        turn_before = [s.text for s in said_before if s.segment_id == sent.segment_id][-2:]
        asked = [s.text for s in said_before if s.segment_id == sent.segment_id - 1 and s.speaker != sent.speaker][-1:]
        question = [text for text in asked if text.rstrip().endswith("?")]  # "And the loggers, still Thursday?"
        phrases = [p for text in [what, *turn_before, *question] for p in _word_runs(text)]
        named = {id(c): _named_by(phrases, words_of[id(c)]) for c in dated if c.sentence.index < sent.index}
        earlier = [c for c in dated if named.get(id(c))]
        if not earlier:
            continue
        best = max(len(named[id(c)]) for c in earlier)
        chosen = [c for c in earlier if len(named[id(c)]) == best]
        if len({(c.task, c.owner) for c in chosen}) != 1:
            continue  # two items share the words: which one is moved is unclear
        for cand in chosen:
            if cand.due != day:
                cand.due = day
                cand.evidence.append(Evidence(segment_id=sent.segment_id, quote=sent.text))


def name_people(
    cands: list[Candidate], sents: list[Sentence], participants: Participants, *, skip: frozenset[int] = frozenset()
) -> None:
    """Name the person a task's "him" / "her" refers to when the talk just before names exactly one.

    "And Jonas put all the crowd shots in your column, right?" - "Yeah." - "I'll have a word with him this
    afternoon" becomes "Speak to Jonas ...", citing the sentence the name comes from; two names, or none, leave
    the pronoun as it is.
    """
    own = participants.name_forms
    # "Right. Eilidh." opens with its name: a capital at a sentence start is a name when it is said capitalised
    # inside a sentence somewhere else in the meeting ("So, Eilidh?")
    proper = {
        found[1]
        for sent in sents
        for found in PERSON_NAME.finditer(sent.text)
        if found.start() > 0 and sent.text[: found.start()].rstrip()[-1:] not in ".!?"
    }
    for cand in cands:
        pronoun = PERSON_OBJECT.search(cand.task)
        if pronoun is None:
            continue
        window = sents[max(0, cand.sentence.index - PERSON_LOOKBACK) : cand.sentence.index + 1]
        named: dict[str, Sentence] = {}
        for sent in window:
            if sent.index in skip:  # an injection attempt or a private remark lends nothing to an item
                continue
            text = sent.text
            if sent is cand.sentence:  # only names said before the pronoun
                spoken = re.search(r"\b(?:him|her)\b", text, re.I)
                text = text[: spoken.start()] if spoken else text
            for found in PERSON_NAME.finditer(text):
                words = found.group(0).split()
                opens = found.start() == 0 or text[: found.start()].rstrip()[-1:] in ".!?"
                while words and words[0].lower() in SENTENCE_OPENERS | NOT_NAMES:  # "And Jonas put ..."
                    words, opens = words[1:], False
                # "Lucy Brennan" and "Lucy from T&C" are one person; a lone capital at a sentence start is no name
                if (
                    words
                    and (not opens or len(words) > 1 or words[0] in proper)
                    and words[0].lower() not in own | NOT_NAMES
                ):
                    named[words[0]] = sent
        if len(named) != 1:
            continue
        [(name, said)] = named.items()
        cand.task = cand.task[: pronoun.start(1)] + name + cand.task[pronoun.end(1) :]
        evidence = Evidence(segment_id=said.segment_id, quote=said.text)
        if evidence not in cand.evidence:
            cand.evidence.append(evidence)


def dates_from_context(
    cands: list[Candidate], sents: list[Sentence], meeting_date: dt.date, *, skip: frozenset[int] = frozenset()
) -> None:
    """Give an undated item the date its words point at elsewhere in the talk, and cite where it was said.

    "Could you write up her notes before then?" takes the date said in the sentences just before; "I'll get the fix
    in before the freeze" the date the freeze was given ("The freeze is the eleventh."); "Can you pair with him on
    it?" the date of what "it" refers to ("His first on-call shadow shift is next Monday.").
    """
    own = {i: cand for cand in cands for i in cand.merged_sentences}  # each item's own sentences
    by_quote = {(s.segment_id, s.text): s for s in sents if s.index not in skip}  # the sentence a topic cites
    dates_of: dict[int, list[ResolvedDate]] = {}  # dates per sentence, found once however many items look back at it

    def usable(lo: int, hi: int) -> list[Sentence]:
        """Sentences lo..hi-1 (by index); an injection attempt or a private remark dates nothing."""
        return [s for s in sents[max(0, lo) : hi] if s.index not in skip]

    def last_date(candidates: list[Sentence]) -> tuple[dt.date, Sentence] | None:
        """The last date not before the meeting said in the last of `candidates` that says one."""
        for sent in reversed(candidates):
            if sent.index not in dates_of:
                dates_of[sent.index] = [d for d in find_dates(sent.text, meeting_date) if d.date >= meeting_date]
            if dates_of[sent.index]:
                return max(dates_of[sent.index], key=lambda d: d.start).date, sent
        return None

    for cand in cands:
        if cand.due is not None:
            continue
        found: tuple[dt.date, Sentence] | None = None
        if BY_THEN.search(cand.sentence.text):
            start = cand.sentence.index - BY_THEN_LOOKBACK
            found = last_date(usable(start, cand.sentence.index))
        elif event := BEFORE_EVENT.search(cand.sentence.text):
            names = _naming(event.group(1).split())
            # "Can we get it in before the freeze? The freeze is the eleventh.": the date may follow in the turn
            turns = {cand.sentence.segment_id, *(sents[i].segment_id for i in cand.merged_sentences)}
            context = [
                s
                for s in usable(cand.sentence.index - EVENT_LOOKBACK, max(cand.merged_sentences) + 3)
                if s.index < cand.sentence.index or (s.segment_id in turns and s.index not in cand.merged_sentences)
            ]
            found = last_date([s for s in context if names.search(s.text)])
        elif cand.topic and CONDITION.match(cand.topic) and cand.sentence.index > 0:
            # "Sunday there is the India match. If it finishes late, keep the counter open": the case may come
            # when the talk just before says, so the item falls due then (as a dated condition does, see `_due`)
            before = sents[cand.sentence.index - 1]
            if before.segment_id == cand.sentence.segment_id and before.index not in skip:
                found = last_date([before])
        elif cand.topic_evidence is not None and cand.topic_dates:
            quoted = cand.topic_evidence
            source = by_quote.get((quoted.segment_id, quoted.quote))
            # a date in another item's own sentence is that item's deadline, not this one's
            if source is not None and own.get(source.index, cand) is cand:
                found = last_date([source])
                asked = source.text.rstrip().endswith("?") or WANTED_FOR.search(source.text) is not None
                if found is None and asked and source.speaker != cand.sentence.speaker:
                    # "The town hall on the fourth. I'd like someone to present the cloud roadmap." - "Put me down.":
                    # the asker's turn said when, just before the work it asks for (not a topic merely raised)
                    found = _date_earlier_in_turn(cand, sents, own, skip, meeting_date, before_sentence=source)
        if found is None and AT_THEN.search(cand.sentence.text) and cand.sentence.index > 0:
            # only the speaker's own sentence just before: a bare "then" is as often "in that case"
            before = sents[cand.sentence.index - 1]
            if before.segment_id == cand.sentence.segment_id and before.index not in skip:
                found = last_date([before])
        after = sents[cand.sentence.index + 1] if cand.sentence.index + 1 < len(sents) else None
        if found is None and after is not None and after.segment_id == cand.sentence.segment_id:
            # "I'll chase the technical authority before the audit. Lloyd's are in on the nineteenth of January, I
            # want it closed by then.": the speaker's next sentence sets the deadline
            if after.index not in skip and BY_THEN.search(after.text):
                found = last_date([after])
        if found is None:
            found = _date_earlier_in_turn(cand, sents, own, skip, meeting_date)
        if found is None and AND_ALSO.match(cand.lead) and not AS_WELL.search(cand.task) and cand.sentence.index > 0:
            # "I'll review the PRV settings by close of play Thursday. And I'll send the findings to Rhodri.": the
            # speaker's next step, said on, falls due with the step before it ("And I'll get on to the centre
            # manager as well" is another errand beside it, not the next step)
            before = sents[cand.sentence.index - 1]
            step = own.get(before.index)
            said_on = before.segment_id == cand.sentence.segment_id and before.index not in skip
            if said_on and step is not None and step is not cand and step.due is not None and step.owner == cand.owner:
                found = step.due, before
        if found is None and (event := PRONOUN_EVENT.search(cand.sentence.text)):
            words = [w for w in re.findall(r"[a-z]{3,}", event.group(1).lower()) if w not in EVENT_FILLER]
            if words:
                names = _naming(words)
                lookback = usable(cand.sentence.index - PRONOUN_EVENT_LOOKBACK, cand.sentence.index)
                found = last_date([s for s in lookback if names.search(s.text) and own.get(s.index, cand) is cand])
        if found is not None:
            cand.due, said = found
            evidence = Evidence(segment_id=said.segment_id, quote=said.text)
            if evidence not in cand.evidence:
                cand.evidence.append(evidence)


AND_ALSO = re.compile(r"^\W*(?:and|and\s+then|then)\W*$", re.I)  # the lead of a step said on from the last
AS_WELL = re.compile(r"\b(?:as\s+well|too|also)\W*$", re.I)


def _naming(words: list[str]) -> re.Pattern[str]:
    """A sentence that names an event by any of its words ("freeze", "solo"), as a word start."""
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")", re.I)


def _date_earlier_in_turn(
    cand: Candidate,
    sents: list[Sentence],
    own: dict[int, Candidate],
    skip: frozenset[int],
    meeting_date: dt.date,
    *,
    before_sentence: Sentence | None = None,
) -> tuple[dt.date, Sentence] | None:
    """The one day said in the sentences just before an item in its own turn, if they say exactly one.

    "Now, the Okafor review. It needs to go to panel on the fourth of March. Can you present it?" and "End of
    next week. Okay. I'll sit down with Tomasz and get it done." fall due that day. A sentence of another item,
    or one naming two days, stops the search. `before_sentence` looks before another sentence than the item's own
    (the request an acceptance takes on).
    """
    sent = before_sentence or cand.sentence
    turn = [s for s in sents[max(0, sent.index - TURN_DATE_LOOKBACK) : sent.index] if s.segment_id == sent.segment_id]
    for before in reversed(turn):
        if before.index in skip or own.get(before.index, cand) is not cand:
            break
        said = {
            d.date
            for d in find_dates(before.text, meeting_date)
            if d.date >= meeting_date
            and not VAGUE_CONTEXT_DATE.match(d.phrase)
            and not SAYS_AGAIN.search(before.text[: d.start])
        }
        if len(said) == 1:
            return said.pop(), before
        if said:
            break
    return None


WITHDRAWN_POINT = re.compile(
    r"^\W*(?:(?:oh|ah|and|also|right|so)\W+)*(?:the|that)\s+(?P<what>[\w'’ -]{2,40}?)\s+(?:thing|business|issue)\W*$",
    re.I,
)


def _withdrawn_point(sents: list[Sentence], sent: Sentence) -> frozenset[str]:
    """The words of 'the Symbion thing' said just before a withdrawal in the same turn, if any."""
    before = sents[sent.index - 1] if sent.index > 0 else None
    if before is None or before.segment_id != sent.segment_id:
        return frozenset()
    said = WITHDRAWN_POINT.match(before.text)
    return frozenset(content_words(said["what"])) if said else frozenset()


def drop_withdrawn(cands: list[Candidate], sents: list[Sentence]) -> list[Candidate]:
    """Drop a proposal that is explicitly withdrawn within the next three sentences or two turns."""
    withdrawn: set[int] = set()
    for sent in sents:
        found = WITHDRAWAL.search(sent.text)
        if not found or len(content_words(sent.text[: found.start()])) > WITHDRAWAL_LEAD_WORDS:
            # "I was going to suggest the instructor course, but places are frozen, so forget that": the sentence
            # takes back its own suggestion, not an earlier commitment
            continue
        earlier = [
            c
            for c in cands
            if c.sentence.index < sent.index
            and (sent.index - c.sentence.index <= 3 or sent.segment_id - c.sentence.segment_id <= 2)
            and id(c) not in withdrawn
        ]
        # "Oh, and the Symbion thing. Actually, scratch that, Jess already rang them.": the point named says which
        point = _withdrawn_point(sents, sent)
        if point:
            named = [c for c in cands if c.sentence.index < sent.index and point & content_words(c.full_task)]
            if named and id(named[-1]) not in withdrawn:
                withdrawn.add(id(named[-1]))
            continue
        if FORGET_NAMED.search(found.group(0)):
            # "Dad. We're not buying a new coffee machine." - "Fine! Forget the coffee machine.": the thing named
            said = content_words(FORGET_NAMED.search(found.group(0))["what"])  # type: ignore[index]
            named = [c for c in earlier if said & (content_words(c.full_task) | content_words(c.sentence.text))]
            if named:
                withdrawn.add(id(named[-1]))
            continue
        if OWN_WITHDRAWAL.search(found.group(0)):
            # "Could you take them on?" - "Ma'am, I'm stopping you there." - "Okay, fair. Forget I asked.": one's own
            earlier = [c for c in earlier if c.sentence.speaker == sent.speaker] or earlier
        if not earlier:
            continue
        # "I'll write you the reference before the deadline. Don't worry about that.": reassurance about one's own
        # promise, not a withdrawal of it
        if (
            REASSURANCE.match(found.group(0))
            and earlier[-1].sentence.speaker == sent.speaker
            and earlier[-1].kind == "self"
        ):
            continue
        # "I'll book you in with her. [...] I was also going to suggest you sit in on Hassan's appointments, but,
        # um, actually, no. Let's not do that.": what is taken back is the suggestion said since, no item
        since = [s.text for s in sents[earlier[-1].sentence.index + 1 : sent.index]] + [sent.text[: found.start()]]
        if not any(SUGGESTION.search(text) for text in since):
            withdrawn.add(id(earlier[-1]))
    return [c for c in cands if id(c) not in withdrawn and not SELF_CORRECTION.search(c.task)]


# "We'll book the expert calls. Actually when I say we, I mean me. I'll book all three through GLG by Monday."
WE_MEANS_ME = re.compile(r"\b(?:when|by)\s+(?:I\s+say\s+)?['‘\"]?we['’\"]?,?\s+I\s+mean\s+(?:me|myself)\b", re.I)
WE_MEANS_ME_SENTENCES = 4  # how far after the "we" the speaker may correct it


def drop_restated_we(cands: list[Candidate], sents: list[Sentence]) -> list[Candidate]:
    """A "we" the speaker corrects to "me" and restates as their own promise is that promise, not a second item; a
    "can we ...?" the other person answers with a promise of their own is that promise."""
    restated: set[int] = set()
    for cand in cands:
        if cand.kind != "we":
            continue
        if cand.sentence.text.rstrip().endswith("?") and any(
            c.sentence.speaker != cand.sentence.speaker and c.sentence.segment_id == cand.sentence.segment_id + 1
            for c in cands
        ):
            # "Can we get it redone before Christmas?" - "We will redo the trip test.": the answer says who does it
            restated.add(id(cand))
            continue
        lo, hi = cand.sentence.index + 1, cand.sentence.index + 1 + WE_MEANS_ME_SENTENCES
        said = next(
            (s for s in sents[lo:hi] if s.speaker == cand.sentence.speaker and WE_MEANS_ME.search(s.text)), None
        )
        mine = next(
            (
                c
                for c in cands
                if said is not None
                and c.kind == "self"
                and c.sentence.speaker == said.speaker
                and 0 <= c.sentence.index - said.index <= 1
            ),
            None,
        )
        if mine is None:
            continue
        if mine.anaphoric:  # "We will redo the trip test. When I say we, I mean me, I'll lead it myself Saturday"
            cand.due = cand.due or mine.due
            cand.evidence.extend(e for e in mine.evidence if e not in cand.evidence)
            cand.merged_sentences.extend(i for i in mine.merged_sentences if i not in cand.merged_sentences)
            restated.add(id(mine))
        else:
            restated.add(id(cand))
    return [c for c in cands if id(c) not in restated]


FORBIDDEN = re.compile(
    r"^\W*(?:don't\s+you\s+dare|don't\s+even\s+think\s+about|you'll\s+do\s+no\s+such"
    # "I will send it to you by Thursday." - "No, leave that one. Yaw can do the report." ("leave it with me" accepts)
    r"|(?:no+\W+)+leave\s+(?:it|that|them)(?:\s+one)?\b(?!\s+with\b))",
    re.I,
)
FORGET_NAMED = re.compile(r"\bforget\s+(?:about\s+)?the\s+(?P<what>[\w' -]+)", re.I)
# "I'll do the count on the houseplants this week — actually, no, our Karen can do that": broken off and taken back
SELF_CORRECTION = re.compile(r"\s*[—–]\s*(?:actually|wait|hang\s+on|oh)\W+(?:\w+\W+)?no\b", re.I)
OWN_WITHDRAWAL = re.compile(r"\bforget\s+I\s+(?:asked|said)\b", re.I)


ADDRESS_ONLY = re.compile(
    r"^\W*(?:(?:oh+|ah+|och|aw+|ach|um+|uh+|erm|hmm+|gosh)\W+)?"
    r"(?!(?:yes|yeah|yep|okay|ok|sure|fine|right|aye|no|nope|great|good|cool|thanks|done|deal|absolutely|definitely"
    r"|certainly|totally|happily|gladly|perfect|brilliant|lovely|grand|sorted|agreed|alright)\b)[A-Z][\w'’-]+\s*[.!]\s*$",
    re.I,
)
# "I'll do it myself", "Then I will present it myself": the asker takes the work back, whatever its verb
TAKE_BACK = re.compile(
    r"\bI(?:['’]ll|\s+will)\s+(?:just\s+)?[a-z]+\s+(?:it|that|this|them)\s+(?:myself|meself|masel)\b", re.I
)
TAKE_BACK_SENTENCES = 8  # sentences after the refusal to look through ("You wouldn't, you'd be great. But ...")
TAKE_BACK_TURNS = 1  # the asker's very next turn


def drop_refused(cands: list[Candidate], sents: list[Sentence]) -> list[Candidate]:
    """A request the addressee turns down right away is not an action item, unless the asker takes it back."""
    kept: list[Candidate] = []
    for cand in cands:
        reply = next(
            (s for s in sents[cand.sentence.index + 1 : cand.sentence.index + 3] if s.speaker != cand.sentence.speaker),
            None,
        )
        # "Oh, Rehana. No. Sorry, but no.": a name said first, then the answer
        if reply is not None and ADDRESS_ONLY.match(reply.text):
            after_name = sents[reply.index + 1] if reply.index + 1 < len(sents) else None
            reply = after_name if after_name is not None and after_name.segment_id == reply.segment_id else reply
        # "Could you run Leyton for the day?" - "Derby day? Nah, Imran, sorry, I can't.": the question echoed first
        if reply is not None and reply.text.rstrip().endswith("?") and len(content_words(reply.text)) <= 3:
            answer = sents[reply.index + 1] if reply.index + 1 < len(sents) else None
            if answer is not None and answer.segment_id == reply.segment_id and REFUSAL.search(answer.text):
                reply = answer
        if cand.kind == "self" and reply is not None and FORBIDDEN.match(reply.text):
            continue  # "I'll just unplug the internet, that'll sort it." - "Don't you dare."
        if cand.kind == "other" and reply is not None and REFUSAL.search(reply.text):
            # "Would you do it?" - "Ah no, I won't." - "Fair enough. I'll do it myself, so.": the asker takes it back
            after = sents[reply.index + 1 : reply.index + 1 + TAKE_BACK_SENTENCES]
            if any(
                s.speaker == cand.sentence.speaker
                and s.segment_id <= reply.segment_id + TAKE_BACK_TURNS
                and TAKE_BACK.search(s.text)
                for s in after
            ):
                cand.owner = cand.sentence.speaker
                kept.append(cand)
            continue
        kept.append(cand)
    return kept


@functools.lru_cache(maxsize=4096)
def _stems(task: str) -> frozenset[str]:
    """Content words without their commonest endings, so 'brief' and 'briefing' count as one word.

    Cached by task text: `merge` compares every new item with every kept one.
    """
    # "Do Kyle's supervision" ... "Do his supervision": a possessive says whose, as the name did, not what
    words = content_words(task) - ROLE_WORDS - POSSESSIVES
    stems = {re.sub(r"(?:ing|ed|es|s)$", "", w) if len(w) > 4 else w for w in words}
    # "Speak to Jonas about moving the crowd shots" ... "I'll get onto Jonas": one way or another, contacting him
    return frozenset("contact" if w in CONTACT_VERBS else w for w in stems)


def _similar(a: Candidate, b: Candidate) -> bool:
    # "Sort it (the fire warden list)" is not "sort the PO": a pronoun task is compared with what it refers to
    wa = _stems(a.full_task if a.anaphoric else a.task)
    wb = _stems(b.full_task if b.anaphoric else b.task)
    if not wa or not wb:
        return False
    shared = len(wa & wb) / min(len(wa), len(wb))
    adjacent = 0 < b.sentence.index - a.sentence.index <= 3
    accepts = adjacent and (
        (a.kind == "other" and b.sentence.speaker == a.owner)
        # "I was going to ring the DNA list." - "Yeah, do that. When can you get through it?"
        or (b.kind == "other" and a.sentence.speaker == b.owner and b.anaphoric)
    )
    same_due = a.due is not None and a.due == b.due
    # "Would you do a new one?" - "Can I say maybe?" ... "Fine, I'll do the new client welcome pack.": the late yes
    late_yes = (
        a.deferred
        and b.kind == "self"
        and b.sentence.speaker == a.owner
        and 0 < b.sentence.segment_id - a.sentence.segment_id <= DEFERRED_TURNS
    )
    # "Can you put that in writing?" - "I'll have the reallocation proposal to you by the 15th": the reply names it
    # "Can you sit with Dmitri on it?" - "Yeah, I'll ping him Monday": contacting them is the first step of it
    first_step = bool(CONTACT.match(b.task)) and b.short
    # "Can you get them all over to me by Monday week?" - "If the farm's still queueing on Monday I'll just render
    # them locally": a fallback plan is a task of its own, not the acceptance ("Once I have the numbers, I'll
    # send it" still is one)
    contingency = bool(re.search(r"\b(?:if|unless)\b", b.lead, re.I) and CONDITION_NEGATED.search(b.lead))
    # "I'll get it served by Friday." - "This Friday?" - "... make it Monday. I'll have it served on the Monday."
    said_again = (
        a.anaphoric
        and b.anaphoric
        and a.sentence.speaker == b.sentence.speaker
        and 0 < b.sentence.segment_id - a.sentence.segment_id <= SAID_AGAIN_TURNS
        and bool(_stems(a.task) - LIGHT_VERBS)
        and _stems(a.task) - LIGHT_VERBS == _stems(b.task) - LIGHT_VERBS
    )
    # "I send you the capacity plan on Friday." - "No, wait. Friday I am at the terminal. Tuesday. I send it
    # Tuesday.": the speaker moves (or, undated before, gives) their own date, and "it" is the same work
    redated = (
        b.anaphoric
        and a.kind == b.kind == "self"
        and a.sentence.speaker == b.sentence.speaker
        and 0 < b.sentence.segment_id - a.sentence.segment_id <= SAID_AGAIN_TURNS
        and b.due is not None
        and a.due != b.due
        and a.task.lower().split()[:1] == b.task.lower().split()[:1]
    )
    # "Could you have a look? Compare a few?" - "Yes. I'll have the supplier price comparisons done": the ask was vague
    vague_ask = (
        a.kind == "other"
        and b.sentence.speaker == a.owner
        and b.sentence.segment_id - a.sentence.segment_id == 1
        and not _stems(a.task) - LIGHT_VERBS - VAGUE_ASK_WORDS
    )
    return (
        shared >= 0.6
        or said_again
        or redated
        or (vague_ask and not contingency)
        or (late_yes and (shared >= 0.25 or (_points_back(b) and b.sentence.segment_id - 1 in a.revisits)))
        or (accepts and not contingency and (shared >= 0.25 or same_due or a.anaphoric or b.anaphoric or first_step))
    )


VAGUE_ASK_WORDS = frozenset({"look", "check", "think", "go"})


def _points_back(cand: Candidate) -> bool:
    """ "I'll do it", "I'll do the one on the nineteenth": the task names nothing past a light verb."""
    return cand.anaphoric or not _stems(cand.task) - LIGHT_VERBS - {"one", "ones"}


OBJECT_PRONOUN = re.compile(r"^\w+\s+(?:it|them|that|those|these)\b", re.I)  # "Set them up", "Do it"
SAID_AGAIN_TURNS = 2  # the speaker's next turn: "This Friday?" - "... I'll have it served on the Monday."


def _how_of(first: Candidate, then: Candidate) -> bool:
    """'I'm going to get the integrator to review them. I'll email them tomorrow.': the second sentence says how
    (and when) the first gets done, so the two are one item."""
    # the sentence just before, in the same turn: the first's own, or the reply merged into it ("Can you ...?" -
    # "I'll have the records done for Huw's visit. I'll do it in the evenings.")
    said_last = max(first.sentence.index, *first.merged_sentences)
    same_turn = first.sentence.segment_id == then.sentence.segment_id or (
        said_last != first.sentence.index and any(e.segment_id == then.sentence.segment_id for e in first.evidence)
    )
    next_said = first.owner == then.owner and same_turn and then.sentence.index - said_last == 1
    # "I can take the cost anomaly alerts. I'll set them up before the FinOps review on February second."
    when = then.due is not None and first.due is None and bool(OBJECT_PRONOUN.match(then.task)) and not first.generic
    # "I'm going to write a proper rollback plan, step by step. I'll have the rollback plan done by the 25th.": the
    # second names nothing the first did not, and says when
    if not when and then.due is not None and first.due is None:
        said_when = _stems(then.task) - LIGHT_VERBS - EMPTY_WORDS - WHEN_WORDS
        when = bool(said_when) and said_when <= _stems(first.task)
    # "Oh, and the fatigue policy. I'll sort that. I'll draft something based on the ASLIA guidelines ....", "And
    # Ross. I'll take him. I'll do his induction on the ICP-MS next Tuesday.": the first says nothing the second
    # does not
    named = content_words(first.task) - LIGHT_VERBS - EMPTY_WORDS
    person = len(named) == 1 and re.search(rf"\b{re.escape(next(iter(named)))}\b", first.task, re.I)
    about_them = bool(person and person[0][:1].isupper() and PERSON_PRONOUN.search(then.task))
    what = (not named - content_words(then.full_task) or about_them) and not then.bare
    # "And the AD lab. I'll build it. I'll have the AD lab built before Christmas.": the second names the "it"
    names_it = first.anaphoric and not then.anaphoric and bool(_stems(first.topic) & _stems(then.task) - PLAIN_VERBS)
    what = what or names_it
    # "I'll have the mastitis records done for Huw's visit. I'll do it in the evenings after the TB test."
    how = bool(DO_IT_HOW.match(then.task)) and not first.generic and then.due in (None, first.due)
    # "I'll go to the asset manager for a second dig crew. I'll make the case.": arguing for it is how
    argue = bool(ARGUE_FOR_IT.match(then.task))
    return next_said and (
        (bool(CONTACT.match(then.task)) and not CONTACT.match(first.task)) or when or what or how or argue
    )


WHEN_WORDS = frozenset({"before", "after", "by", "ready", "done", "finished"})  # "have it done before": no new work
PLAIN_VERBS = LIGHT_VERBS | {"go", "come", "need", "want", "put", "keep", "give"}  # shared, they name nothing
PERSON_PRONOUN = re.compile(r"\b(?:his|her|their|him|them)\b", re.I)
DO_IT_HOW = re.compile(r"^(?:do|sort|handle|manage)\s+(?:it|that|this)\b(?=\s*\S)", re.I)  # then how or when


ARGUE_FOR_IT = re.compile(
    r"^(?:make\s+the\s+case|(?:push|fight|argue|go\s+in\s+to\s+bat)\s+for\s+(?:it|that|them|you|him|her))"
    r"(?:\s+for\s+(?:it|that|them|you|him|her))?\s*$",
    re.I,
)


def merge(cands: list[Candidate]) -> list[Candidate]:
    """Merge a request and its acceptance, and repeats of the same task by the same owner."""
    merged: list[Candidate] = []
    dangling: Candidate | None = None  # "Let me sort that out today." before the task is named
    for cand in cands:
        if cand.generic:
            target = next(
                (m for m in reversed(merged) if _accepts(cand, m)),
                None,
            )
            if target is None:
                dangling = cand if cand.due is not None else None
                continue  # an acceptance of nothing we know is not an item
        else:
            if (
                dangling is not None
                and cand.due is None
                and cand.owner == dangling.owner
                and cand.sentence.segment_id == dangling.sentence.segment_id
            ):
                # "Let me sort that out today. I'll raise it with the platform admins.": one task, due today
                cand.due = dangling.due
                cand.evidence.extend(e for e in dangling.evidence if e not in cand.evidence)
            dangling = None
            target = next((m for m in merged if m.owner == cand.owner and _similar(m, cand)), None)
            if target is None:  # the item the speaker's sentence just before went into
                target = next((m for m in reversed(merged) if m.owner == cand.owner and _how_of(m, cand)), None)
        if target is None:
            merged.append(cand)
            continue
        carried = [e for e in cand.evidence if e != cand.topic_evidence]  # the topic goes only with its own task
        if _how_of(target, cand) and not target.topic and cand.topic:
            target.topic, target.topic_evidence, carried = cand.topic, cand.topic_evidence, list(cand.evidence)
        if (
            (target.anaphoric and not cand.anaphoric)
            or (target.bare and not cand.bare and cand.kind == "self" and not ANAPHOR.search(cand.task))
            or _restated(target, cand)
        ):
            # the reply names what the request only pointed at ("Can you share the link?" - "I'll drop the
            # triage dashboard link in the producers' channel")
            # "I'll sort that (the fatigue policy). I'll draft ...": kept, unless the reply names it too ("Leave
            # that with me (Highways). I'll ring Dafydd in Highways")
            named_again = bool(target.topic) and content_words(target.topic) <= content_words(cand.task)
            # "The decline letters. ... Could you rewrite them?" - "I'll redo the template": the reply's own look
            # back reached past the request, which says what "them" is
            looked_past = (
                bool(target.topic)
                and cand.topic_evidence is not None
                and cand.topic_evidence.segment_id < target.sentence.segment_id
                and cand.topic_evidence != target.topic_evidence  # one sentence: the reply's phrase of it is fuller
            )
            if (cand.topic or not _how_of(target, cand) or named_again) and not (looked_past and not named_again):
                target.evidence = [e for e in target.evidence if e != target.topic_evidence]
                target.topic, target.topic_evidence = cand.topic, cand.topic_evidence
                carried = list(cand.evidence)
            target.task = cand.task
        elif DO_THAT.match(target.task) and cand.kind == "self" and cand.task and not DO_THAT.match(cand.task):
            target.task = cand.task  # "Can you do that?" - "I'll train her on Saturday": the reply says what
        target.evidence.extend(e for e in carried if e not in target.evidence)
        target.merged_sentences.append(cand.sentence.index)
        if cand.due is not None:
            target.due = cand.due  # the later statement wins ("actually, make it Monday")
        if target.strength == "weak" and cand.strength == "strong":
            target.strength = "strong"
    return merged


def _restated(request: Candidate, reply: Candidate) -> bool:
    """'Can you have a look at the PRV settings?' - 'I'll review the PRV settings in DMA fourteen': the one who
    takes the work on says what it is, in more words than the ask."""
    return (
        request.kind == "other"
        and reply.kind == "self"
        and not reply.generic
        and not ANAPHOR.search(reply.task)
        and not request.topic
        and len(content_words(reply.task)) > len(content_words(request.task))
        and bool((content_words(reply.task) & content_words(request.task)) - LIGHT_VERBS)  # the same work
    )


def _roots(task: str) -> frozenset[str]:
    """Crude word roots (five letters): a recap says 'the procurement escalation' for 'escalate it to procurement'."""
    return frozenset(w[:RECAP_ROOT] for w in content_words(task) - ROLE_WORDS)


def drop_recaps(cands: list[Candidate]) -> list[Candidate]:
    """'I will do the procurement escalation and the green belt nomination': a wrap-up restating two earlier items.

    A later item that shares words with two or more earlier items of the same owner, and says nothing they do not
    say between them, is a recap, not a third task.
    """
    kept: list[Candidate] = []
    for cand in cands:
        if is_cjk(cand.task):  # character roots: "写邮件" would be a recap of "写报告" and "发邮件"
            kept.append(cand)
            continue
        words = _roots(cand.task)
        earlier = [k for k in kept if k.owner == cand.owner and _roots(k.full_task) & words]
        covered = frozenset().union(*(_roots(k.full_task) for k in earlier)) if earlier else frozenset()
        if len(earlier) >= 2 and len(words) >= 2 and words <= covered:
            continue
        # "I'll clear the P3 backlog by the end of February." ... "Thank you. I'll fix the backlog.": a pledge that
        # only says to fix what an earlier item already does
        named = words - VAGUE_FIX
        restated = next(
            (k for k in earlier if cand.due is None and named and words & VAGUE_FIX and named <= _roots(k.full_task)),
            None,
        )
        if restated is not None:
            restated.evidence.extend(e for e in cand.evidence if e not in restated.evidence)
            continue
        kept.append(cand)
    return kept


VAGUE_FIX = frozenset(w[:RECAP_ROOT] for w in ("fix", "sort", "improve", "tackle", "handle", "do", "get"))  # roots


# "So, yes, the stairs, that's the nav mesh, the step height is wrong": the thing, then what it is called
NAMED_AGAIN = re.compile(
    r"^(?:the|our|your|that|this)\s+[^,;]{2,40},\s*that(?:['’]s|\s+is)\s+(?:the|our|your)\s+[^,;.?!]+", re.I
)


def _topic_phrase(sent: Sentence) -> str:
    """'And the capacity review with the storage team?' → 'the capacity review with the storage team'."""
    text = TOPIC_LEAD.sub("", sent.text).strip()
    text = first_sentence(text)
    named = NAMED_AGAIN.match(text)  # "the stairs, that's the nav mesh, ...": what it is, said again
    text = named[0] if named else TRAILING_CLAUSE.sub("", text).strip(" ,;:-")
    words = text.split()
    if words and words[0] in ("The", "A", "An", "Our", "My", "Your", "This", "That", "These", "Those"):
        words[0] = words[0].lower()  # it continues a task: "Get it rescheduled (the capacity review ...)"
    return " ".join(words[:REFERENCE_WORDS]) + (" ..." if len(words) > REFERENCE_WORDS else "")


def _asks_date(question: str) -> bool:
    """'When's their deadline now?' asks for a date and names nothing; 'When's the next simulation?' names one.

    'Can we say the fifteenth of January?' proposes a date and names nothing either.
    """
    if WHEN_QUESTION.match(question):
        return not content_words(question) - DATE_TALK
    proposal = DATE_REVISION.search(question)
    return proposal is not None and _only_date_words(question[proposal.end() :])


def _standalone(sents: list[Sentence], sent: Sentence) -> str:
    """'Fair enough.' 'Asbestos awareness. You can't lone work yet ...': a bare phrase that moves the talk on."""
    phrase = standalone_topic(sent.text)
    if not phrase or sent.index == 0 or sent.index + 1 >= len(sents):
        return ""
    before, after = sents[sent.index - 1], sents[sent.index + 1]
    acknowledged = not content_words(before.text) - ACKNOWLEDGEMENTS
    goes_on = after.segment_id == sent.segment_id and not after.text.rstrip().endswith("?")
    return phrase if acknowledged and goes_on else ""


def _point_named(sents: list[Sentence], sent: Sentence, names: frozenset[str] = frozenset()) -> str:
    """The point a sentence brings up ("Now, DEV-0412.", "The wet-weather plan.", "Jamie, the schedule."), or ''."""
    vocative = VOCATIVE_START.match(sent.text)  # the name of whom it is put to leads in like "Now,"
    named = vocative is not None and vocative["name"].lower() in names  # not "Ha, the family group chat."
    put_to = topic_opener(sent.text[vocative.end() :].lstrip()) if vocative and named else ""
    return topic_opener(sent.text) or put_to or _standalone(sents, sent)


def _named_topic(
    sents: list[Sentence], cand: Candidate, lo: int, skip: frozenset[int] | set[int], names: frozenset[str]
) -> tuple[str, Sentence] | None:
    """The nearest bare topic phrase before `cand` ('The lift refurbishment.'), with what was asked right after it.

    'The lift refurbishment. Where are we with quotes?' names 'the lift refurbishment, quotes'.
    """
    for sent in sents[max(0, lo) : cand.sentence.index][::-1]:
        if sent.index in skip:
            continue
        phrase = _point_named(sents, sent, names)
        if phrase.lower() in names:
            continue  # "Okay, Callum." addresses someone in the meeting
        before = sents[max(0, sent.index - 3) : sent.index]
        # "Clip gun's jammed again. Jas'll sort it. Where was we? The torque audit.": back from an aside, the talk
        # starts over, so what was said before the return does not make the phrase part of a list
        back = [i for i, s in enumerate(before) if RESUMING.match(s.text)]
        opens = all(  # it opens its turn ("Fair enough. Oh, the February rota."), not a list ("The July cohort.")
            # "Okay, Tuesday. Then the annual reviews.": a date agreed is an acknowledgement too
            # "Sure. Next thing. The decline letters.": a word that moves the talk on is no list item either
            s.segment_id != sent.segment_id
            or not content_words(TOPIC_LEAD.sub("", s.text)) - ACKNOWLEDGEMENTS - DATE_WORDS
            for s in before[back[-1] + 1 if back else 0 :]
        )
        led = phrase != topic_fragment(sent.text)  # "Now, DEV-0412.": the lead word itself moves the talk on
        if not phrase or not (opens or led):
            continue
        after = sents[sent.index + 1] if sent.index + 1 < len(sents) else None
        # "Oh, and the dent at KP forty-two. The fitness-for-service assessment.": the next fragment says what of it
        if (
            after is not None
            and after.index != cand.sentence.index
            and after.segment_id == sent.segment_id
            and (again := topic_fragment(after.text))
        ):
            phrase = f"{phrase}, {again}"
            after = sents[after.index + 1] if after.index + 1 < len(sents) else None
        if (
            after is not None
            and after.index != cand.sentence.index  # the promise itself is no question about the topic
            and after.segment_id == sent.segment_id
            and after.text.rstrip().endswith("?")
        ):
            asked = _topic_phrase(after)
            if asked != after.text.rstrip("?").strip() and 0 < len(content_words(asked)) <= 3:
                phrase = f"{phrase}, {asked}"  # "Where are we with quotes?" asks about "quotes"
        return phrase, sent
    return None


# "They want someone from us to talk about the booking changes. Can you do it?": the request is that work
WANTED_FOR = re.compile(
    r"\b(?:want|wants|need|needs|(?:'d|would)\s+like|asked\s+for|(?:are|is)\s+asking\s+for|(?:are|is)\s+looking\s+for)\s+"
    r"(?:someone|somebody|a\s+volunteer|one\s+of\s+(?:us|you))(?:\s+from\s+(?:us|[\w']+))?\s+"
    r"(?:to\s+(?P<work>[^.?!;]+)|(?:at|for)\s+(?P<event>(?:the|our|their)\s+[^.?!;]+))",
    re.I,
)


def _wanted_just_before(cand: Candidate, usable: list[Sentence]) -> Sentence | None:
    """Give a bare request ("Can you do it?", "Would you go?") the work someone was just said to be wanted for."""
    if cand.kind != "other" or not cand.generic:
        return None
    said = next((s for s in usable[:1] if s.segment_id == cand.sentence.segment_id), None)
    found = WANTED_FOR.search(said.text) if said is not None else None
    if said is None or found is None:
        return None
    _give_wanted_work(cand, said, found)
    return said


def _give_wanted_work(cand: Candidate, said: Sentence, found: re.Match[str]) -> None:
    """The work `said` wants someone for becomes `cand`'s task, cited; a pronoun in it keeps `said` as its topic."""
    work = found["work"] or f"attend {found['event']}"
    cand.task, cand.generic = work[0].upper() + work[1:], False
    if ANAPHOR.search(work):  # "... want somebody to come and talk about it": what "it" is, said before
        _cite_topic(cand, _topic_phrase(said), said)
    else:  # cited, and dated by it ("... at the meeting on the eighteenth"), with no topic shown
        _cite_topic(cand, "", said)


CLAIMED = re.compile(
    r"\b(?:assign\s+(?:it|that|this|them)\s+to\s+me|put\s+me\s+down|(?:that's|it's)\s+mine|I(?:'ll|\s+will)\s+own\s+(?:it|that))\b",
    re.I,
)
"""A speaker claiming the point just brought up: "Sure, assign it to me.", "Put me down."."""


def _unowned_taken_on(
    cand: Candidate, latent: list[Candidate], sents: list[Sentence], skip: frozenset[int] | set[int]
) -> None:
    """'The Dependabot critical in payments, SEC-1187. Nobody owns it.' - 'Sure, assign it to me.': the speaker takes
    on the point the other person just brought up, and the work someone was said to need done on it."""
    if cand.kind != "self" or cand.task.strip():
        return
    before = [s for s in sents[: cand.sentence.index] if s.segment_id == cand.sentence.segment_id - 1]
    if not before or before[0].speaker == cand.sentence.speaker:
        return
    need = next((p for p in latent if p.strength == "need" and p.sentence in before and p.task), None)
    wanted = next(((s, found) for s in before if (found := WANTED_FOR.search(s.text)) and found["work"]), None)
    if wanted is not None and need is None:  # "I'd like someone to present the cloud roadmap." - "Put me down."
        _give_wanted_work(cand, *wanted)
        return
    if need is None and not CLAIMED.search(cand.sentence.text):
        return  # "Yes, I will." takes on nothing unless work was said to be needed or the speaker claims the point
    # the point itself: "Next thing, release notes for 5.2.", "The Dependabot critical in payments, SEC-1187."
    point = next(
        (
            s
            for s in before
            if (need is None or s is not need.sentence)
            and s.index not in skip
            and not ANAPHOR.search(s.text)
            and len(content_words(_topic_phrase(s))) >= 2
        ),
        None,
    )
    if point is None:
        return
    named = (_topic_phrase(point), point)
    if need is not None:  # "Release notes for 5.2. Somebody has to write them."
        cand.task = need.task
        _cite_topic(cand, *named)
        if (evidence := Evidence(segment_id=need.sentence.segment_id, quote=need.sentence.text)) not in cand.evidence:
            cand.evidence.append(evidence)
    else:
        cand.task = f"Take on {named[0]}"
        _cite_topic(cand, "", named[1])  # the point is the task itself, so it is cited, not shown twice


def _cite_topic(cand: Candidate, phrase: str, source: Sentence) -> None:
    """Show `phrase` with the task and cite the sentence it comes from."""
    cand.topic = phrase
    cand.topic_evidence = Evidence(segment_id=source.segment_id, quote=source.text)
    cand.generic = False  # "The terraform module. I'll have that done": it has a task now
    if cand.topic_evidence not in cand.evidence:
        cand.evidence.append(cand.topic_evidence)


def _accepts(cand: Candidate, request: Candidate) -> bool:
    """'Okay, next Thursday's fine, I'll do that' accepts a request made to its speaker a few turns earlier, a
    deferred one the asker has just brought up again ("The wreaths. Any thoughts?" - "I'll do the one on the 19th"),
    or one its speaker gives in to after pushing back ("Fine, I'll take them.", up to `CONCEDE_TURNS` later)."""
    turns = cand.sentence.segment_id - request.sentence.segment_id
    if request.kind != "other" or request.owner != cand.owner or turns <= 0:
        return False
    if turns <= ACCEPT_TURNS or (request.deferred and cand.sentence.segment_id - 1 in request.revisits):
        return True
    return turns <= CONCEDE_TURNS and bool(CONCEDED.search(cand.lead))


# "Would you take the wreath-making workshops?" - "Hmm. I don't know. Let me think about it?": not yet a no
DEFERRAL = re.compile(
    r"\blet\s+me\s+(?:think|have\s+a\s+think|sleep\s+on\s+it|look\s+at\s+my\s+(?:diary|calendar))"
    r"|\bcan\s+I\s+(?:think|say\s+maybe|get\s+back\s+to\s+you)"
    r"|\bI(?:'ll|\s+will)\s+(?:think\s+about\s+it|have\s+a\s+think)"
    r"|\bI\s+don't\s+know\b|\bmaybe\b",
    re.I,
)
DEFERRED_TURNS = 30  # how much later the asker may bring it up again


def mark_deferred(cands: list[Candidate], sents: list[Sentence]) -> None:
    """Mark requests the addressee put off in their next turn, and the asker's later turns that bring them up."""
    for cand in cands:
        if cand.kind != "other":
            continue
        reply = [s for s in sents[cand.sentence.index + 1 :] if s.segment_id == cand.sentence.segment_id + 1]
        if not reply or reply[0].speaker != cand.owner or not any(DEFERRAL.search(s.text) for s in reply[:3]):
            continue
        cand.deferred = True
        words = _stems(cand.full_task.replace("-", " "))  # "the wreath-making workshops" - "The wreaths."
        cand.revisits = frozenset(
            s.segment_id
            for s in sents[reply[-1].index + 1 :]
            if s.speaker == cand.sentence.speaker
            and s.segment_id - cand.sentence.segment_id <= DEFERRED_TURNS
            and words & _stems(s.text.replace("-", " "))
        )


def _asked_between(sents: list[Sentence], earlier: Candidate, cand: Candidate, said: set[int]) -> bool:
    """Someone else asked about something after `earlier`: a bare "I'll do it" answers that question, not `earlier`.

    A question that is itself a request ("Dana, can you own that one?") asks for `earlier`, so it does not count.
    """
    return any(
        s.speaker != cand.sentence.speaker
        and s.text.rstrip().endswith(("?", "？"))
        and s.index not in said
        and s.segment_id != earlier.sentence.segment_id  # "Would you do a talk? Like thirty minutes?": one request
        for s in sents[earlier.sentence.index + 1 : cand.sentence.index]
    )


INDEFINITE = frozenset("something anything everything nothing someone somebody anyone anybody stuff".split())


def _names_a_topic(sent: Sentence) -> bool:
    """Whether a sentence can be what a pronoun task is about.

    'It's in my head' says too little past its pronoun, 'Still can't.' names nothing, 'End of next week.' only a date.
    """
    said = TOPIC_LEAD.sub("", sent.text)  # "Speaking of that, did you sign my sponsor form?" names the form
    if ANAPHOR.search(said) and len(content_words(said)) <= 4:
        return False
    words = content_words(_topic_phrase(sent)) - INDEFINITE  # "Okay, I learn something today." names nothing
    return len(words) >= 3 and bool(words - DATE_WORDS)


def _taken_on(sents: list[Sentence], cand: Candidate, skip: frozenset[int] | set[int]) -> Sentence | None:
    """'And the cans in the prompt corner keep dropping out.' - 'Right, leave that with me. I'll speak to Huw in
    sound tomorrow.': a promise right after taking the problem on is about the problem the other person raised."""
    if cand.sentence.index == 0:
        return None
    before = sents[cand.sentence.index - 1]
    if before.segment_id != cand.sentence.segment_id or not TAKE_ON.search(before.text):
        return None
    raised = [
        s
        for s in sents[max(0, cand.sentence.index - REFERENCE_WINDOW) : before.index][::-1]
        if s.segment_id == cand.sentence.segment_id - 1 and s.speaker != cand.sentence.speaker and s.index not in skip
    ]
    return next((s for s in raised if _names_a_topic(s) and not s.text.rstrip().endswith("?")), None)


def _condition(cand: Candidate) -> str:
    """'If it packs up over the weekend, I'll call the contractor out': a conditional promise keeps its condition."""
    match = CONDITION_CLAUSE.match(cand.lead)
    condition = CONDITION.search(match["lead"]) if match else None
    if match is None or condition is None or _reported(match["lead"]):
        return ""
    words = match["lead"][condition.start() :].split()[:REFERENCE_WORDS]
    return " ".join([words[0].lower(), *words[1:]])


def _lead_topic(cand: Candidate) -> str:
    """'Leave the sponsor form with me, I'll sign it' -> 'leave the sponsor form with me'.

    An 'if ...' clause is the topic only of a promise to tell: 'If the grower can't guarantee it, I'll let you
    know' is about the grower; 'If the budget is approved, I'll put you forward for it' is not about the budget.
    """
    if TELL.search(cand.task) and (condition := _condition(cand)):
        return condition
    match = LEAD_CLAUSE.match(cand.lead) or TOPIC_CHUNK.match(cand.lead)
    if match is None or CONDITION.search(match["lead"]) or _reported(match["lead"]):
        return ""
    phrase = TOPIC_LEAD.sub("", match["lead"]).strip()
    if len(content_words(phrase)) < 2 or ANAPHOR.fullmatch(phrase):
        return ""
    words = phrase.split()
    if words[0] in ("The", "A", "An", "Our", "My", "Your", "This", "That", "These", "Those"):
        words[0] = words[0].lower()
    return " ".join(words[:REFERENCE_WORDS])


def resolve_references(
    cands: list[Candidate],
    latent: list[Candidate],
    sents: list[Sentence],
    *,
    excluded: frozenset[int] = frozenset(),
    names: frozenset[str] = frozenset(),
) -> list[Candidate]:
    """Give "I'll do that" / "I'll get it rescheduled" the task it refers to, looking back a few sentences.

    1. An earlier proposal ("we need to update the rota", "let's get finance the numbers", "you should ...")
       taken up by "I'll do that": the speaker owns that task, and a "we" proposal taken up this way is not a
       second item. Another person's own promise ("I'll put your name forward") cannot be taken up.
    2. Otherwise a pronoun task, or one too short to say what it is about ("send you a draft"), keeps its
       words and gains the topic it refers to, preferably the question that raised it:
       "Get it rescheduled (the capacity review with the storage team)".
    A bare "I'll do that" takes only the speaker's own lead-in as its topic; with nothing to refer to it stays
    generic (and is dropped unless it answers a request).
    A request is only given a topic: when its reply names the work, merging takes the reply's task.
    """
    taken_up: set[int] = set()
    latest_first = sorted((*cands, *latent), key=lambda c: -c.sentence.index)
    latent_ids = {id(c) for c in latent}
    # a sentence with its own task is no topic; a need nobody has taken up yet may be one ("We need an ASM for the
    # spring show. I'll post the job by Friday.")
    tasks_said = {c.sentence.index for c in latest_first if c.strength != "need"}
    for cand in cands:
        counted = COUNTED_REFERENCE.search(cand.task)
        if not cand.bare and not PRONOUN_END.search(cand.task) and not TELL.search(cand.task) and not counted:
            taken_on = _taken_on(sents, cand, excluded | tasks_said)
            if taken_on is not None and not cand.topic:
                _cite_topic(cand, _topic_phrase(taken_on), taken_on)
                cand.topic_dates = False  # "The cans dropped out on Tuesday": when it happened, no deadline
                continue
            # "the three primary schools in Broughty Ferry, I'll phone the heidies and get them booked in": the
            # speaker's lead-in says who "them" are
            own = _lead_topic(cand) if OBJECT_ANAPHOR.search(cand.task) and not cand.topic else ""
            # "All the March and April valuations that didn't instruct, there's about twenty. I'll ring round them
            # all this week": the speaker's own sentence just before says who "them" are
            before = sents[cand.sentence.index - 1] if cand.sentence.index else None
            if (
                THEM.search(cand.task)
                and not cand.topic
                and not own
                and before is not None
                and before.segment_id == cand.sentence.segment_id
                and before.index not in excluded | tasks_said
                and not before.text.rstrip().endswith("?")
                and LISTED.match(before.text)
                and _names_a_topic(before)
            ):
                _cite_topic(cand, _topic_phrase(before), before)
                continue
            cand.topic = cand.topic or own or _condition(cand)
            continue
        lo = cand.sentence.index - REFERENCE_WINDOW
        proposals = [
            p
            for p in latest_first
            if lo <= p.sentence.index < cand.sentence.index
            # "I'll get them on the X-ray Tuesday, so-" - "Ah no, wait ... I'll do them Thursday": one's own
            # promise, said again with a new date, even when it names its object by a pronoun
            and (not p.anaphoric or (cand.generic and p.kind == "self" and p.sentence.speaker == cand.sentence.speaker))
            # a proposal to the group, or advice to this person; one's own earlier promise only for "do that"
            # ("I'll ring them. I'll take it back": "it" is a thing, not the ringing); never another's promise
            and (p.kind == "we" or (p.owner == cand.owner and (id(p) in latent_ids or cand.generic)))
            # "I'll add the new exits also." - "And the mock drill, when are you doing it?" - "I'll do it Tuesday"
            and not _asked_between(sents, p, cand, tasks_said)
            and not p.generic  # "I will, yeah. Consider it done.": an acceptance has no task to hand on
        ]
        # "I'll run a refresher ... Oh, before I forget, the dissolution training. Yes, I'll sort it.": a topic the
        # speaker names after their own earlier promise is what "it" is
        renamed = (
            proposals
            and proposals[0].kind == "self"
            and (named_after := _named_topic(sents, cand, proposals[0].sentence.index + 1, excluded, names)) is not None
            and named_after[1].speaker == cand.sentence.speaker
        )
        if (
            cand.kind != "other"
            and cand.anaphoric
            and proposals
            and not renamed
            and cand.sentence.index - proposals[0].sentence.index <= 3
        ):
            source = proposals[0]
            cand.task, cand.topic, cand.topic_evidence = source.task, source.topic, source.topic_evidence
            cand.due = cand.due or source.due
            cand.evidence = [*source.evidence, *(e for e in cand.evidence if e not in source.evidence)]
            cand.generic = False
            if source.kind == "we" and source.owner != cand.owner:
                taken_up.add(id(source))
            continue
        # "The wet-weather plan. I'll do it.": the speaker names the point just before, so it accepts no earlier request
        before = sents[cand.sentence.index - 1] if cand.sentence.index else None
        own_point = (
            before is not None
            and before.segment_id == cand.sentence.segment_id
            and before.index not in tasks_said | excluded
            and bool(_point_named(sents, before, names))
        )
        accepted = any(_accepts(cand, m) and not _asked_between(sents, m, cand, tasks_said) for m in cands)
        if cand.generic and accepted and not own_point:
            continue  # "Okay, next Thursday's fine, I'll do that": it accepts the request, merging takes care of it
        own = _lead_topic(cand) if cand.task else ""
        if own and cand.kind != "other":
            cand.topic, cand.generic = own, False
            continue
        usable = [
            s
            for s in sents[max(0, lo) : cand.sentence.index][::-1]  # nearest first
            if s.index not in tasks_said
            and s.index not in excluded  # an injection attempt or a private remark is never a topic
            and _names_a_topic(s)
        ]
        # a question raises a topic, but "When's their deadline now?" asks for a date, not about a thing
        raised = next((s for s in usable if s.text.rstrip().endswith("?") and not _asks_date(s.text)), None)
        # "The terraform module for the new clusters. I'll have that done": the speaker's own lead-in comes first
        lead_in = next(
            (
                s
                for s in usable[:1]
                if s.segment_id == cand.sentence.segment_id
                # "It's in my head", "The one on the wall's fiction now": a lead-in that only points
                and (
                    not (PRONOUN_START.match(s.text) or THE_ONE.match(s.text))
                    or len(content_words(s.text)) > LEAD_IN_WORDS
                )
            ),
            None,
        )
        # a bare "I'll get them done" answers the question just asked ("And the return-to-work interviews?")
        asked_just_now = (
            raised
            if raised is not None
            and raised.segment_id == cand.sentence.segment_id - 1
            and raised.speaker != cand.sentence.speaker
            else None
        )
        # "Nine of them are older than five days." - "Can you get those nine cleared?"
        counted_in = next(
            (
                s
                for s in sents[max(0, lo) : cand.sentence.index][::-1]
                if counted
                and s.index not in tasks_said
                and s.index not in excluded
                and re.search(rf"\b{counted['count']}\b", s.text, re.I)
            ),
            None,
        )
        if counted_in is not None and cand.kind != "we":
            _cite_topic(cand, _topic_phrase(counted_in), counted_in)
            continue
        if counted:
            lead_in = None  # "I've got one. I'll get the other two in": the count is of the topic, not the lead-in
        # "Then the housing stats paper. When were you thinking?" - ... - "Can we say the fifteenth of January?" -
        # "Okay, I'll do that.": a bare reply agreeing to a date proposed for the point under discussion, which may
        # have been named a few sentences further back than a pronoun usually reaches
        date_asked = not content_words(cand.task) and any(
            s.segment_id == cand.sentence.segment_id - 1
            and s.speaker != cand.sentence.speaker
            and s.text.rstrip().endswith("?")
            and _asks_date(s.text)
            for s in sents[max(0, lo) : cand.sentence.index]
        )
        # "The fire warden list. It's well out of date." - "I'll sort it": the topic named as a bare phrase
        named = _named_topic(sents, cand, lo - REFERENCE_WINDOW if date_asked else lo, excluded | tasks_said, names)
        if named is not None and not content_words(cand.task):
            # a bare "I'll do that" takes a named topic only with the question about it just asked ("Your
            # backwash sequence. What if you wrote it up as an SOP?"), not "Please do" or "Anything I can do there?"
            just_asked = date_asked or (asked_just_now is not None and asked_just_now.index == named[1].index + 1)
            # "And the drill for nights, that one I take. I do it before the end of the month.": the speaker has
            # just named the point
            just_named = named[1].index == cand.sentence.index - 1 and named[1].segment_id == cand.sentence.segment_id
            just_asked = just_asked or just_named
            named = named if just_asked and not cand.sentence.text.rstrip().endswith("?") else None
        reach = FRAGMENT_TURNS + 1 if date_asked else FRAGMENT_TURNS  # the point, a first date, the proposal, yes
        if named is not None and cand.generic and named[1].segment_id < cand.sentence.segment_id - reach:
            named = None
        if not cand.task.strip():
            _unowned_taken_on(cand, latent, sents, excluded | tasks_said)
            continue  # "Yes please.": no words to hang a topic on ("I'll do it" has some); it never stands alone
        if _wanted_just_before(cand, usable) is not None:
            continue  # "They want someone from us to talk about the booking changes. Can you do it?"
        # "I put in for December, for my sister's wedding." - "I'll approve it today": a dated promise with a verb of
        # its own acts on what the other person just said
        acts_on_it = cand.kind == "self" and cand.due is not None and bool(content_words(cand.task) - LIGHT_VERBS)
        if cand.generic:
            said_just_now = next(
                (
                    s
                    for s in usable
                    if s.segment_id == cand.sentence.segment_id - 1 and s.speaker != cand.sentence.speaker
                ),
                None,
            )
            ref = lead_in or asked_just_now or (said_just_now if acts_on_it else None)
        else:
            ref = lead_in or raised or next(iter(usable), None)
        # it beats a nearer plain statement, not the speaker's own lead-in nor a question asked after it
        if (
            named is not None
            and named[0] != topic_fragment(named[1].text)
            and ref is not None
            and ref.index > named[1].index
            and DETERMINER_START.match(ref.text)
            and not THE_ONE.match(ref.text)  # "The one on the wall's fiction now." only points back at it
        ):
            named = None  # "And the recording?" ... "The case notes for the Harris family are two weeks behind."
        # "And Hansen's, the concrete. Are they still giving us the runaround?": the question asks about it
        if named is not None and ref is not None and ref is raised and ref.index == named[1].index + 1:
            asked = _topic_phrase(ref)
            # both name it: "the 412: Is the brake defect still open"; a short question is in the phrase already
            _cite_topic(cand, named[0] if asked in named[0] else f"{named[0]}: {asked}", named[1])
            if (evidence := Evidence(segment_id=ref.segment_id, quote=ref.text)) not in cand.evidence:
                cand.evidence.append(evidence)
            continue
        if named is not None and (ref is None or named[1].index > ref.index or ref not in (lead_in, raised)):
            _cite_topic(cand, *named)
        elif ref is not None:
            _cite_topic(cand, _topic_phrase(ref), ref)
        elif not cand.generic:
            cand.topic = _condition(cand)
    return [c for c in cands if id(c) not in taken_up]


# "I'll find out and let you know", "I'll check and come back to you": finding out, with no object of its own
CHECK_ONLY = re.compile(
    r"^(?:check|find\s+out|confirm|double[-\s]check|look\s+into\s+it)"
    r"(?:\s*,?\s+(?:and|then)\s+(?:let|come\s+back|get\s+back|tell|report\s+back|email|text|ring|call)\b.*)?$",
    re.I,
)
# "The FOA cert, I don't know if the training fund covers it." / "I'm not sure if the deadline has passed, though."
DOUBT = re.compile(
    r"\b(?:I\s+(?:don't|do\s+not|don't\s+actually)\s+know|I\s+dunno|not\s+(?:sure|certain)|no\s+idea|I\s+wonder)"
    r"\s+(?P<what>(?:if|whether|when|what|how|who|why|where)\b[^.?!]*?)"
    r"(?:\s*,\s*(?:though|tho|to\s+be\s+honest|honestly)\b[^.?!]*)?\s*[.?!]*\s*$",
    re.I,
)
DOUBT_SENTENCES = 2  # the doubt is said just before the promise to find out


def unsure_topics(cands: list[Candidate], sents: list[Sentence], skip: frozenset[int] | set[int]) -> None:
    """'I don't know if the training fund covers it. I'll find out and let you know': what to find out is the doubt
    just voiced, which the item then names and cites ("... (whether the training fund covers it)")."""
    for cand in cands:
        if not CHECK_ONLY.match(cand.task):
            continue
        before = sents[max(0, cand.sentence.index - DOUBT_SENTENCES) : cand.sentence.index][::-1]
        doubt = next(
            (
                (s, m)
                for s in before
                if s.index not in skip and s.segment_id >= cand.sentence.segment_id - 1 and (m := DOUBT.search(s.text))
            ),
            None,
        )
        if doubt is None:
            continue
        sent, match = doubt
        what = re.sub(r"^if\b", "whether", match["what"].strip(), flags=re.I)
        lead = sent.text[: match.start()].strip(" ,;:-")
        _cite_topic(cand, f"{lead}: {what}" if content_words(lead) - EMPTY_WORDS else what, sent)


# "Finish the audit" after "the Hall 3 cable audit is half done": a task names a thing by its bare head noun
BARE_DEFINITE = re.compile(r"\b(?:the|that|this|those|these|your|my|our|their)\s+(?=(?P<rest>[a-z][^,.;:!?()]*))")
NOUN_PHRASE_END = frozenset(
    "before after until till over into onto through under below above per via within across around against between "
    "without during like than done sorted".split()
)
HEAD_WORDS = 3  # "the threat modeling session": the longest bare phrase looked up in full
NOT_A_HEAD = DATE_WORDS | ROLE_WORDS | {
    "one", "ones", "other", "others", "rest", "same", "way", "lot", "bit", "thing", "things", "stuff", "time",
    "times", "whole", "last", "list", "idea", "plan", "call", "meeting", "chat", "point", "bits", "lads",
    "team", "guys", "people", "numbers", "details", "info", "work",
}  # fmt: skip
"""Heads too general to take words from an earlier mention: "the other one", "the whole thing", "the team"."""
MODIFIER_WORDS = 3  # "the Hall 3 cable audit": at most this many words between a determiner and its head
# a verb form is no modifier: "the team finished the audit" must not make "the team finished audit"
VERB_FORM = re.compile(r"^[a-z]+(?:ed|ing)$")
# words that rate or place a thing rather than say which thing it is ("the proper root cause", "the short survey")
STOP_MODIFIERS = STOPWORDS | {
    "one", "other", "same", "only", "own", "whole", "new", "old", "first", "last", "per", "proper", "short", "long",
    "quick", "big", "small", "little", "good", "full", "real", "actual", "nice", "final", "right", "wrong", "usual",
    "main", "current", "latest", "next", "bloody", "damn", "entire", "certain", "particular",
}  # fmt: skip


def _full_mention(head: str, sent: Sentence) -> str:
    """'the Hall 3 cable audit' in `sent` for the head 'audit': the modifier words of its fullest mention, or ""."""
    head_words = r"\s+".join(map(re.escape, head.split()))
    mention = re.compile(
        rf"(?:\b(?i:the|a|an|our|your|my|their|his|her|this|that|those|these)\s+|\b{NAME}['’]s\s+)"
        rf"(?P<mods>(?:[\w&'’-]+\s+){{1,{MODIFIER_WORDS}}}?){head_words}\b"  # the head as the task says it
    )
    for match in mention.finditer(sent.text):
        mods = match["mods"].split()
        if all(
            m.lower() not in STOP_MODIFIERS and not VERB_FORM.match(m) and m.lower() not in NOT_A_HEAD for m in mods
        ):
            return " ".join(mods)
    return ""


def _head_phrase(rest: str) -> str:
    """'refresher for the night staff' -> 'refresher'; 'device lab budget with Stefan' -> 'device lab budget'.

    The phrase ends at a function word, a verb form or the end; one that runs on past `HEAD_WORDS` words, or holds
    a general word ("the other one", "the team"), is not looked up.
    """
    words = rest.split()
    head: list[str] = []
    for word in words:
        low = word.lower()
        if low in STOPWORDS or low in NOUN_PHRASE_END or VERB_FORM.match(low):
            break
        if low in NOT_A_HEAD or low in STOP_MODIFIERS or not re.fullmatch(r"[a-z][a-z-]{2,}", word):
            return ""
        head.append(word)
    return " ".join(head) if 0 < len(head) <= HEAD_WORDS else ""


def complete_noun_phrases(cands: list[Candidate], sents: list[Sentence], skip: frozenset[int] | set[int]) -> None:
    """'Finish the audit' -> 'Finish the Hall 3 cable audit': a bare definite noun gets the modifiers of its nearest
    fuller mention a few sentences back (the speaker's own or the other person's), and cites that sentence.

    The head must be said the same way; a general head ("the other one", "the team") is left alone.
    """
    for cand in cands:
        for match in list(BARE_DEFINITE.finditer(cand.task))[::-1]:  # right to left keeps earlier offsets valid
            head = _head_phrase(match["rest"])
            if not head:
                continue
            window = sents[max(0, cand.sentence.index - REFERENCE_WINDOW) : cand.sentence.index + 1][::-1]
            for sent in window:
                if sent.index in skip:
                    continue
                mods = _full_mention(head, sent)
                if not mods or content_words(mods) <= content_words(cand.task):
                    continue
                cand.task = f"{cand.task[: match.start('rest')]}{mods} {cand.task[match.start('rest') :]}"
                if (source := Evidence(segment_id=sent.segment_id, quote=sent.text)) not in cand.evidence:
                    cand.evidence.append(source)
                break
        if cand.topic and content_words(cand.topic) <= content_words(cand.task):
            cand.topic = ""  # "Finish the Hall 3 cable audit (the Hall 3 cable audit)" says it twice


AGENDA_SEGMENTS = 3
"""Segments back to the agenda point ("Now, the catamaran.") that an item without its own topic was agreed under."""
# "Speaking of Kasia—", "As for the rota,": the speaker opens a point of their own
NEW_POINT_LEAD = re.compile(
    r"^\W*(?:(?:and|oh|so|okay|ok|right)\W+)*(?:speaking\s+of|talking\s+of|as\s+for|on\s+the\s+subject\s+of"
    r"|(?:which|that)\s+reminds\s+me)\b",
    re.I,
)
# points of the meeting itself, not of the work: "Now, your review.", "Another thing.", "Same as last quarter."
GENERIC_AGENDA = frozenset(
    "review reviews plan plans target targets goal goals thing things stuff career development quarter year mid-year "
    "run-through quick another same last objectives okrs feedback summary points bits numbers update updates".split()
)


AGENDA_LEAD = re.compile(rf"^\W*(?:{'|'.join(LEAD_WORDS)})\b", re.I)


def _has_digit(word: str) -> bool:
    return any(ch.isdigit() for ch in word)


def _agenda_point(text: str) -> str:
    """The point a sentence moves the meeting to ('Now, the catamaran.' -> 'the catamaran'), if it names work.

    A clause is no point ("The programme needs updating", "The Saturday clinics really helped"), nor a phrase cut
    off ("the grinder on the"), nor a date ("the thirteenth") or a title ("Mr"), nor the meeting's own business
    ("your review", "another thing").
    """
    words = topic_opener(text).split()
    while len(words) > 1 and words[0].endswith(",") and words[0].rstrip(",").lower() in NOT_TOPICS | ACKNOWLEDGEMENTS:
        words = words[1:]  # "God, the chairs"
    if not words or words[-1].lower() in STOPWORDS or words[-1].rstrip(".") in TITLES:
        return ""
    if _only_date_words(" ".join(words)):
        return ""  # "the thirteenth"
    # a verb after a noun makes a clause ("the vessel slipped", "the programme needs updating"); "the controlled
    # drugs register" and "the staff training" stay noun phrases
    if any(re.fullmatch(r"[a-z]+ed|needs?", w) for w in words[2:]):
        return ""
    first = words[0]
    if first.lower() not in (*DETERMINERS, "yer") and not first[:1].isupper() and not any(_has_digit(w) for w in words):
        return ""  # "mentor one of the new hires" is advice, not a point; "site 104" names one
    phrase = " ".join(words)
    return phrase if content_words(phrase) - GENERIC_AGENDA - NOT_TOPICS else ""


def _opens_turn(sents: list[Sentence], sent: Sentence) -> bool:
    """'Good. Now, the catamaran.': nothing but acknowledgements comes before it in its turn, or a lead word moves
    the talk on ('Ha. I will remember this. Okay, the pentest.')."""
    before = [s for s in sents[max(0, sent.index - 3) : sent.index] if s.segment_id == sent.segment_id]
    moved_on = bool(before) and before[-1].text.strip(" .,!").lower() in LEAD_WORDS  # "Ha! ... Okay. The panel."
    return (
        bool(AGENDA_LEAD.match(sent.text))
        or moved_on
        or all(not content_words(s.text) - ACKNOWLEDGEMENTS for s in before)
    )


def agenda_topics(cands: list[Candidate], sents: list[Sentence], skip: frozenset[int] | set[int]) -> None:
    """'Now, Imran.' ... 'I will take him through it on Monday' -> 'Take him through it (Imran)'.

    Reviews move from point to point by naming the next one at the start of a turn. An item agreed within a few
    turns of such a point, that says nothing of it and has no topic of its own, shows the point and cites it.
    """
    for cand in cands:
        # "Speaking of Kasia—could you pair with her on the lighting?": a lead-in of its own opens a new point
        if cand.topic or NEW_POINT_LEAD.match(cand.lead):
            continue
        lo = cand.sentence.segment_id - AGENDA_SEGMENTS
        for sent in sents[: cand.sentence.index][::-1]:
            if sent.segment_id < lo:
                break
            if sent.index in skip or not _opens_turn(sents, sent):
                continue
            phrase = _agenda_point(sent.text)
            if not phrase:
                continue
            if content_words(phrase) - content_words(cand.task) - ROLE_WORDS:
                cand.topic = phrase
                cand.topic_evidence = Evidence(segment_id=sent.segment_id, quote=sent.text)
                if cand.topic_evidence not in cand.evidence:
                    cand.evidence.append(cand.topic_evidence)
            break


NOT_A_NAME = frozenset(
    """sir mate boss guys everyone everybody folks love darling man bro miss madam ma okay ok right yeah yes no well
    look listen now so and but please thanks sorry hey honestly anyway actually alright fine great good sure then
    doc chief pal buddy team all morning evening afternoon hi hiya hello hallo cheers bye oh ah eh och aye ai um uh
    hmm ha wow oi perfect brilliant lovely cool nice""".split()
)
VOICE_NAME_MIN = 2  # one "Thanks, Sam." may be said about someone absent; twice, next to one voice, is a name
INTRO_SEGMENTS = 2  # an introduction ("Kevin Mutua is also joining") comes just before or after the first turn


# "Culture Night. They want someone from conservation to do a talk." - "I'm not doing it." - "I'll ask Niamh."
ASK_SOMEONE = re.compile(rf"^(?i:ask|get|try)\s+(?P<name>{NAME})$")
WANTS_SOMEONE = re.compile(
    r"\b(?:want|wants|wanted|need|needs|needed|looking\s+for|asked\s+for|asking\s+for)\s+(?:someone|somebody|an?\s+\w+)\b",
    re.I,
)
DELEGATION_WINDOW = 16  # sentences back to the ask that was turned down


def delegated_after_refusal(cands: list[Candidate], sents: list[Sentence], skip: frozenset[int]) -> None:
    """'I'll ask Niamh' right after the other person turned the work down is that work, passed on.

    The topic is the sentence that asked for someone, if a refusal came between it and the promise.
    """
    for cand in cands:
        # it beats the nearest-sentence topic ("Ask Lupe (We haven't told a lot of folks yet)")
        if cand.kind != "self" or not ASK_SOMEONE.match(cand.task.strip().rstrip(".")):
            continue
        window = sents[max(0, cand.sentence.index - DELEGATION_WINDOW) : cand.sentence.index]
        for i in range(len(window) - 1, -1, -1):
            sent = window[i]
            if sent.index in skip or not WANTS_SOMEONE.search(sent.text) or sent.text.rstrip().endswith("?"):
                continue
            turned_down = any(s.speaker != cand.sentence.speaker and REFUSAL.search(s.text) for s in window[i + 1 :])
            if turned_down:
                if cand.topic_evidence in cand.evidence:
                    cand.evidence.remove(cand.topic_evidence)
                _cite_topic(cand, _topic_phrase(sent), sent)
            break


def voice_names(sents: list[Sentence], participants: Participants) -> dict[str, str]:
    """Names of the third voices (`speaker_N`), from what the others call them just before or after they speak.

    An action item of `speaker_2` then belongs to "Dev", whom a person can act on. A voice needs the same name
    twice, said next to its turns, and none said as often for it. A full name said by another speaker around the
    voice's first turn ("For the record, Niamh Gallagher, germination lab") counts as twice. A word that is also
    written in lower case ("Sawa, sawa": Swahili for okay) or is a greeting ("Morning, Kevin") is no name.
    """
    lower_case = _lower_case_words(sents)

    def a_name(word: str) -> bool:
        low = word.lower()
        return (
            low not in NOT_A_NAME
            and low not in participants.name_forms
            and low not in lower_case
            and low not in WEEKDAYS_EN  # "Thursday?" / "Monday Morning" next to a voice name no one
            and low not in MONTHS_EN
        )

    counts: dict[str, Counter[str]] = {}
    roles = {"manager", "employee"}
    for i, sent in enumerate(sents):
        calls = (VOCATIVE_START.match(sent.text), VOCATIVE_END.search(sent.text), VOCATIVE_CALL.search(sent.text))
        said = [n for n in (m["name"] or m.groupdict().get("called") for m in calls if m) if n and a_name(n)]
        if not said:
            continue
        name = said[0]
        after = next((s.speaker for s in sents[i + 1 :] if s.speaker != sent.speaker), None)
        before = next((s.speaker for s in reversed(sents[:i]) if s.speaker != sent.speaker), None)
        for voice in {after, before} - roles - {None, sent.speaker}:
            if voice is not None:
                counts.setdefault(voice, Counter())[name] += 1
    first_turns = {s.speaker: s.segment_id for s in reversed(sents) if s.speaker not in roles}
    for voice, first in first_turns.items():
        for sent in sents:
            if sent.speaker != voice and abs(sent.segment_id - first) <= INTRO_SEGMENTS:
                for match in (*FULL_NAME.finditer(sent.text), *INTRODUCED.finditer(sent.text)):
                    if a_name(match["name"]):
                        counts.setdefault(voice, Counter())[match["name"]] += VOICE_NAME_MIN
    names: dict[str, str] = {}
    for voice, seen in counts.items():
        ranked = seen.most_common(2)
        if ranked[0][1] >= VOICE_NAME_MIN and (len(ranked) == 1 or ranked[1][1] < ranked[0][1]):
            names[voice] = ranked[0][0]
    return names


def extract(
    sents: list[Sentence],
    participants: Participants,
    meeting_date: dt.date,
    *,
    excluded: frozenset[int] = frozenset(),
    private: frozenset[int] = frozenset(),
) -> list[Candidate]:
    """Detect, drop refused and withdrawn proposals, resolve "do that" to its task, then merge duplicates.

    `private` sentences (health, family, ...) may be items of their own, but are never copied into another
    item as its topic.
    """
    latent: list[Candidate] = []
    participants = with_aliases(sents, participants)
    cands = detect(sents, participants, meeting_date, excluded=excluded, latent=latent)
    offers = accepted_offers(sents, participants, meeting_date, excluded=excluded)
    cands = sorted([*cands, *offers], key=lambda c: c.sentence.index)
    cands = drop_refused(cands, sents)
    cands = drop_restated_we(drop_withdrawn(cands, sents), sents)
    latent = drop_withdrawn(latent, sents)
    plans, how = endorsed([c for c in latent if c.due is None], sents)
    taken = {id(p) for p in plans}
    latent = [c for c in latent if id(c) not in taken]
    cands = sorted([*(c for c in cands if c.sentence.index not in how), *plans], key=lambda c: c.sentence.index)
    # a joke is no topic of a later "do it", nor is "when I say we, I mean me"
    joked = laughed_at_sentences(sents) | {s.index for s in sents if WE_MEANS_ME.search(s.text)}
    cands = resolve_references(cands, latent, sents, excluded=excluded | private | joked, names=participants.name_forms)
    delegated_after_refusal(cands, sents, excluded | private)
    unsure_topics(cands, sents, excluded | private)  # after references: the doubt beats a nearer topic
    date_replies(cands, sents, meeting_date)
    date_revisions(cands, sents, meeting_date)
    name_people(
        cands, sents, participants, skip=excluded | private
    )  # before merging: "speak to him" = "get onto Jonas"
    complete_noun_phrases(cands, sents, excluded | private)
    mark_deferred(cands, sents)
    merged = drop_recaps(merge(cands))
    dates_from_context(merged, sents, meeting_date, skip=excluded | private)  # after merging: not a reply's date
    late_date_revisions(merged, sents, meeting_date, skip=excluded | private)  # after dating: it moves a date
    agenda_topics(merged, sents, excluded | private)  # after dating: an agenda point says what, not when
    named = voice_names(sents, participants)
    for label, name in named.items():  # "Send speaker_2 the list" -> "Send Winnie the list"
        said = re.compile(rf"\b{re.escape(label)}\b")
        for cand in merged:
            cand.owner = name if cand.owner == label else cand.owner
            cand.task = said.sub(name, cand.task)
    # an acceptance of nothing known keeps no words: it is no item (and an empty task would fail the schema)
    return [c for c in merged if c.full_task.strip()]
