"""Language names as the archive writes them, and their ISO 639-1 codes."""

from __future__ import annotations

LANGUAGES: dict[str, str] = {
    "albanian": "sq", "arabic": "ar", "armenian": "hy", "belarusian": "be", "bulgarian": "bg",
    "burmese": "my", "chinese": "zh", "croatian": "hr", "czech": "cs", "danish": "da",
    "dutch": "nl", "english": "en", "estonian": "et", "finnish": "fi", "french": "fr",
    "georgian": "ka", "german": "de", "greek": "el", "hebrew": "he", "hindi": "hi",
    "hungarian": "hu", "indonesian": "id", "italian": "it", "japanese": "ja", "kazakh": "kk",
    "khmer": "km", "korean": "ko", "lao": "lo", "latvian": "lv", "lithuanian": "lt",
    "macedonian": "mk", "mongolian": "mn", "norwegian": "no", "persian": "fa", "farsi": "fa",
    "polish": "pl", "portuguese": "pt", "romanian": "ro", "russian": "ru", "serbian": "sr",
    "serbo-croatian": "sh", "slovak": "sk", "slovenian": "sl", "spanish": "es", "swedish": "sv",
    "turkish": "tr", "ukrainian": "uk", "urdu": "ur", "uzbek": "uz", "vietnamese": "vi",
    "yiddish": "yi", "hebrew (modern)": "he", "tajik": "tg", "azerbaijani": "az", "thai": "th",
}


def language_code(name: str) -> str | None:
    """``"Russian"`` → ``"ru"``; None for a name this table does not know."""
    return LANGUAGES.get(name.strip().lower())
