"""The demo county's organisation: units modelled on Kainuu, with sizes.

Each unit: (code, parent code, Finnish, Swedish, English name, kind, residents per day,
staff team size). Sizes range from a handful of answers a month to thousands, so that the
reports show small-number suppression as well as tight intervals.
"""

from __future__ import annotations

MUNICIPALITIES = [
    # code, Finnish genitive, Swedish, English (Kajana is Kajaani's Swedish name)
    ("KAJ", "Kajaanin", "Kajana", "Kajaani"),
    ("SOT", "Sotkamon", "Sotkamo", "Sotkamo"),
    ("KUH", "Kuhmon", "Kuhmo", "Kuhmo"),
    ("SUO", "Suomussalmen", "Suomussalmi", "Suomussalmi"),
    ("HYR", "Hyrynsalmen", "Hyrynsalmi", "Hyrynsalmi"),
    ("PUO", "Puolangan", "Puolanka", "Puolanka"),
    ("PAL", "Paltamon", "Paltamo", "Paltamo"),
    ("RIS", "Ristijärven", "Ristijärvi", "Ristijärvi"),
]
#: Relative population of each municipality (Kajaani is by far the largest).
WEIGHT = {"KAJ": 1.0, "SOT": 0.28, "KUH": 0.2, "SUO": 0.21, "HYR": 0.05, "PUO": 0.06,
          "PAL": 0.08, "RIS": 0.03}

ROOT = ("KAINUU", None, "Kainuun hyvinvointialue", "Kajanalands välfärdsområde",
        "Kainuu Wellbeing Services County", "both", 0.0, 0)


def _per_municipality(area: str, fi: str, sv: str, en: str, daily: float, staff: int,
                      only: tuple[str, ...] | None = None) -> list[tuple]:
    rows = []
    for code, m_fi, m_sv, m_en in MUNICIPALITIES:
        if only and code not in only:
            continue
        weight = WEIGHT[code]
        rows.append((f"{area}-{code}", area, f"{m_fi} {fi}", f"{sv} i {m_sv}", f"{en}, {m_en}",
                     "both",
                     round(daily * weight, 2), max(3, round(staff * weight))))
    return rows


def units() -> list[tuple]:
    """The whole demo tree in parent-first order."""
    rows = [ROOT]
    areas = [
        ("TK", "Terveysasemat", "Hälsostationer", "Health centres", "both"),
        ("SH", "Suun terveydenhuolto", "Mun- och tandvård", "Oral health care", "both"),
        ("KS", "Keskussairaala", "Centralsjukhuset", "Central hospital", "both"),
        ("NEU", "Äitiys- ja lastenneuvolat", "Mödra- och barnrådgivningar",
         "Maternity and child health clinics", "both"),
        ("SOS", "Sosiaalipalvelut", "Socialtjänster", "Social services", "both"),
        ("KOT", "Kotihoito", "Hemvård", "Home care", "both"),
        ("ASU", "Ikäihmisten asumispalvelut", "Boendetjänster för äldre",
         "Housing services for older people", "both"),
        ("PEL", "Pelastuslaitos", "Räddningsverket", "Rescue services", "both"),
        ("HAL", "Hallinto ja tukipalvelut", "Förvaltning och stödtjänster",
         "Administration and support services", "staff"),
    ]
    rows += [(code, "KAINUU", fi, sv, en, kind, 0.0, 0) for code, fi, sv, en, kind in areas]
    rows += _per_municipality("TK", "terveysasema", "Hälsostationen", "Health centre", 38, 40)
    rows += _per_municipality("SH", "hammashoitola", "Tandkliniken", "Dental clinic", 14, 22,
                              only=("KAJ", "SOT", "KUH", "SUO", "PAL"))
    rows += [
        ("KS-PAIV", "KS", "Yhteispäivystys", "Samjouren", "Joint emergency department", "both",
         45.0, 70),
        ("KS-SIS", "KS", "Sisätautien osasto", "Avdelningen för inre medicin",
         "Internal medicine ward", "both", 6.0, 45),
        ("KS-KIR", "KS", "Kirurginen osasto", "Kirurgiska avdelningen", "Surgical ward", "both",
         5.0, 40),
        ("KS-SYN", "KS", "Synnytysosasto", "Förlossningsavdelningen", "Maternity ward", "both",
         1.6, 28),
        ("KS-LAS", "KS", "Lastenosasto", "Barnavdelningen", "Paediatric ward", "both", 0.9, 24),
    ]
    rows += _per_municipality("NEU", "neuvola", "Rådgivningen", "Child health clinic", 9, 14,
                              only=("KAJ", "SOT", "KUH", "SUO", "PAL"))
    rows += [
        ("SOS-AIK", "SOS", "Aikuissosiaalityö", "Socialt arbete för vuxna", "Adult social work",
         "both", 2.2, 18),
        ("SOS-LAS", "SOS", "Lastensuojelu", "Barnskydd", "Child welfare", "both", 0.5, 26),
        ("SOS-VAM", "SOS", "Vammaispalvelut", "Handikappservice", "Disability services", "both",
         0.7, 15),
    ]
    rows += _per_municipality("KOT", "kotihoito", "Hemvården", "Home care", 5, 60,
                              only=("KAJ", "SOT", "KUH", "SUO", "HYR", "PUO", "RIS"))
    rows += [
        ("ASU-KAJ", "ASU", "Kajaanin palvelukoti", "Servicehemmet i Kajana",
         "Kajaani care home", "both", 0.8, 35),
        ("ASU-KUH", "ASU", "Kuhmon palvelukoti", "Servicehemmet i Kuhmo", "Kuhmo care home",
         "both", 0.3, 18),
        ("ASU-PUO", "ASU", "Puolangan palvelutalo", "Servicehuset i Puolanka",
         "Puolanka sheltered housing", "both", 0.12, 9),
        ("PEL-KAJ", "PEL", "Kajaanin paloasema", "Brandstationen i Kajana",
         "Kajaani fire station", "both", 0.25, 30),
        ("PEL-KUH", "PEL", "Kuhmon paloasema", "Brandstationen i Kuhmo", "Kuhmo fire station",
         "both", 0.05, 8),
        ("HAL-HR", "HAL", "Henkilöstöpalvelut", "Personaltjänster", "HR services", "staff", 0.0,
         16),
        ("HAL-TAL", "HAL", "Talouspalvelut", "Ekonomitjänster", "Financial services", "staff",
         0.0, 12),
        ("HAL-ICT", "HAL", "Tietohallinto", "Dataförvaltning", "IT services", "staff", 0.0, 4),
    ]
    return rows
