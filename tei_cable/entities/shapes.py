"""Person names recognised by their shape, without a title before them.

Only shapes that ordinary words do not take:

- initials before or after a surname: "A. M. Puzanov", "Yu. V. Andropov", "J. Nehru",
  "John F. Kennedy", "[John F.] Kennedy" (supplied by an editor),
  "Konstantinov V.M.", "Beria L.P." (after the surname, at least two initials: "Point A." is
  no name);
- a Chinese or Korean family name followed by a given name written in syllables: joined by a
  hyphen ("Pak Heon-cheol", "Chou En-lai"), as one word of pinyin syllables ("Deng Liqun",
  "Hua Guofeng", "Wang Ming": one syllable only where it is no English word) or as two words
  of Korean syllables ("Kim Jong Il", "Pak Song Chol").

The family names and the syllables of pinyin and Korean romanisation are lists of the writing
systems, not of persons: a shape never tells who a person is, only that a name is there.
"""

from __future__ import annotations

import re
from functools import cache

_UPPER = "A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁ"
_LOWER = "a-zß-öø-ÿā-ſа-яё"

#: Russian initials written with two letters ("Yu.", "Ye.", "Zh.")
_DIGRAPHS = "Yu|Ya|Ye|Yo|Zh|Kh|Ts|Ch|Sh"
#: one initial: a capital (or a Russian digraph) and a full stop
INITIAL = rf"(?:[{_UPPER}]|{_DIGRAPHS})\."
#: a surname: a capitalised word of at least two letters, or all in capitals
SURNAME = rf"[{_UPPER}][{_LOWER}{_UPPER}]+(?:(?:['’](?![sS]\b)|\-)[{_UPPER}{_LOWER}]+)*"

#: initials then a surname ("A. M. Puzanov", "A. PUZANOV", "Yu.V. Andropov")
INITIALS_FIRST_RE = re.compile(
    rf"(?<![\w.])(?:{INITIAL}\s?){{1,3}}\s*{SURNAME}(?![\w\-]|['’](?![sS]\b))(?!\s*\()"
)
#: a forename and initials (perhaps supplied by an editor) then a surname ("John F. Kennedy",
#: "[John F.] Kennedy", "[S.E.] ZAKHAROV")
INITIALS_SUPPLIED_RE = re.compile(
    rf"(?<![\w.])\[?(?P<forename>[{_UPPER}][{_LOWER}]+\s)?(?:{INITIAL}\s?){{1,3}}\]?\s?"
    rf"{SURNAME}(?![\w\-]|['’](?![sS]\b))"
)
#: a surname then its initials ("Konstantinov V.M.", "Samsonov, G. Ye.")
SURNAME_INITIALS_RE = re.compile(
    rf"(?<![\w.])(?P<surname>{SURNAME}),?\s(?P<initials>{INITIAL}(?:\s?{INITIAL}){{0,2}})"
    rf"(?![\w])"
)
#: initials right after a name ("Szabó F.", "Beria L.P."): to extend a name found otherwise
TRAILING_INITIALS_RE = re.compile(rf",?\s(?:{INITIAL}(?:\s?{INITIAL}){{0,2}})(?![\w])")


def count_initials(text: str) -> int:
    """How many initials ``text`` has."""
    return len(re.findall(INITIAL, text))


# -------------------------------------------------------------------------- Chinese and Korean
#: common Chinese family names in pinyin and Wade-Giles (not "He", "An", "Ma"…: also words)
CHINESE_SURNAMES = frozenset(
    """Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Zhu Hu Guo Lin Gao Luo Zheng Liang
    Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai Jiang Yu Du Ye Cheng
    Wei Su Lu Ding Ren Shen Yao Fan Fu Zhong Dai Cui Tan Liao Fang Jin Qiu Xia Jia Zou Shi Xiong
    Meng Qin Yan Xue Hou Lei Bai Duan Hao Kong Shao Mao Kang Nie Rao Qian Hong Qi Zuo Ji Tao
    Geng Huo Ruan Jiao Bo Wen Lai Chai Ke Rong Ouyang Situ Sima Zhuge Bi Ni Mu Xi Pi Ru
    Chou Chiang Teng Chu Kao Chao Hsu Hsieh Tsai Tseng Hsiao Chang Chen Huang Kuo Liang Lo Sung
    Tung Yeh Chi Ho Pai Tai Tsui Tsao Chien Ch'en Ch'iao Ts'ai K'ang""".split()
)
#: common Korean family names in the usual romanisations
KOREAN_SURNAMES = frozenset(
    """Kim Pak Park Ri Rhee Lee Yi Choe Choi Chong Jong Jung Chung Kang Han Hong Nam Ryu Yu Yoo
    Song Son Sin Shin Cho Jo Chang Jang Hyon Hyun Hwang Mun Moon Yun Yoon Ko Kwon Kwak Bang
    Pang Paek Baek Paik Chu Ju Ha Ho Heo Hur Im Rim Lim Om Eom Ok Oh So Chon Jeon Jon Chun Sim
    Shim Tak Pyon Pyun No Roh Ro Noh Kye Mok Yom Yeom Ki Kil Kim""".split()
)

_PINYIN_INITIALS = "b p m f d t n l g k h j q x zh ch sh r z c s y w".split()
_PINYIN_FINALS = (
    "a o e i u v ai ei ao ou an en ang eng ong er ia ie iao iu ian in iang ing iong ua uo uai "
    "ui uan un uang ue ve van vn".split()
)
_KOREAN_INITIALS = "g k kk n d t tt r l m b p pp s ss j ch jj h y w gw kw hw ch' k' t' p'".split()
_KOREAN_VOWELS = (
    "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i ŏ ŭ yŏ wŏ ae o u".split()
)
_KOREAN_FINALS = ["", "k", "g", "n", "l", "m", "p", "b", "ng", "t", "r", "l"]


@cache
def _pinyin() -> frozenset[str]:
    found = set(_PINYIN_FINALS)
    for initial in _PINYIN_INITIALS:
        for final in _PINYIN_FINALS:
            found.add(initial + final)
    return frozenset(found)


@cache
def _korean() -> frozenset[str]:
    found = set()
    for initial in ["", *_KOREAN_INITIALS]:
        for vowel in _KOREAN_VOWELS:
            for final in _KOREAN_FINALS:
                found.add(initial + vowel + final)
    return frozenset(found)


def _syllables(word: str, inventory: frozenset[str], most: int) -> bool:
    """Can ``word`` (lower case) be cut into at most ``most`` syllables of ``inventory``?"""
    word = word.replace("'", "").replace("’", "")

    @cache
    def fits(start: int, left: int) -> bool:
        if start == len(word):
            return True
        if left == 0:
            return False
        return any(
            word[start:end] in inventory and fits(end, left - 1)
            for end in range(len(word), start, -1)
        )

    return bool(word) and fits(0, most)


def _korean_given(first: str, second: str) -> bool:
    return _syllables(first.lower(), _korean(), 1) and _syllables(second.lower(), _korean(), 1)


def _pinyin_given(given: str) -> bool:
    """A given name of two pinyin syllables written as one word ("Liqun", "Dongxiang")."""
    word = given.lower()
    return (
        3 <= len(word) <= 10
        and _syllables(word, _pinyin(), 2)
        and not _syllables(word, _pinyin(), 1)
    )


#: pinyin syllables that are also English words (or finish a place: "Hong Kong"): never taken
#: alone as a given name ("Wang Ming", "Shi Zhe" are names; "Sun Can", "Hong Kong" are not)
_ENGLISH_SYLLABLES = frozenset(
    """a an ban bang be ben bin bo can chin dan den die ding do dong dun e er fan fen fun gang
    gen go gun ha hang he hen ho hong hun in king kong la le lie long lu ma man me men mi mo ne
    no nun o on pa pan pen pie pin ping po pun ran ring run sang she shin sing so son sun tan ten
    tie tin ting to tong we wing wo ye yo zen""".split()
)


def _pinyin_single(given: str) -> bool:
    """A given name of one pinyin syllable that is no English word ("Ming", "Zhe", "Qing")."""
    word = given.lower()
    return 2 <= len(word) <= 6 and word not in _ENGLISH_SYLLABLES and _syllables(word, _pinyin(), 1)


_GIVEN = rf"[{_UPPER}][{_LOWER}'’]+"
#: family name, then a hyphenated given name ("Pak Heon-cheol", "Chou En-lai")
HYPHENATED_RE = re.compile(
    rf"(?<![\w'’\-])(?P<family>[{_UPPER}][{_LOWER}'’]*)\s(?P<given>{_GIVEN}-[{_LOWER}'’]+)"
    rf"(?![\w\-])"
)
#: family name and one or two capitalised words ("Deng Liqun", "Kim Jong Il")
SPACED_RE = re.compile(
    rf"(?<![\w'’\-])(?P<family>[{_UPPER}][{_LOWER}'’]*)\s(?P<given>{_GIVEN})"
    rf"(?:\s(?P<third>{_GIVEN}))?(?![\w'’\-])"
)

_WORD_START_RE = re.compile(rf"(?<![\w'’\-])[{_UPPER}]")


def east_asian_names(text: str) -> list[tuple[int, int]]:
    """Spans of Chinese and Korean personal names in ``text`` (see the module docstring)."""
    found: list[tuple[int, int]] = []
    for m in HYPHENATED_RE.finditer(text):
        family = m.group("family")
        if family in CHINESE_SURNAMES or family in KOREAN_SURNAMES:
            first, second = m.group("given").lower().split("-", 1)
            if len(first) <= 6 and len(second) <= 6:
                found.append(m.span())
    taken = {k for s, e in found for k in range(s, e)}
    for start in (w.start() for w in _WORD_START_RE.finditer(text)):
        m = SPACED_RE.match(text, start)  # at every word: "Comrade Peng Zhen" has "Peng Zhen"
        if m is None or m.start() in taken:
            continue
        if found and found[-1][0] < m.start() < found[-1][1]:
            continue  # inside a name found at an earlier word
        family, given, third = m.group("family"), m.group("given"), m.group("third")
        end = m.end("given")
        if not third and re.search(r"['’][sS]$", given):  # a possessive ends the name
            given, end = given[:-2], end - 2
        if third and family in KOREAN_SURNAMES and _korean_given(given, third):
            found.append(m.span())
        elif family in CHINESE_SURNAMES and (_pinyin_given(given) or _pinyin_single(given)):
            found.append((m.start(), end))
    return sorted(found)
