"""What the tagger cannot know from 1996 wire copy, as rules over its spans.

The tagger was trained on Reuters news of 1996; war reporting names villages it never saw,
stacks titles before names ("Presidential Office Deputy Head Ihor Zhovkva") and names
bodies at length ("Institute for the Study of War"). These rules fix spans and types from
word lists and from the words around a name, never from the name alone.
"""

from __future__ import annotations

from reader.nlp.ner_lexicon import PERSON_TITLES
from reader.nlp.ner_tagger import gazetteer


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that make a title longer without being a name: "National Security Advisor",
# "Deputy Head", "Foreign Minister".
TITLE_MODIFIERS = _words("""foreign defence defense interior finance economy economic
    energy justice health security national deputy first vice acting senior special prime
    state press former then military presidential executive general assistant principal
    chief lieutenant major top regional interim army navy air naval""")

# First names of the region, in the usual transliterations (CoNLL's first names are in the
# gazetteer under "f").
FIRST_NAMES = _words("""oleh oleg ihor igor volodymyr vladimir oleksandr aleksandr
    alexander alexandr oleksiy oleksii alexei aleksei alexey aleksey dmytro dmitry dmitri
    dmitriy serhiy serhii sergei sergey mykola nikolai nikolay mykhailo mykhaylo mikhail
    andriy andrii andrei andrey yuriy yurii yuri yury viktor victor vitaly vitaliy vitalii
    vadym vadim pavlo pavel petro pyotr taras bohdan yevhen yevgeny yevgeniy evgeny evgeniy
    roman ruslan maksym maxim anatoliy anatolii anatoly valeriy valerii valery vasyl vasily
    vasiliy kyrylo kirill denys denis stepan ivan hennadiy gennady gennadiy leonid borys
    boris anton artem artyom arsen olena elena yelena olha olga iryna irina natalia
    nataliya natalya tetiana tatiana tatyana yulia yuliya oksana svitlana svetlana liudmyla
    lyudmila ludmila halyna galina kateryna ekaterina yekaterina mariya maria hanna anna
    daria darya valentyna valentina larysa larisa nadiya nadezhda ksenia kseniya viktoriya
    viktoria lyubov inna alla zoya vera anastasia anastasiya ramzan ilya illia kostiantyn
    konstantin stanislav yaroslav vyacheslav viacheslav heorhiy georgy georgiy grigory
    hryhoriy fedir fyodor nikita arkadiy arkady eduard rustem emine mustafa akhmed
    yevgenia zhanna marina maryna sofia sophia polina alina milana""")

# Last words that make a name an organisation: "Chatham House", "Rystad Energy".
ORG_HEADS = _words("""ministry ministries institute institution committee council
    commission agency service services office fund foundation bank union organisation
    organization department association university academy court party movement network
    group forum society corporation corp company inc ltd llc plc holding holdings energy
    duma rada house parliament assembly senate congress directorate administration
    authority inspectorate guard army navy command brigade battalion regiment division
    corps forces staff police airlines airways railways media news times post radio tv
    television channel gazette review monitor mission centre center watch initiative
    detachment bureau cabinet government coalition alliance secretariat tribunal
    patrol international headquarters""")

# A word right before a name that says what kind of thing it is.
ORG_CUES = _words("""website site agency outlet newspaper broadcaster channel station
    magazine company firm group organisation organization charity platform app network
    publication paper daily weekly tabloid operator insurer producer manufacturer
    maker lender bank watchdog regulator movement party""")
# ... and after it: "Give Food, a charity", "Give Food federal project".
ORG_NOUNS_AFTER = ORG_CUES | _words("project foundation fund initiative think-tank")
PLACE_CUES_BEFORE = _words("""village villages town towns city cities settlement
    settlements hamlet near outside toward towards outskirts""")
PLACE_NOUNS_AFTER = _words("""district region oblast raion rayon village town city
    province krai hromada community settlement municipality county peninsula river
    direction axis sector districts regions oblasts raions villages towns cities provinces
    hromadas communities settlements municipalities directions""")
THING_CUES = _words("""ship vessel tanker freighter carrier frigate cruiser submarine
    missile missiles drone drones system systems tank tanks howitzer howitzers jet jets
    rocket rockets""")

# Capitalised for the calendar, not for a name: "July FOMC", "Monday Treasury".
CALENDAR_WORDS = _words("""january february march april may june july august september
    october november december jan feb mar apr jun jul aug sep sept oct nov dec monday
    tuesday wednesday thursday friday saturday sunday""")

# What a government does through its capital's name: "Vilnius said", "Helsinki announces".
SPEECH_VERBS = _words("""said says announced announces agreed agrees warned warns denied
    denies insisted insists accused accuses rejected rejects demanded demands urged urges
    stated states claimed claims confirmed confirms condemned condemns responded responds
    refused refuses recalled recalls summoned summons expelled expels""")

# Weapons and vehicles named like people: not people, places or organisations.
NOT_NAMES = _words("""himars patriot javelin javelins bayraktar leopard leopards abrams
    atacms iskander kalibr kinzhal shahed shaheds lancet nlaw stinger stingers uragan smerch
    buk pantsir gepard nasams tochka msta marder stryker bradley bradleys challenger
    caesar krab zircon oniks geran""")

# Facilities are not tracked as places or organisations: "Vnukovo Airport",
# "Chornobyl Nuclear Power Plant", "Dolmabahçe Palace".
FACILITY_HEADS = _words("""airport airfield plant npp tpp chp hpp station prison dam
    plants refinery terminal depot base""")
# Acronyms of power plants end in their kind: "ZNPP", "KhNPP", "TPP-5".
_PLANT_ACRONYM_ENDS = ("npp", "tpp", "hpp", "chp", "npps", "tpps", "hpps", "hes", "aes")
# Last words of a geographic feature's name: a place, never a body ("Bystre Canal").
GEO_HEADS = _words("""canal river lake sea reservoir bay gulf strait straits island islands
    peninsula mountains mountain hills delta lagoon estuary spit valley steppe forest
    gorge creek ridge""")
# Capitalised words that alone name no body: a portfolio ("Interior and Defense
# ministries") or a kind of body ("the Ministry said").
GENERIC_BODIES = _words("""ministry ministries department government police division
    company group office service services directorate administration agency""")
# Last words of a building's or street's name: never a person ("Dolmabahçe Palace").
BUILDING_HEADS = _words("""palace hall stadium cathedral monastery lavra museum street
    avenue highway road tower hospital square mine bridge""")
# Last words of a document's name, first words of an event's: not entities we track
# ("Minsk Protocol", "SMM Daily Report", "Battle for Bakhmut").
DOCUMENT_HEADS = _words("""protocol protocols memorandum report reports agreement accord
    accords treaty resolution declaration charter statement communique decree bill
    package amendment""")
EVENT_HEADS = _words("battle siege")
# Titles that are never a surname: a name ending in one is a title alone.
OFFICE_TITLES = _words("""coordinator president minister secretary advisor adviser spokesman
    spokeswoman spokesperson ambassador commissioner ombudsman director chairman chairwoman
    envoy governor mayor commander deputy representative resident ceo""")
# What a minister is minister of: "Minister of Foreign Affairs" names no body of its own.
PORTFOLIOS = _words("""foreign affairs internal defence defense finance justice health economy
    economic energy interior education culture agriculture infrastructure transport digital
    transformation veterans social policy development trade industry strategic industries
    emergency emergencies situations reintegration temporarily occupied territories and
    communities regions science youth sports environment protection environmental""")
# Capitalised abbreviations of common nouns: "TV tower", "a DNA sample", "POW camps".
COMMON_ABBREVIATIONS = _words("""tv dna pow pows gdp ceo uav uavs npp lng gps sms ngo ngos hq id
    ai pm am ev evs vip cctv""")

# Nationality words: an adjective, not a place ("Ukrainian Black Sea ports").
DEMONYMS = _words("""ukrainian ukrainians russian russians belarusian belarusians
    moldovan georgian polish romanian hungarian slovak czech lithuanian latvian estonian
    finnish swedish norwegian danish german french british english american canadian
    turkish iranian chinese japanese korean indian israeli syrian chechen crimean european
    soviet western eastern northern southern dutch belgian italian spanish austrian swiss
    bulgarian serbian croatian greek armenian azerbaijani kazakh uzbek""")

# A modifier compound is no name of its own: "US-based", "Kremlin-backed".
_MODIFIER_ENDS = _words("""based backed led run funded owned born made supplied operated
    controlled installed appointed held occupied annexed allied linked affiliated style
    era friendly leaning aligned speaking""")

_TOPONYM_ENDS = ("ivka", "ovka", "evka", "anka", "ynka", "inka", "ske", "tske", "ne",
                 "ke", "ve", "ye", "yne", "ino", "ovo", "evo", "tsi", "tsy", "chi", "sk",
                 "pil", "pol", "hrad", "grad", "horod", "gorod", "ivske", "ivskyi", "ove")


NAME_FLAGS = frozenset("LSCUPGf")  # gazetteer flags that vouch for a name
PLACE_LETTERS = frozenset("LCUSK")
PLACE_LETTERS_KNOWN = frozenset("CUSK")  # a country, a place of the region, a capital
# ... for a person or body we know, a place of the region, a country or a capital
KNOWN_FLAGS = frozenset("SCUKPGf")


def flags(word: str) -> str:
    return gazetteer().get(word.lower(), "")


def is_title(word: str) -> bool:
    low = word.lower()
    if low in PERSON_TITLES:
        return True
    return "-" in low and all(p in PERSON_TITLES or p in TITLE_MODIFIERS or p == "in"
                              for p in low.split("-"))


def is_first_name(word: str) -> bool:
    low = word.lower()
    return low in FIRST_NAMES or "f" in flags(low)


def is_modifier(word: str) -> bool:
    """ "US-based", "Kremlin-backed": a hyphenated compound ending in a participle."""
    return "-" in word and word.rsplit("-", 1)[1].lower() in _MODIFIER_ENDS


def plant_acronym(word: str) -> bool:
    """ "ZNPP", "KhNPP", "TPP-5": a power plant's acronym, a facility."""
    head = word.split("-")[0]
    return (len(head) > 3 and head[-3:].isupper()
            and head.lower().endswith(_PLANT_ACRONYM_ENDS))


def toponym_like(word: str) -> bool:
    """Ends the way the region's village and town names do (Pishchane, Synkivka)."""
    low = word.lower()
    return len(low) > 4 and low.endswith(_TOPONYM_ENDS)


def capital(word: str) -> bool:
    """A country's capital that is no common first name or surname ("Helsinki")."""
    return "K" in gazetteer().get(word.lower(), "")


def settlement(words: list[str]) -> bool:
    """A whole settlement name of Ukraine, Russia or a neighbour."""
    return "S" in gazetteer().get(" ".join(w.lower() for w in words), "")


def _capitalised(words: list[str]) -> bool:
    return all(w[:1].isupper() for w in words)


def split(words: list[str], i: int, j: int,
          kind: str | None) -> list[tuple[int, int, str | None, bool]]:
    """The tagger's span words[i:j] as one or more (first, end, kind, after a title):
    a modifier compound dropped from its start, and a title and whatever stands before it
    split off the person it introduces ("Regional Military Administration Oleh Synyehubov",
    "National Security Advisor Jake Sullivan"). A kind of None is decided by the caller."""
    while i < j and is_modifier(words[i]):
        i += 1
    for p in range(i + 1, j - 1):
        # "Ukraine's Security Service": a place's body, two names
        if words[p] in ("'s", "’s") and all(PLACE_LETTERS.intersection(flags(w))
                                             for w in words[i:p]):
            return [(i, p, "place", False), *split(words, p + 1, j, kind)]
    if j - i < 2:
        return [(i, j, kind, False)] if i < j else []
    # a first name that opens the last two or three words
    for p in range(i + 1, j - 1):
        if (j - p in (2, 3) and is_first_name(words[p]) and _capitalised(words[p:j])
                and not is_first_name(words[p - 1]) and not is_title(words[p + 1])):
            return [*_prefix(words, i, p), (p, j, "person", is_title(words[p - 1]))]
    # a title before the last one to three words
    for k in range(j - 2, i - 1, -1):
        tail = words[k + 1 : j]
        if not is_title(words[k]) or not _capitalised(tail) or any(map(is_title, tail)):
            continue
        low = [w.lower() for w in tail]
        if len(tail) > 3 or any(w in ORG_HEADS for w in low) or "w" in flags(low[-1]):
            break
        return [*_prefix(words, i, k + 1), (k + 1, j, "person", True)]
    return [(i, j, kind, False)]


def _prefix(words: list[str], i: int, end: int) -> list[tuple[int, int, str | None, bool]]:
    """What stands before a person's name: the titles dropped from its end; a title phrase
    ("President of Ukraine") gives only the place it names."""
    while end > i and (is_title(words[end - 1]) or words[end - 1].lower() in TITLE_MODIFIERS):
        end -= 1
    if end <= i:
        return []
    if any(is_title(w) for w in words[i:end]):
        low = [w.lower() for w in words[i:end]]
        if "of" not in low:
            return []
        i += low.index("of") + 1
        if i < end and words[i].lower() == "the":
            i += 1
    return [(i, end, None, False)] if i < end else []
