"""The vocabulary of the archive's record format: regular expressions and word lists.

Everything the reader recognises by shape is named here, so the rules of the format can be read
in one place. Nothing here is specific to one record.
"""

from __future__ import annotations

import re

MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)

#: a day-month date with optional year and an optional leading 24-hour time ("1750 11 July 1951")
DAY_MONTH = rf"(?:\d{{3,4}}\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\.?(?:\s+\d{{4}})?"
#: a month-day date ("July 11, 1951", "July 11")
MONTH_DAY = rf"(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
#: numeric dates ("11.07.1951", "11.7.51", "1951-07-11", "11/07/1951")
NUMERIC_DATE = (
    r"\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}|"
    r"\d{1,2}\.(?:I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII)\.(?:\d{4}|\d{2})"
)
#: any date the format prints in closers and datelines
DATE = rf"(?:{DAY_MONTH}|{MONTH_DAY}|{NUMERIC_DATE}|\d{{4}}年\d{{1,2}}月\d{{1,2}}日)"
#: a time of day printed before or after a date ("1145", "11.45", "11:45", "at 0912")
TIME = r"(?:[01]\d|2[0-3])[.:]?[0-5]\d"
DATE_RE = re.compile(rf"^{DATE}$", re.IGNORECASE)
DATETIME_RE = re.compile(
    rf"^(?:{TIME}\s+)?{DATE}(?:\s*,?\s*{TIME}(?:\s*hrs?\.?)?)?$", re.IGNORECASE
)

#: honorifics, titles and ranks that precede names and end in an abbreviation point
ABBREVIATIONS = frozenset(
    [
        "cde",
        "cdes",
        "com",
        "tov",
        "comr",
        "mr",
        "mrs",
        "ms",
        "messrs",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "adm",
        "sgt",
        "cpt",
        "gov",
        "pres",
        "amb",
        "min",
        "dep",
        "vol",
        "no",
        "nos",
        "nr",
        "art",
        "arts",
        "st",
        "ave",
        "mt",
        "ft",
        "jr",
        "sr",
        "co",
        "corp",
        "inc",
        "ltd",
        "vs",
        "etc",
        "ibid",
        "cf",
        "approx",
        "p",
        "pp",
        "ed",
        "eds",
        "trans",
        "transl",
        "fig",
        "figs",
        "vols",
        "op",
        "d",
        "l",
        "ll",
        "ch",
        "chap",
        "sec",
        "viz",
        "sen",
        "rep",
        "hon",
        "rev",
        "esq",
    ]
)

#: words that open a salutation or may stand before a name in one
SALUTATION_WORDS = (
    r"Dear|My\s+dear|Esteemed|Respected|Honou?red|Deeply\s+respected|Much\s+esteemed|"
    r"Cdes?\.|Comrades?|Tov\.|Mr\.|Mrs\.|Messrs\.|Sir|Madam|Gentlemen|Excellency|Your\s+Excellency|"
    r"Chairman|Marshal|General|Premier|President|Minister|Ambassador"
)
SALUTE_RE = re.compile(
    rf"^[\"“„«]?(?:(?:{SALUTATION_WORDS})(?:\b|(?<=\.))[^\n!]{{0,80}}[!,:]|"
    r"(?:Dear|Esteemed|Respected)\b[^\n]{0,80}[.;])$",
    re.IGNORECASE,
)
#: a salutation in Chinese script: "金日成同志：", "尊敬的周恩来总理："
CJK_SALUTE_RE = re.compile(
    r"^(?:尊敬的|亲爱的)?[\u4e00-\u9fff·、]{1,12}(?:同志|先生|主席|总理|阁下|大使|部长|女士)?[：:，,！!]$"
)

#: titles and ranks written before names ("To Cde. X", "MAJOR [signature]")
TITLES = (
    r"Cdes?\.|Comrades?|Tov\.|Mr\.|Mrs\.|Messrs\.|Dr\.|Gen\.|General|Marshal|Admiral|Adm\.|"
    r"Colonel|Col\.|Major|Maj\.|Captain|Capt\.|Lieutenant|Lt\.|Ambassador|Chairman|Premier|"
    r"President|Minister|Secretary"
)

#: an addressee line or sentence: "To Cde. MAO ZEDONG.", "to Cde. FILIPPOV", "for Comrade KIM"
ADDRESSEE_RE = re.compile(
    rf"^[\"“„«]?(?:(?:To|to|TO)\s+(?!No\b|N[°º]|file\b|be\b)(?:the\s+|(?:{TITLES})\s*)?"
    rf"[A-Z\[(\u0400-\u04ff\u00c0-\u00de]|(?:For|for|FOR)\s+(?:the\s+|(?:{TITLES})\s*)"
    r"[A-Z\u0400-\u04ff\u00c0-\u00de])"
)
#: words that make a name an organisation's
ORG_WORDS = (
    r"(?:Embassy|Ministry|Committee|Commission|Council|Department|Government|Office|"
    r"Headquarters|Delegation|Consulate|Secretariat|Bureau|Directorate|Administration|Legation|"
    r"Mission|Presidium|Politburo|Command|Staff)"
)
#: a sender line: "From Cde. Terebin" (not "From Beijing received …", a transmission note)
SENDER_LINE_RE = re.compile(
    rf"^(?:From|FROM)\s+(?:(?:{TITLES})\s*)?[A-Z\u0400-\u04ff\u00c0-\u00de]"
)
#: a copies line or sentence: "Copies to Cde. KIM IL SUNG and PENG DEHUAI."
COPIES_RE = re.compile(r"^(?:Copies|Copy|Cc|CC|cc)\s*(?:to\b|:)", re.IGNORECASE)

#: document-number marks: "N° 21680", "№ 3444", "No. 8600", "Nr. 12"
NUMBER_MARK = r"(?:N°|№|Nº|No\.|Nr\.|No\b|#)"
NUMBER_LINE_RE = re.compile(rf"^{NUMBER_MARK}\s*[\dA-Z][\w/.\-]*\s*$")

#: words of archival apparatus lines at the head or foot of a document
CLASSIFICATION_RE = re.compile(
    r"^(?:TOP\s+SECRET|SECRET|STRICTLY\s+SECRET|CONFIDENTIAL|URGENT|HIGHEST\s+PRIORITY|PRIORITY|"
    r"TOP\s+PRIORITY|FLASH|IMMEDIATE|"
    r"Top\s+Secret|Secret|Strictly\s+Secret|Confidential|Urgent|Personal|PERSONAL|"
    r"SPECIAL\s+FOLDER|Special\s+Folder|EXTRAORDINARILY\s+URGENT|Extremely\s+urgent)\b"
)
#: a reference to the telegram answered or the file: "To No. 1726.", "To # 0890", "to 0247 -INA"
REFERENCE_RE = re.compile(
    rf"^(?:To|to|TO|Re|RE|Ref\.?|In\s+reply\s+to|Reply\s+to)\s*[:.]?\s*{NUMBER_MARK}\s*\d[\w/.\-]*"
    r"\.?\s*$|^(?:To|to)\s+(?:0\d{2,}|\d{3,}\s*[-–]\s*[A-Z]{2,})(?:\s*[-–]\s*[A-Z]{2,})?\s*$"
)
APPARATUS_START_RE = re.compile(
    rf"^(?:{REFERENCE_RE.pattern[1:]})|^(?:(?:Copy|COPY|Copies|Incoming|Outgoing|INCOMING|OUTGOING)\b|{NUMBER_MARK}\s*\d|"
    r"(?:from|From|FROM)\b.*(?:\b|(?<=[a-z]))(?i:received|sent|dispatched|transmitted)\b|"
    r"(?:Received|Sent|Dispatched|Transmitted|Deciphered|Ciphered|Registered|received|sent)\b|"
    r"(?:Telegram|TELEGRAM|Cable|CABLE)\s+from\b|"
    r"(?:SERIES|Series)\b|(?:Fond|Opis|Delo|Folder|File|List|Listy)\b\s*\d)"
)
#: what a note of the archival apparatus records, by its first words
NOTE_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        (
            "distribution",
            r"^(?:[Cc]op(?:y|ies)|COPY|COPIES)\s*(?:"
            + NUMBER_MARK
            + r")*\s*\d[\d\s,\-–]*[–-]?\s*to\b|^"
            + NUMBER_MARK
            + r"\s*\d+\s+to\b|^(?:Copies|COPIES|CC|Cc|cc|Distribution|DISTRIBUTION|"
            r"Distributed\s+to|To\s+be\s+seen\s+by|Seen\s+by|Seen|Sent\s+to)\s*(?::|$)",
        ),
        (
            "copy",
            r"^(?:Copy|COPY)\b|^\d+\s+copies\b|^(?:One|Two|Three|Four|Five|Six|Seven|Eight|Nine|"
            r"Ten)\s+copies\b|\bcop(?:y|ies)\s+(?:printed|made|typed)\b|\bfiled\b",
        ),
        (
            "transmission",
            r"^(?:from|From|FROM)\b.*(?:\b|(?<=[a-z]))(?i:received|sent|dispatched|transmitted)\b|"
            r"^(?:Received|Sent|Dispatched|Transmitted|received|sent)\b|"
            r"^(?:Telegram|TELEGRAM|Cable|CABLE)\s+from\b",
        ),
        ("deciphered", r"^(?:Deciphered|Decoded|Decrypted)\b"),
        ("ciphered", r"^(?:Ciphered|Encoded|Encrypted)\b"),
        ("printed", r"^(?:Printed|Typed|Copied|Duplicated|Created|Drafted|Prepared|Compiled)\b"),
        ("verified", r"^(?:Verified|Checked|Certified)\b"),
        ("registration", r"^(?:Incoming|Outgoing|INCOMING|OUTGOING|Registered|Reg\.)\b"),
        ("series", r"^(?:SERIES|Series)\b"),
        ("classification", CLASSIFICATION_RE.pattern),
        (
            "number",
            REFERENCE_RE.pattern
            + r"|^(?:(?:CABLE|Cable|TELEGRAM|Telegram|CIPHERED|Ciphered)\w*\s+)?"
            + NUMBER_MARK
            + r"\s*\S+\s*$|^[A-Z]{3,}\w*\s+"
            + NUMBER_MARK
            + r"\s*\d",
        ),
        (
            "archive",
            r"^(?:Fond|Opis|Delo|Folder|File|Listy?)\b|^(?:AVP\s?RF|APRF|RGASPI|TsAMO|"
            r"AVPRF|GARF|RGANI)\b",
        ),
    )
)

#: an item of a distribution list: "1 - Cde. A. A. Gromyko", "5 - to file", "2x Embassy"
DISTRIBUTION_ITEM_RE = re.compile(
    r"^(?P<label>\d{1,2}\s*[-–—]|\d{1,2}\s*[x×])\s*(?=\S)", re.IGNORECASE
)

#: an ordered-list label and the numbering style it belongs to
LIST_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (style, re.compile(pattern))
    for style, pattern in (
        ("arabic", r"^(?P<label>(?P<n>\d{1,3})[.)])\s+(?=\S)"),
        ("arabic-paren", r"^(?P<label>\((?P<n>\d{1,3})\))\s+(?=\S)"),
        ("upper-alpha-paren", r"^(?P<label>\((?P<n>[A-Z])\))\s+(?=\S)"),
        (
            "lower-roman-paren",
            r"^(?P<label>\((?P<n>(?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii))\))\s+(?=\S)",
        ),
        ("lower-alpha-paren", r"^(?P<label>\(?(?P<n>[a-z])\))\s+(?=\S)"),
        ("fullwidth", r"^(?P<label>(?P<n>[０-９]{1,3})[．.、])\s*(?=\S)"),
        ("cjk", r"^(?P<label>(?P<n>[一二三四五六七八九十]{1,3})、)\s*(?=\S)"),
        ("cjk-paren", r"^(?P<label>[（(](?P<n>[一二三四五六七八九十]{1,3})[）)])\s*(?=\S)"),
    )
)

#: a bulleted list item: a hyphen, an en dash or a bullet before the text (not an em dash,
#: which opens a line of dialogue)
BULLET_RE = re.compile(r"^(?P<label>[-–•·▪*])\s+(?=\S)")

#: a horizontal rule
RULE_RE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,}|—{2,})\s*$")

#: words inside editorial brackets that stand for something not transcribed
GAP_WORDS_RE = re.compile(
    r"^(?:\.{2,}|…|illegible|unclear|signature|signatures|stamp|seal|initials|"
    r"(?:\d+(?:\s*-\s*\d+)?|one|two|three|several|a\s+few)\s+(?:illegible\s+)?"
    r"(?:illegible\s+)?(?:letters?|words?|lines?|characters?)(?:\s+illegible)?|"
    r"text\s+missing|missing|omitted|excised|deleted|crossed\s+out|torn|damaged|"
    r"not\s+declassified|redacted|sanitized|handwritten\s+signature)$",
    re.IGNORECASE,
)
SIC_RE = re.compile(r"^(?:sic|SIC|Sic)[!.]?$")
NOTE_WORDS_RE = re.compile(
    r"^(?:handwritten|typed|underlined|in\s+(?:the\s+)?margin|marginal|translator'?s?|"
    r"editor'?s?|ed\.|note|illegible\s+handwriting|in\s+pencil|in\s+ink|handwriting|"
    r"Translator|Editor|Note|Handwritten|Handwriting)\b",
    re.IGNORECASE,
)
FOOTNOTE_MARK_RE = re.compile(r"^\d{1,3}$")

#: kinds of documents, by a word of a title or heading
DOCUMENT_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (
            "memorandum",
            r"\bmemorand(?:um|a)\b|\brecords?\s+of\s+(?:a\s+)?conversations?\b|\bmemcon\b",
        ),
        ("protocol", r"\bprotocols?\b|\bminutes\b|\btranscripts?\b|\bstenograms?\b"),
        ("diary", r"\bdiary\b|\bdiaries\b|\bjournal\b"),
        ("telegram", r"\btelegrams?\b|\btelegraph\b"),
        ("cable", r"\bcables?\b|\bcabl\w\b"),
        ("letter", r"\bletters?\b|\bmessages?\b|\bnote\s+from\b"),
        ("report", r"\breports?\b|\bbriefings?\b"),
        ("statement", r"\bstatements?\b|\bspeech(?:es)?\b|\bdeclarations?\b|\bcommuniqu"),
        ("resolution", r"\bresolutions?\b|\bdecisions?\b|\bdecrees?\b|\bdirectives?\b"),
        ("agenda", r"\bagenda\b"),
        ("attachment", r"\battachments?\b|\benclosures?\b|\bannex(?:es)?\b|\bappendix\b"),
        ("draft", r"\bdraft\b"),
    )
)

#: quotation marks that open and close quotations in this format
OPENING_QUOTES = '"“„«「『'
CLOSING_QUOTES = '"”»」』'
QUOTE_PAIRS = {'"': '"', "“": "”", "„": "“", "«": "»", "「": "」", "『": "』"}

#: valedictions that stand before a signature
VALEDICTION_RE = re.compile(
    r"^(?:With\s+(?:communist|comradely|fraternal|best|warm)\s+\w+|Respectfully|Sincerely|"
    r"Yours|Your|With\s+respect|With\s+greetings|Greetings|Regards|Best\s+regards|Faithfully)"
    r"\b[^.!?]{0,60}[,.!]?$",
    re.IGNORECASE,
)

CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LETTER_SPACED_RE = re.compile(r"^(?:\S )+\S$")
