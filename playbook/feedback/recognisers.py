"""Canadian recognisers of personal information, for Microsoft Presidio (:mod:`.redact` runs them).

Pattern types (regular expressions, checked where a check exists):

=========  ===============================================================================
EMAIL      e-mail addresses
PHONE      North American numbers in English and French layouts, with any spacing
           ("(613) 555-0199", "403  735 6090", "1-800-555-0199", "613.555.0199 poste 123"), and
           seven-digit local numbers after a phone cue ("call me at 555-0199")
SIN        Social Insurance Numbers: nine digits that pass the Luhn check, not after a reference cue
POSTAL     Canadian postal codes ("K1A 0B1", "h2x1y4", "K1A-0B1")
ADDRESS    street addresses ("123 rue Saint-Denis", "45 Main St.", "4-210 boul. René-Lévesque Ouest")
DOB        dates of birth after a birth cue in English or French ("born on", "DOB", "née le",
           "date de naissance"; not "termine le"), a birth year ("born in 1962"), and full dates
           before 2010 (comments are about recent events: old full dates are birth dates)
=========  ===============================================================================

Names (NAME) come from three sources, merged: cues ("Mme", "Mr.", "my name is", "je m'appelle",
"agent", "spoke to", sign-offs) followed by a name in any case — capitalized, lowercase, ALL CAPS,
with initials ("J.P. Morin"); the given-name gazetteer (``names.yml``); and the spaCy model's
PERSON / PER entities. A name inside a public mention (:mod:`.public_names`: an office holder in
their public role, a place) is kept unless a cue made it a client's or an employee's name.

Numbers that merely look like phones or SINs — amounts, file and reference numbers, dates — are left
alone: a phone needs the 3-3-4 shape with a valid area code and exchange, and a number right after a
reference cue ("file", "dossier", "confirmation") is neither a phone nor a SIN.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import yaml
from presidio_analyzer import LocalRecognizer, RecognizerResult

from playbook.feedback import public_names
from playbook.feedback.words import function_words

#: Every placeholder type, in order of priority when two detections overlap.
TYPES = ("EMAIL", "DOB", "SIN", "PHONE", "POSTAL", "ADDRESS", "NAME")
#: Types found by patterns; NAME uses cues, a gazetteer and the NER model.
PATTERN_TYPES = ("EMAIL", "DOB", "SIN", "PHONE", "POSTAL", "ADDRESS")
NAMES_FILE = Path(__file__).with_name("names.yml")

UPPER = "A-ZÀ-ÖØ-Þ"
LOWER = "a-zß-öø-ÿ"
_SP = r"[ \t\u00a0]"  # a space that is not a line break

# --- pattern-based types ---------------------------------------------------------------------

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")

_REF_CUE = (
    r"(?i:file|case|ref(?:erence)?|confirmation|account|acct|claim|invoice|order|ticket|request|application|"
    r"tracking|dossier|r[ée]f[ée]rence|demande|facture|compte|commande|billet|r[ée]clamation|no|num[ée]ro|n[o°º])"
)
_REF_BEFORE = re.compile(_REF_CUE + r"\.?\s*(?:#|:|no\.?|n[o°º]\.?|number|num[ée]ro)?\s*(?:de\s+\w+\s*)?:?\s*$")
_PHONE_BEFORE = re.compile(r"(?i:t[ée]l[ée]?(?:phone)?|phone|cell(?:ulaire)?|call|appel|joindre|rejoindre|text|texto|"
                           r"number|num[ée]ro|fax|#)\.?\s*(?:me|moi|au|at|is|est|:)?\s*(?:at|au|:)?\s*$")
# "my number: 581-555-0133", "mon numéro : ...": a number of one's own is a phone, not a reference.
_MY_NUMBER = re.compile(r"(?i:\b(?:my|mon|our|notre)\s+(?:phone\s+|cell\s+)?(?:number|num[ée]ro)(?:\s+de\s+t[ée]l[ée]phone)?)"
                        r"\s*(?:is|est)?\s*:?\s*$")
_S = _SP + r"{0,3}"
_SEP = rf"(?:{_S}[.-]?{_S})"  # any spacing around at most one dot or hyphen ("403  735 6090", "613 - 555")
_EXT = rf"(?:{_S},?{_S}(?i:ext\.?|extension|x|poste|p\.){_S}\d{{1,5}}\b)?"
PHONE = re.compile(
    rf"(?<![\w$.,-])(?:\+?1{_SEP})?(?:\({_S}[2-9]\d\d{_S}\){_S}|[2-9]\d\d{_SEP})[2-9]\d\d{_SEP}\d{{4}}(?!\w|[.,]\d)"
    + _EXT
)
LOCAL_PHONE = re.compile(rf"(?<![\w$.,/-])[2-9]\d\d{_S}-{_S}\d{{4}}(?![\w-]|[.,]\d)" + _EXT)
SIN = re.compile(rf"(?<![\w$.,-])\d{{3}}({_SP}{{0,2}}-?{_SP}{{0,2}})\d{{3}}\1\d{{3}}(?![\w-]|[.,]\d|\s\d)")
POSTAL = re.compile(
    r"(?<![\w-])(?i:[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])" + _SP + r"{0,2}-?" + _SP
    + r"{0,2}(?i:\d[ABCEGHJ-NPRSTV-Z]\d)(?![\w-])"
)

_FR_STREET = (
    r"(?i:rue|avenue|av\.|boulevard|boul\.|bd|chemin|ch\.|route|rang|place|c[ôo]te|mont[ée]e|all[ée]e|"
    r"impasse|croissant|promenade|ruelle|terrasse|carr[ée])"
)
_EN_STREET = (
    r"(?i:street|st\.?|avenue|ave\.?|road|rd\.?|boulevard|blvd\.?|drive|dr\.?|lane|ln\.?|crescent|cres\.?|"
    r"court|ct\.?|way|place|pl\.?|terrace|parkway|pkwy\.?|highway|hwy\.?|circle|trail|square)"
)
_WORD = rf"[{UPPER}0-9][\w'’]*(?:-[\w'’]+)*"
_LWORD = rf"[{UPPER}{LOWER}0-9][\w'’]*(?:-[\w'’]+)*"
_DIRECTION = r"(?:\s+(?i:east|west|north|south|est|ouest|nord|sud|[NSEOW]\.?)(?![\w]))?"
_UNIT = r"(?i:apt\.?|app\.?|unit|suite|bureau|appartement)"
ADDRESS = re.compile(
    rf"(?<![\w$.,-])(?:{_UNIT}\s*\d+[A-Za-z]?,?\s+|\d{{1,5}}[A-Za-z]?-)?"
    r"\d{1,6}[A-Za-z]?,?\s+"
    r"(?:" + _FR_STREET + r"\s+(?:(?i:de\s+la|de\s+l'|de\s+l’|du|des|de|d'|d’)\s*)?"
    + _LWORD + r"(?:[\s-]" + _WORD + r"){0,3}"
    r"|(?:" + _WORD + r"\s+){1,3}" + _EN_STREET + r"(?![\w]))" + _DIRECTION
    + rf"(?:,?\s+(?:{_UNIT}|#)\s*\d+[A-Za-z]?)?"
)

_MONTHS = (
    r"(?i:jan(?:uary|vier)?|f[ée]v(?:rier)?|feb(?:ruary)?|mar(?:ch|s)?|apr(?:il)?|avr(?:il)?|may|mai|"
    r"june?|juin|july?|juil(?:let)?|aug(?:ust)?|ao[ûu]t|sept?(?:ember|embre)?|oct(?:ober|obre)?|"
    r"nov(?:ember|embre)?|d[ée]c(?:ember|embre)?)\.?"
)
_DATE = (
    r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    r"|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})"
    r"|(?:1er|\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTHS + r",?\s+\d{4}"
    r"|" + _MONTHS + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})"
)
# "né le", "née le", "né(e) le", "nee le" — a word of its own with the accent or the double e ("termine le" is not one)
_BIRTH_CUE = (
    r"(?i:\bborn(?:\s+on)?|\bbirth\s?date|\bdate\s+of\s+birth|\bd\.?o\.?b\b\.?|\bbirthday(?:\s+is)?|"
    r"\bn(?:é|ée|é\(e\)|ee)\s+le|\bdate\s+de\s+naissance|\bnaissance|\bd\.?d\.?n\b\.?)"
)
DOB = re.compile(_BIRTH_CUE + r"\s*(?:(?i:is|was|est|:|-|,|on|le|the)\s*){0,2}(?P<date>" + _DATE + r")")
BIRTH_YEAR = re.compile(r"(?i:\bborn\s+in|\bn(?:é|ée|é\(e\)|ee)\s+en|\bann[ée]e\s+de\s+naissance\s*:?)"
                        r"\s+(?P<date>(?:19|20)\d\d)\b")
_OLD_YEAR = r"(?:19\d\d|200\d)"
OLD_DATE = re.compile(
    r"(?<![\w/.-])(?:" + _OLD_YEAR + r"[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]" + _OLD_YEAR
    + r"|(?:1er|\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTHS + r",?\s+" + _OLD_YEAR
    + r"|" + _MONTHS + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+" + _OLD_YEAR + r")(?![\w/-])"
)
_DIGIT = re.compile(r"\d")


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check that every Social Insurance Number passes."""
    numbers = [int(c) for c in digits if c.isdigit()]
    total = 0
    for i, n in enumerate(reversed(numbers)):
        if i % 2 == 1:
            n *= 2
            n = n - 9 if n > 9 else n
        total += n
    return bool(numbers) and total % 10 == 0


def _after(pattern: re.Pattern, text: str, start: int, width: int = 30) -> bool:
    return bool(pattern.search(text[max(0, start - width):start]))


def pattern_spans(text: str) -> dict[str, list[tuple[int, int]]]:
    """The (start, end) of each pattern type found in ``text`` (overlaps not yet resolved)."""
    found: dict[str, list[tuple[int, int]]] = {t: [] for t in PATTERN_TYPES}
    if "@" in text:
        found["EMAIL"] = [m.span() for m in EMAIL.finditer(text)]
    if not _DIGIT.search(text):
        return found
    found["DOB"] = [m.span("date") for p in (DOB, BIRTH_YEAR) for m in p.finditer(text)]
    found["DOB"] += [m.span() for m in OLD_DATE.finditer(text)]
    found["SIN"] = [m.span() for m in SIN.finditer(text)
                    if luhn_valid(m.group()) and not _after(_REF_BEFORE, text, m.start())]
    found["PHONE"] = [m.span() for m in PHONE.finditer(text)
                      if not _after(_REF_BEFORE, text, m.start()) or _after(_MY_NUMBER, text, m.start())]
    found["PHONE"] += [m.span() for m in LOCAL_PHONE.finditer(text) if _after(_PHONE_BEFORE, text, m.start(), 24)]
    found["POSTAL"] = [m.span() for m in POSTAL.finditer(text)]
    found["ADDRESS"] = [m.span() for m in ADDRESS.finditer(text)]
    return found


# --- names: cues and gazetteer -------------------------------------------------------------------

@cache
def gazetteer() -> dict[str, frozenset[str]]:
    """The name lists of ``names.yml``: ``given`` (both languages), ``ambiguous``, ``not_names``, ``lowercase``."""
    raw = yaml.safe_load(NAMES_FILE.read_text(encoding="utf-8"))
    not_names = frozenset(raw["not_names"]) | NOT_AFTER_TITLE | NOT_NAMES_EXTRA
    given = frozenset(n for names in raw["given"].values() for n in names)
    return {
        "given": given - not_names - frozenset(raw["ambiguous"]),
        "ambiguous": frozenset(raw["ambiguous"]) | (given & not_names),
        "not_names": not_names,
        # lowercase given names ("thanks, laura") except those that are also common words
        "lowercase": frozenset(n.lower() for n in given - not_names) - frozenset(raw["lowercase_homographs"]),
        "lowercase_any": frozenset(n.lower() for n in given),
    }


#: Capitalized words that follow a title without being a name ("my Dr Said", "the Agent Told me").
NOT_AFTER_TITLE = frozenset({
    "Said", "Says", "Told", "Tells", "Asked", "Gave", "Sent", "Took", "Made", "Wrote", "Prescribed", "Recommended",
    "Suggested", "Explained", "Refused", "Helped", "Answered", "Advised", "Confirmed", "Wants", "Needs", "Note",
    "Notes", "Appointment", "Office", "Visit", "Letter", "Form", "Signed", "Signature", "Dit", "Répondu", "Demandé",
    "Refusé", "Envoyé", "Rendez-vous", "Lettre", "Formulaire", "Bureau", "Clinique", "Clinic", "Hospital",
    "Hôpital", "Family", "Famille", "Doctor", "Médecin", "Who", "Que", "Qui", "Has", "Had", "Is", "Was", "Will",
    "Would", "Could", "Should", "Did", "Does", "Do", "Can", "May", "Must", "Also", "Then", "Just", "Never",
})
#: Capitalized words the NER model reads as names at the start of a sentence, in comments.
NOT_NAMES_EXTRA = frozenset({
    "Facture", "Offrez", "Honestly", "Impossible", "Alos", "Bn", "Meri", "Queue", "Website", "Site", "Web",
    "Appointment", "Rendez-vous", "Reçu", "Receipt", "Paiement", "Payment", "Processing", "Traitement",
    # acronyms of services and forms, which the model and the sign-off rule take for names ("merci NAS : …")
    "Nas", "Sin", "Dob", "Ddn", "Cra", "Arc", "Ei", "Ae", "Oas", "Sv", "Gis", "Srg", "Cpp", "Rpc", "Rrq", "Qpp",
    "Cerb", "Pcu", "Ccb", "Ace", "Esdc", "Edsc", "Ircc", "Cbsa", "Asfc", "Rcmp", "Grc", "Msca", "Pdf", "Url", "Faq",
    "Jai", "Id", "Pin", "Nip", "Sms", "Asap", "Roe", "Rdv", "Ps", "Nb", "Fyi", "Atm", "Gst", "Tps", "Hst", "Tvh",
})
_TOKEN_CAP = rf"[{UPPER}][{LOWER}'’]*(?:[{UPPER}][{LOWER}]+)?(?:-[{UPPER}][{LOWER}]+)*"
_TOKEN_CAPS = rf"[{UPPER}]{{2,}}(?:['’-][{UPPER}]+)*"
_TOKEN_INITIALS = rf"[{UPPER}]\.(?:-?[{UPPER}]\.)*"
_TOKEN = rf"(?:{_TOKEN_INITIALS}|{_TOKEN_CAPS}|{_TOKEN_CAP})"
_TOKEN_LOW = rf"[{LOWER}][{LOWER}'’]+(?:-[{LOWER}]+)*"
CAPITALIZED = re.compile(rf"(?<![\w\[-])({_TOKEN_CAP}|{_TOKEN_CAPS})(?:'s|’s)?(?![\w\]-])")
_RUN = re.compile(rf"[\s,:]+(?P<name>{_TOKEN}(?:{_SP}+{_TOKEN}){{0,2}})(?![\w-])")
_LOW_RUN = re.compile(rf"[\s,:]+(?P<name>{_TOKEN_LOW}(?:{_SP}+{_TOKEN_LOW}){{0,2}})(?![\w-])")
_LOW_ONE = re.compile(rf"{_SP}+(?P<name>{_TOKEN_LOW})(?![\w-])")
_WORD_IN_RUN = re.compile(rf"{_TOKEN}|{_TOKEN_LOW}")

# Formal titles: the next word is a name in any case ("mme bergeron", "MR SMITH").
_FORMAL_TITLE = re.compile(r"\b(?:m\.|mme|mlle|mrs?\.?|ms\.?|miss|dre?\.?|monsieur|madame|mademoiselle)(?=[\s,])")
# Cues that introduce a name (searched in the lowercased text, then the name is matched in the original).
_ROLE_CUE = (r"agente?|officer|conseill[eè]re?|advis[eo]r|representative|repr[ée]sentante?|préposée?|clerk|"
             r"supervisor|superviseure?|gestionnaire|manager|employee|employée?|worker|caseworker|case\s+worker|"
             r"l['’]agente?|spoke\s+(?:to|with)|talked\s+(?:to|with)|parl[ée]\s+(?:à|avec)|thanks\s+to|merci\s+à|"
             r"de\s+la\s+part\s+de|helped\s+by|aid[ée]e?\s+par|named|nomm[ée]e?")
_SELF_CUE = (r"my\s+name\s+is|my\s+name's|je\s+m['’]appelle|mon\s+nom\s+est|moi\s+c['’]est|"
             r"name\s*:|nom\s*:|signed\s*,?|sign[ée]\s*,?|client\s*:|son\s+nom\s+est|his\s+name\s+is|her\s+name\s+is|"
             r"my\s+(?:wife|husband|son|daughter|mother|father|mom|dad)(?:'s\s+name\s+is)?|"
             r"ma\s+(?:femme|fille|mère|conjointe)|mon\s+(?:mari|fils|père|conjoint)")
_CUE = re.compile(rf"\b(?:{_ROLE_CUE}|{_SELF_CUE})(?![\w])")
# Greetings and sign-offs introduce a name only when the name ends the clause ("Thanks, Oksana").
_WEAK_CUE = (r"(?i:thanks|thank\s+you|merci|regards|best\s+regards|cordialement|sincerely|bonjour|hello|hi|hey|"
             r"dear|cher|chère|allo|salut|bye|cheers|from)")
_NAME_AFTER_WEAK = re.compile(
    rf"\b{_WEAK_CUE}[\s,:-]+(?P<name>(?:{_TOKEN}|{_TOKEN_LOW})(?:{_SP}+(?:{_TOKEN}|{_TOKEN_LOW})){{0,2}})"
    r"(?=\s*(?:[,.!;:)\n]|$))"
)
# A signature: the last line of a comment, or what follows a dash at its end.
_SIGNATURE = re.compile(rf"(?:\n|\s[-–—]{{1,2}}\s*)(?P<name>(?:{_TOKEN}|{_TOKEN_LOW})(?:{_SP}+(?:{_TOKEN}|{_TOKEN_LOW})){{0,2}})"
                        r"\s*[.!]?\s*$")
_PLACE_BEFORE = re.compile(
    r"(?i:\b(?:the|le|la|les|du|des|au|aux|rue|avenue|av\.|boulevard|boul\.|street|chemin|station|m[ée]tro|"
    r"pavillon|complexe|place|parc|park|lac|lake|mont|mount|river|rivière|pont|bridge|école|school|hôpital|"
    r"hospital|a|an|this|that|ce|cette|un|une|my|mon|ma|our|notre|bureau|édifice|building|centre|center|complexe|"
    r"tour|tower|aréna|arena|collège|college|université|university|hall|salle|pavillon))\s+$"
)
_LOWER_WORD = re.compile(rf"(?<![\w'’-])[{LOWER}]{{3,}}(?:-[{LOWER}]+)?(?![\w'’-])")
# A French elided word ("m'a", "l'équipe", "qu'il"): never a name ("O'Brien" is).
_ELISION = re.compile(r"(?:[mljcdsntMLJCDSNT]|qu|Qu)['’]")
# An English verb form (past or -ing) after a cue is no name: "the agent switched", "agent helping".
_VERB_FORM = re.compile(rf"[{LOWER}]{{3,}}(?:ed|ing)")
_PARTICLE_NAME = re.compile(
    rf"\s+(?P<name>(?i:de|du|des|van|von|der|den|di|da|del|della|dos|das|le|la)(?:\s+(?i:la|le|der|den))?\s+{_TOKEN_CAP})(?![\w-])")
_NAME_WORDS = rf"(?:{_TOKEN}(?:{_SP}+{_TOKEN}){{0,2}}|{_TOKEN_LOW})"
# A name, then where the person works: "Olu at the call centre", "J.P. Morin from the passport office".
_AT_SERVICE = re.compile(
    rf"(?<![\w'’.-])(?P<name>{_NAME_WORDS}){_SP}+(?i:at|from|of|in){_SP}+(?i:the|your){_SP}+(?:[\w'’-]+{_SP}+){{0,4}}?"
    r"(?i:office|desk|counter|cent(?:re|er)|branch|location|kiosk|wicket)\b")
# A sign-off: the last sentence of a comment is a name alone, maybe with a place or a number after a comma.
_SIGN_OFF_END = re.compile(
    rf"[.!?]{_SP}+(?P<name>{_TOKEN}(?:{_SP}+{_TOKEN}){{0,2}})(?:{_SP}*,{_SP}*[^\n!?]{{1,40}})?{_SP}*[.!]?\s*$")
# A name alone on a line, with more lines after it ("OKSANA PETRENKO" above a phone number).
_NAME_LINE = re.compile(rf"(?:^|\n){_SP}*(?P<name>{_TOKEN}(?:{_SP}+{_TOKEN}){{1,2}}){_SP}*,?{_SP}*(?=\n)")


def _all_name_words(name: str) -> bool:
    """Whether ``name`` reads as a person's name: no function word, sign-off word, place or office
    holder; initials and capitalized words ("J.P. Morin", "D. Kaur"); a single word that is no common
    word at all; or several words none of which is a common word other than a noun and one at least no
    word ("Edna Pruitt")."""
    stop, words = gazetteer()["not_names"], function_words()
    office, places = _public_patterns()
    if office.search(name) or places.search(name):
        return False
    raw = _WORD_IN_RUN.findall(name)
    initials = [w for w in raw if re.fullmatch(rf"[{UPPER}](?:\.-?[{UPPER}])*\.?", w)]
    letters = [w for w in raw if w not in initials]
    if not letters or any(w.lower() in words or w.title() in stop for w in letters):
        return False
    if initials:  # "J.P. Morin", "D. Kaur": initials and a surname
        return all(w[0].isupper() for w in letters)
    if len(letters) == 1:
        return not is_common_word(letters[0].lower())
    return (not any(is_common_word(w.lower(), nouns=False) for w in letters)
            and not all(is_common_word(w.lower()) for w in letters))


@cache
def _common_words() -> frozenset[str]:
    from playbook.feedback.redact import lookup_words

    return lookup_words()


def is_common_word(word: str, *, nouns: bool = True) -> bool:
    """Whether ``word`` (any case) is an ordinary English or French word: in the English model's
    WordNet-based lemma index or the French model's lemma look-up table. WordNet's English nouns hold
    famous surnames ("johnson", "smith"): ``nouns=False`` leaves them out."""
    w = word.lower().strip(".,;:!?'’")
    common = _common_words() if nouns else _common_words_no_nouns()
    return w in common or w.rstrip("s") in common


@cache
def _common_words_no_nouns():
    from playbook.feedback.redact import lookup_words

    return lookup_words(nouns=False)


def is_typo_of_common_word(word: str) -> bool:
    """Whether ``word`` is one typing slip (a letter missing, doubled or swapped) away from a common word
    of four letters or more ("Qeue", "Alllo", "Bnojour"); a changed letter is not tried (too many names
    are one letter away from a word)."""
    w = word.lower()
    if len(w) < 4:
        return False
    letters = "abcdefghijklmnopqrstuvwxyzéèêàâçôîûù"
    splits = [(w[:i], w[i:]) for i in range(len(w) + 1)]
    edits = {a + b[1:] for a, b in splits if len(b) > 1 and b[0] == b[1]}  # a doubled letter: "Alllo"
    edits |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}  # two letters swapped: "Bnojour"
    edits |= {a + c + b for a, b in splits for c in letters}  # a letter missing: "Qeue", "Thans"
    common = _common_words()
    return any(len(e) >= 4 and e in common for e in edits - {w})


def _trim(text: str, start: int, end: int, allow_lower: bool) -> tuple[int, int] | None:
    """The longest leading run of name words in ``text[start:end]``, stopping at a word that is no name."""
    stop, words = gazetteer()["not_names"], function_words()
    last = None
    for tok in _WORD_IN_RUN.finditer(text, start, end):
        word = tok.group()
        if last is None and _TITLE_WORD.fullmatch(word.lower()):
            start = tok.end() + len(text[tok.end():end]) - len(text[tok.end():end].lstrip())
            continue  # "merci M. Khan": the title stays
        if word.title() in stop or word.lower() in words or word.title() in NOT_AFTER_TITLE:
            break
        if word[0].islower() and not allow_lower:
            break
        last = tok.end()
    return (start, last) if last else None


def cue_name_spans(text: str) -> Iterator[tuple[int, int, str]]:
    """Names after a cue: ``(start, end, kind)`` with kind ``title`` ("Mme", "Mr."), ``role`` ("agent",
    "my name is", "spoke to") or ``signature`` (a sign-off, or a name alone on the last line)."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    for cue in _FORMAL_TITLE.finditer(lowered):
        m = _RUN.match(text, cue.end()) or _LOW_ONE.match(text, cue.end())
        if m and _ELISION.match(m.group("name")):
            continue  # "le monsieur m'a dit": an elided word is no name (but "Mr O'Brien" is)
        if m:
            span = _trim(text, m.start("name"), m.end("name"), allow_lower=True)
            doctor = cue.group().startswith("dr")
            # "my dr told me": after "dr" (also a street) a lowercase word must be no common word
            if span and (text[span[0]].isupper() or not doctor or not is_common_word(text[span[0]:span[1]].split()[0])):
                yield (*span, "doctor" if doctor else "title")
    lower_given = gazetteer()["lowercase_any"]
    for cue in _CUE.finditer(lowered):
        m = _RUN.match(text, cue.end())
        if m:
            span = _trim(text, m.start("name"), m.end("name"), allow_lower=False)
            if span:
                yield (*span, "role")
        elif m := _LOW_RUN.match(text, cue.end()):
            # lowercase after "my name is", "agent": known given names and words that are no verb, adjective or
            # French word ("l'agent beaulieu m'a dit", "agent johnson told"; not "an agent francophone")
            end = None
            for tok in re.finditer(r"\S+", m.group("name")):
                word = tok.group()
                if _ELISION.match(word) or _VERB_FORM.fullmatch(word):
                    break  # "l'agent m'a dit", "merci à l'équipe", "the agent switched": elisions and verbs
                if word not in lower_given and (word in function_words() or is_common_word(word, nouns=False)
                                                or is_typo_of_common_word(word)):
                    break
                end = m.start("name") + tok.end()
            if end:
                yield m.start("name"), end, "role"
    for cue in _FORMAL_TITLE.finditer(lowered):  # "Mr. de la Fontaine": particles, then the surname
        if m := _PARTICLE_NAME.match(text, cue.end()):
            yield m.start("name"), m.end("name"), "title"
    for m in _AT_SERVICE.finditer(text):  # "ALI at the front desk", "raj at the Square One office"
        if _all_name_words(m.group("name")):
            yield m.start("name"), m.end("name"), "role"
    for pattern in (_SIGN_OFF_END, _NAME_LINE):  # "… with computers. Edna Pruitt", "OKSANA PETRENKO\n780-…"
        for m in pattern.finditer(text):
            if _all_name_words(m.group("name")):
                yield m.start("name"), m.end("name"), "signature"
    for pattern in (_NAME_AFTER_WEAK, _SIGNATURE):
        for m in pattern.finditer(text):
            name = m.group("name")
            if name[0].islower() and name.split()[0] not in lower_given:
                continue
            span = _trim(text, m.start("name"), m.end("name"), allow_lower=True)
            rest = text[span[1]:m.end("name")].split() if span else []
            # "Hi, Queue was insane": the whole run must be a name, or end with sign-off words ("Thanks, Thi Dhillon Regards")
            if span and all(w.title() in gazetteer()["not_names"] for w in rest):
                yield (*span, "signature")


def gazetteer_name_spans(text: str) -> Iterator[tuple[int, int]]:
    """Given names of the gazetteer with the capitalized (or ALL CAPS) surname after them."""
    names = gazetteer()
    given, ambiguous, stop = names["given"], names["ambiguous"], names["not_names"]
    tokens = list(CAPITALIZED.finditer(text))
    i = 0
    while i < len(tokens):
        word = tokens[i].group(1)
        caps = word.isupper()
        key = word.title() if caps else word
        first = key.split("-")[0]
        if _PLACE_BEFORE.search(text, max(0, tokens[i].start() - 16), tokens[i].start()):
            i += 1  # "the Jean-Talon office", "rue Saint-Denis": a place, not a person
            continue
        if key in given or (first in given and key not in stop) or key in ambiguous:
            j = i
            while (j + 1 < len(tokens) and j - i < 2 and tokens[j + 1].group(1).title() not in stop
                   and tokens[j + 1].group(1).isupper() == caps
                   and text[tokens[j].end():tokens[j + 1].start()].strip() == ""
                   and "'" not in tokens[j].group(0)[-2:] and "’" not in tokens[j].group(0)[-2:]):
                j += 1
            if (key not in ambiguous and not caps) or j > i:
                yield tokens[i].start(1), tokens[j].end(1)
            i = j + 1
        else:
            i += 1
    lowered = names["lowercase"]
    for m in _LOWER_WORD.finditer(text):
        if m.group() in lowered and not _PLACE_BEFORE.search(text, max(0, m.start() - 16), m.start()):
            yield m.span()


# --- public mentions (not personal information) -----------------------------------------------------

def _alternation(phrases) -> str:
    parts = sorted({re.escape(p).replace(r"\ ", r"\s+").replace(r"\.", r"\.?") for p in phrases}, key=len, reverse=True)
    return "|".join(parts)


@cache
def _public_patterns() -> tuple[re.Pattern, re.Pattern]:
    titles = _alternation(public_names.TITLES)
    full = [name for name, _ in public_names.OFFICE_HOLDERS]
    alone = [name.split()[-1] for name, ok in public_names.OFFICE_HOLDERS if ok]
    surnames = [name.split()[-1] for name in full]
    office = (rf"(?P<title>\b(?:{titles})\.?\s+)(?:{_TOKEN_CAP}\s+)?(?:{_alternation(surnames)})\b"
              rf"|\b(?:{_alternation(full)})\b|\b(?:{_alternation(alone)})\b")
    return (re.compile(rf"(?:{office})(?:['’]s)?", re.IGNORECASE),
            re.compile(rf"(?<![\w-])(?:{_alternation(public_names.PLACES + public_names.city_names())})(?![\w-])",
                       re.IGNORECASE))


def public_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` mentions a public office holder in their role or a place (:mod:`.public_names`)."""
    office, places = _public_patterns()
    return [m.span() for m in office.finditer(text)] + [m.span() for m in places.finditer(text)]


# --- Presidio recognisers -----------------------------------------------------------------------------

class CanadianPatternRecognizer(LocalRecognizer):
    """One pattern type of :func:`pattern_spans` for one language (Presidio runs a recogniser per language)."""

    def __init__(self, entity: str, language: str):
        super().__init__(supported_entities=[entity], name=f"ca_{entity.lower()}", supported_language=language)

    def load(self) -> None:  # nothing to load: the patterns are compiled at import
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        entity = self.supported_entities[0]
        found = getattr(nlp_artifacts, "pattern_spans", None)
        found = found if found is not None else pattern_spans(text)
        return [RecognizerResult(entity, s, e, 0.9) for s, e in found[entity]]


class NameRecognizer(LocalRecognizer):
    """Names: cues and gazetteer, plus the NER model's PERSON / PER entities, minus public mentions."""

    LABELS = frozenset({"PERSON", "PER"})

    def __init__(self, language: str):
        super().__init__(supported_entities=["NAME"], name="ca_name", supported_language=language)

    def load(self) -> None:
        gazetteer()

    def analyze(self, text, entities, nlp_artifacts=None):
        return [RecognizerResult("NAME", s, e, score) for s, e, score in name_spans(text, nlp_artifacts)]


_TITLE_WORD = re.compile(r"(?:m|mme|mlle|mrs?|ms|miss|dre?|monsieur|madame|mademoiselle)\.?")
_SENTENCE_START = re.compile(rf"(?:^|[.!?\n:;]\s*)(?:[{UPPER}][\w'’]*[,!]?\s+)?$")


def _ner_spans(text: str, nlp_artifacts) -> Iterator[tuple[int, int]]:
    """The model's PERSON / PER entities, trimmed of titles and trailing lowercase words, minus the
    kinds of hit it gets wrong in comments: a function word, a lowercase common word, and a single
    unknown word at the start of a sentence ("Facture 2644…", "Bon, Impossible de…")."""
    names = gazetteer()
    stop, words, lower_given = names["not_names"], function_words(), names["lowercase_any"]
    known = names["given"] | names["ambiguous"]
    for ent in getattr(nlp_artifacts, "entities", None) or []:
        if ent.label_ not in NameRecognizer.LABELS:
            continue
        toks = [m for m in _WORD_IN_RUN.finditer(text, ent.start_char, ent.end_char)]
        while toks and (toks[0].group().title() in stop or toks[0].group().lower() in words
                        or _TITLE_WORD.fullmatch(toks[0].group().lower())):
            toks.pop(0)  # "merci M. Khan" -> "Khan"
        if toks and toks[0].group()[0].isupper():
            cut = next((i for i, t in enumerate(toks) if t.group()[0].islower()), len(toks))
            toks = toks[:cut]  # "Hélène Lévesque at the desk" -> "Hélène Lévesque"
        while toks and (toks[-1].group().title() in stop or toks[-1].group().lower() in words):
            toks.pop()
        if not toks:
            continue
        start, end = toks[0].start(), toks[-1].end()
        if _DIGIT.search(text[start:end]) or "[" in text[start:end]:
            continue
        first = toks[0].group()
        if all(t.group().isupper() and len(t.group()) <= 4 for t in toks) or re.match(r"\w['’]", first):
            continue  # "NAS", "DOB": acronyms; "J'ai": an elided function word
        if first[0].islower() and (first not in lower_given or _PLACE_BEFORE.search(text, max(0, start - 16), start)):
            continue  # lowercase: only a known given name, and not "the george" (a gorge) or "la pierre"
        if (len(toks) == 1 and first.title() not in known
                and (_SENTENCE_START.search(text, max(0, start - 40), start) or text[:start].rstrip().endswith(","))
                and (is_common_word(first) or is_typo_of_common_word(first))):
            continue  # "Facture 2644…", "On top of that, Keep up", "Qeue was insane": a common word where sentences start
        if _PLACE_BEFORE.search(text, max(0, start - 16), start) and first.title() not in known:
            continue
        yield start, end


def name_spans(text: str, nlp_artifacts=None) -> list[tuple[int, int, float]]:
    """Every name in ``text`` with its score (cue 0.95, gazetteer 0.85, NER 0.8), public mentions removed.

    A name inside a place or an office holder's mention is dropped, except after a role or
    self-introduction cue ("agent Ford", "my name is Victoria"), which makes it a person's name,
    unless the mention carries an office title ("thanks to Minister Khera").
    """
    cued = list(cue_name_spans(text))
    spans = [(s, e, 0.85) for s, e in gazetteer_name_spans(text)] + [(s, e, 0.8) for s, e in _ner_spans(text, nlp_artifacts)]
    if not spans and not cued:
        return []
    office_re, places_re = _public_patterns()
    offices = [(m.start(), m.end(), m.group("title") is not None) for m in office_re.finditer(text)]
    places = [m.span() for m in places_re.finditer(text)]
    inside = lambda s, e, ranges: any(a <= s and e <= b for a, b in ranges)  # noqa: E731
    office_all = [(a, b) for a, b, _ in offices]
    office_titled = [(a, b) for a, b, titled in offices if titled]
    kept = [(s, e, p) for s, e, p in spans if not inside(s, e, office_all + places)]
    office_full = [(a, b) for a, b, titled in offices if titled or " " in text[a:b].strip()]
    for s, e, kind in cued:
        # "agent Ford", "Mr. Leblanc": a person, unless the office is named ("Minister Khera", "Mr. Justin Trudeau");
        # "Dr Njoo": a doctor named with a public-health officer's surname is that officer
        public = {"role": office_titled, "title": office_full, "doctor": office_all}.get(kind, office_all + places)
        if not inside(s, e, public):
            kept.append((s, e, 0.95))
    return kept
