"""Finding registered name forms in text: case, spelling variants, word edges, OCR confusions."""

from __future__ import annotations

import pytest

from tei_cable.entities import Registry


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


def found(registry: Registry, text: str) -> list[tuple[str, str, str | None]]:
    return [
        (text[m.start : m.end], m.candidate.entity_id, m.correction)
        for m in registry.index.find(text)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Copies to Cde. KIM IL SUNG and PENG DEHUAI.",
            [("KIM IL SUNG", "kim_il_sung", None), ("PENG DEHUAI", "peng_dehuai", None)],
        ),
        (
            "Kim Il-sung met P'eng Te-huai",
            [("Kim Il-sung", "kim_il_sung", None), ("P'eng Te-huai", "peng_dehuai", None)],
        ),
        (
            "talks at Kaesŏng and Kaesong",
            [("Kaesŏng", "kaesong", None), ("Kaesong", "kaesong", None)],
        ),
        ("to Cde. FILIPPOV", [("FILIPPOV", "joseph_stalin", None)]),
        ("Mao's telegram", [("Mao", "mao_zedong", None)]),
        ("毛泽东同志", [("毛泽东", "mao_zedong", None)]),
        ("to the IV Unit OS VKP(b) CC", [("VKP(b) CC", "vkpb_cc", None)]),
        ("along the 38th parallel and", [("38th parallel", "parallel_38n", None)]),
    ],
)
def test_registered_forms_in_any_case_and_spelling(
    registry: Registry, text: str, expected: list[tuple[str, str, str | None]]
) -> None:
    assert found(registry, text) == expected


def test_longest_form_wins(registry: Registry) -> None:
    text = "the delegation of the UN forces headquarters, the UN forces delegation, the UN"
    assert [(s, i) for s, i, _ in found(registry, text)] == [
        ("UN forces headquarters", "un_command"),
        ("UN forces delegation", "unc_delegation"),
        ("UN", "united_nations"),
    ]
    letterhead = "SECOND MAIN DIRECTORATE OF THE GENERAL STAFF OF THE SOVIET ARMY"
    assert found(registry, letterhead) == [(letterhead, "soviet_gru", None)]


@pytest.mark.parametrize(
    "text",
    [
        "Korean territory",  # an adjective, not the place
        "a joy to see",  # the noun, not the surname Joy
        "Sino-Korea-wide",  # inside a hyphenated word
        "the stalinist line",  # inside a longer word
        "mao",  # a form written with a capital needs one
    ],
)
def test_words_that_only_look_like_names(registry: Registry, text: str) -> None:
    assert found(registry, text) == []


def test_ocr_confusions_are_found_with_their_correction(registry: Registry) -> None:
    assert found(registry, "Cdes. Nam II and Deng Hua") == [
        ("Nam II", "nam_il", "Nam Il"),
        ("Deng Hua", "deng_hua", None),
    ]
    assert found(registry, "NAM II") == [("NAM II", "nam_il", "NAM IL")]
    # not in the registry as a misreading: found through the letters OCR confuses
    assert found(registry, "Kim II Sung arrived") == [("Kim II Sung", "kim_il_sung", "Kim Il Sung")]
    assert found(registry, "flew to M0SCOW") == [("M0SCOW", "moscow", "MOSCOW")]
    assert found(registry, "Peking and Pek1ng") == [
        ("Peking", "beijing", None),
        ("Pek1ng", "beijing", "Peking"),
    ]


def test_short_forms_are_not_guessed_through_ocr(registry: Registry) -> None:
    # "Mao" has too few letters to be recognised behind a confusion
    assert found(registry, "Ma0 left") == []
