"""The document-structure grammar, rule by rule, on small records in layouts of our own:
parts in another order, parts left out or repeated, single newlines instead of blank lines."""

from __future__ import annotations

import random
import re

import pytest
from conftest import SEED
from lxml import etree

from tei_cable.convert import convert_record
from tei_cable.model import (
    ArchivalNote,
    Division,
    ListBlock,
    Paragraph,
    Quoted,
    Speech,
    plain_text,
)
from tei_cable.readers import read_record
from tei_cable.readers.wilson.kinds import title_kind
from tei_cable.readers.wilson.title import title_parties

T = "{http://www.tei-c.org/ns/1.0}"


def record(title: str, body: str):
    return read_record(f"**May 1, 1950  \n{title}**\n\n**Summary:**\n\nA test.\n\n{body}")


def corresp(title: str, body: str) -> dict[str, list[str]]:
    """The outer document's correspondence as (action, kind) → labels."""
    tree = convert_record(f"**May 1, 1950  \n{title}**\n\n**Summary:**\n\nA test.\n\n{body}").tree
    out: dict[str, list[str]] = {}
    desc = tree.find(f".//{T}correspDesc[@corresp='#L1']")
    if desc is None:
        return out
    for action in desc.iter(f"{T}correspAction"):
        key = action.get("subtype") or action.get("type")
        for fact in action:
            out.setdefault(f"{key}:{etree.QName(fact).localname}", []).append(
                fact.get("when") or fact.text or ""
            )
    return out


# ------------------------------------------------------------------------------ kinds


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Cable, Mao Zedong to Joseph Stalin", "cable"),
        ("Ciphered Telegram No. 4581, Roshchin to Filippov [Stalin]", "telegram"),
        (
            "Draft Telegram to Hanoi Soviet Ambassador on Instructions for Meeting with Ho",
            "telegram",
        ),
        ("Telegram from Pyongyang to Bucharest, TOP SECRET, No. 76.042, Regular", "telegram"),
        ("Letter from Kim Il Sung to Stalin", "letter"),
        (
            "Note on a Conversation with the Acting Ambassador of Poland, Comrade Pudisz",
            "conversation",
        ),
        ("Memorandum of Conversation between Kim Il Sung and A. M. Puzanov", "conversation"),
        ("Record of a Conversation with Mao Zedong", "conversation"),
        ("Conversation between Soviet Ambassador Moskovsky and Soviet Specialists", "conversation"),
        ("Minutes of the Meeting of the Politburo, 3 May 1950", "protocol"),
        ("Journal of Soviet Ambassador to the DPRK V. I. Ivanov for 24 December 1955", "diary"),
        ("Diary of a Member of the Delegation", "diary"),
        ("Petition on Opposition to the Coming to Japan of the Nuclear Submarine", "petition"),
        (
            "Memorandum, Hungarian National Commission of Atomic Energy to the Foreign Ministry",
            "memorandum",
        ),
        ("Report on the Situation at the Front", "report"),
        ("Liu Shaoqi to Cde. G.M. Malenkov", None),
    ],
)
def test_the_kind_a_title_names(title: str, kind: str | None) -> None:
    assert title_kind(title) == kind


@pytest.mark.parametrize(
    ("title", "parties"),
    [
        ("Cable, Mao Zedong to Joseph Stalin", (["Mao Zedong"], ["Joseph Stalin"])),
        ("Cable, Terebin to Stalin, Plans for Mao's Visit to Moscow", (["Terebin"], ["Stalin"])),
        ("Telegram from Stalin to Kim Il Sung, via Shtykov", (["Stalin"], ["Kim Il Sung"])),
        (
            "Ciphered telegram, Mao Zedong to Filippov [Stalin] via Zakharov",
            (["Mao Zedong"], ["Filippov [Stalin]"]),
        ),
        (
            "Cable No. 3582 from Flilippov [Stalin] to Cde. Mao Zedong",
            (["Flilippov [Stalin]"], ["Cde. Mao Zedong"]),
        ),
        (
            "Cable from the Chinese Foreign Ministry, 'Instruction to Diplomatic Posts on How'",
            (["Chinese Foreign Ministry"], []),
        ),
        (
            "Telegram from Pyongyang to Bucharest, TOP SECRET, No. 76.042, Regular",
            (["Pyongyang"], ["Bucharest"]),
        ),
        (
            "Cable no. 388 from the Czechoslovak Embassy in Havana (Pavlíček)",
            (["Czechoslovak Embassy in Havana"], []),
        ),
        (
            "Letter, Kim Il Sung and Pak Hon-yong to Stalin",
            (["Kim Il Sung", "Pak Hon-yong"], ["Stalin"]),
        ),
        ("Petition on Opposition to the Coming to Japan of the Nuclear Submarine", None),
        ("Journal of Soviet Ambassador to the DPRK V. I. Ivanov for 24 December 1955", None),
        ("Draft Telegram to Hanoi Soviet Ambassador on Instructions for Meeting with Ho", None),
        ("Liu Shaoqi to Cde. G.M. Malenkov", None),
        ("Letter, Soviet Ambassador to the DPRK Puzanov to Kim Il Sung", None),  # splits two ways
        ("Report on the Visit of the Delegation to Moscow", None),
    ],
)
def test_the_parties_a_title_names_only_in_the_archive_forms(title, parties) -> None:
    assert title_parties(title) == parties


# ------------------------------------------------------------------------------ fields

FIELDS = [
    "To: the Romanian Ministry of Foreign Affairs",
    "From: the Romanian Embassy in Pyongyang",
    "Subject: Soviet comments on relations with China",
    "Date: March 16, 1977",
    "Classification: Secret",
]


@pytest.mark.parametrize("seed", range(4))
def test_labelled_fields_in_any_order_and_subset_are_the_opener(seed: int) -> None:
    rng = random.Random(seed)
    chosen = rng.sample(FIELDS, k=rng.randint(2, len(FIELDS)))
    text = "\n".join(chosen) + (
        "\nSoviet diplomats noted, with an obvious concern, that there has been a surge in"
        " relations.\nSigned: Nicolae Gavrilescu\n"
    )
    letter = record("Telegram 065241 from the Embassy", text).document
    roles = {"To": "addressee", "From": "sender", "Subject": "subject", "Date": "dateline"}
    assert [p.role for p in letter.opener] == [
        roles.get(line.split(":")[0], "field") for line in chosen
    ]
    assert not any(isinstance(b, Speech) for b in letter.body)
    assert [p.role for p in letter.closer] == ["signed"]


def test_field_values_on_the_lines_after_their_labels() -> None:
    letter = record(
        "Petition to the Prime Minister",
        "To:\nThe Prime Minister\nMr. Hayato Ikeda\nFrom:\nJapan Socialist Party\n"
        "Tokyo, 10 April 1961\n\nWe resolutely oppose the coming of the submarine to our ports.\n",
    ).document
    assert [(p.role, p.label) for p in letter.opener] == [
        ("addressee", "to"),
        ("sender", "from"),
        ("dateline", None),
    ]
    assert plain_text(letter.opener[0].children) == "To:\nThe Prime Minister\nMr. Hayato Ikeda"


def test_fields_in_capitals_and_in_chinese_script() -> None:
    letter = record(
        "Telegram, A to B",
        "FROM\nBeijing\nTO\nMoscow\nDATE SENT\n2 October 1950\nThe text of the telegram follows"
        " here as a sentence.\n",
    ).document
    assert [(p.role, p.label) for p in letter.opener] == [
        ("sender", "from"),
        ("addressee", "to"),
        ("dateline", "date-sent"),
    ]
    chinese = record(
        "Telegram, A to B",
        "发报人：毛泽东\n收报人：\n彭德怀\n发报时间：一九五〇年十月八日\n同意你们的部署。\n",
    ).document
    assert [p.label for p in chinese.opener] == ["from", "to", "date-sent"]


def test_a_field_label_is_never_a_speaker() -> None:
    letter = record(
        "Minutes of the Meeting",
        "Classification: Secret\nStalin: Do you agree?\nMao Zedong: We agree.\nSigned: Vyshinsky\n",
    ).document
    speakers = [plain_text(b.speaker) for b in letter.body if isinstance(b, Speech)]
    assert speakers == ["Stalin: ", "Mao Zedong: "]
    telegram = record(
        "Telegram, A to B", "Stalin: Do you agree?\nThe text ends here now.\n"
    ).document
    assert not any(isinstance(b, Speech) for b in telegram.body)  # one speaker, no dialogue


# ------------------------------------------------------------------------------ closers


def test_a_valediction_signature_and_an_address_at_the_foot() -> None:
    letter = record(
        "Letter, Kim Il Sung to Zhou Enlai",
        "My dear premier,\n\nAllow me to thank you most warmly for the reception of our"
        " delegation.\n\nYours sincerely,\n(Sd).\nKim Il Sung\n\nTo Zhou Enlai,\nPremier of"
        " the Government Administration Council,\nBeijing\n",
    ).document
    assert [p.role for p in letter.opener] == ["salute"]
    assert [p.role for p in letter.closer] == ["salute", "signed", "addressee"]
    assert plain_text(letter.closer[2].children).endswith("Beijing")


@pytest.mark.parametrize(
    "signature",
    [
        "USSR AMBASSADOR IN THE DPRK\n[signature]\n(A. PUZANOV)",
        "Jarck\nActing Ambassador",
        "Dr. György Osztrovszki\n[chairman of the National Commission of Atomic Energy]",
        "[Chinese] Foreign Ministry\n5 November 1962",
        "Pavlíček 388.",
        "Terebin.\n22.IV.1948",
        "FYN SI [Stalin].\nNo. 4/7556\n20 November 1950",
    ],
)
def test_signatures_of_several_lines_are_one_signed_part(signature: str) -> None:
    letter = record(
        "Cable, A to B",
        "The delivery of ammunition will be delayed until the end of the quarter.\n"
        + signature
        + "\n",
    ).document
    signed = [p for p in letter.closer if p.role == "signed"]
    assert len(signed) == 1
    assert all(isinstance(b, Paragraph) for b in letter.body) and len(letter.body) == 1


def test_end_is_not_a_signature() -> None:
    letter = record(
        "Petition, A to B", "We demand that the submarine stays away from Japan.\n\nEnd\n"
    ).document
    assert not letter.closer


@pytest.mark.parametrize(
    ("tail", "items"),
    [
        ("CC:\n2x Far Eastern Department/Foreign Ministry\n1x Embassy", 2),
        ("Five copies printed\n1 - Cde. A. A. Gromyko\n2 - Cde. Yu. V. Andropov\n3 - to file", 3),
        ("To be seen by\nComrade Szabó F.\nSeen by\nComrade Bényei\nComrade Rátkai", 3),
    ],
)
def test_distribution_lists_after_the_closer(tail: str, items: int) -> None:
    letter = record(
        "Telegram, A to B",
        "The referent said that relations had regressed in the last two years.\nJarck\n"
        + tail
        + "\n",
    ).document
    lists = [b for n in letter.tail if isinstance(n, ArchivalNote) for b in n.blocks]
    assert all(isinstance(b, ListBlock) and b.type == "distribution" for b in lists)
    assert sum(len(b.items) for b in lists) == items
    assert [p.role for p in letter.closer] == ["signed"]


def test_copies_at_the_head_are_a_distribution_not_copy_recipients() -> None:
    found = corresp(
        "Ciphered telegram, A to B",
        "CIPHERED TELEGRAM No. 26901.\nCopies: Stalin, Molotov, Malenkov.\nTo Comrade FILIPPOV\n"
        "I fully agree with your proposal to reinforce the aviation force.\nMAO ZEDONG\n",
    )
    assert "cc:persName" not in found
    assert found["received:persName"] == ["Joseph Stalin"]


# ------------------------------------------------------------------------------ relays


@pytest.mark.parametrize(
    ("intro", "open_", "close"),
    [
        ("Pass the following to Cde. MAO ZEDONG:", "“", "”"),
        ("Transmit the following to Mao Zedong or Zhou Enlai:", '"', '"'),
        ("Please convey the following message to Comrade Mao Zedong:", "«", "»"),
    ],
)
def test_a_relayed_message_in_quotation_marks(intro: str, open_: str, close: str) -> None:
    letter = record(
        "Cable No. 3582 from Filippov [Stalin] to Mao Zedong",
        f"to TEREBIN\n\n{intro}\n\n{open_}To Cde. MAO ZEDONG. With great regret we have to inform"
        " you of the accident.\n\nWe are taking steps to send a new delegation.\n\n"
        f"FILIPPOV{close}\n\nConfirm receipt.\n\nTelegraph when this is done.\n\nFILIPPOV\n",
    ).document
    nested = letter.nested()
    assert len(nested) == 1 and nested[0].quoted
    assert [p.role for p in nested[0].opener] == ["addressee"]
    assert [p.role for p in nested[0].closer] == ["signed"]
    after = [plain_text(b.children) for b in letter.body if isinstance(b, Paragraph)]
    assert after[-2:] == ["Confirm receipt.", "Telegraph when this is done."]


def test_a_message_quoted_inside_one_sentence() -> None:
    letter = record(
        "Cable, Stalin to Mao Zedong",
        "To Terebin:\n\nIn reply to the message, convey to Mao Zedong that “The Soviet government"
        " will welcome the visit of Mao Zedong to the USSR.” Send Mao Zedong's reaction.\n\n"
        "Kuznetsov\n16.XII.1947\n",
    ).document
    (paragraph,) = [b for b in letter.body if isinstance(b, Paragraph)]
    quoted = [s for s in paragraph.children if isinstance(s, Quoted)]
    assert quoted[0].letter is not None and letter.nested() == [quoted[0].letter]
    tree = convert_record(
        "**May 1, 1950  \nCable, Stalin to Mao Zedong**\n\n**Summary:**\n\nA test.\n\n"
        "To Terebin:\n\nIn reply to the message, convey to Mao Zedong that “The Soviet government"
        " will welcome the visit of Mao Zedong to the USSR.” Send Mao Zedong's reaction.\n\n"
        "Kuznetsov\n16.XII.1947\n"
    ).tree
    nested = tree.find(f".//{T}correspDesc[@corresp='#L1.1']")
    received = nested.find(f"{T}correspAction[@type='received']/{T}persName")
    assert received.get("ref") == "#mao_zedong" and received.get("source") == "#L1.1-relay"
    assert (
        tree.find(f".//{T}p[@{{http://www.w3.org/XML/1998/namespace}}id='L1.1-relay']") is not None
    )
    outer = tree.find(f".//{T}correspDesc[@corresp='#L1']")
    assert [p.text for p in outer.iter(f"{T}persName")] == ["Kuznetsov", "Terebin"]


def test_a_quotation_never_closed_ends_before_the_copies() -> None:
    record_ = record(
        "Ciphered telegram, Filippov [Stalin] to Zhou Enlai",
        "To Comrade Kotov\n\nVisit Zhou Enlai and transmit to him the reply to his telegram.\n\n"
        "“To Comrade Zhou Enlai.\n\nThe Soviet Government has satisfied your request.\n\n"
        "The advisers will leave for China soon.\n\nCopies: Stalin (2), Molotov\n",
    )
    letter = record_.document
    assert len(letter.nested()) == 1
    assert [n.kind for n in letter.tail if isinstance(n, ArchivalNote)] == ["distribution"]
    assert any(d.code == "R201" for d in record_.diagnostics)


def test_an_unquoted_message_transmitted_in_a_telegram() -> None:
    letter = record(
        "Ciphered telegram, Mao Zedong to Filippov [Stalin] via Zakharov",
        "To Comrade FILIPPOV [Stalin]\nComrade FILIPPOV:\nI fully agree with your proposal to"
        " reinforce the aviation force.\nI congratulate you on the successes!\nMAO ZEDONG.\n"
        "Nov 15, 1950.\nNEW PARAGRAPH.\nTo Comrade FILIPPOV.\nI report.\nYour telegram was"
        " communicated at 20 hours local time.\nZAKHAROV\nNo. 2910\n",
    ).document
    (message,) = letter.nested()
    assert not message.quoted
    assert [p.role for p in message.opener] == ["salute"]
    assert [p.role for p in message.closer] == ["signed", "dateline"]
    assert [p.role for p in letter.opener] == ["addressee"]
    assert plain_text(letter.closer[0].children) == "ZAKHAROV"


# ------------------------------------------------------------------------------ divisions


def test_sections_numbered_in_roman_numerals_and_letters() -> None:
    roman = record(
        "Report, A to B",
        "I. General situation\nThe plan was fulfilled in most branches.\nII. Relations with"
        " the Soviet Union\nThe Korean side keeps its distance:\na) they are not invited;\n"
        "b) their advice is not asked for.\nIII. On China\nDelegations are received well.\n",
    ).document
    divisions = [b for b in roman.body if isinstance(b, Division)]
    assert [(d.kind, d.n) for d in divisions] == [
        ("section", "I"),
        ("section", "II"),
        ("section", "III"),
    ]
    assert any(isinstance(b, ListBlock) for b in divisions[1].blocks)
    letters = record(
        "Letter, A to B",
        "We inform you of the following:\n\nA. The list of those being sent:\n\n1) Deng Liqun.\n\n"
        "2) Wang Naijing.\n\nB. The radio station in Ghulja should be organised to reach Beijing"
        " and Moscow as soon as it can.\n",
    ).document
    divisions = [b for b in letters.body if isinstance(b, Division)]
    assert [d.n for d in divisions] == ["A", "B"]
    assert divisions[0].head and not divisions[1].head  # a heading; a numbered paragraph


def test_numbered_points_stay_a_list_and_numbered_headings_become_sections() -> None:
    points = record(
        "Cable, A to B",
        "Questions to discuss:\n1. On relations with small democratic parties and groups. On the"
        " calling of a council.\n2. On a silver loan.\n3. On other questions.\n",
    ).document
    assert [type(b).__name__ for b in points.body] == ["Paragraph", "ListBlock"]
    agenda = record(
        "Protocol of the Meeting",
        "Agenda:\n1. On the prisoners.\n2. On the commission.\n\n1. On the prisoners.\nNam Il"
        " reported on the talks.\n2. On the commission.\nXie Fang reported on its members.\n",
    ).document
    kinds = [type(b).__name__ for b in agenda.body]
    assert kinds == ["Paragraph", "ListBlock", "Division", "Division"]


def test_journal_entries_are_dated_divisions() -> None:
    letter = record(
        "Journal of Soviet Ambassador A. M. Puzanov for 7 March 1960",
        "JOURNAL\nof Soviet Ambassador in the DPRK A. M. Puzanov for the period\n"
        "16 February through 24 March 1960\nPyongyang\n7 March 1960\nI visited Kim Il Sung."
        "\n9 March 1960\nKim Il Sung continued the familiarization with the record.\n",
    ).document
    assert letter.kind == "diary" and len(letter.head) == 1
    entries = [b for b in letter.body if isinstance(b, Division)]
    assert [(e.kind, plain_text(e.head)) for e in entries] == [
        ("entry", "7 March 1960"),
        ("entry", "9 March 1960"),
    ]


# ------------------------------------------------------------------------------ messages


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("Journal of Soviet Ambassador to the DPRK V. I. Ivanov for 24 December 1955", False),
        ("Minutes of the Meeting of the Delegation", False),
        ("Note on a Conversation with Comrade Pudisz", False),
        ("Memorandum on the Situation in Korea", False),
        ("Memorandum, Hungarian Embassy to the Hungarian Foreign Ministry", True),
        ("Cable, Terebin to Stalin", True),
    ],
)
def test_only_messages_have_correspondents(title: str, message: bool) -> None:
    found = corresp(
        title,
        "GDR Embassy to the DPRK\nPyongyang, 20 October 1967\nThe visit was paid following a"
        " Polish request and lasted an hour.\nJarck\nActing Ambassador\n",
    )
    assert bool(found) == message
    if not message:
        assert found == {}


def test_the_seed_apparatus_in_a_single_newline_layout() -> None:
    """The seed's body with every blank line taken out: the same letters and apparatus."""
    text = SEED.read_text(encoding="utf-8")
    head, sep, body = text.partition("- English Translation\n")
    single = head + sep + re.sub(r"\n\s*\n", "\n", body)

    def shape(source: str) -> list[str]:
        tree = convert_record(source).tree
        return [
            f"{etree.QName(e).localname}:{e.get('type') or ''}"
            for e in tree.find(f"{T}text").iter(
                f"{T}floatingText", f"{T}note", f"{T}opener", f"{T}closer", f"{T}signed"
            )
        ]

    assert shape(single) == shape(text)


# ------------------------------------------------------------------------------ names


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        (  # a supplied qualifier keeps its words; a description after a name is left out
            "Cable, Ministry of Foreign Affairs [of the USSR] to the Embassy in Prague (Ivanov)",
            "The weather is fine.",
            {
                "sent:orgName": ["Ministry of Foreign Affairs of the USSR"],
                "received:orgName": ["Embassy in Prague"],
            },
        ),
        (  # a relay note in the addressee line, a description after a signature
            "Cable, A to B",
            "To the Central Committee [via Zakharov]\n\nThe weather is fine.\n\n"
            "ROSHCHIN [Soviet Ambassador]\n",
            {
                "sent:persName": ["Nikolai Roshchin"],
                "received:orgName": ["Central Committee"],
            },
        ),
    ],
)
def test_a_correspondent_is_named_without_the_editors_brackets(title, body, expected) -> None:
    found = corresp(title, body)
    assert {k: v for k, v in found.items() if not k.endswith(":date")} == expected


def test_bulleted_points_become_a_list_and_a_lone_dash_stays_a_sentence() -> None:
    letter = record(
        "Note on a Conversation with Comrade Pudisz",
        "Comrade Pudisz made statements on the following issues:\n- The aid has stopped in these"
        " areas:\n- Coke and gas coal\n- Oil and oil products\nIn addition, they deliver no salt."
        "\n- Dead bodies are said to have been found in a train.\n• One point\n• Another point\n"
        "— Yes, he said, that is so.\n",
    ).document
    lists = [b for b in letter.body if isinstance(b, ListBlock)]
    assert [(b.type, [i.label for i in b.items]) for b in lists] == [
        ("bulleted", ["-", "-", "-"]),
        ("bulleted", ["•", "•"]),
    ]
    texts = [plain_text(b.children) for b in letter.body if isinstance(b, Paragraph)]
    assert "- Dead bodies are said to have been found in a train." in texts  # one dash alone
    assert texts[-1].startswith("— Yes")  # dialogue, not a list
    numbered = record(
        "Report, A to B",
        "1. The harvest:\n- wheat is short;\n- rice is sufficient.\n2. The industry grows.\n",
    ).document
    (outer,) = [b for b in numbered.body if isinstance(b, ListBlock)]
    assert [i.n for i in outer.items] == ["1", "2"]
    assert outer.items[0].blocks[0].type == "bulleted" and len(outer.items[0].blocks[0].items) == 2


@pytest.mark.parametrize(
    "foot",
    [
        "Yours sincerely,\n(Sd.)\nKim Il Sung\n",
        "Yours sincerely,\n\n(Sd).\n\nKim Il Sung\n",
        "With communist greetings,\n(signed)\nKim Il Sung\n",
    ],
)
def test_the_signed_mark_goes_with_the_signature_it_marks(foot: str) -> None:
    letter = record("Letter, Kim Il Sung to Zhou Enlai", f"My dear premier,\n\nThanks.\n\n{foot}")
    letter = letter.document
    assert [p.role for p in letter.closer] == ["salute", "signed"]
    signed = plain_text(letter.closer[1].children)
    assert signed.startswith("(") and signed.endswith("Kim Il Sung")
    found = corresp("Letter, Kim Il Sung to Zhou Enlai", f"My dear premier,\n\nThanks.\n\n{foot}")
    assert found["sent:persName"] == ["Kim Il Sung"]


def test_a_handwritten_line_is_a_handwritten_note_at_the_head_and_in_the_body() -> None:
    tree = convert_record(
        "**May 1, 1950  \nJournal of Ambassador A. M. Puzanov for 7 March 1960**\n\n"
        "**Summary:**\n\nA test.\n\nUSSR EMBASSY IN THE DPRK\n[handwritten: to Cde. Ivanov]\n"
        "JOURNAL\n7 March 1960\nI visited Kim Il Sung.\n[in pencil: read]\n"
        "[Paragraph not declassified]\nHe agreed.\n"
    ).tree
    notes = [
        (n.get("type"), "".join(n.itertext()))
        for n in tree.find(f"{T}text").iter(f"{T}note")
        if n.get("type") in ("handwritten", "editorial")
    ]
    assert notes == [
        ("handwritten", "[handwritten: to Cde. Ivanov]"),
        ("handwritten", "[in pencil: read]"),
        ("editorial", "[Paragraph not declassified]"),
    ]


def test_an_unnumbered_heading_after_numbered_sections_is_a_section_of_its_own() -> None:
    letter = record(
        "Report, A to B",
        "I. General situation\nThe plan was fulfilled.\nII. On China\nDelegations are received"
        " well.\nCONCLUSIONS\nThe DPRK is moving closer to China.\nAmbassador\n[signature]\n",
    ).document
    divisions = [b for b in letter.body if isinstance(b, Division)]
    assert [(d.n, plain_text(d.head)) for d in divisions] == [
        ("I", "I. General situation"),
        ("II", "II. On China"),
        ("", "CONCLUSIONS"),
    ]
    plain = record("Report, A to B", "NOTE\nThe plan was fulfilled.\nEND\n").document
    assert not any(isinstance(b, Division) for b in plain.body)  # no numbered sections


def test_a_letterhead_going_on_into_a_stamp_is_a_letterhead_and_a_stamp() -> None:
    tree = convert_record(
        "**May 1, 1950  \nJournal of Ambassador A. M. Puzanov for 7 March 1960**\n\n"
        "**Summary:**\n\nA test.\n\nUSSR EMBASSY IN THE DPRK [faded TOP SECRET\n"
        "MFA stamp: Copy Nº 3\n25 March 1960]\nJOURNAL\n7 March 1960\nI visited Kim Il Sung.\n"
    ).tree
    div = tree.find(f".//{T}div[@type='diary']")
    notes = [
        (n.get("type"), " ".join("".join(n.itertext()).split())) for n in div.findall(f"{T}note")
    ]
    assert notes[:2] == [
        ("letterhead", "USSR EMBASSY IN THE DPRK"),
        ("stamp", "[faded TOP SECRETMFA stamp: Copy Nº 325 March 1960]"),  # lines as lb
    ]
    assert div.find(f"{T}note[@type='stamp']/{T}stamp") is not None
