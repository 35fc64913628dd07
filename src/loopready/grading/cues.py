"""Cue phrases for each linguistic signal: the wordings a detector looks for.

Data only, as regular-expression fragments matched case-insensitively at word edges by
:mod:`loopready.grading.signals` (see :mod:`loopready.grading.matcher`). Each tuple is a
list of alternatives; where alternatives overlap, the earlier one wins at a position.
Vocabulary shared with other modules (metrics, jargon, users, dates) lives in
:mod:`loopready.grading.lexicon`.
"""

from __future__ import annotations

from typing import Final

from loopready.grading import lexicon as lx
from loopready.language.numbers import DIGITS, NUMBER_WORD, PERCENT, QUANTITY

NOT_YEAR: Final = r"(?!(?:19|20)\d\d(?!\d))"

NUMBER: Final = rf"(?:{NOT_YEAR}{QUANTITY})"

SIGNIFICANT: Final = (
    rf"(?:{PERCENT}|[$£€¥]\s?{DIGITS}|{NOT_YEAR}{DIGITS}(?:\s?(?:x|ms|s|k|m|bn"
    rf"|seconds|minutes|hours|million|billion|thousand|stars|fps|points?))?"
    rf"|{NUMBER_WORD}\s(?:times|x|million|billion|thousand|percent)|twice|double|triple|half"
    r"|a third|a quarter|a half|a tenth|two[- ]thirds|three[- ]quarters)"
)

TECH_WORDS: Final = (
    r"models?|classifiers?|rankers?|recommenders?|recommendation (?:engine|model|system|quality)s?",
    r"algorithms?|predictions?|scores?|scoring|ranking|rankings|inference|confidence(?: scores?)?",
    r"misclassif\w+|mistakes|errors?|detections?|detectors?|relevance|personali[sz]ation",
    r"(?:model|recommendation|suggestion|result|answer|detection|segmentation|ranking) quality",
    r"(?:the )?(?:recommendations|suggestions|results|matches|outputs|answers|picks|edits|effects)"
    r"(?= (?:are|get|got|improve|improved|were|that|which|will|would|feel|look|become))",
    r"drift|degradation|noise|noisy|labels?|training data|data quality|on[- ]device|the cloud",
    r"bad (?:suggestions|recommendations|results|matches|picks)|wrong (?:\w+ )?(?:answers|picks)",
)

OUTCOME: Final = (
    rf"{lx.USER_NOUNS}(?:\W+\w+){{0,3}}?\W+{lx.USER_OUTCOME_VERBS}",
    lx.OUTCOME_WORDS,
)

PAST: Final = (
    r"was|were|had|did|ago|last (?:year|quarter|month|week|spring|summer|fall|winter)",
    r"previously|back then|at the time|used to|spent|joined|left|launched|shipped|built|grew",
    r"drove|ran|took|saw|managed|worked|delivered|achieved|reduced|increased|improved|moved",
    r"rolled out|released|decided|found|learned|noticed|started|missed|went|came|became",
)

FUTURE: Final = (
    r"will|(?:i|we|you|they|he|she|it|that|this|there|who|legal|engineering)'ll|shall|going to"
    r"|gonna|plan|planning|plans|aim|aiming|target|targeting|would",
    r"(?:i|we|you|they|he|she|it)'d|let's|let us|next|upcoming|propose|recommend|commit",
    r"committing|need to|should|must|want to|intend|expect|can|is due|are due",
)

PRIORITY: Final = (
    r"north[- ]?stars?(?: metrics?)?|(?-i:OEC)|overall evaluation criterion",
    r"(?:primary|headline|main|core|hero|deciding|decisive|single|leading|most important"
    r"|number[- ]one|#1|top) (?:success )?(?:metric|kpi|measure|number|signal|goal"
    r"|criterion|objective|indicator)s?|headline one",
    r"secondary (?:metrics?|kpis?|measures?|signals?|goals?|indicators?)"
    r"|(?:is|are|as|stays?|remains?|be) secondary|secondary:|secondary to",
    r"(?:the|my|our|just|only|exactly) (?:top |first |main )?(?:one|two|three|single|1|2|3)"
    r" (?:metrics?|numbers?|kpis?|things?|signals?|measures?|indicators?)"
    r"(?:[^.;]{0,30}?(?:matters?|watch|track|measure|judge|optimi[sz]e|care about|look at"
    r"|pick|choose|use|hold|count|decide|define|gate))?",
    r"(?:optimi[sz](?:e|ing)|tun(?:e|ing)|aim(?:ing)?) (?:primarily |mainly |first )?for"
    r" [\w\- ]{1,30}?,? (?:not|over|rather than|instead of|before|ahead of)",
    r"in (?:that |this )?order(?: of (?:priority|importance))?|in priority order"
    r"|order of (?:priority|importance)|rank(?:ed|ing)? (?:them|these|the metrics)",
    r"(?:judge|measure|define|call)(?: it a)? success (?:by|on|as)"
    r"|success (?:is|means|=|would be|looks like|will be)(?= )",
    r"(?:our|my|the) success metric (?:is|would be|will be)"
    r"|(?:the|my|our) (?:metric|number|kpi) (?:that|which) (?:matters|decides|counts)"
    r"|the one (?:that|which) matters",
    r"(?:everything|all) else (?:is|are) (?:secondary|supporting|diagnostic|guardrails?)"
    r"|the (?:rest|others?|other \w+) (?:are|is) (?:secondary|supporting|diagnostic"
    r"|guardrails?|nice to have|inputs)",
    r"primary:|tier[- ]1 metrics?|(?-i:P0) metrics?",
    # the choice said plainly: "the primary is ...", "what I'd be judged on", "the number
    # I'd steer by"
    r"(?:the|my|our) primary (?:one )?(?:is|would be|will be)"
    r"|(?:what|the (?:one )?(?:thing|number|figure|measure)) (?:i'd|i would|we'd|we would|i'll"
    r"|we'll|i want to|we should) (?:be judged on|be measured on|be held to|steer by|live by"
    r"|hold (?:it|us|ourselves|the team) to)",
    r"(?:watch|track|judge|measure|optimi[sz]e for|use|pick|choose|focus on|narrow (?:it )?"
    r"(?:down )?to|care about|hold (?:ourselves|us|myself|me|the team) to)"
    r" (?:just |only |exactly )?(?:one|two|three|a single|a couple of|a handful of)"
    r" (?:metrics?|numbers?|kpis?|measures?|signals?"
    r"|things|outcomes)",
    r"(?:as |is |are |just |only )(?:a |our |useful |mere |supporting |the )?diagnostics?"
    r"(?: only)?|diagnostic (?:metrics?"
    r"|only|signals?)",
    r"supporting(?: metrics?)?:|(?:as|is|are) supporting (?:metrics?|signals?)"
    r"|(?:on|by) (?:that|this|it) alone|the only (?:metric|number|kpi) (?:i|we|that)",
    r"(?:steer|judge|run|decide|manage) (?:it |this |the launch )?(?:by|on) (?:one|a single)"
    r"|only (?:one|a single) (?:metric|number|kpi)",
)

PRIORITY_WITH_METRIC: Final = (
    r"(?:matters?|counts?) (?:more|most)(?: than| here| to me| for)?|more important than"
    r"|most important (?:metric|number|thing|signal|one)|above all|first and foremost",
    r"(?:prioriti[sz](?:e|es|ing)|favou?r(?:s|ing)?|weight(?:s|ing)?|rank(?:s|ing)?)"
    r" [\w\- ]{1,40}? (?:over|above|ahead of|before|higher than)",
    r"(?:the )?(?:first|second|third|headline|main|primary|top|lead|other) one (?:is|would be)"
    r"|(?:the )?second (?:is|would be|one)",
    r"(?:i'd|i would|we'd|we would|i'll|we'll) (?:optimi[sz]e|aim|tune) for",
    r"(?:i'd|i would|we'd|we would|i'll|we'll) (?:probably |rather )?(?:pick|choose|go with"
    r"|bet on|steer by)",
    r"anchor(?:s|ed|ing)? (?:us |the team |everyone |ourselves |myself |it |the launch )?on",
)

CONDITION: Final = (
    r"if|when|whenever|once|unless|should|as soon as|the moment|any ?time|each time|every time",
    r"anything (?:below|above|under|over|worse|lower|higher)",
    r"->|=>|→|otherwise|or else",
)

COMPARATIVE: Final = (
    r"(?:drops?|dropped|dropping|falls?|falling|fell|dips?|dipping|goes|go|gets|get|slips?"
    r"|sinks?|moves?|creeps?) (?:below|under|above|over|past|beyond|by|more than|less than"
    r"|outside|under)",
    r"exceeds?|exceeding|surpass(?:es)?|breach(?:es)?|crosses|crossing|tops",
    r"(?:more|less|fewer|greater|higher|lower|worse|better|bigger|larger|smaller|slower"
    r"|faster) than",
    r"above|below|under|beyond|at least|at most|no more than|no less than|north of|south of"
    r"|outside",
    r"regress(?:es|ion)?|degrades?|degradation|drops?|declines?|falls?|rises?|spikes?|jumps?"
    r"|climbs?|increases?|decreases?|worsens?|slides?|slips?|dips?",
    r"hits?|reaches?|clears?|misses?|beats?|meets?",
    r">=?|<=?|≥|≤",
)

ACTION_WORDS: Final = (
    r"roll(?:s|ing)? (?:it |this |that |them |the \w+ )?back|rollback|revert|re-?train",
    r"pause|halt|stop|freeze|kill|pull (?:it|the|back)|disable|switch (?:off|back|to)",
    r"turn (?:it |this )?off|fall back|fallback|alert|page|escalate|investigate|ship|launch",
    r"expand|ramp|scale up|widen|graduate|proceed|go (?:wider|to|ahead|further|back)|hold",
    r"block|flag|review|relabel|re-?label|recalibrate|re-?tune|notify|trigger|triggers",
    r"open (?:an|a) (?:incident|ticket)|raise (?:an|a) (?:alert|flag|incident)",
    r"call (?:a|an) (?:review|meeting)|reconvene|revisit|reassess|re-?evaluate|kick off",
    r"sound the alarm|route|throttle|gate|abort|delay|postpone|downgrade|swap|hand off",
    r"add (?:more )?(?:data|labels|examples)|collect more|refresh|update the model",
    r"double down|invest more|move (?:to|on)|go to|open (?:it )?up",
)

THRESHOLD_NOUN: Final = (
    r"thresholds?|trigger(?:s|ed)? (?:at|is|of|when|if)|trip ?wires?|cut-?offs?|alarm at",
    r"alert(?:s|ing)? at|floor of|ceiling of|limit of|budget of|(?-i:SLA|SLO)s?",
    r"bar (?:is|of|at)",
)

LIMIT: Final = (
    r"(?:may not|must not|mustn't|can't|cannot|shouldn't|should not|won't|will not"
    r"|never|can never|may never|is not allowed to|isn't allowed to)(?: \w+)? (?:fall|drop|dip"
    r"|rise|increase|grow|exceed|go (?:up|down|over|under|above|below|past)|get worse|regress"
    r"|slip|climb|spike|degrade)(?: by)?(?: more than| over| beyond| below| under| above)?\s"
    + SIGNIFICANT,
)

ROLLOUT: Final = (
    r"(?:phase|stage|wave|ring|tranche|step)\s?(?:\d|one|two|three|four|zero|i{1,3}|iv)"
    r"(?=\W+(?:\w+\W+){0,3}(?:users?|players?|markets?|regions?|countr|beta|internal|staff"
    r"|employees|cohort|goes|launch|roll|expand|ramp|is|we|%|percent|:|-|\())",
    r"(?:phase|wave|ring|tranche)\s?(?:\d|one|two|three|four|zero|i{1,3}|iv)",
    r"(?:phased|staged|staggered|gradual|graduated|incremental|progressive|controlled"
    r"|limited|soft|slow|small|narrow|partial|percentage|careful|cautious)(?:ly)?"
    r"\s(?:roll[- ]?outs?|launch(?:es)?|release|ramp(?:[- ]up)?|exposure|deployment"
    r"|expansion|ship)",
    r"(?:roll|ramp|launch|release|ship|open|expose|expand)(?:s|ed|ing|ping)?\s(?:it\s|this"
    r"\s|the \w+\s)?(?:out\s)?(?:gradually|slowly|in (?:phases|stages|waves|steps)"
    r"|incrementally|carefully|step by step)",
    r"in (?:phases|stages|waves|rings)",
    r"(?:first|next|second|third|final|last|initial|later|early|pilot|beta|test|launch)"
    r" (?:phase|stage|wave|cohort|ring|tranche)s?(?! of (?:my|his|her|their) (?:career|life))",
    r"(?:closed |open |private |public |internal )?betas?|alpha (?:tests?|release|users"
    r"|testers)|dog[- ]?food(?:ing|ed)?|eat(?:ing)? our own dog ?food|canar(?:y|ies)"
    r"|pilot(?:s|ing|ed)?|early access|insiders? (?:program|ring|build)",
    r"friends[- ]and[- ]family|(?:internal|staff|employee) (?:release|launch|users|testers"
    r"|rollout|test|pilot|only|build)|employees (?:first|only)|wait[- ]?list|invite[- ]only"
    r"|trusted testers|opt[- ]in (?:group|cohort|beta|program|users|only)"
    r"|(?:test|beta|pilot|launch|early|small|first|initial) cohorts?",
    rf"{DIGITS}\s?(?:%|percent|per cent)\s(?:[\w-]+\s){{1,4}}?of\s(?:[\w-]+\s){{0,3}}?"
    r"(?:users|players|traffic|accounts|devices|sessions|customers|subscribers|members"
    r"|requests|population|markets?|regions?|installs|phones|consoles)",
    rf"{DIGITS}\s?(?:%|percent|per cent)\s(?:of\s)?(?:(?:our|the|all|new|eligible"
    r"|active|us|english[- ]speaking|\w+)\s)?(?:users|players|traffic|accounts|devices"
    r"|sessions|customers|subscribers|members|requests|audience|base|population|markets?"
    r"|regions?|installs|phones|consoles)",
    rf"{NUMBER_WORD}\spercent\sof\s(?:\w+\s)?(?:users|players|traffic|accounts|devices"
    r"|customers|subscribers|members)",
    r"(?:ramp|roll|expand|scale|widen|go|open|release|launch|dial|grow|move|push|step"
    r"|bump|increase|take|bring|extend)(?:s|ed|ing|ping)?\s(?:it\s|this\s|that\s"
    r"|exposure\s|traffic\s)?(?:up\s|out\s)?(?:to|into|from)\s(?:"
    + DIGITS
    + r"\s?(?:%|percent)|all (?:users|players|markets|regions)|everyone|everybody"
    r"|the rest|more (?:users|players|markets|regions)|half|general availability"
    r"|(?-i:GA)|\w+ (?:users|players|markets|regions|countries))",
    rf"(?:start|begin|open)(?:s|ing)?\s(?:at|with)\s{DIGITS}\s?(?:%|percent)",
    r"(?:one|a single|a small|single|first|two|three|one or two|a few|a couple of)"
    r" (?:regions?|markets?|countr(?:y|ies)|locales?|geos?|territor(?:y|ies))",
    r"(?:region|market|country|geo) (?:by|at a time)",
    r"general availability|(?-i:GA)|full (?:launch|roll[- ]?out|release)|wide release"
    r"|worldwide (?:launch|release|roll[- ]?out)|global (?:launch|release|roll[- ]?out)",
    r"(?:launch|roll(?:ing)? out|release|ship|start|pilot|test|begin|debut|soft[- ]launch)"
    r"\w*\s(?:\w+\s){0,4}?(?:in|to|with)\s(?:the\s)?(?-i:Japan|US|U\.S\.|USA|UK|Europe|EU"
    r"|North America|APAC|Asia|Germany|France|Canada|Australia|Korea|India|Brazil|LATAM"
    r"|EMEA|Nordics|Singapore|Mexico|Spain|Italy|[A-Z][a-z]+ (?:region|market))",
    r"shadow (?:mode|launch|deploy(?:ment)?|traffic)|dark launch(?:ed)?|holdback",
)

STOP: Final = (
    r"kill[- ]?switch(?:es)?|kill (?:criteria|criterion|it|the (?:feature|launch|test"
    r"|experiment|rollout|model|project))",
    r"roll(?:s|ed|ing)?[- ]?back|rollbacks?|revert(?:s|ed|ing)?|back (?:it|this|that|the \w+) out"
    r"|back out (?:the|of the) (?:change|release|launch|model|rollout)",
    r"(?:needs? to|must|has to|have to|should|would need to|got to) (?:match|beat|clear|hit"
    r"|reach|exceed|pass|meet|outperform)",
    r"otherwise (?:we|i)(?: simply| just)? (?:don't|won't|do not|will not|wouldn't|stop|hold"
    r"|pause|roll back|revert)",
    r"(?:offline|launch|quality|ship|online|release|promotion) (?:bar|gate|gates|criteria)",
    r"(?:pause|halt|stop|freeze|suspend|abort|hold|pull|disable|switch off|turn off|shut off"
    r"|shut down|unship|sunset)(?:s|ed|ping|ing)?\s(?:the\s|our\s|this\s)?(?:roll[- ]?out"
    r"|launch|ramp(?:[- ]up)?|release|feature|experiment|test|model|deployment|expansion"
    r"|it|traffic)",
    r"go[ /-]?(?:or[ /-])?no[- ]?go|no[- ]go",
    r"(?:we|i)(?:'ll|'d| will| would)? (?:stop(?! by| in| over| at)|pause|halt|pull back"
    r"|go back(?! to (?:my|the office|school|work))|back off|revert"
    r"|switch (?:it |this )?off|turn (?:it |this )?off|kill it|unwind|pull the plug)",
    r"(?:launch|ship|release|exit|stop|kill|abort|rollback|gating|go) (?:criteria|criterion"
    r"|bar|gate|blockers?|conditions?|rules?)",
    r"gat(?:e|ed|ing) (?:on|by|the (?:launch|rollout|ramp|release))",
    r"(?:won't|will not|wouldn't|would not|don't|do not|never|not) (?:ship|launch|expand"
    r"|ramp|proceed|go (?:wider|further|beyond|to)|move (?:on|forward)|roll (?:it |this )?out"
    r"|widen|graduate)\b[^.;]{0,60}?\b(?:if|unless|until|while|before)",
    r"only (?:ship|launch|expand|ramp|proceed|go (?:wider|further|to)|move (?:on|forward|to)"
    r"|graduate|widen|roll (?:it |this )?out)\b[^.;]{0,40}?\b(?:if|when|once|after|provided)",
    r"(?:unless|until) (?:\w+\s){0,6}?(?:hits?|clears?|meets?|passes?|holds?|stays?"
    r"|is (?:above|below|under))",
    r"guard[- ]?rails?|trip[- ]?wires?|circuit[- ]breakers?|fall[- ]?backs?|fall back to"
    r"|fail[- ]?safes?|safety nets?|stop[- ]loss|red lines?|bright lines?"
    r"|hard (?:floor|ceiling|stop|limit)|auto(?:matic)?[- ]?(?:rollback|pause|revert|shutoff)",
)

SOFT_DATE: Final = (
    r"today|tonight|later today|" + lx.WEEKDAY + r"(?:'s)?|this (?:morning|afternoon|evening)",
    rf"(?:every|each) (?:{lx.WEEKDAY}|week|sprint|month|day|morning)",
)

DATE_ALWAYS: Final = (r"within|no later than|deadline|due (?:by|on)",)

OWNER_VERBS: Final = (
    r"(?:own|drive|take|send|write|draft|share|circulate|set up|schedule|book|run|follow up"
    r"|sync|loop in|bring|present|pull|prepare|check|confirm|come back|report|review|update"
    r"|reach out|coordinate|kick off|organi[sz]e|lead|handle|put together|file|publish|post"
    r"|email|meet|pair|work with|partner with|document|align|brief|escalate|make sure|ensure"
    r"|track|chase|define|host|facilitate|spin up|open|start|build|ask|get|set|deliver"
    r"|produce|instrument|scope|spec|write up|talk to|call|grab|pick up|block|book)"
)

ROLES: Final = (
    r"(?:engineering|eng|research|legal|marketing|privacy|security|(?-i:QA)|ops|operations"
    r"|finance|sales|analytics|infra|infrastructure|comms|policy|compliance|partnerships"
    r"|data science|trust and safety|ux research|(?:the|our|my|their|your|each|a|every)\s"
    r"(?:[\w-]+\s)?(?:lead|leads|team|manager"
    r"|owner|counsel|director|pm|engineer|scientist|analyst|designer|researcher|partner"
    r"|champion|architect|committee|council|group))"
)

OWNER: Final = (
    r"i(?:'ll| will|'m going to| am going to|'m gonna| personally will)\s(?:personally\s"
    r"|also\s|then\s|immediately\s|first\s|myself\s)?" + OWNER_VERBS,
    r"i(?:'ll)? (?:run|own|chair|host|lead|make) (?:it|that|this|the (?:review|meeting"
    r"|readout|call|decision|ship call|retro))",
    r"i(?:'d| would)? own|i(?:'m| am) (?:on the hook|accountable|responsible|the owner"
    r"|owning|taking (?:that|this|it|the))|(?:that's|this is|it's|that one is|this one is"
    r"|that part is) on me",
    r"(?:my|the|our) (?:action items?|next steps?|follow[- ]ups?|to-?dos?)",
    r"next steps?(?: (?:is|are|would be|will be|:))?|action items?|follow[- ]ups?:|owners?:"
    r"|owned by|(?-i:DRI|RACI)|directly responsible|point (?:person|of contact)"
    r"|(?:single|clear|named|one) (?:owner|dri)|(?:assign|assigned|assigning) (?:an? )?"
    r"(?:owner|dri)|(?:each|every) (?:\w+ )?(?:gets|has) (?:an |a named |one )?owner"
    r"|(?:who|whoever) owns",
    ROLES + r"(?:\s(?:lead|leads|team|manager|owner|counsel|director|side|folks|org))?"
    r"\s(?:owns|would own|takes|handles|drives|is responsible for|are responsible for"
    r"|is accountable for|signs? off|signs|leads|is on point|has the action|runs|reviews"
    r"|writes|delivers|commits to|(?:will|'ll|is going to|are going to|can|needs to|should)"
    r" (?:also |then |first )?" + OWNER_VERBS + ")",
    r"(?:with|and) (?:\w+ ){0,2}(?:owning|driving|leading|on point for|responsible for)",
)

WE_ACTION: Final = (rf"we(?:'ll| will)\s(?:\w+\s)?{OWNER_VERBS}",)

OWNER_VERB_HINT: Final = (r"will|'ll|owns|is going to|takes|handles|drives|leads|runs",)

ACK: Final = (
    r"i hear (?:you|that|what you're saying|the concern|your|where)|i'm hearing",
    r"(?:that's|that is|it's|it is|this is|which is|those are|these are|totally|completely"
    r"|a) (?:a |an )?(?:really |very |totally |completely |absolutely |entirely )?(?:fair"
    r"|valid|good|great|real|legitimate|reasonable|important|serious|understandable"
    r"|well[- ]founded|genuine|big) (?:point|concern|worry|question|challenge|risk|issue"
    r"|callout|call[- ]out|flag|ask|pushback|objection)s?",
    r"(?:fair|valid|good|great|legitimate|reasonable) (?:point|concern|question|catch"
    r"|callout)s?|fair enough",
    r"(?:isn't|aren't|is not|are not|wasn't|weren't|not) wrong(?: that| to| about)?",
    r"you(?:'re| are) (?:absolutely |totally |completely )?(?:not wrong|right|correct)"
    r"(?: that| to| about)?|you have a point",
    r"(?:legal|engineering|marketing|research|design|privacy|security|finance|sales|the team"
    r"|they|he|she)(?: is| are|'s|'re) (?:right|correct) (?:to|that|about)",
    r"i (?:completely |totally |fully |really |definitely |do )?(?:understand|get|appreciate"
    r"|hear|see|respect|recogni[sz]e|acknowledge|share|take|accept)\s(?:the |your |their |his"
    r" |her |legal's |marketing's |engineering's |research's |this |that |these |those )?"
    r"(?:concerns?|worry|worries|point|perspective|position|view|pressure|constraints?"
    r"|risks?|frustration|hesitation|fear|reservations?|objections?|pushback|urgency"
    r"|deadline|reasoning|logic|need|ask)",
    r"i (?:completely |totally |fully |really |definitely |do )?(?:understand|get|see"
    r"|appreciate) (?:why|where (?:you're|you are|they're|they are|that's) coming from|that"
    r" (?:you|they|legal|marketing|engineering|research)|how (?:important|much|hard)"
    r"|the (?:tension|trade-?off))",
    r"(?:rightly|understandably|reasonably|justifiably) (?:worried|concerned|nervous|cautious"
    r"|anxious|pushing|asking|focused)",
    r"(?:is|are|'s|'re) (?:right|correct) to (?:worry|be (?:worried|concerned|cautious)"
    r"|push back|flag|ask|raise)",
    r"(?:the|your|their|legal's|marketing's|engineering's|research's|this|that) (?:concern"
    r"|worry|risk|point) (?:is|are) (?:valid|real|fair|legitimate|well[- ]taken|important"
    r"|serious|reasonable|right)",
    r"point taken|good catch|i agree|you raise|you raised|you've raised|to (?:address"
    r"|answer) your (?:concern|point|question)|(?:address|addressing|addresses) (?:the|your"
    r"|their|legal's|marketing's|engineering's|research's) (?:concern|worry|risk)s?",
    r"where you're coming from|i can see (?:why|that|how|the)|i don't want to (?:dismiss"
    r"|ignore|brush)|not (?:dismissing|ignoring) (?:that|the|your)|from (?:your|their"
    r"|legal's|marketing's|engineering's|research's) (?:side|perspective|point of view|seat)",
    r"(?:legal|engineering|marketing|research|design|privacy|security|finance|sales)(?:'s)?"
    r" (?:concern|worry|worries|ask|need|risk)s? (?:about|around|on|is|are|here|makes|that)",
    r"(?:research|engineering|marketing|legal|design|privacy|security|finance|sales|the \w+"
    r" team)(?:'s)? (?:wants?|needs?|is worried|are worried|worries|cares? about|is asking"
    r"|asks|is pushing|pushes|is nervous|is concerned|are concerned|has a point)",
)

TRADEOFF: Final = (
    r"(?:i'd|we'd|i would|we would|i|we) (?:much )?rather (?:[\w'-]+ ){1,6}?than",
    r"rather than (?:slipping|launching|delaying|shipping|waiting|risking|moving|cutting"
    r"|dropping|falling back|letting|slip|launch|ship|delay|wait|risk|miss|missing|cut|drop"
    r"|hold|holding|lose|losing|a (?:[\w-]+ ){0,2}(?:one|launch|campaign|release|rollout"
    r"|version|model))",
    r"(?:with|as|via) a (?:smaller|narrower|quieter|reduced|limited|cut-down|scaled-back"
    r"|thinner|simpler|lighter) (?:launch|scope|version|release|feature|model|first version)",
    r"but not (?:everything|all of it|the full|the whole)|but (?:smaller|narrower|later)",
    r"gets? (?:us )?(?:most|much|the bulk|\d+%) of the (?:[\w-]+ )?(?:win|gain|benefit|value"
    r"|upside|quality)",
    r"without the (?:[\w-]+ )?(?:weeks?|months?|delay|wait|cost|risk)",
    r"costs? (?:us )?more than",
    r"trade[- ]?offs?|trad(?:e|es|ed|ing)(?: [\w\-]+){0,4}? (?:for|against|away|off)",
    r"at the (?:cost|expense|price) of|in (?:exchange|return) for|in return",
    r"the (?:cost|price|downside|catch|flip ?side|con) (?:is|of|here|there|being)|downsides?",
    r"(?:gives?|giving|gave) up",
    r"(?:sacrific(?:e|es|ed|ing)|forgo(?:es|ing)?|accept(?:s|ed|ing)?|tolerat(?:e|es|ed|ing)"
    r"|live with|eat(?:ing)?|absorb(?:ing)?)\s(?:a |an |some |slightly |a bit |a little "
    r"|more |less |lower |higher |slower |worse |fewer |marginally |small |modest )+\w+",
    r"(?:worth|not worth) (?:it|paying|giving|losing|trading|the cost|the risk|the delay"
    r"|waiting|a)",
    r"(?:buy|buys|bought|buying) us|(?:costs?|costing) us|means (?:giving up|delaying"
    r"|accepting|losing|slipping|waiting|less|fewer|lower|slower)|even if (?:it|that) means",
    r"(?:i|we)(?:'d| would| will|'ll)? lose (?:some|a little|a bit|\w+ (?:of|in))",
    r"(?:balanc(?:e|es|ed|ing)|weigh(?:s|ed|ing)?) (?:[\w\-]+ ){0,4}?(?:against|with|versus"
    r"|vs)",
    r"on the other hand|in exchange",
    r"(?:privacy|quality|speed|accuracy|latency|cost|time|scope|reach|safety|control|precision"
    r"|recall|coverage|freshness|personali[sz]ation|revenue|trust|polish|the date|date)"
    r" (?:against|versus|vs\.?|for|over) (?:privacy|quality|speed|accuracy|latency|cost|time"
    r"|scope|reach|safety|control|precision|recall|coverage|freshness|personali[sz]ation"
    r"|revenue|trust|polish|the date|date)",
    r"(?:prioriti[sz](?:e|es|ed|ing)|favou?r(?:s|ed|ing)?|choos(?:e|ing)|chose|pick(?:s|ed"
    r"|ing)?|optimi[sz](?:e|es|ed|ing) for|go(?:ing)? with|ship(?:ping)?) (?:[\w\-]+ ){1,5}?"
    r"(?:over|rather than|instead of|at the expense of)",
    r"(?:slower|smaller|narrower|later|less|fewer|cheaper|lower)(?: \w+)? but (?:safer|better"
    r"|more|faster|higher|cleaner|stronger|trusted)",
    r"(?:faster|sooner|bigger|broader|more)(?: \w+)? but (?:riskier|worse|less|lower|slower"
    r"|costlier)",
)

DECISION: Final = (
    r"(?:my|our|the) (?:final )?(?:call|decision|recommendation|verdict|proposal|pick|choice"
    r"|bet|answer|position)(?: here| then| today)? (?:is|would be|will be|here is|:|'s"
    r"|stands)",
    r"(?:my|our|the) (?:call|decision|recommendation|verdict|pick|bet):",
    r"i(?:'d| would| will|'ll| do|'m going to| am going to|'m gonna)? (?:strongly )?"
    r"(?:recommend|propose|suggest|advocate|vote)(?:s|ed|ing)?\s(?:we|that|going|shipping"
    r"|launching|delaying|holding|to|the|a|option|moving|keeping|cutting|starting|waiting"
    r"|pausing|for|against|on-device|cloud|approach|plan|it|this)",
    r"(?:i|we)(?:'d| would| will|'ll|'m going to|'re going to| am going to| are going to"
    r"|'m gonna)? (?:go with|choose|pick|opt for|bet on|land on|side with|green[- ]?light"
    r"|approve|make the call|call it|commit to|move forward with|proceed with|settle on"
    r"|lock in)",
    r"i(?:'ll)? make the (?:ship |final |launch |go/no-go )?call",
    r"(?:a|the) (?:\w+ )?call (?:that )?i(?:'ll)? (?:make|own)",
    r"(?:i|we)(?:'d| would| will|'ll|'m going to|'re going to)\s(?:probably |likely |still "
    r"|just |actually |then |first |definitely |rather )?(?:ship|launch|delay"
    r"|hold(?! (?:myself|ourselves|us|them|it|that|this|me) to)"
    r"|postpone|defer|cut|drop|kill|keep|push|stick with|prioriti[sz]e|decide|go ahead"
    r"|pick|choose|move forward|proceed)",
    r"(?:let's|let us|we should|we must|we need to)\s(?:ship|launch|go with|go ahead|proceed"
    r"|move forward|hold|hold off|delay|postpone|defer|cut|drop|keep|commit|stick with"
    r"|prioriti[sz]e|pick|choose|start with|wait)",
    r"here's (?:what (?:i'd|i would|i|we)(?: propose| recommend| do| suggest)?|my (?:call"
    r"|proposal|recommendation|decision|plan))",
    r"(?:so |then )?we (?:ship|launch|go with|hold|delay|postpone|defer)",
    r"(?:i|we)(?: have|'ve)? decided|i'm deciding|decision:|bottom line|final answer"
    r"|(?:is|would be|'s) the right call|i(?:'m| am) (?:going|landing) (?:with|on)",
    r"(?:don't|do not|won't|will not|wouldn't|would not) (?:ship|launch)(?: it| this| now"
    r"| yet)?(?![^.;]{0,60}\b(?:if|unless|until)\b)",
)

EXPERIMENT: Final = (
    r"a\s?/\s?b(?:\s?/\s?n)?(?:[- ]?test(?:s|ing|ed)?)?|ab[- ]tests?|split[- ]tests?"
    r"|multivariate(?: tests?)?",
    r"hold[- ]?outs?(?: groups?| cells?| sets?)?|held[- ]out (?:group|users|players|cell)",
    r"(?:control|treatment) (?:group|arm|cell|bucket|cohort|condition)s?|(?:vs\.?|versus"
    r"|against|compared (?:to|with)) (?:the |a )?control|test (?:arm|group|cell)s?",
    r"randomi[sz](?:e|ed|es|ing|ation)|experiment(?:s|ation|al|ing|ed)?",
    r"statistical(?:ly)? significan(?:t|ce)|significance|p[- ]values?|confidence intervals?"
    r"|power analysis|statistical power|(?:well|under|adequately)[- ]powered"
    r"|sample sizes?|minimum detectable effect|(?-i:MDE)",
    r"interleav(?:ing|ed)(?: tests?)?|switchback(?: tests?)?|diff(?:erence)?[- ]in[- ]diff"
    r"(?:erence)?s?|quasi[- ]experiment\w*|counterfactual|synthetic control",
    r"(?:run|ran|set up|design|launch|start)(?:s|ning|ed|ing)? (?:a|an|the) (?:\w+ )?(?:test"
    r"|trial|bake[- ]?off)",
    r"\d{1,2}\s?/\s?\d{1,2} split|50/50|(?:traffic|user) split|bucket(?:s|ed|ing)",
    r"novelty (?:effect|bias)|primacy effect|novelty is a (?:worry|risk|concern)"
    r"|shadow (?:test|comparison)|side[- ]by[- ]side (?:test|comparison|eval(?:uation)?)",
    r"test(?:ed|ing|s)? (?:\w+ )?(?:variants|versions|arms|cells)",
)

DRIFT: Final = (
    r"(?:data |concept |model |feature |label |prediction |input |covariate |seasonal )?"
    r"drift(?:s|ed|ing)?(?! (?:into|toward|towards|away|apart|off))",
    r"(?:distribution(?:al)?|data|covariate|domain|population|dataset|input|label|prior"
    r"|concept) shifts?|shift(?:s|ed|ing)? in (?:the )?(?:distribution|data|inputs?"
    r"|population|user behaviou?r|mix|lighting|devices?|usage)",
    r"distributions? (?:change|changes|changed|moves?|moved|shifts?|shifted|diverge)",
    r"out[- ]of[- ]distribution|(?-i:OOD)|training[- ]serving skew|skew(?:ed)? (?:between"
    r"|from|against)",
    r"(?-i:PSI)|population stability|kl[- ]divergence|kolmogorov|(?-i:KS)[- ]tests?"
    r"|jensen[- ]shannon|wasserstein|chi[- ]squared?",
    r"(?:monitor|track|watch|alert|compare|check|log|chart|plot|dashboard)(?:s|ed|ing)?\s"
    r"(?:on\s|for\s)?(?:the\s|our\s|live\s|incoming\s|production\s|daily\s|weekly\s)?"
    r"(?:input|output|prediction|confidence|score|embedding|feature|image|label|class)s?"
    r"(?:\s(?:distributions?|mix|statistics|stats|histograms?|scores?|rates?))?",
    r"(?:input|output|prediction|confidence|score|embedding|feature|class|label)s? (?:distri"
    r"butions?|histograms?|statistics|stats|mix)",
    r"(?:model|performance|quality|accuracy) (?:decay|degradation|degrades|degrading|erodes"
    r"|erosion|rot)|(?:decays?|degrades?|degrading) (?:over time|silently|in production)",
    r"compar(?:e|ed|ing) (?:live|production|this week's|today's|recent|incoming|new) (?:data"
    r"|inputs|images|traffic|predictions|scores|photos) (?:to|against|with)|against (?:the )?"
    r"(?:training|reference|baseline) (?:data|set|distribution|window)",
    r"reference (?:window|distribution)|baseline distribution",
    r"compar(?:e|ed|ing)(?: \w+){0,3} (?:against|to|with) (?:what (?:the|our) model (?:was|is)"
    r" trained on|the training (?:data|set|distribution|mix)|training)",
    r"(?:input|scene|traffic|device|class|label|data) mix|mix of (?:inputs|scenes|devices"
    r"|phones|traffic|lighting|queries|users)",
    r"(?:mean |average |model |mask |prediction |output )confidence|confidence (?:of|in)"
    r" (?:the )?(?:[\w-]+ )?(?:model|masks?|predictions?|classifier|outputs?|detections?)"
    r"|confidence scores? (?:drop|fall|shift|distribution)",
    r"(?:monitor|track|watch|alert on|compare|chart|plot)(?:s|ed|ing)? (?:the )?distributions?"
    r" of",
)

PIPELINE_STAGES: Final = (
    (
        "data",
        r"data (?:collection|sourcing|pipelines?|ingestion|quality|freshness|contracts?|logging"
        r"|lineage)|collect(?:s|ed|ing)? (?:more |new |fresh |the |training |user )?(?:data"
        r"|images|photos|examples|samples|logs|feedback)|(?:training|raw|interaction|event"
        r"|behaviou?ral|click|implicit|explicit) (?:data|logs|signals)|datasets?"
        r"|ingest(?:s|ed|ion|ing)?|(?-i:ETL)|pre-?process(?:ing|ed)?|feature (?:store|pipeline"
        r"|engineering|extraction)|(?:from|the|our|event|usage|interaction|click|play|server)"
        r" logs|clean(?:s|ing|ed)? (?:the |up )?(?:data|it|labels)|data cleaning"
        r"|(?:make|makes|build|builds|compute|computes|extract|extracts) (?:the )?features"
        r"|sampl(?:e|ed|ing) (?:of|from|strategy)|consent(?:ed)? data|log(?:s|ged|ging)?"
        r" (?:impressions|plays|clicks|events|interactions|queries|sessions|usage|every)",
    ),
    (
        "labelling",
        r"label(?:l)?(?:ing|ed|er|ers)|labels?|relabel(?:l)?(?:ing|ed)?|annotat(?:e|ed|ion|ions"
        r"|ors?|ing)|ground[- ]truth|golden (?:set|dataset|data)|human (?:review|raters?"
        r"|labell?ers|rating|evaluation|judg(?:e)?ments|in the loop)|raters?|rating guidelines",
    ),
    (
        "training",
        r"re-?train(?:s|ed|ing)?|train(?:s|ed|ing)? (?:the |a |our |an |new )?(?:\w+ )?(?:model"
        r"|models|classifier|ranker|network|on)|training (?:run|runs|job|jobs|pipeline|set|data"
        r"|loop|cadence)|training|fine[- ]?tun(?:e|es|ed|ing)|hyper[- ]?parameters?"
        r"|model (?:training"
        r"|development|iteration)",
    ),
    (
        "evaluation",
        r"eval(?:uation|uations|s)?|offline (?:metrics|tests?|results|benchmarks?)|test sets?"
        r"|validation (?:sets?|data)|held[- ]out (?:sets?|data)|benchmark(?:s|ing)?"
        r"|back-?test(?:s|ing)?|error analysis|slic(?:e|es|ed|ing) (?:by|the|results|analysis"
        r"|metrics)|sliced|shadow (?:mode|test|eval\w*|deploy\w*|traffic)|offline[- ]online"
        r"|bake[- ]?off|red[- ]team(?:ing)?|evaluat(?:e|ed|ing) (?:the )?(?:model|classifier"
        r"|ranker|offline|on)",
    ),
    (
        "serving",
        r"serv(?:e|es|ed|ing) (?:the )?(?:model|predictions|recommendations|results)|serving"
        r"|inference|deploy(?:s|ed|ing|ment|ments)?|on[- ]device|in the cloud|cloud (?:model"
        r"|inference|processing|api)|edge (?:model|inference|device)|model registry|(?:in|to"
        r"|into) production|endpoints?|(?:latency|compute|memory) budget|caching",
    ),
    (
        "monitoring",
        r"monitor(?:s|ed|ing)?|dashboards?|alert(?:s|ed|ing)?|observability|on[- ]call"
        r"|telemetry",
    ),
)

PIPELINE_FALSE: Final = (
    r"(?:market|salary|comp(?:ensation)?|pay|industry) benchmarks?|record labels?",
    r"data[- ](?:driven|informed|led)",
    r"benchmark(?:s|ed|ing)? (?:the |my |our |your )?(?:salary|comp|compensation|offer|pay)",
    r"(?:serving|serve) (?:customers|users|players|people|the business)",
)

CHANGE_VERB: Final = (
    r"(?:grew|grow(?:s|ing)?|increas(?:ed|es|ing)|improv(?:ed|es|ing)|rais(?:ed|ing)"
    r"|boost(?:ed|ing)|lift(?:ed|ing)|cut|cutting|reduc(?:ed|es|ing)|lower(?:ed|ing)"
    r"|dropp(?:ed|ing)|decreas(?:ed|ing)|sav(?:ed|ing)|doubl(?:ed|ing)|tripl(?:ed|ing)"
    r"|quadrupl(?:ed|ing)|halv(?:ed|ing)|drove|driving|delivered|generat(?:ed|ing)|added|moved"
    r"|brought|reached|achiev(?:ed|ing)|won|beat|shrank|shrunk|slash(?:ed|ing)"
    r"|trimm(?:ed|ing)|climb(?:ed|ing)|rose|risen|jump(?:ed|ing)|gain(?:ed|ing)"
    r"|earn(?:ed|ing)|recover(?:ed|ing)|unlock(?:ed|ing)|contribut(?:ed|ing)|exceed(?:ed|ing)"
    r"|scal(?:ed|ing)|expand(?:ed|ing)|accelerat(?:ed|ing)|sped up|shorten(?:ed|ing)"
    r"|eliminat(?:ed|ing)|went (?:up|down|from)|up|down|fell|fallen|declin(?:ed|ing)"
    r"|outperform(?:ed|ing)|convert(?:ed|ing)|landed|captured|freed up|resulting in|led to"
    r"|leading to|resulted in|lifts?|boosts?|cuts?|reduces?|improves?|increases?)"
)

CHANGE_NOUN: Final = (
    r"(?:lift|uplift|increase|improvement|gain|growth|reduction|drop|decrease|decline|jump|boost"
    r"|rise|savings?|cut|win|bump|delta|more|fewer|less|higher|lower|faster|slower|better"
    r"|cheaper|bigger|smaller|reduction)"
)

QUANT: Final = (
    rf"{CHANGE_VERB}\W+(?:[\w'\-]+\W+){{0,7}}?(?:by |to |from |of )?{SIGNIFICANT}",
    rf"(?:{PERCENT}|{DIGITS}\s?x|{NUMBER_WORD}\s?(?:times|x)|{DIGITS} times)"
    rf"\s(?:[\w\-]+\s)?{CHANGE_NOUN}",
    rf"from {NUMBER}(?:\s?[\w%]+)? (?:down |up )?to {NUMBER}",
    r"\d+x'?d|10x(?:ed)?",
)

MULTIPLIED: Final = (r"doubled|tripled|quadrupled|halved|cut in half",)

SCALE: Final = (
    rf"{DIGITS}\s?(?:k|m|million|thousand|billion|\+)?\s(?:(?:monthly|daily|weekly"
    r"|active|paying|new)\s)?(?:users|players|customers|subscribers|downloads|installs|devices"
    r"|members|creators|titles|images|photos|countries|markets)",
)

FIRST_PERSON: Final = (r"i|we|my team|our team|my",)

CONDITIONAL_BEFORE: Final = (r"if|unless|should|whenever|in case",)

MOTIVATION: Final = (
    r"why (?:sony|this role|this team|this job|here|now|me|i'm applying|i applied)",
    r"what (?:draws|drew|attracts|attracted|excites|excited|pulls|pulled|brings|brought"
    r"|appeals to|interests) me",
    r"(?:drawn|attracted|excited|thrilled|passionate|motivated|energi[sz]ed|inspired)"
    r" (?:to|by|about|for)",
    r"i(?:'ve| have)? (?:always )?(?:grew|grown) up (?:with|playing|on)|lifelong (?:gamer|fan"
    r"|player)|i(?:'ve| have) been (?:a )?(?:gamer|fan|player)|(?:gamer|fan|player)"
    r" (?:since|for \w+ years|my whole life)",
    r"passion(?:ate)? (?:about|for)|i (?:genuinely |really |truly )?(?:love|care (?:deeply )?"
    r"about|enjoy) (?:games|gaming|playstation|cameras|photography|music|film|building"
    r"|the intersection|shipping|working on|products|entertainment|making)",
    r"(?:sony|sony ai|the team|the company|your team|this role|the role)(?:'s)? (?:mission"
    r"|vision|values|research|culture|scale|reach|catalog|ecosystem|history|legacy"
    r"|track record|portfolio)",
    r"(?:mission|purpose)[- ](?:driven|aligned)|(?:aligns?|resonates?|fits?) with (?:my"
    r"|what i)",
    r"(?:chance|opportunity) to (?:work|join|build|lead|bring|learn|grow|be part|help|shape"
    r"|own|take|move|apply|combine|ship|make)",
    r"(?:i want|i wanted|i'd love|i would love|i'd like|i would like|i hope|i'm hoping"
    r"|i am hoping|i'm looking|i am looking) to (?:join|work (?:at|on|with|for)|be (?:at"
    r"|part of|on|in)|move (?:into|to|closer|from)|grow|bring (?:my|what)|lead|build (?:at"
    r"|for|with|the next)|apply (?:my|what)|spend (?:the next|my)|take (?:on|my|the next)"
    r"|help sony|go deeper|get closer)",
    r"(?:the )?reason (?:i'm|i am|i)(?: \w+){0,2} (?:applying|interested|here|talking"
    r"|excited|drawn)|that's why i(?:'m| am) (?:here|applying|interested|excited)",
    r"(?:career|next|natural) (?:goal|move|step|chapter|progression)|next step in my career"
    r"|where i want to (?:be|go|grow)|long[- ]term goal",
    r"(?:join|joining|be part of|being part of) (?:sony|sony ai|the team|your team"
    r"|this team|a team that)",
    r"(?:appeals|appealing|meaningful|exciting|compelling) (?:to me|for me)"
    r"|for me personally",
)

COMP_TOTAL: Final = (
    r"total (?:comp|compensation|package|rewards?|cash|target comp|annual comp|value)",
    r"(?-i:TC)|(?:whole|overall|full|entire|complete) (?:package|offer|comp|compensation)",
    r"package as a whole|all[- ]in (?:number|comp|compensation)",
    r"(?:cash|base) (?:and|plus|vs\.?|versus|\+|or) (?:equity|stock|bonus)",
    r"(?:equity|stock) (?:and|plus|vs\.?|versus|\+|or) (?:cash|base)",
)

COMP_PARTS: Final = (
    ("base", r"base(?: salary| pay| comp(?:ensation)?| number| figure)?|salary|salaries"),
    ("bonus", r"(?:target |annual |performance )?bonus(?:es)?"),
    (
        "equity",
        r"equity(?: upside| grants?| tranche| stake)?|(?-i:RSUs?)|rsus?|stock(?: options"
        r"| grants?| units)?|stock options|vesting|vests?|refreshers?",
    ),
    ("sign-on", r"sign[- ]?(?:on|ing)(?: bonus| cash| award)?"),
    (
        "benefits",
        r"health benefits|benefits package|401\(?k\)?|pension|relocation(?: package)?"
        r"|learning budget|(?-i:PTO)",
    ),
)

COMP_FALSE: Final = (
    r"(?:user|install|player|customer|code|data|knowledge|fan|subscriber|home|air|military"
    r"|installed|existing|active) base",
    r"brand equity|(?:diversity|racial|health|gender),? (?:and )?equity|equity,? (?:and )?"
    r"inclusion|sign[- ]?on (?:page|screen|flow|with)|sign[- ]?in",
    r"(?:don't|do not|doesn't|does not) (?:really )?care (?:much |that much )?about (?:the )?"
    r"(?:equity|bonus|stock|rsus?)",
)

SCOPE: Final = (
    r"(?:in|out of|within|outside(?: of)?|beyond)[- ]scope|scop(?:e|ed|ing)(?: (?:is|it"
    r"|this|down|to|of|would|for))?|non[- ]goals?|not a goal",
    r"(?:v1|version one|mvp|first version|first release|initial version|launch version)"
    r"(?: (?:is|will|would|covers?|includes?|focuses|targets|only|just|should|=|:))?",
    r"(?:we|i)(?:'ll| will|'d| would| should)? (?:start|focus|begin)(?:ing)? (?:with|on)"
    r"(?!\s*(?:\d|one|two|a (?:small|tiny)|(?:a |the )?(?:beta|pilot|canary)|(?:the )?"
    r"(?:product )?(?:vision|strategy|big picture|execution|business side)))",
    r"(?:not|won't|will not|wouldn't|would not|we're not|i'm not|isn't|aren't)\s(?:going to"
    r"\s)?(?:do(?:ing)?|cover(?:ing)?|includ(?:e|ing)|tackl(?:e|ing)|build(?:ing)?"
    r"|handl(?:e|ing)|solv(?:e|ing)|support(?:ing)?|address(?:ing)?|touch(?:ing)?"
    r"|target(?:ing)?)",
    r"(?:leave|leaving|left|park|parking|parked|defer|deferring|deferred|punt|punting"
    r"|exclude|excluding|excluded|descope|de-scope)\s(?:\w+\s){0,3}?(?:out|for (?:later|now"
    r"|v2|phase 2)|to (?:v2|later|phase 2|a later phase))",
    r"(?:for|in) (?:v2|version two|a later (?:phase|version|release)|later phases?)",
    r"(?:target|core|primary|initial|main|key|intended|first) (?:users?|audience|segments?"
    r"|personas?|customers?|players?|market|use[- ]cases?)",
    r"(?:who|whom) (?:is (?:this|it)|it's|this is|we're building(?: this| it)?)(?: \w+)? for"
    r"|(?:is|are|it's) for (?:new"
    r"|casual|lapsed|returning|hardcore|existing|power|first[- ]time|core|young|older|busy"
    r"|solo|competitive)",
    r"(?:new|casual|lapsed|returning|hardcore|existing|power|first[- ]time|core|mid-core"
    r"|young|older|busy|solo|competitive|dormant|heavy|light|occasional|paying|amateur"
    r"|professional|novice|beginner|japanese|european|english[- ]speaking|ps5|ps4|mobile"
    rf"|console|pc|xperia|android)\s(?:{lx.USER_NOUNS})",
    r"(?:only|just|limited to|restrict(?:ed)? to|specifically|exclusively)\s(?:for\s|on\s"
    r"|to\s)?(?:[\w\-]+\s){0,2}?(?:users|players|devices|titles|games|markets|regions"
    r"|countries|phones|models|cameras|consoles|ps5|english|languages?|genres?|modes?"
    r"|surfaces?)",
    r"(?:a few|a handful of|one or two|a small set of|\d+|two|three|five|ten) (?:first[- ]party"
    r" |launch |popular |top |big |flagship )?(?:games|titles|franchises)",
    r"problem (?:we're|we are|i'm|i am|i'd be|we'd be) solving|the problem (?:is|here is)"
    r"|use[- ]cases?",
    r"(?:surface|placement|entry point|touchpoint)s? (?:is|are|would be|will be)|(?:on|in)"
    r" the (?:home (?:screen|page)|store|library|game hub|camera app|lock screen)",
)

USER_VALUE: Final = (
    rf"{lx.USER_NOUNS}(?:'s|')?\s(?:problem|pain|pain points?|needs?|goals?|jobs?|frustrations?"
    r"|struggles?|time|experience|benefit|value|intent|wants|journey|moment)",
    r"pain[- ]points?|frustrat(?:ed|ing|ion|es)|struggl(?:e|es|ing)|annoy(?:ed|ing|ance)"
    r"|tedious|overwhelm(?:ed|ing)|choice paralysis|decision fatigue|confus(?:ed|ing)"
    r"|give up|giving up",
    rf"so (?:that )?(?:{lx.USER_NOUNS}|they|you)",
    rf"help(?:s|ing|ed)?\s(?:{lx.USER_NOUNS}|them|you|people)",
    rf"(?:let|lets|letting|enable|enables|enabling|allow|allows|allowing)\s(?:{lx.USER_NOUNS}|them"
    r"|you)",
    r"sav(?:e|es|ing)\s(?:\w+\s)?(?:time|effort|clicks|minutes|hours|money|steps|taps)"
    r"|(?:spend|spending|spends) less time|less time (?:searching|scrolling|browsing"
    r"|hunting|waiting|editing|fiddling)|without having to|no longer (?:have|need) to"
    r"|in (?:one|a single|fewer) (?:tap|click|step)s?",
    r"(?:find|finds|finding|discover|discovers|discovering) (?:a|the|their|new|more"
    r"|something|content|what (?:they|you)|the right|games|shots|photos|answers|help)",
    rf"(?:the |a |each |every )?{lx.USER_NOUNS} (?:gets?|wants?|needs?|cares? about|values?"
    r"|expects?|is trying to|are trying to|getting|finding|enjoying)",
    r"get(?:s|ting)? (?:real |more |actual )?value|value for (?:the |our )?(?:users?|players?"
    r"|customers?)",
    rf"(?:what|why) (?:the |our |a )?{lx.USER_NOUNS} (?:actually |really )?(?:want|wants|need|needs"
    r"|care|cares|value|values|get|gets|expect|expects|love|loves|hate|hates|see|sees|notice"
    r"|notices|experience|experiences|feel|feels)",
    r"(?:that's|this is|here's|that is) the (?:real |actual |core |user's |player's )?(?:problem"
    r"|pain|job)",
    rf"{lx.USER_NOUNS} (?:waste|wastes|spend|spends|lose|loses|struggle|struggles|scroll|scrolls"
    r"|miss|misses|get stuck|gets stuck|give up|gives up|quit|quits|bounce|bounces|abandon"
    r"|abandons|can't find|cannot find|have to|has to|end up|ends up|churn|churns)",
    r"(?:value|benefit|better|easier|faster|simpler|more fun|safer|delightful|useful|helpful"
    rf"|magical) (?:to|for) (?:the |our |a )?{lx.USER_NOUNS}",
    r"user value|customer value|user benefit|(?:player|user|customer) delight"
    r"|delight(?:ful|s)?|jobs?[- ]to[- ]be[- ]done|(?-i:JTBD)",
)

THREAD_PHRASE: Final = (
    r"(?:that's|this is|which is|it's) (?:the|my) (?:common |through[- ]?|same )?(?:thread"
    r"|theme|through[- ]?line|pattern)",
    r"(?:common|consistent|same|recurring|connecting) (?:thread|theme|pattern|through[- ]?line)",
    r"through[- ]?line|ties? (?:back|together|into)|tied (?:back|together)",
    r"the (?:\w+ )?(?:thread|common denominator|pattern|theme) (?:through|across|in|running"
    r"|connecting|that (?:ties|connects|runs))",
    r"(?:coming|going|come|go|circle|circling|circles|bring(?:s|ing)?(?: it| me| us)?) back to",
    r"as i (?:mentioned|said|described|noted)|like i (?:said|mentioned)",
    r"throughout my (?:career|work)|every (?:role|job|team) i've",
    r"what (?:connects|ties|links|unites) (?:both|them|all|these|those|everything|it all|the two)"
    r"|(?:connects|ties) (?:both|all of (?:it|them|these)|the two)",
)

THREAD_BACKREF: Final = (
    r"(?:that|the same) (?:project|launch|product|feature|experience|lesson|story|team|work"
    r"|recommender|model|assistant|app)(?! (?:manager|lead|is that|that))",
)

STRUCT_INLINE: Final = (
    r"(?:in|into|cover|covers|are|have|has|see|through|about|on|with|around|watch|track|do|at"
    r"|need|want|care about|look at|suggest|propose)\s(?:the\s)?"
    r"(?:three|two|four|five|3|2|4|5|a few|a couple of)\s(?:things|parts|points|areas|steps"
    r"|pieces|questions|pillars|buckets|layers|phases|stages|components|priorities|criteria"
    r"|considerations|dimensions|angles|ways|decisions|levers|sections|gates|checkpoints"
    r"|calls|bets)",
    r"first,? (?:then|and then)|first\b[^.;]{1,60}\bthen\b[^.;]{1,60}\b(?:then|and finally"
    r"|finally|last(?:ly)?)",
    r"\(\d\)[^()]{1,120}\(\d\)|(?<=\s)\d\)[^)]{1,120}\s\d\)",
)

ROLLOUT_NOT: Final = (
    r"phase(?:s|d|ing)? out|(?:phase|stage) of (?:my|his|her|their|our) (?:career|life)",
)
