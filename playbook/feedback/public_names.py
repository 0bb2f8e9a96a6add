"""Names that are not personal information in a client comment: public office holders and places.

The rule. The *Privacy Act* (R.S.C. 1985, c. P-21, s. 3) defines personal information as
"information about an identifiable individual that is recorded in any form". A comment that says
"Prime Minister Trudeau should fix EI" or "Dr Njoo said to wear masks" is about a public office and
what its holder does in that role, not about an identifiable individual's own life: the name is
public, it identifies the office, and it is what the comment is about. A place ("Sault Ste. Marie",
"Prince George", "boulevard René-Lévesque") is not a person at all. So:

- a name in :data:`OFFICE_HOLDERS` is kept when it comes with its office title ("Premier Ford",
  "la ministre Khera"), in full ("Doug Ford"), or, for the names marked ``alone``, by itself
  ("Trudeau"); never after a cue that makes the person a client or a front-line employee
  ("my name is", "agent", "my caseworker"), where the redactor treats it like any other name;
- a name inside a place, institution or programme of :data:`PLACES` is never a person.

Front-line employees ("agent Dubois", "Mme Côté at the counter") are still redacted: the Act's
exclusion (j) of s. 3 (information about an employee that relates to their position) concerns what
an institution may disclose, and naming staff in an analysis of complaints serves no purpose and can
harm them. Clients are always redacted.

Curated by hand from public lists (the federal ministry, premiers, chief public health officers,
leaders of the main parties, 2015–2025) and Canadian place names that contain a given name, plus the
names of the census metropolitan areas and agglomerations (:func:`city_names`). It is a short list on
purpose: extend it for your jurisdiction (your premier, mayor, councillors, places).
"""

from __future__ import annotations

#: Office titles, English and French, lowercase. A capitalized name after one is a public office holder.
TITLES = (
    "prime minister", "pm", "premier", "minister", "deputy minister", "the honourable", "hon.", "mp", "mpp",
    "mla", "mna", "senator", "mayor", "councillor", "leader", "chief public health officer", "premier ministre",
    "première ministre", "ministre", "sous-ministre", "député", "députée", "sénateur", "sénatrice", "maire",
    "mairesse", "conseiller municipal", "conseillère municipale", "chef", "administrateur en chef de la santé publique",
    "administratrice en chef de la santé publique", "president", "président", "présidente", "governor general",
    "gouverneure générale", "gouverneur général",
)

#: Public office holders: (full name, may the surname stand alone). Surnames that are also common
#: client surnames ("Ford", "Smith", "Martin") count only with a title or the full name.
OFFICE_HOLDERS = (
    ("Justin Trudeau", True), ("Pierre Trudeau", False), ("Mark Carney", True), ("Stephen Harper", True),
    ("Jean Chrétien", True), ("Brian Mulroney", True), ("Paul Martin", False), ("Kim Campbell", False),
    ("Pierre Poilievre", True), ("Jagmeet Singh", False), ("Yves-François Blanchet", True),
    ("Elizabeth May", False), ("Andrew Scheer", True), ("Erin O'Toole", True), ("Chrystia Freeland", True),
    ("Doug Ford", False), ("François Legault", True), ("Danielle Smith", False), ("Jason Kenney", True),
    ("David Eby", True), ("John Horgan", True), ("Scott Moe", False), ("Wab Kinew", True),
    ("Heather Stefanson", True), ("Tim Houston", False), ("Blaine Higgs", True), ("Susan Holt", False),
    ("Andrew Furey", True), ("Dennis King", False), ("Kathleen Wynne", True), ("Philippe Couillard", True),
    ("Theresa Tam", True), ("Howard Njoo", True), ("Horacio Arruda", True), ("Bonnie Henry", False),
    ("Deena Hinshaw", True), ("Kieran Moore", False), ("David Williams", False), ("Luc Boileau", False),
    ("Seamus O'Regan", True), ("Carla Qualtrough", True), ("Karina Gould", False), ("Kamal Khera", False),
    ("Sean Fraser", False), ("Marc Miller", False), ("Jenna Sudds", True), ("Ahmed Hussen", False),
    ("Patty Hajdu", True), ("Jean-Yves Duclos", False), ("Mélanie Joly", False), ("Marco Mendicino", True),
    ("Dominic LeBlanc", False), ("Bill Blair", False), ("Steven Guilbeault", True), ("Anita Anand", False),
    ("François-Philippe Champagne", False), ("Mary Simon", False), ("Julie Payette", True),
    ("Olivia Chow", False), ("John Tory", False), ("Valérie Plante", True), ("Denis Coderre", True),
    ("Jim Watson", False), ("Mark Sutcliffe", True), ("Régis Labeaume", True), ("Bruno Marchand", False),
    ("Jyoti Gondek", True), ("Naheed Nenshi", True), ("Ken Sim", False), ("Amarjeet Sohi", True),
)

def city_names() -> tuple[str, ...]:
    """The 152 census metropolitan areas and agglomerations of 2021 (Statistics Canada's list, embedded),
    each part of a joined name on its own ("Kitchener - Cambridge - Waterloo"), less those that are
    also given names of the redactor's gazetteer ("Nelson"): a city is not a person, but a given name
    may be one."""
    import pandas as pd

    from playbook.feedback.recognisers import gazetteer
    from playbook.sources import datasets

    names = pd.read_csv(datasets.path("cma_ca_2021"), encoding="utf-8-sig")["NAME"].astype(str)
    parts = {p.strip() for name in names for p in name.replace("/", " - ").split(" - ") if p.strip()}
    given = gazetteer()["given"] | gazetteer()["ambiguous"] | PERSON_LIKE_CITIES
    return tuple(sorted(p for p in parts if p not in given and p.split()[0] not in given))


#: City names that are also people's given names or surnames ("Duncan at the counter"): left out of
#: the places, so that the person is still redacted.
PERSON_LIKE_CITIES = frozenset({"Alma", "Amos", "Brooks", "Cornwall", "Courtenay", "Duncan", "Essa", "Lacombe",
                                "London", "Nelson", "Pembroke", "Stratford", "Vernon", "Windsor"})


#: Places, institutions and programmes that contain a given name or look like one; matched case-insensitively.
PLACES = (
    "Sault Ste. Marie", "Guy-Favreau", "Victoria Day", "Saint-Jean-Baptiste",
    "Sault Ste Marie", "Sault-Sainte-Marie", "Sainte-Marie", "Ste-Marie", "Prince George",
    "Prince Albert", "Prince Rupert", "Prince Edward Island", "Prince Edward County", "Île-du-Prince-Édouard",
    "Fort St. John", "Fort Saint John", "St. John's", "Saint John", "Saint-Jean-sur-Richelieu", "Saint-Jean",
    "Saint-Jérôme", "Saint-Laurent", "Saint-Hyacinthe", "Saint-Georges", "Saint-Léonard", "Saint-Eustache",
    "Sainte-Julie", "Sainte-Thérèse", "Sainte-Catherine", "Sainte-Foy", "Sainte-Anne-de-Bellevue",
    "Sainte-Anne-des-Monts", "St. Catharines", "St. Albert", "St. Thomas", "St. Stephen", "St. Andrews",
    "Port Alberni", "Port Hope", "Victoria", "Regina", "Charlottetown", "Fredericton", "Kingston", "Hamilton",
    "Brandon", "Thompson", "Lloydminster", "Dawson Creek", "Dawson City", "Grande Prairie", "Red Deer",
    "Medicine Hat", "Marieville", "Georgina", "Jasper", "Banff", "Whitehorse", "Yellowknife", "Iqaluit",
    "Laval", "Lévis", "Longueuil", "Gatineau", "Sherbrooke", "Trois-Rivières", "Rimouski", "Chicoutimi",
    "Saguenay", "Mont-Laurier", "Mont-Royal", "Jean-Talon", "Jacques-Cartier", "René-Lévesque", "Marie-Victorin",
    "Jeanne-Mance", "Georges-Vanier", "Papineau", "Pierre-Elliott-Trudeau", "Pierre Elliott Trudeau",
    "Lester B. Pearson", "Wilfrid-Laurier", "Wilfrid Laurier", "Sir John A. Macdonald",
    "George Brown", "Louis-Hippolyte-La Fontaine", "Lionel-Groulx", "Henri-Bourassa", "Charles-de-Gaulle",
    "Queen Elizabeth", "Queen Mary", "King George", "Mary Brown's", "Tim Hortons", "Canada Post",
    "Postes Canada", "Service Canada", "Service Ontario", "ServiceOntario", "Services Québec", "Revenu Québec",
    "Tax Centre", "Centre fiscal", "My Service Canada Account", "Mon dossier Service Canada",
    "Mon dossier", "My Account", "Canada Child Benefit", "Old Age Security", "Guaranteed Income Supplement",
)
