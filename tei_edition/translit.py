"""The romanization of Russian that the register's index forms use: ALA-LC (Library of Congress) without
diacritics and ligature ties, the soft sign as ' and the hard sign as " — the system of most English-language
historiography of Soviet Russia (Zinov'ev, Il'ich, Trotskii). Stated in the register's header."""

from __future__ import annotations

import re
import unicodedata

ALA_LC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": '"', "ы": "y",
    "ь": "'", "э": "e", "ю": "iu", "я": "ia",
    # pre-reform letters, as ALA-LC romanizes them
    "і": "i", "ѣ": "e", "ѳ": "f", "ѵ": "y",
}


def romanize(text: str) -> str:
    """ALA-LC without diacritics: "Григорий Евсеевич Зиновьев" → "Grigorii Evseevich Zinov'ev"."""
    out = []
    for ch in text:
        low = ch.lower()
        lat = ALA_LC.get(low)
        if lat is None:
            out.append(ch)
        elif ch != low and lat and lat[0].isalpha():
            out.append(lat[0].upper() + lat[1:])
        else:
            out.append(lat)
    return "".join(out)


def sort_key(index_form: str) -> str:
    """"Zinov'ev, Grigorii Evseevich" → "zinovev-grigorii-evseevich" (ASCII, lower case, words by hyphens)."""
    ascii_ = unicodedata.normalize("NFKD", index_form).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_.lower().replace("'", "").replace('"', ""))
    return "-".join(words)
