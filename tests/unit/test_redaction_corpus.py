"""Ordinary comments must pass redaction untouched: no false positives.

The corpus below is written by hand, in the service's languages, and full of what residents
really write and what looks almost like an identity code, a phone number or an address:
dates in every usual form, times and opening hours, prices, durations, room and queue
numbers, version numbers, postal codes, percentages, scores and web addresses. Every one must
come back exactly as it went in (redaction may only trim surrounding whitespace).
"""

import pytest

from survey_app.privacy.redaction import redact

FINNISH = [
    "Kävin 13.10.2025 ja odotin vain 5 minuuttia.",
    "Aika oli varattu 2026-03-15 klo 8.30, pääsin sisään 8.45.",
    "Annoin 9/10, ensi vuonna 2027 tulen taas.",
    "Lääkäri oli ystävällinen, kiitos!",
    "Jonotin 45 min, vaikka aika oli klo 14.00.",
    "Pysäköinti maksoi 3,50 € tunnilta, liian kallista.",
    "Kahvi maksoi 2.80 euroa automaatista.",
    "Laskussa luki 41,80 € ja eräpäivä 30.11.2026.",
    "Huone 123, kerros 4, siellä oli kylmä.",
    "Vuonumero 057 huudettiin kolme kertaa.",
    "Päivystyksessä oli 23 potilasta jonossa klo 22.",
    "Aukioloajat ma–pe 8–16 ovat hankalat työssäkäyvälle.",
    "Aukiolo 08:00-16:00, lauantaisin suljettu.",
    "Odotin 1 h 20 min, mutta hoito oli hyvää.",
    "Sain ajan 12.12. ja seuraavan 9.1.2027.",
    "Käynti 05/2026 oli parempi kuin edellinen.",
    "Toinen käynti 05/2026, 3 kertaa samaa asiaa.",
    "Kela korvasi 25 % kuluista.",
    "Osoite Sotkamontie 13, 87100 Kajaani on helppo löytää.",
    "Bussi 4 kulkee sairaalalle 15 minuutin välein.",
    "Omakanta.fi-palvelussa ei näkynyt reseptiä.",
    "Varasin ajan osoitteessa omakanta.fi ja se toimi.",
    "Sovellus versio 2.10.1 kaatuu aina kirjautuessa.",
    "Päivitin version 3.4.12-beta, sama vika.",
    "Nettisivu kainuu.fi/palvelut oli selkeä.",
    "Verenpaine oli 135/85 ja syke 72.",
    "Kuume 38.5 astetta kolme päivää.",
    "Painoin 82,4 kg ja pituus 178 cm.",
    "Sain 2 x 500 mg tabletit 3 kertaa päivässä.",
    "Lähete tehtiin 10.10.2025, aika tuli 13.10.2025.",
    "Hoitaja soitti 13.10. klo 9.15 niin kuin lupasi.",
    "Pääsin kotiin 14.10.2025 klo 18.",
    "Kerroin 0-10 asteikolla kivun olevan 7.",
    "Kipu oli 8/10 ennen ja 3/10 jälkeen.",
    "Arvosana 4+ henkilökunnalle.",
    "Ilmoittautumisautomaatti oli rikki 2 viikkoa.",
    "Lapsi oli 3 v 4 kk, ja neuvola hoiti hyvin.",
    "Ajanvaraus oli 15.3.–20.3. välillä täynnä.",
    "Hinta nousi 20,90 eurosta 32,60 euroon.",
    "Taksi maksoi 48.50 € ja Kela-kyyti 25 €.",
    "Odotusaika 2-3 viikkoa on liian pitkä.",
    "Hammaslääkäri 1.2.2026 klo 10.20, kaikki hyvin.",
    "Kävin 3 kertaa 2025 ja kerran 2026.",
    "Sain tekstiviestin 2 päivää ennen käyntiä.",
    "Puhelinjonossa olin 40 minuuttia, numeroni oli 12.",
    "Soittopyyntö tuli takaisin 2 tunnissa.",
    "Ovikoodi ei toiminut, ovi 3B oli lukossa.",
    "Rakennus C, 2. kerros, huone C214.",
    "Tilausnumero 2026-000123 ei löytynyt.",
    "Kanta-palvelu toimi hyvin, versio 10.4 oli nopea.",
    "Katko oli 12.00–12.30 ja taas 15:15-15:45.",
    "Eilen 30.11. oli liian kylmä odotustila.",
    "Vuosi 1952 syntyneenä toivoisin isompaa tekstiä.",
    "Olen syntynyt 1952 ja asun Kajaanissa.",
    "Vastaanotto 13.10.52 vuotiaalle miehelle oli hyvä.",
    "Kiitos! 10/10 palvelu.",
    "Noin 50 % ajasta meni odotteluun.",
    "Matka 120 km suuntaansa on pitkä.",
    "Kävin 4.11.2025, 11.11.2025 ja 18.11.2025.",
    "Röntgen 08.10.2025 klo 07.45 oli aikaisin.",
    "Ajanvaraus puhelimella klo 8-10 on liian lyhyt aika.",
    "Poliklinikka 2A, odotin 35 min.",
    "Labrassa vuoronumero A045, pääsin 10 minuutissa.",
    "Lippu B123 ja C456, kumpikaan ei toiminut.",
    "Maksoin 100 € käynnistä, liikaa.",
    "Versio 1.0.0 on vanha, päivittäkää.",
    "Tietoja päivitetty 13.10.2025 12:34.",
    "Luku 1310523081 on vain esimerkki.",
    "Luku 131052 ei ole mitään.",
    "Seuraava aika 21.1.2027 kello 13.",
]

SWEDISH = [
    "Jag väntade 20 minuter, men läkaren var vänlig.",
    "Besöket 13.10.2025 gick bra, tack!",
    "Tiden var kl. 9.30 och jag kom in 9.50.",
    "Parkeringen kostade 4,20 € per timme.",
    "Rum 214 på våning 2 var svårt att hitta.",
    "Öppettider mån–fre 8–16 passar inte alla.",
    "Jag ger 8/10 för bemötandet.",
    "Kölappen 057 ropades upp efter 15 min.",
    "Appen version 2.3.4 fungerar inte på min telefon.",
    "Tiden bokades på omakanta.fi utan problem.",
    "Blodtrycket var 140/90, puls 80.",
    "Besök 2026-01-15 kl 14:00, mycket bra.",
    "Jag betalade 41,80 euro, förfallodag 30.11.2026.",
    "Väntetiden var 2–3 veckor, för lång.",
    "Adressen är Sotkamovägen 13, 87100 Kajana.",
    "Ungefär 30 % av tiden gick åt till att vänta.",
    "Jag föddes 1952 och ser dåligt.",
    "Buss 4 går var 15:e minut.",
    "Nästa tid 9.1.2027 kl. 10.20.",
    "Tack för bra vård 10/10!",
    "Taxi kostade 48.50 €.",
    "Avdelning 3B, dörren var låst.",
    "Feber 38.5 grader i tre dagar.",
    "Jag väntade på telefon i 40 min.",
    "Uppdaterat 12.12.2025 12:30.",
]

ENGLISH = [
    "I waited 20 minutes, the nurse was kind.",
    "My appointment was on 13/10/2025 at 9:30.",
    "Visit on 2026-03-15, all good.",
    "Parking cost €3.50 an hour, too expensive.",
    "Room 123 on floor 4 was cold.",
    "I booked it at omakanta.fi and it worked.",
    "Look at kainuu.fi for the opening hours, they are wrong.",
    "We arrived at 8.30 and left at 10.15.",
    "I would give it 9/10.",
    "The app version 2.10.1 keeps crashing.",
    "Updated to 3.4.12-rc1, same bug.",
    "Blood pressure 135/85, pulse 72.",
    "Opening hours Mon–Fri 8–16 are hard for workers.",
    "Queue number 057 was called after 15 minutes.",
    "About 25 % of the cost was refunded.",
    "The bus number 4 runs every 15 minutes.",
    "I was born in 1952 and need bigger text.",
    "Next visit on 9 January 2027 at 13:00.",
    "Took 2-3 weeks to get an appointment.",
    "Paid 100 € and 41.80 € for the prescription.",
    "Staff at the desk were great.",
    "Meet me at the entrance, said the nurse.",
    "Arrived at ward 3B at 07:45.",
    "The taxi cost 48.50 euros.",
    "Temperature was 38.5 for three days.",
    "Ticket A045 was called at 10:20.",
    "Score 10/10, thank you!",
    "The form at kanta.fi was easy.",
    "I was at the clinic at 14:00 on 13.10.2025.",
    "Dates 10.10.2025–13.10.2025 were fully booked.",
]

RUSSIAN = [
    "Я ждал 20 минут, врач был вежлив.",
    "Приём 13.10.2025 в 9:30 прошёл хорошо.",
    "Парковка стоила 3,50 € в час.",
    "Кабинет 214, второй этаж.",
    "Ставлю 9/10 за обслуживание.",
    "Записался на omakanta.fi без проблем.",
    "Давление 135/85, пульс 72.",
    "Версия приложения 2.10.1 не работает.",
    "Очередь 057, ждал 15 минут.",
    "Следующий приём 9.1.2027 в 13:00.",
    "Заплатил 41,80 евро.",
    "Я родился в 1952 году.",
    "Ждал 2–3 недели.",
    "Время работы пн–пт 8–16.",
    "Спасибо, всё отлично 10/10!",
]

UKRAINIAN = [
    "Я чекала 20 хвилин, лікар був уважний.",
    "Прийом 13.10.2025 о 9:30 пройшов добре.",
    "Паркування коштувало 3,50 € за годину.",
    "Кабінет 214, другий поверх.",
    "Ставлю 9/10.",
    "Записалася через omakanta.fi.",
    "Тиск 135/85, пульс 72.",
    "Версія 2.10.1 не працює на телефоні.",
    "Наступний прийом 9.1.2027 о 13:00.",
    "Заплатила 41,80 євро.",
    "Чекала 2–3 тижні.",
    "Дякую, 10/10!",
]

ESTONIAN = [
    "Ootasin 20 minutit, arst oli sõbralik.",
    "Vastuvõtt 13.10.2025 kell 9.30 läks hästi.",
    "Parkimine maksis 3,50 € tunnis.",
    "Tuba 214, teine korrus.",
    "Annan 9/10.",
    "Broneerisin aja lehel omakanta.fi.",
    "Vererõhk 135/85, pulss 72.",
    "Rakenduse versioon 2.10.1 ei tööta.",
    "Järgmine aeg 9.1.2027 kell 13.",
    "Maksin 41,80 eurot.",
    "Ootasin 2–3 nädalat.",
    "Aitäh, 10/10!",
]

ARABIC = [
    "انتظرت 20 دقيقة، وكان الطبيب لطيفاً.",
    "كان الموعد في 13.10.2025 الساعة 9:30.",
    "كلفني موقف السيارات 3,50 يورو في الساعة.",
    "الغرفة 214 في الطابق الثاني.",
    "أعطي 9/10.",
    "حجزت عبر omakanta.fi بسهولة.",
    "ضغط الدم ١٣٥/٨٥ والنبض ٧٢.",
    "الموعد القادم ٩.١.٢٠٢٧ الساعة ١٣:٠٠.",
    "دفعت 41,80 يورو.",
    "انتظرت من أسبوعين إلى ثلاثة.",
    "رقم الدور ٠٥٧ نودي بعد ١٥ دقيقة.",
    "شكراً، 10/10!",
]

SOMALI = [
    "Waxaan sugay 20 daqiiqo, dhakhtarku wuu roonaa.",
    "Ballantu waxay ahayd 13.10.2025 saacadda 9:30.",
    "Baarkinku wuxuu ahaa 3,50 € saacaddii.",
    "Qolka 214, dabaqa labaad.",
    "Waxaan siinayaa 9/10.",
    "Waxaan ballan ka qabsaday omakanta.fi.",
    "Ballanta xigta 9.1.2027 saacadda 13.",
    "Waxaan bixiyay 41,80 euro.",
    "Mahadsanid, 10/10!",
    "Waxaan sugay 2-3 toddobaad.",
]

# Formats that come close to what is redacted, in sentences of their own.
NEAR_LOOKALIKES = [
    *(f"Käynti {d} meni hyvin." for d in (
        "01.02.2026", "1.2.2026", "01/02/2026", "1/2/26", "2026-02-01", "01-02-2026",
        "31.12.2025", "29.02.2024", "13.10.52", "13.10.1952", "131052", "13 10 2025",
        "13.10.", "13/10", "05.2026", "05/2026", "2026/05", "Q1/2026", "2026-Q1", "2026-T1")),
    *(f"Hinta oli {p}." for p in (
        "0.50 €", "0,50 €", "1 200,00 €", "12 345 €", "€ 99.90", "99,90e", "1.299,00 €",
        "0.99 $", "120/kk", "29.90/kk", "1500 euroa", "3 x 12,50 €")),
    *(f"Klo {t} oli ruuhkaa." for t in (
        "08.30", "8:30", "08:30-09:15", "8.30–9.15", "10.10-12.00", "12.00–16.00", "07.45",
        "23:59", "00:30", "13.10-13.50")),
    *(f"Versio {v} on käytössä." for v in (
        "1.2.3", "2.10.11", "10.4.0-beta", "3.4.12-rc1", "2026.1", "0.9.12", "1.0.0+build.5",
        "12.3.4567", "v5.1.308", "13.10.52")),
    *(f"Numero {n} ei kuulu kenellekään." for n in (
        "0-10", "1-5", "2026", "87100", "1310523081", "A-123", "04/2026", "0.5", "050",
        "010203", "12/34", "2 000 000")),
]

CORPUS = (FINNISH + SWEDISH + ENGLISH + RUSSIAN + UKRAINIAN + ESTONIAN + ARABIC + SOMALI
          + NEAR_LOOKALIKES)


def test_the_corpus_is_large_and_has_no_duplicates():
    assert len(CORPUS) >= 200
    assert len(set(CORPUS)) == len(CORPUS)


@pytest.mark.parametrize("comment", CORPUS)
def test_an_ordinary_comment_passes_unchanged(comment):
    result = redact(comment)
    assert (result.text, result.redacted) == (comment.strip(), 0)
