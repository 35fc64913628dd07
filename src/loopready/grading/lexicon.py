"""Product-management vocabulary behind the signal detectors: dates, metrics, jargon, outcomes.

Number grammars are in :mod:`loopready.language.numbers` and filler and hedge lists in
:mod:`loopready.language.fillers`, shared with the rest of loopready; what is here is the
grader's own. Everything here is data: regular-expression fragments that
:mod:`loopready.grading.signals` and :mod:`loopready.briefs.linter` compile once,
case-insensitively, with word-edge guards added around each alternation. Fragments may use
``(?-i:...)`` for the few terms that are only meaningful in capitals (``MAP``, ``RAG``).
Hyphens and curly apostrophes are normalised before matching, so a fragment only needs the
plain ASCII spelling, and ``[- ]?`` covers "click-through", "click through" and
"clickthrough".

Lists are ordered: where one term contains another ("precision-recall curve" and
"precision"), the longer one comes first so it wins the match.
"""

from __future__ import annotations

from typing import Final, Literal

from loopready.language.numbers import DIGITS, NUMBER_WORD

MetricKind = Literal["model", "product", "business", "guardrail"]

# -- durations and dates (numbers: loopready.language.numbers) --------------------------

#: Units a time box or deadline is counted in.
TIME_UNIT: Final = (
    r"(?:hours?|hrs?|days?|business days?|working days?|weeks?|wks?|months?|sprints?"
    r"|quarters?)"
)

#: "two weeks", "48 hours", "a couple of sprints", "two-week", "30-day".
DURATION: Final = (
    rf"(?:(?:{DIGITS}|{NUMBER_WORD}|a|an|one or two|two or three|a couple of|a few|the next"
    rf"|the first)[- ]{TIME_UNIT})"
)

MONTH: Final = (
    r"(?:january|february|march|april|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
)

WEEKDAY: Final = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu|thurs|fri)"
)

#: Date expressions that commit to a moment. Matched anywhere in a sentence.
DATE_EXPRESSIONS: Final = (
    # calendar dates: "March 14", "14th of March", "May 3" (May needs a day number)
    rf"(?:{MONTH}|may)\.?\s\d{{1,2}}(?:st|nd|rd|th)?",
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s(?:of\s)?(?:{MONTH}|may)",
    r"(?:by|on|before|until) (?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])(?:/\d{2,4})?",
    r"(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])/\d{2,4}",
    r"\d{4}-\d{2}-\d{2}",
    # months and seasons after a deadline word: "by March", "before the holidays"
    rf"(?:by|before|until|till|in|end of|early|mid|late|ahead of|in time for)[- ](?:{MONTH}|may)",
    r"(?:by|before|ahead of|in time for|until|for) (?:the )?(?:holidays?|holiday season|holiday "
    r"launch|christmas|black friday|new year|summer|fall|autumn|winter|spring|year[- ]end|end of "
    r"(?:the )?year|launch|gamescom|tgs|e3|ces|the (?:next )?(?:release|event|showcase|deadline))",
    # quarters and halves: "Q3", "Q3 2026", "H2", "FY27", "next quarter"
    r"(?:q[1-4]|h[12])(?:\s?(?:fy)?'?\d{2,4})?",
    r"fy\s?'?\d{2,4}",
    r"(?:this|next|the coming|the following|the first|the second|the third|the fourth|the last"
    r"|following) (?:week|month|quarter|sprint|half|year|release|cycle)",
    r"(?<!at the )end of (?:the |this |next )?(?:week|month|quarter|sprint|half|year)",
    r"(?:by|before|until) (?:the )?end of (?:the )?day",
    r"(?:eod|eow|eom|eoq|eoy)",
    rf"(?:by|before|on|until|till|this|next|come) {WEEKDAY}",
    r"tomorrow|tonight|this afternoon|this morning",
    # durations attached to a step: "within 48 hours", "for two weeks", "in the first 30 days"
    rf"(?:within|in|for|after|over the next|in the next|during the first|inside|under|by)"
    rf"\s(?:the\s)?(?:next\s|first\s)?{DURATION}",
    rf"{DURATION}\s(?:from now|out|later|after (?:launch|that|rollout|ship)|in|run|test|window"
    r"|pilot|beta|sprint|ramp|soak|bake)",
    r"(?:day|week|sprint|month) \d{1,3}|(?:week|sprint|month) (?:one|two|three|four|five|six)",
    r"\d{2,3}/\d{2,3}/\d{2,3}(?: days?| plan)?",
    r"(?:first|next) \d{1,3} days",
    r"(?:by|before|in|until) (?:early |mid |late |mid-)?20[2-4]\d",
)

# -- metrics ----------------------------------------------------------------------------

#: (canonical name, kind, pattern). First match wins at a position, so compounds go first.
METRICS: Final[tuple[tuple[str, MetricKind, str], ...]] = (
    # model quality
    (
        "precision-recall curve",
        "model",
        r"precision[- /]recall(?: curves?| trade-?offs?)?|pr[- ]curves?|pr[- ]auc",
    ),
    (
        "false positive rate",
        "model",
        r"false[- ]positive rates?|fpr|false[- ]positives?|false alarms?",
    ),
    ("false negative rate", "model", r"false[- ]negative rates?|fnr|false[- ]negatives?|miss rate"),
    ("true positive rate", "model", r"true[- ]positive rates?|tpr|sensitivity"),
    ("AUC", "model", r"(?:roc[- ])?auc|auroc|roc(?: curves?)?|area under (?:the )?(?:roc )?curve"),
    ("F1", "model", r"f1(?:[- ]scores?)?|f[- ]scores?|f[- ]measure"),
    ("mean average precision", "model", r"mean average precision|(?-i:MAP|mAP)(?:@\d+)?"),
    ("precision", "model", r"precision(?:\s?@\s?(?:k|\d+)|\s(?:at|@)\s(?:k|\d+|top[- ]\d+))?"),
    ("recall", "model", r"recall(?:\s?@\s?(?:k|\d+)|\s(?:at|@)\s(?:k|\d+|top[- ]\d+))?"),
    ("NDCG", "model", r"n?dcg(?:\s?@\s?(?:k|\d+))?|normali[sz]ed discounted cumulative gain"),
    ("MRR", "model", r"mean reciprocal rank|(?-i:MRR)"),
    ("hit rate", "model", r"hit[- ]rate(?:\s?@\s?(?:k|\d+))?|hits?\s?@\s?(?:k|\d+)"),
    ("top-k accuracy", "model", r"top[- ](?:k|\d+) accuracy"),
    ("word error rate", "model", r"word error rates?|(?-i:WER)"),
    ("error rate", "model", r"error rates?|misclassification rates?|misclassifications"),
    ("accuracy", "model", r"accuracy"),
    ("calibration", "model", r"calibration(?: error)?|(?-i:ECE)|brier scores?"),
    ("log loss", "model", r"log[- ]?loss|cross[- ]entropy"),
    ("RMSE", "model", r"(?-i:RMSE|MAE)|mean (?:squared|absolute) error"),
    ("IoU", "model", r"(?-i:IoU|IOU)|intersection over union"),
    ("BLEU/ROUGE", "model", r"(?-i:BLEU|ROUGE)(?:[- ]?\w)?"),
    ("perplexity", "model", r"perplexity"),
    ("image quality", "model", r"(?-i:PSNR|SSIM|LPIPS|FID)|(?:image|mask|segmentation) quality"),
    (
        "hallucination rate",
        "model",
        r"hallucination rates?|hallucinations?|groundedness|faithfulness",
    ),
    ("catalog coverage", "model", r"catalog(?:ue)? coverage|coverage of the catalog(?:ue)?"),
    (
        "recommendation diversity",
        "model",
        r"(?:recommendation|catalog(?:ue)?|content|result|feed) diversity|diversity of (?:the )?"
        r"(?:recommendations|results|feed|suggestions)|serendipity",
    ),
    # product usage
    (
        "time to first play",
        "product",
        r"time[- ]to[- ](?:first[- ])?(?:play|game|value|photo|shot|answer|launch|start|result)",
    ),
    (
        "click-through rate",
        "product",
        r"click[- ]?through(?: rates?)?|(?-i:CTRs?)|ctr|click rates?|clicks",
    ),
    (
        "DAU/MAU",
        "product",
        r"dau\s?/\s?mau|(?-i:[DWM]AUs?)|dau|mau|wau|(?:daily|weekly|monthly) active (?:users"
        r"|players|"
        r"accounts|devices)|active (?:users|players)",
    ),
    (
        "retention",
        "product",
        r"(?:d|day|week|w|month)[- ]?(?:1|7|14|28|30|one|seven|thirty)[- ]retention"
        r"|retention(?: rates?)?"
        r"|(?-i:D1|D7|D30)|returning (?:users|players)|repeat (?:usage|use|visits|play|sessions)"
        r"|(?:\d+|one|seven|fourteen|thirty|same)[- ]day returns?|return (?:rates?|visits)"
        r"|stickiness",
    ),
    (
        "session length",
        "product",
        r"session (?:length|duration|time|counts?)|time per session|sessions? per (?:user"
        r"|player|day|week)"
        r"|sessions",
    ),
    (
        "time spent",
        "product",
        r"time spent|time in[- ](?:app|game)|watch[- ]?time|play[- ]?time|hours (?:played|of play)"
        r"|play hours|minutes played|time played|dwell time",
    ),
    ("engagement", "product", r"engagement(?: rates?)?"),
    (
        "adoption",
        "product",
        r"adoption(?: rates?)?|uptake|activation(?: rates?)?|opt[- ]in rates?|feature usage|usage"
        r" (?:rate|frequency)|(?:daily|weekly) usage",
    ),
    ("NPS", "product", r"(?-i:NPS)|net promoter(?: score)?"),
    (
        "satisfaction",
        "product",
        r"(?-i:CSAT)|(?:user |customer |player )?satisfaction(?: scores?)?|star ratings?"
        r"|app ratings?"
        r"|thumbs[- ]up(?: rates?)?|sentiment",
    ),
    (
        "keep rate",
        "product",
        r"(?:keep|keeper|save|acceptance|accept|adoption of suggestions) rates?|keepers"
        r"|(?:deleted|kept|saved)"
        r" (?:photos|shots|pictures|videos|clips|edits)",
    ),
    (
        "dismissals",
        "product",
        r"dismissal rates?|dismissals|dismissed (?:hints|suggestions|recommendations|tips|prompts"
        r"|notifications)|skip rates?|skips",
    ),
    ("share rate", "product", r"share rates?|shares per (?:user|photo|session)"),
    (
        "task success",
        "product",
        r"task (?:success|completion)(?: rates?)?|completion rates?|success rates?"
        r"|resolution rates?"
        r"|deflection(?: rates?)?|self[- ]serve rates?|solve rates?|(?:queries|questions|issues) "
        r"resolved",
    ),
    (
        "discovery",
        "product",
        r"discovery rates?|(?:new[- ])?(?:titles|games) (?:discovered|tried|played)|catalog(?:ue)? "
        r"exploration|wishlist (?:adds|additions)|add[- ]to[- ]wishlist|wishlists",
    ),
    (
        "capture metrics",
        "product",
        r"(?:photos|shots|pictures|videos|clips) (?:still )?(?:taken|kept|shared|saved|deleted)",
    ),
    (
        "funnel drop-off",
        "product",
        r"bounce rates?|abandonment(?: rates?)?|drop[- ]?offs?(?: rates?)?|funnel completion"
        r"|scroll depth"
        r"|zero[- ]result (?:searches|rates?)",
    ),
    (
        "installs",
        "product",
        r"downloads|installs|game starts|plays per (?:user|player)|starts per (?:user|player)",
    ),
    # business
    ("undo rate", "product", r"(?:undo|revert|turn[- ]off|disable|retake|reshoot) rates?"),
    (
        "revenue",
        "business",
        r"revenue(?: per (?:user|player|session))?|(?-i:ARPU|ARPPU|ARPDAU|ARR|GMV)|arpu|arppu"
        r"|average revenue per (?:user|player|paying user)|bookings|sales(?! (?:team|org|reps?"
        r"|people"
        r"|folks|leadership|side))|gross merchandise value|monthly recurring revenue",
    ),
    (
        "conversion",
        "business",
        r"(?:paid |store |purchase )?conversions?(?: rates?)?|purchase rates?|purchases?|buy rates?"
        r"|attach rates?|upgrade rates?|upsells?|checkouts?|transactions|units sold",
    ),
    (
        "subscriptions",
        "business",
        r"subscriptions?|(?:new|paid|paying|net|total) subscribers|subscriber (?:count|growth)"
        r"|subscription rates?|sign[- ]?ups|renewals?(?: rates?)?|reactivations?(?: rates?)?"
        r"|win[- ]?backs?|resubscri\w+"
        r"|(?:ps|playstation) plus (?:sign[- ]?ups|members|subscribers)",
    ),
    ("churn", "business", r"churn(?: rates?)?|cancellations?(?: rates?)?|cancel rates?"),
    ("lifetime value", "business", r"(?-i:LTV|CLV|CLTV)|ltv|(?:customer |player )?lifetime value"),
    (
        "cost",
        "business",
        r"(?:serving|inference|compute|infra(?:structure)?|cloud|gpu|operating|support"
        r"|acquisition|unit"
        r"|labell?ing|hosting|per[- ]user|annotation) costs?|cost (?:per|to serve)\s\w+"
        r"|cost to serve"
        r"|(?-i:CAC)|customer acquisition cost",
    ),
    (
        "margin",
        "business",
        r"(?:gross |operating )?margins?|profit(?:ability)?|(?-i:ROI)|return on investment|payback",
    ),
    (
        "spend",
        "business",
        r"(?:in[- ]game|player|user|customer|average|total|store) spend(?:ing)?"
        r"|spend per (?:user|player)"
        r"|average order value|(?-i:AOV)|basket size|share of wallet|market share",
    ),
    # guardrails: things that must not get worse
    (
        "latency",
        "guardrail",
        r"(?:(?:p50|p90|p95|p99|tail|end[- ]to[- ]end|inference|median) )?latency|latencies"
        r"|response times?"
        r"|load times?|time to (?:render|load|capture|save)|frame ?rates?|fps|input lag|shutter lag"
        r"|shot[- ]to[- ]shot(?: time)?|(?:capture|processing|shutter[- ]to[- ]\w+) times?|lag",
    ),
    (
        "crash rate",
        "guardrail",
        r"crash(?:[- ]free)? rates?|crashes|crash[- ]free (?:sessions|users)|stability",
    ),
    (
        "complaints",
        "guardrail",
        r"complaints?|support tickets|ticket volume|contact rates?|escalations|negative feedback"
        r"|(?:abuse|user) reports|report rates?",
    ),
    ("refund rate", "guardrail", r"refund rates?|refunds|chargebacks?|return rates? on hardware"),
    (
        "opt-out rate",
        "guardrail",
        r"opt[- ]outs?(?: rates?)?|unsubscribes?|unsubscribe rates?|uninstalls?(?: rates?)?"
        r"|disable rates?"
        r"|turn[- ]off rates?|hide rates?|not[- ]interested (?:clicks|rates?|taps)|dislikes"
        r"|thumbs[- ]down"
        r"(?: rates?)?",
    ),
    (
        "fairness",
        "guardrail",
        r"fairness|(?:demographic|skin[- ]tone|gender|age|racial|regional) (?:bias|parity|gaps?"
        r"|disparity)"
        r"|demographic parity|equal(?:ized)? (?:odds|opportunity)|bias (?:across|between"
        r"|by) \w+|disparity",
    ),
    (
        "privacy incidents",
        "guardrail",
        r"privacy (?:incidents|complaints|violations|breaches)|data leaks?"
        r"|(?-i:PII) (?:exposure|leaks?"
        r"|incidents)|security incidents",
    ),
    (
        "battery",
        "guardrail",
        r"battery(?: drain| life| usage| impact| consumption)?|power (?:draw|consumption|usage)"
        r"|thermal (?:throttling|issues|headroom)|overheating|memory (?:footprint|usage)|app size",
    ),
    (
        "safety incidents",
        "guardrail",
        r"toxicity|safety incidents|harmful (?:outputs|responses|content)|policy violations",
    ),
)

#: Phrases that contain a metric word without naming a metric. Checked around each match.
METRIC_FALSE_FRIENDS: Final = (
    r"precision (?:engineering|manufacturing|instruments?|machining|tools?|timing|agriculture"
    r"|medicine|strikes?|craft)",
    r"with (?:great |more |surgical |real |such |military |laser )?precision",
    r"(?:i|we|you|they|he|she|can|could|don't|do not|to) recall",
    r"recall (?:that|when|how|seeing|what|a time|an? (?:project|launch|time))",
    r"(?:product|safety|vehicle|hardware|massive|voluntary) recall",
    r"(?:sales|cost) (?:team|org|reps?|people|folks|side|leadership)",
    r"at (?:the|a|any|what|whatever) cost",
    r"(?:press|media|test|insurance|news) coverage",
    r"(?:selection|confirmation|survivorship|recency|action) bias",
    r"(?:market|career|team|hardware|financial|emotional|political) stability",
    r"(?:phone|device|camera|console|car|handset|xperia|iphone|pixel|galaxy|hardware|older|newer"
    r"|premium|flagship|mid-range) models?|(?:business|pricing|operating|role|data) models?",
    r"(?:stakeholder|partner|executive|leadership) engagement",
    r"activation functions?",
    r"(?:in|with|takes?|within) (?:\d|one|two|three|a few|a couple of) clicks",
    r"(?:working|brainstorming|interview|planning|review|training|feedback|research|listening"
    r"|coaching|mock|practice|whiteboard) sessions",
    r"(?:price|privacy|cultural|data|context) sensitivity",
)

#: A metric named right after one of these is being protected, not grown.
GUARDRAIL_CUES_BEFORE: Final = (
    r"guard ?rails?(?: metrics?)?(?:\s(?:is|are|would be|will be|include|like|such as|on|for))?",
    r"without (?:hurting|harming|increasing|raising|degrading|regressing|tanking|sacrificing"
    r"|blowing up|breaking|worsening|moving|costing|damaging|denting|lowering|reducing|dropping"
    r"|losing|hitting|affecting|touching|impacting|spiking)",
    r"(?:protect(?:ing)?|not at the (?:cost|expense) of|watch(?:ing)? for regressions in"
    r"|counter[- ]metrics?(?:\s(?:is|are|like|include))?|health metrics?(?:\s(?:is|are|like))?"
    r"|do[- ]no[- ]harm metrics?|must not (?:hurt|move|regress|increase|raise|worsen)"
    r"|(?:while|as long as|provided) (?:keeping|holding|we keep|we hold)"
    r"|(?:don't|do not|can't|cannot|won't) (?:hurt|regress|tank|break|worsen|afford to (?:hurt|lose"
    r"|raise|increase))|capp?(?:ed|ing)|ceiling on|floor on|budget for)",
)

#: A metric named just before one of these is a guardrail: "latency must not rise".
GUARDRAIL_CUES_AFTER: Final = (
    r"(?:as|is|are|stays?|remains?|becomes?|become|serves? as|acts? as|treated as|counts? as)"
    r" (?:a |an |our |the |my )?guard ?rails?",
    r"(?:must|mustn't|should|shouldn't|can't|cannot|won't|doesn't|does not|do not|don't|can never"
    r"|may not|must never) (?:not )?(?:drop|fall|regress|degrade|rise|increase|go up|get worse"
    r"|exceed|worsen|move|spike|tank|dip|slip|budge|climb|suffer|go above|go below)",
    r"(?:stays?|remains?|holds?|held|kept|keeps?|staying) (?:flat|stable|steady|within|under|below"
    r"|above|at or|neutral|the same|constant|in check|put|where it is)",
    r"(?:is|are) (?:a |the |our )?(?:counter|health|do[- ]no[- ]harm|guard ?rail) metrics?",
    r"budgets?|ceilings?|hard (?:floor|limit|cap)",
)

#: Words that end a guardrail cue's reach inside a sentence.
GUARDRAIL_SCOPE_END: Final = (
    r"[;.]|\bbut\b|\bwhile\b|\bwhereas\b|\bprimary\b|\bnorth[- ]star\b|\bmain metric\b"
    r"|\bsuccess metric\b|\boptimi[sz]e\b|\bgrow\b"
)

# -- ML jargon --------------------------------------------------------------------------

#: (canonical term, pattern) for ML vocabulary a non-specialist would not use.
JARGON: Final[tuple[tuple[str, str], ...]] = (
    (
        "precision-recall curve",
        r"precision[- /]recall(?: curves?| trade-?offs?)?|pr[- ]curves?|pr[- ]auc",
    ),
    ("AUC", r"(?:roc[- ])?auc|auroc|roc curves?|area under (?:the )?(?:roc )?curve"),
    ("F1", r"f1(?:[- ]scores?)?|f[- ]scores?|f[- ]measure"),
    ("mean average precision", r"mean average precision|(?-i:mAP)(?:@\d+)?"),
    ("precision", r"precision(?:\s?@\s?(?:k|\d+))?"),
    ("recall", r"recall(?:\s?@\s?(?:k|\d+))?"),
    ("NDCG", r"n?dcg(?:\s?@\s?(?:k|\d+))?"),
    ("MRR", r"mean reciprocal rank|(?-i:MRR)"),
    ("log loss", r"log[- ]?loss|cross[- ]entropy"),
    ("calibration", r"calibration(?: error| curves?)?|(?-i:ECE)|brier scores?|well[- ]calibrated"),
    ("confusion matrix", r"confusion matri(?:x|ces)"),
    (
        "embeddings",
        r"embeddings?|vector (?:space|search|database|db|store|index)|latent (?:space|vectors?)",
    ),
    (
        "transformer",
        r"(?:vision )?transformers?|(?-i:ViT|BERT|GPT)(?:-\d+)?|self[- ]attention"
        r"|attention (?:heads?|layers?|mechanism|weights)",
    ),
    ("LLM", r"(?-i:LLMs?)|large language models?"),
    (
        "neural network",
        r"(?:deep |convolutional |recurrent )?neural (?:net|network)s?|deep learning"
        r"|(?-i:CNNs?|RNNs?|LSTMs?|ResNet(?:-?\d+)?)",
    ),
    ("diffusion model", r"diffusion models?|(?-i:GANs?)|autoencoders?"),
    ("gradient", r"gradient[- ]checks?|gradient descent|gradients?|backprop(?:agation)?"),
    ("hyper-parameters", r"hyper[- ]?parameters?|learning rates?|epochs?|batch sizes?"),
    ("loss function", r"loss (?:functions?|curves?|landscape)|objective functions?"),
    (
        "overfitting",
        r"over[- ]?fit(?:ting|s|ted)?|under[- ]?fit(?:ting|s|ted)?|regulari[sz]ation"
        r"|dropout (?:layers?|rates?)|bias[- ]variance",
    ),
    ("fine-tuning", r"fine[- ]?tun(?:e|es|ed|ing)|(?-i:LoRA|RLHF|DPO|PEFT)"),
    ("logits", r"logits?|softmax|sigmoid|activation functions?"),
    (
        "nearest neighbour",
        r"(?:approximate )?nearest[- ]neighbou?rs?|(?-i:ANN|kNN|k-NN)|cosine similarity",
    ),
    (
        "collaborative filtering",
        r"collaborative filtering|matrix factori[sz]ation|two[- ]tower"
        r"(?: models?)?|candidate generation",
    ),
    (
        "gradient boosting",
        r"gradient[- ]boost(?:ed|ing)(?: trees?)?|(?-i:XGBoost|LightGBM)"
        r"|xgboost|random forests?",
    ),
    (
        "bandits",
        r"(?:multi[- ]armed |contextual )?bandits?|thompson sampling|reinforcement learning",
    ),
    ("retrieval-augmented generation", r"retrieval[- ]augmented(?: generation)?|(?-i:RAG)"),
    ("prompt engineering", r"prompt engineering|zero[- ]shot|few[- ]shot|chain[- ]of[- ]thought"),
    ("tokenizer", r"tokeni[sz]ers?|tokeni[sz]ation"),
    (
        "optimizer",
        r"optimi[sz]ers?|(?-i:Adam(?:W)?|SGD)|converg(?:e|es|ed|ing|ence)"
        r"|batch[- ]norm(?:ali[sz]ation)?|layer[- ]norm(?:ali[sz]ation)?",
    ),
    ("perplexity", r"perplexity|(?-i:BLEU|ROUGE)"),
    ("IoU", r"(?-i:IoU)|intersection over union"),
    (
        "quantization",
        r"quanti[sz]ation|quanti[sz]ed|distillation|knowledge distillation|(?:model"
        r"|weight) pruning",
    ),
    ("feature engineering", r"feature (?:engineering|store|vectors?|importance)|(?-i:SHAP)"),
    (
        "distribution statistics",
        r"kl[- ]divergence|(?-i:PSI)|population stability index"
        r"|kolmogorov[- ]smirnov|(?-i:KS)[- ]tests?|jensen[- ]shannon"
        r"|wasserstein",
    ),
    ("ablation", r"ablations?(?: stud(?:y|ies))?"),
    ("architecture", r"model architectures?|architecture search|layers? of the (?:network|model)"),
)

# -- who the user is, what they get -----------------------------------------------------

#: People a product serves, as a pattern.
USER_NOUNS: Final = (
    r"(?:users?|players?|gamers?|customers?|people|fans?|photographers?|creators?|viewers?"
    r"|listeners?|subscribers?|members?|shoppers?|consumers?|buyers?|owners?|parents?"
    r"|families|kids|learners?|students?|audiences?|newcomers|beginners|streamers|folks)"
)

#: What a user does or feels as a result: "players find", "users churn".
USER_OUTCOME_VERBS: Final = (
    r"(?:find|finds|found|buy|buys|bought|purchase|purchases|play|plays|played|stay|stays|return"
    r"|returns|come back|comes back|leave|leaves|churn|churns|quit|quits|trust|trusts|abandon"
    r"|abandons|see|sees|notice|notices|get|gets|spend|spends|save|saves|enjoy|enjoys|engage"
    r"|engages|click|clicks|subscribe|subscribes|renew|renews|complain|complains|miss|misses"
    r"|lose|loses|give up|gives up|discover|discovers|keep|keeps|share|shares|love|loves|hate"
    r"|hates|stick around|bounce|bounces|uninstall|uninstalls|switch off|turn it off|stop using"
    r"|wait|waits|waste|wastes|scroll|scrolls|struggle|struggles|feel|feels|are happier"
    r"|are frustrated|get frustrated|get annoyed|are annoyed|lose trust|lose interest|drop off"
    r"|drops off|skip|skips|ignore|ignores|opt out|opts out|convert|converts|upgrade|upgrades"
    r"|spend less time|spend more time|are more likely|are less likely|won't|don't"
    r"|turn (?:\w+ ){0,2}off|back out|backs out|drop out|bail|bails|walk away|walks away"
    r"|close the app|dismiss|dismisses|start|starts|try|tries|pick|picks|choose|chooses|use"
    r"|uses|open|opens|stick with|sticks with|retake|retakes|delete|deletes|buy again|pay|pays"
    r"|recommend|recommends|upgrade)"
)

#: Outcome words that are not metrics but still land on the user or the business.
OUTCOME_WORDS: Final = (
    r"(?:revenue|money|dollars|sales|profit|margins?|bottom line|the business|growth|loyalty"
    r"|trust|frustration|delight|happier|happiness|complaints|churn|conversion|purchases"
    r"|subscriptions?|renewals?|sign[- ]?ups|playtime|play time|hours played|time saved|user"
    r" experience|player experience|customer experience|experience for (?:users|players)"
    r"|satisfaction|retention|engagement|what (?:the )?(?:users?|players?|customers?) (?:get"
    r"|see|feel"
    r"|experience|want)|renew(?:s|ed|al|als)?|sells?|sold|upgrades?|reviews|word of mouth"
    r"|reputation|lost (?:revenue|sales|baskets?|customers|players)|add-ons|repeat purchases?"
    r"|market share)"
)

# -- reasoning connectives --------------------------------------------------------------

#: Words that make one thing the cause of another.
CAUSAL: Final = (
    r"(?:means|meaning|mean that|so that|which (?:means|leads|drives|translates|shows up|turns"
    r"|results"
    r"|gives|lets|helps|hurts|costs|makes|directly|in turn|would|will|should)|lead(?:s)? to|led to"
    r"|leading to|drive(?:s)?|driving|drove|translat(?:e|es|ed|ing) (?:in)?to|result(?:s|ed)? in"
    r"|resulting in|because|therefore|thus|hence|that's why|which is why|that is why|cause(?:s|d)?"
    r"|causing|impact(?:s|ed)?|affect(?:s|ed)?|shows? up (?:as|in)|turn(?:s|ed)? into"
    r"|feeds? (?:into"
    r"|straight into)|in turn|->|=>|→|lets|helps?|hurts?|costs? us|ties? (?:back )?to|tied to"
    r"|maps? to"
    r"|linked to|correlates? with|predicts?|proxy for|because of|due to|so(?= (?:the )?"
    + USER_NOUNS
    + r")|so (?:fewer|more|less|they|people)|if .{1,60}?,? (?:then )?(?:we lose|they|users|players"
    r"|customers|people)|worth (?:about |roughly |around )?[$£€]\s?\d[\d,.]*(?:k|m|bn)?"
    r"|(?:which|that) (?:is|are) what"
    r"|(?:is|are|'s) (?:exactly |precisely |ultimately )?what (?:renews|sells|drives|keeps|brings"
    r"|makes|pays|moves|grows|funds|gets|earns|wins|turns)"
    r"|(?:will|would|should|could|must|does|can|might|may) mean"
    r"|raises|raised|lifts|lifted|boosts|boosted|increases|increased|reduces|reduced|cuts"
    r"|improves|improved|grows|lowers|lowered|damages|protects|pays off in"
    r"|(?:is|are) (?:a|the|one|our) (?:big |main |key |real )?reason(?: why)?"
    r"|reason to (?:pick|buy|choose|stay|renew|upgrade|come back)"
    r"|if [^,.;]{1,80}?(?:goes up|go up|goes down|go down|rises?|falls?|improves?|drops?"
    r"|increases?|grows?|gets? better|gets? worse|climbs?|slips?)"
    r"|we (?:get|see|sell|keep|lose) (?:more|fewer|less|better)"
    r"|costs?(?: us)? (?:about |around |roughly )?[$£€]\s?\d[\d,.]*(?:k|m|bn)?)"
)
