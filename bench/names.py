"""Word lists for the synthetic corpus: invented people, organisations, places, topics.

Heads of the lists are curated (they carry the alias forms: surname-only
people, acronym organisations and places); the long tails are built from
these parts by :mod:`bench.corpus`, deterministically per rank.
"""

from __future__ import annotations

FIRST_NAMES: tuple[str, ...] = tuple(
    """Aaron Abigail Adele Adrian Agnes Aidan Aisha Alba Alec Alina Amara Amir Ana Anders Andrea
    Anika Anton Arjun Astrid Aurora Ayesha Basil Beatriz Benedikt Bianca Boris Bruno Camila Carlos
    Carmen Cecilia Chen Chiara Clara Colin Connor Dalia Damian Daniel Dara Dmitri Edith Elena
    Elias Elif Emeka Emil Emma Enzo Erik Esther Fatima Felix Fiona Gabriel Greta Hana Hassan
    Helena Hugo Ida Ines Ingrid Isaac Ivan Jakob Jana Javier Jonas Julia Kai Kamala Karim Katja
    Kenji Kofi Lars Layla Leila Leon Lina Lucas Lucia Luis Maja Malik Marco Maria Marta Mateo
    Maya Mehmet Mia Milan Mira Nadia Naomi Nikolai Nina Noor Olga Omar Oscar Paolo Petra Priya
    Rafael Rania Ravi Rosa Ruth Samir Sara Selim Sofia Stefan Tariq Tessa Theo Tomas Uma Valentin
    Vera Viktor Wei Yara Yusuf Zara Zoran""".split()
)

SURNAMES: tuple[str, ...] = tuple(
    """Abbott Achterberg Adeyemi Albrecht Alvarez Amundsen Andersen Arslan Bakker Baranov Barros
    Becker Bergstrom Bianchi Blackwood Borowski Brennan Caldwell Castillo Chowdhury Costa Dahl
    Delgado Demir Dimitrov Dubois Eriksen Esposito Fischer Fontaine Fraser Gallagher Garcia
    Gomez Greco Gunawardena Haddad Halvorsen Hartmann Hayashi Herrera Hoffmann Horvat Hussain
    Ibrahim Iyer Jansen Jovanovic Kaplan Kapoor Karlsson Kaur Kazmi Keller Kim Kovacs Kowalski
    Kruger Lambert Larsen Laurent Lindqvist Lopez Lund Marino Markovic Mendez Moreau Morozov
    Murphy Nakamura Navarro Nguyen Novak Nyberg Obi Okafor Oliveira Olsen Ortiz Osei Park Pereira
    Petrov Popescu Quinn Rahman Ramos Reyes Ricci Romano Rossi Saito Salazar Santos Schmidt
    Schneider Sharma Silva Sokolov Suzuki Svensson Takahashi Tanaka Torres Vasquez Vogel Wagner
    Weber Yamamoto Yilmaz Zhang Zielinski""".split()
)

#: The head of the PERSON list: invented public figures; every one is also
#: mentioned by surname alone, and the surnames are unique in the universe.
HEAD_PEOPLE: tuple[str, ...] = (
    "Marta Kowalczyk",
    "Daniel Okonkwo",
    "Helena Vasquez-Reyes",
    "Viktor Lindholm",
    "Amara Castellanos",
    "Kenji Morimoto",
    "Rosa Achterhof",
    "Omar Haddadin",
    "Ingrid Solberg",
    "Lucas Ferreira-Lima",
    "Priya Raghunathan",
    "Theo Marchetti",
    "Nadia Bouzidi",
    "Stefan Ivankovic",
    "Wei Zhennan",
    "Esther Blomqvist",
    "Karim Aldouri",
    "Julia Brandvold",
    "Anders Kjellberg",
    "Fatima Oyelaran",
    "Colin Ashcroft",
    "Layla Farrokhzad",
    "Boris Tchernov",
    "Mira Santangelo",
    "Tomas Vrablik",
    "Yara Mansouri",
    "Hugo Delacroix",
    "Chen Baoshan",
    "Elif Karadeniz",
    "Javier Montalbo",
)

#: Organisations: canonical name and its other forms (acronyms, short names).
HEAD_ORGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("United Nations", ("UN", "U.N.")),
    ("European Union", ("EU",)),
    ("World Health Organization", ("WHO",)),
    ("International Monetary Fund", ("IMF",)),
    ("State Department", ()),
    ("Foreign Ministry", ()),
    ("Defence Ministry", ()),
    ("World Bank", ()),
    ("North Atlantic Treaty Organization", ("NATO",)),
    ("Federal Reserve", ("Fed",)),
    ("Parliament", ()),
    ("Supreme Court", ()),
    ("Central Bank", ()),
    ("Halvorsen Energy", ()),
    ("Brightwater Holdings", ()),
    ("Northgate Telecom", ()),
    ("Meridian Shipping", ()),
    ("Oakridge Capital", ()),
    ("Sable Motors", ()),
    ("Kestrel Aerospace", ()),
    ("Association of Southeast Asian Nations", ("ASEAN",)),
    ("Organization of the Petroleum Exporting Countries", ("OPEC",)),
    ("Red Cross", ()),
    ("Financial Times", ("FT",)),
    ("National Security Council", ("NSC",)),
)

ORG_SUFFIXES: tuple[str, ...] = (
    "Group",
    "Holdings",
    "Capital",
    "Partners",
    "Institute",
    "Foundation",
    "Energy",
    "Logistics",
    "Bank",
    "Pharmaceuticals",
    "Mining",
    "Systems",
    "Media",
    "Union",
    "Party",
    "Council",
    "Agency",
    "Authority",
)

#: Places: canonical name and its other forms.
HEAD_PLACES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("United States", ("U.S.", "US")),
    ("China", ()),
    ("United Kingdom", ("UK", "Britain")),
    ("Russia", ()),
    ("Beijing", ()),
    ("Washington", ()),
    ("European Commission", ()),
    ("Japan", ()),
    ("India", ()),
    ("Germany", ()),
    ("France", ()),
    ("Taiwan", ()),
    ("Ukraine", ()),
    ("Brazil", ()),
    ("Canada", ()),
    ("Italy", ()),
    ("Hong Kong", ()),
    ("London", ()),
    ("Moscow", ()),
    ("Tokyo", ()),
    ("Brussels", ()),
    ("Geneva", ()),
    ("Australia", ()),
    ("South Africa", ()),
    ("Nigeria", ()),
    ("Mexico", ()),
    ("Turkey", ()),
    ("Iran", ()),
    ("Egypt", ()),
    ("Indonesia", ()),
    ("South Korea", ()),
    ("Saudi Arabia", ()),
    ("Kenya", ()),
    ("Poland", ()),
    ("Spain", ()),
    ("Argentina", ()),
    ("Vietnam", ()),
    ("Singapore", ()),
    ("Alaska", ()),
    ("Hiroshima", ()),
)

NATIONALITIES: tuple[str, ...] = tuple(
    """American Chinese British Russian European Japanese Indian German French Ukrainian Brazilian
    Canadian Italian Australian African Mexican Turkish Iranian Egyptian Indonesian Korean Saudi
    Kenyan Polish Spanish Argentine Vietnamese Nigerian Swedish Dutch Norwegian Danish Greek
    Israeli Palestinian Pakistani Chilean Colombian Peruvian Thai""".split()
)

EVENTS: tuple[str, ...] = (
    "G20",
    "G7 Summit",
    "World Economic Forum",
    "Olympic Games",
    "World Cup",
    "COP28",
    "Munich Security Conference",
    "Shangri-La Dialogue",
)

MONTHS: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

#: Topic words for the generic sentences and titles (most common first).
TOPICS: tuple[str, ...] = tuple(
    """trade security energy inflation elections climate technology defence migration health
    sanctions tariffs semiconductors infrastructure agriculture pensions housing education
    shipping fisheries vaccines cybersecurity telecommunications taxation banking tourism
    manufacturing mining aviation railways water drought wildfires flooding refugees corruption
    censorship privacy surveillance artificial-intelligence batteries hydrogen nuclear coal gas
    oil wheat fertiliser steel aluminium copper lithium cobalt rare-earths pharmaceuticals
    insurance pensions unemployment wages productivity subsidies procurement espionage diplomacy
    disarmament peacekeeping humanitarian famine malaria tuberculosis obesity dementia antibiotics
    biodiversity deforestation reforestation desalination microchips satellites broadband
    cryptocurrency stablecoins derivatives bonds equities mortgages remittances microfinance
    shipbuilding logistics warehousing ports canals tunnels bridges highways metro trams ferries
    glaciers permafrost monsoon typhoon earthquake tsunami volcano landslide heatwave smog
    ozone plastics recycling composting textiles footwear coffee cocoa sugar rice soybeans maize
    cotton timber rubber palm-oil tea saffron vanilla""".split()
)

NOUNS: tuple[str, ...] = tuple(
    """talks meeting summit agreement dispute negotiations review inquiry investigation report
    policy proposal plan strategy deal framework package budget reform programme initiative
    dialogue partnership visit tour statement warning decision ruling vote referendum""".split()
)

SOURCES: tuple[tuple[str, str], ...] = (
    ("Reuters", "reuters.com"),
    ("Associated Press", "apnews.com"),
    ("The Daily Ledger", "dailyledger.example"),
    ("Harbour Times", "harbourtimes.example"),
    ("Global Wire", "globalwire.example"),
    ("Morning Courier", "morningcourier.example"),
    ("The Northern Star", "northernstar.example"),
    ("Capital Post", "capitalpost.example"),
    ("Eastern Review", "easternreview.example"),
    ("Metro Herald", "metroherald.example"),
    ("Pacific Observer", "pacificobserver.example"),
    ("The Continental", "continental.example"),
    ("Business Standard Weekly", "bsweekly.example"),
    ("Policy Digest", "policydigest.example"),
    ("The Evening Chronicle", "eveningchronicle.example"),
    ("Riverside Gazette", "riversidegazette.example"),
    ("Frontline Dispatch", "frontlinedispatch.example"),
    ("Market Monitor", "marketmonitor.example"),
    ("The Civic Journal", "civicjournal.example"),
    ("Sputnik", "sputnik.example"),
)

# Syllables for the long tail of surnames and towns.
ONSETS: tuple[str, ...] = tuple(
    "b br c ch d dr f g gr h j k kh kr l m n p pr r s sh st t tr v w z".split()
)
VOWELS: tuple[str, ...] = tuple("a e i o u a e o ai ei ou ia".split())
CODAS: tuple[str, ...] = tuple("n r l s k m t nd rk ll sk v ng th".split() + ["", "", ""])
SURNAME_ENDINGS: tuple[str, ...] = tuple(
    "son sen ski ov ova ez es ini elli berg mann ic escu ado oglu ashi oku er ard ey is".split()
)
TOWN_ENDINGS: tuple[str, ...] = tuple(
    "ville burg grad stad polis mouth ford ton haven field dorf vik abad pur ia ora".split()
)
