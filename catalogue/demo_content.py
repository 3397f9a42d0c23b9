"""Demo content for `manage.py load_demo`: the network's centres, taxonomies, courses, pages and people.

Data only. Swedish is the default language; every entry also has its English translation. Course bodies
are lists of (block type, value) pairs for `courses.blocks.BodyBlock`; a programme is a dict with an
optional title and (time, activity) items. Occasions are not listed here: the command spreads each
course's `occasions` over the coming year from its `schedule`, at its centres' venues (name, address, city).
"""

# --- The network's ATMP-centres -------------------------------------------------------------------

CENTRES = [
    {
        "slug": "skane",
        "region": "Region Skåne",
        "city": "Lund",
        "contact_email": "atmp@skane.se",
        "website": "https://www.skane.se",
        "sv": {"name": "Skånes universitetssjukhus ATMP-centrum", "short_name": "SUS ATMP-centrum"},
        "en": {"name": "Skåne University Hospital ATMP-centre", "short_name": "SUS ATMP-centre"},
        "venues": [
            ("Skånes universitetssjukhus, Föreläsningssal 1", "Getingevägen 4, 221 85 Lund", "Lund"),
            ("Skånes universitetssjukhus, Konferensrum Blocket", "Getingevägen 4, 221 85 Lund", "Lund"),
        ],
        "owner": {"first_name": "Helena", "last_name": "Bergqvist", "email": "kursansvarig.skane@atmp.example"},
    },
    {
        "slug": "uppsala",
        "region": "Region Uppsala",
        "city": "Uppsala",
        "contact_email": "atmp@regionuppsala.se",
        "website": "https://regionuppsala.se",
        "sv": {"name": "Region Uppsala", "short_name": "Uppsala"},
        "en": {"name": "Region Uppsala", "short_name": "Uppsala"},
        "venues": [
            ("Akademiska sjukhuset, Rosénsalen", "Sjukhusvägen, ingång 95, 751 85 Uppsala", "Uppsala"),
            ("Akademiska sjukhuset, Enghoffsalen", "Sjukhusvägen, ingång 50, 751 85 Uppsala", "Uppsala"),
        ],
        "owner": {"first_name": "Johan", "last_name": "Sandberg", "email": "kursansvarig.uppsala@atmp.example"},
    },
    {
        "slug": "stockholm",
        "region": "Region Stockholm",
        "city": "Stockholm",
        "contact_email": "atmp@regionstockholm.se",
        "website": "https://www.regionstockholm.se",
        "sv": {"name": "Region Stockholm", "short_name": "Stockholm"},
        "en": {"name": "Region Stockholm", "short_name": "Stockholm"},
        "venues": [
            (
                "Karolinska Universitetssjukhuset Huddinge, Föreläsningssal C1",
                "Hälsovägen 13, 141 57 Huddinge",
                "Huddinge",
            ),
            ("Karolinska Universitetssjukhuset Solna, Aulan", "Eugeniavägen 3, 171 64 Solna", "Solna"),
        ],
        "owner": {"first_name": "Leila", "last_name": "Haddad", "email": "kursansvarig.stockholm@atmp.example"},
    },
    {
        "slug": "vastra-gotaland",
        "region": "Västra Götalandsregionen",
        "city": "Göteborg",
        "contact_email": "atmp@vgregion.se",
        "website": "https://www.sahlgrenska.se",
        "sv": {
            "name": "Sahlgrenska Universitetssjukhuset ATMP-centrum (Västra Götalandsregionen)",
            "short_name": "Sahlgrenska ATMP-centrum",
        },
        "en": {
            "name": "Sahlgrenska University Hospital ATMP-centre (Region Västra Götaland)",
            "short_name": "Sahlgrenska ATMP-centre",
        },
        "venues": [
            ("Sahlgrenska Universitetssjukhuset, Aulan", "Blå stråket 5, 413 45 Göteborg", "Göteborg"),
            (
                "Sahlgrenska Universitetssjukhuset, Konferensrum Vita stråket",
                "Vita stråket 12, 413 45 Göteborg",
                "Göteborg",
            ),
        ],
        "owner": {"first_name": "Maria", "last_name": "Åkesson", "email": "kursansvarig.vgr@atmp.example"},
    },
]

# --- Taxonomies (slug, Swedish name, English name) -----------------------------------------------

TOPICS = [
    ("cell-therapy", "Cellterapi", "Cell therapy"),
    ("gene-therapy", "Genterapi", "Gene therapy"),
    ("tissue-engineering", "Vävnadsteknik", "Tissue engineering"),
    ("gmp-and-manufacturing", "GMP och tillverkning", "GMP and manufacturing"),
    ("regulatory-and-hospital-exemption", "Regelverk och sjukhusundantag", "Regulation and hospital exemption"),
    ("clinical-trials", "Kliniska prövningar", "Clinical trials"),
    ("handling-and-administration", "Hantering och administrering", "Handling and administration"),
    ("nursing-care", "Omvårdnad", "Nursing care"),
]

AUDIENCES = [
    ("physicians", "Läkare", "Physicians"),
    ("nurses", "Sjuksköterskor", "Nurses"),
    ("pharmacists", "Farmaceuter", "Pharmacists"),
    ("gmp-and-laboratory-staff", "GMP- och laboratoriepersonal", "GMP and laboratory staff"),
    ("researchers", "Forskare", "Researchers"),
    ("quality-assurance", "Kvalitetssäkring", "Quality assurance"),
]

# --- People ---------------------------------------------------------------------------------------

ADMIN = {"first_name": "Nätverkets", "last_name": "administratör", "email": "admin@atmp.example"}
# A check-in helper at the first centre (Skåne): marks attendance, sees nothing else.
CHECK_IN_HELPER = {"first_name": "Anna", "last_name": "Nilsson", "email": "narvaro.skane@atmp.example"}
ADMIN_PASSWORD = "demo-admin-2026"  # noqa: S105 - published demo login
OWNER_PASSWORD = "demo-owner-2026"  # noqa: S105 - published demo login
CLINICIAN_PASSWORD = "demo-user-2026"  # noqa: S105 - published demo login

# klinisk1@atmp.example ... klinisk40@atmp.example, in this order; "en" marks those who prefer English.
CLINICIANS = [
    ("Anna", "Lindqvist", "sv"),
    ("Erik", "Johansson", "sv"),
    ("Sara", "Nilsson", "sv"),
    ("Mohammed", "Al-Rashid", "sv"),
    ("Karin", "Holm", "sv"),
    ("Jonas", "Ekström", "sv"),
    ("Emma", "Karlsson", "sv"),
    ("Ahmed", "Hassan", "en"),
    ("Linnea", "Berg", "sv"),
    ("Oskar", "Lundgren", "sv"),
    ("Fatima", "Yilmaz", "sv"),
    ("Magnus", "Persson", "sv"),
    ("Ingrid", "Sjöberg", "sv"),
    ("Daniel", "Andersson", "sv"),
    ("Elin", "Forsberg", "sv"),
    ("Mikael", "Björk", "sv"),
    ("Sofia", "Petrović", "sv"),
    ("Henrik", "Wallin", "sv"),
    ("Maja", "Engström", "sv"),
    ("Ali", "Rezaei", "sv"),
    ("Cecilia", "Nyström", "sv"),
    ("Patrik", "Olsson", "sv"),
    ("Hanna", "Lindberg", "sv"),
    ("Tomas", "Gustafsson", "sv"),
    ("Amina", "Warsame", "sv"),
    ("Fredrik", "Strand", "sv"),
    ("Lena", "Hedlund", "sv"),
    ("Viktor", "Axelsson", "en"),
    ("Johanna", "Mattsson", "sv"),
    ("Kristoffer", "Sundberg", "sv"),
    ("Eva", "Jakobsson", "sv"),
    ("Niklas", "Håkansson", "sv"),
    ("Maria", "Kowalska", "en"),
    ("Gustav", "Lindholm", "sv"),
    ("Ida", "Blom", "sv"),
    ("Samir", "Haddad", "sv"),
    ("Malin", "Öberg", "sv"),
    ("Peter", "Laine", "en"),
    ("Therese", "Dahl", "sv"),
    ("Per", "Nordin", "sv"),
]

# --- Site pages ------------------------------------------------------------------------------------

HOME_INTRO = {
    "sv": (
        "Kurser och utbildningar om läkemedel för avancerad terapi (ATMP) för läkare, sjuksköterskor, "
        "farmaceuter, forskare och GMP-personal – från ATMP-centrumen vid Sveriges universitetssjukhus."
    ),
    "en": (
        "Courses and training in advanced therapy medicinal products (ATMPs) for physicians, nurses, "
        "pharmacists, researchers and GMP staff, from the ATMP-centres at Sweden's university hospitals."
    ),
}

STANDARD_PAGES = [
    {
        "sv": {
            "title": "Om nätverket",
            "slug": "om-natverket",
            "intro": (
                "ATMP-centra finns vid flera av Sveriges universitetssjukhus och fungerar som regionala "
                "kunskapscentra och kontaktpunkter för utveckling och införande av läkemedel för avancerad "
                "terapi (ATMP)."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>ATMP (Advanced Therapy Medicinal Products) är biologiska läkemedel som baseras på celler, "
                    "gener eller vävnader. De delas in i cellterapier, genterapier och vävnadstekniska produkter "
                    "samt ATMP-kombinationsläkemedel. De nya läkemedlen ökar i antal, och behandling med både "
                    "godkända ATMP och ATMP inom kliniska läkemedelsprövningar sker vid Sveriges "
                    "universitetssjukhus.</p>",
                ),
                ("heading", "Nationellt nätverk"),
                (
                    "paragraph",
                    "<p>Nätverkets första möte hölls i november 2021 och sedan dess träffas gruppen en gång i "
                    "månaden. En av uppgifterna är att tydliggöra vilka resurser och vilken kompetens som finns "
                    "vid universitetssjukhusen, för hälso- och sjukvården och för dem som vill utveckla eller "
                    "införa ATMP.</p><p>En framgångsrik utveckling inom området kräver en gemensam målbild och "
                    "en samordnad, organiserad verksamhet i hälso- och sjukvården. Genom samverkan fungerar "
                    "nätverket som ett samlande forum där behov och frågeställningar hanteras.</p>",
                ),
                ("heading", "Utbildning"),
                (
                    "paragraph",
                    "<p>Nätverket bidrar till att utveckla egen och andras kompetens genom att utreda behov av "
                    "och delta i utbildningsinsatser. Kurser och annat utbildningsmaterial för olika målgrupper "
                    "är en viktig del av centrens arbete – och det är de kurserna du hittar här.</p>",
                ),
                ("heading", "ATMP-centra i nätverket"),
                (
                    "paragraph",
                    "<ul><li>Skånes universitetssjukhus ATMP-centrum</li><li>Region Uppsala</li>"
                    "<li>Region Stockholm</li><li>Sahlgrenska Universitetssjukhuset ATMP-centrum "
                    "(Västra Götalandsregionen)</li></ul>",
                ),
                (
                    "callout",
                    {
                        "title": "Kontakt",
                        "text": "<p>Vill du veta mer om ATMP-centrumen? Kontakta Kristina Levan, "
                        '<a href="mailto:kristina.levan@vgregion.se">kristina.levan@vgregion.se</a>.</p>',
                    },
                ),
            ],
        },
        "en": {
            "title": "About the network",
            "slug": "about-the-network",
            "intro": (
                "The ATMP-centres are found at several of Sweden's university hospitals. They are regional "
                "knowledge centres and contact points for the development and implementation of advanced "
                "therapy medicinal products (ATMPs) in Swedish healthcare."
            ),
            "body": [
                (
                    "paragraph",
                    "<p>ATMPs are biological medicines based on cells, genes or tissues: cell therapies, gene "
                    "therapies, tissue-engineered products and combined ATMPs. Their number is growing, and "
                    "Sweden's university hospitals treat patients both with approved ATMPs and within clinical "
                    "trials.</p>",
                ),
                ("heading", "A national network"),
                (
                    "paragraph",
                    "<p>The ATMP-centres work together as a national network of university hospital facilities "
                    "to share knowledge and experience, so that ATMPs reach the patients who need them in good "
                    "time. The network first met in November 2021 and has met every month since. One of its "
                    "tasks is to make clear what resources and expertise the university hospitals offer, to "
                    "healthcare and to anyone who wants to develop or implement ATMPs.</p>",
                ),
                ("heading", "Education"),
                (
                    "paragraph",
                    "<p>The network builds its own and others' expertise by investigating and taking part in "
                    "education. Courses and other training material for different professions are an important "
                    "part of the centres' work, and those are the courses you find here.</p>",
                ),
                ("heading", "ATMP-centres in the network"),
                (
                    "paragraph",
                    "<ul><li>Skåne University Hospital ATMP-centre</li><li>Region Uppsala</li>"
                    "<li>Region Stockholm</li><li>Sahlgrenska University Hospital ATMP-centre "
                    "(Region Västra Götaland)</li></ul>",
                ),
                (
                    "callout",
                    {
                        "title": "Contact",
                        "text": "<p>For more information about the ATMP-centres, please contact Kristina Levan, "
                        '<a href="mailto:kristina.levan@vgregion.se">kristina.levan@vgregion.se</a>.</p>',
                    },
                ),
            ],
        },
    },
    {
        "sv": {
            "title": "Tillgänglighetsredogörelse",
            "slug": "tillganglighetsredogorelse",
            "intro": (
                "ATMP-centrumens nätverk står bakom den här webbplatsen. Vi vill att så många som möjligt ska "
                "kunna använda den. Här beskriver vi hur webbplatsen uppfyller lagen (2018:1937) om "
                "tillgänglighet till digital offentlig service, vilka brister vi känner till och hur du kan "
                "rapportera problem."
            ),
            "body": [
                ("heading", "Hur tillgänglig är webbplatsen?"),
                (
                    "paragraph",
                    "<p>Målet är att webbplatsen ska uppfylla nivå AA i WCAG 2.1. Vi når inte hela vägen ännu: "
                    "webbplatsen är <b>delvis förenlig</b> med lagen om tillgänglighet till digital offentlig "
                    "service, på grund av de brister som beskrivs nedan.</p>",
                ),
                ("heading", "Kända brister"),
                (
                    "paragraph",
                    "<ul><li>En del kursmaterial i PDF-format från kursgivare och tillverkare är inte "
                    "tillgänglighetsanpassat, till exempel saknar dokumenten rubrikstruktur "
                    "(WCAG 1.3.1, 2.4.2).</li><li>Inspelade föreläsningar saknar ibland textning "
                    "(WCAG 1.2.2).</li><li>Externa mötestjänster och e-lärandeplattformar som vi länkar till "
                    "ingår inte i vår granskning.</li></ul><p>Vi åtgärdar bristerna löpande. Behöver du "
                    "kursmaterial i ett annat format kan du vända dig till kursens kontaktperson.</p>",
                ),
                ("heading", "Hur vi har testat webbplatsen"),
                (
                    "paragraph",
                    "<p>Vi har gjort en egen bedömning (intern granskning) med automatiska verktyg, "
                    "tangentbordsnavigering och skärmläsare. Någon oberoende granskning har ännu inte gjorts. "
                    "Redogörelsen uppdateras när webbplatsen ändras väsentligt och minst en gång om året.</p>",
                ),
                ("heading", "Rapportera brister"),
                (
                    "paragraph",
                    "<p>Om du upptäcker problem som inte beskrivs här, eller om du anser att vi inte uppfyller "
                    "lagens krav, kontakta oss så att vi får veta att problemet finns: "
                    '<a href="mailto:kristina.levan@vgregion.se">kristina.levan@vgregion.se</a>. Vi strävar '
                    "efter att svara inom tio arbetsdagar.</p>",
                ),
                ("heading", "Tillsyn"),
                (
                    "paragraph",
                    "<p>Myndigheten för digital förvaltning (Digg) ansvarar för tillsynen enligt lagen "
                    "(2018:1937) om tillgänglighet till digital offentlig service. Om du inte är nöjd med hur "
                    'vi hanterar dina synpunkter kan du <a href="https://www.digg.se/tdosanmalan">kontakta '
                    "Digg och påtala det</a>.</p>",
                ),
            ],
        },
        "en": {
            "title": "Accessibility statement",
            "slug": "accessibility-statement",
            "intro": (
                "This website is run by the network of ATMP-centres. We want as many people as possible to be "
                "able to use it. This statement describes how the website meets the Swedish Act (2018:1937) on "
                "accessibility to digital public services, the problems we know of and how to report others."
            ),
            "body": [
                ("heading", "How accessible is this website?"),
                (
                    "paragraph",
                    "<p>Our aim is for the website to meet WCAG 2.1 level AA. We are not there yet: the website "
                    "is <b>partially compliant</b> with the Act on accessibility to digital public services "
                    "because of the problems listed below.</p>",
                ),
                ("heading", "Known problems"),
                (
                    "paragraph",
                    "<ul><li>Some PDF course materials supplied by course providers and manufacturers are not "
                    "accessible; for example, they lack a heading structure (WCAG 1.3.1, 2.4.2).</li>"
                    "<li>Recorded lectures sometimes lack captions (WCAG 1.2.2).</li><li>External meeting "
                    "services and e-learning platforms we link to are not covered by our review.</li></ul>"
                    "<p>We fix these problems as we go. If you need course material in another format, ask the "
                    "course's contact person.</p>",
                ),
                ("heading", "How we tested the website"),
                (
                    "paragraph",
                    "<p>We assessed the website ourselves with automated tools, keyboard navigation and screen "
                    "readers. It has not yet been audited independently. We update this statement when the "
                    "website changes significantly, and at least once a year.</p>",
                ),
                ("heading", "Reporting problems"),
                (
                    "paragraph",
                    "<p>If you find a problem not described here, or think we do not meet the requirements of "
                    "the Act, please tell us: "
                    '<a href="mailto:kristina.levan@vgregion.se">kristina.levan@vgregion.se</a>. We aim to '
                    "reply within ten working days.</p>",
                ),
                ("heading", "Enforcement"),
                (
                    "paragraph",
                    "<p>The Agency for Digital Government (Digg) is responsible for enforcing the Act "
                    "(2018:1937) on accessibility to digital public services. If you are not satisfied with how "
                    'we handle your report, you can <a href="https://www.digg.se/tdosanmalan">contact Digg</a>.'
                    "</p>",
                ),
            ],
        },
    },
]

# --- Courses ---------------------------------------------------------------------------------------
# schedule: days, start and end time (Stockholm) of each day; occasions: how many the command creates.

COURSES = [
    {
        "centres": ["skane"],
        "topics": ["cell-therapy", "nursing-care"],
        "audiences": ["nurses"],
        "format": "in_person",
        "language": "sv",
        "cpd_hours": "6.0",
        "lipus": "",
        "schedule": (1, "09.00", "16.00"),
        "occasions": 4,
        "sv": {
            "title": "CAR-T-cellsbehandling för sjuksköterskor",
            "slug": "car-t-cellsbehandling-for-sjukskoterskor",
            "summary": "En heldag om omvårdnad före, under och efter behandling med CAR-T-celler, med fokus på "
            "tidiga tecken på cytokinfrisättningssyndrom och neurotoxicitet.",
            "body": [
                (
                    "paragraph",
                    "<p>Allt fler patienter med lymfom, leukemi och myelom behandlas med CAR-T-celler. Kursen går "
                    "igenom hela vårdförloppet – från aferes och bryggande behandling till infusion, övervakning "
                    "på vårdenheten och överlämning till hemsjukhuset – och ger dig verktyg att känna igen och "
                    "larma vid allvarliga biverkningar.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09.00–09.30", "Välkommen – vad är CAR-T och vilka patienter behandlas?"),
                            ("09.30–10.30", "Vårdförloppet från remiss till infusion"),
                            ("10.45–12.00", "Cytokinfrisättningssyndrom (CRS): bedömning och gradering"),
                            ("13.00–14.15", "ICANS och ICE-skattning i praktiken"),
                            ("14.30–15.30", "Fallövningar i grupp"),
                            ("15.30–16.00", "Sammanfattning och utvärdering"),
                        ]
                    },
                ),
                (
                    "callout",
                    {
                        "title": "Ta med",
                        "text": "<p>Ta gärna med din enhets PM för övervakning efter CAR-T-infusion. Vi jämför "
                        "rutiner mellan sjukhusen under fallövningarna.</p>",
                    },
                ),
            ],
            "objectives": [
                "Beskriva vårdförloppet vid CAR-T-behandling från aferes till uppföljning.",
                "Känna igen tidiga tecken på CRS och ICANS och veta när du ska larma.",
                "Genomföra ICE-skattning och dokumentera resultatet.",
                "Ge patient och närstående anpassad information inför hemgång.",
            ],
            "prerequisites": "<p>Legitimerad sjuksköterska som arbetar, eller ska börja arbeta, med patienter som "
            "får cellterapi.</p>",
        },
        "en": {
            "title": "CAR-T cell therapy for nurses",
            "slug": "car-t-cell-therapy-for-nurses",
            "summary": "A full day on nursing care before, during and after CAR-T cell therapy, focusing on early "
            "signs of cytokine release syndrome and neurotoxicity.",
            "body": [
                (
                    "paragraph",
                    "<p>More and more patients with lymphoma, leukaemia and myeloma are treated with CAR-T cells. "
                    "The course follows the whole pathway – from apheresis and bridging therapy to infusion, "
                    "monitoring on the ward and handover to the referring hospital – and gives you the tools to "
                    "recognise serious side effects and raise the alarm.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09:00–09:30", "Welcome: what is CAR-T and who is treated?"),
                            ("09:30–10:30", "The care pathway from referral to infusion"),
                            ("10:45–12:00", "Cytokine release syndrome (CRS): assessment and grading"),
                            ("13:00–14:15", "ICANS and the ICE score in practice"),
                            ("14:30–15:30", "Case exercises in groups"),
                            ("15:30–16:00", "Summary and evaluation"),
                        ]
                    },
                ),
                (
                    "callout",
                    {
                        "title": "Bring along",
                        "text": "<p>Bring your unit's guideline for monitoring after CAR-T infusion if you have "
                        "one. We compare routines between hospitals during the case exercises.</p>",
                    },
                ),
            ],
            "objectives": [
                "Describe the CAR-T care pathway from apheresis to follow-up.",
                "Recognise early signs of CRS and ICANS and know when to raise the alarm.",
                "Carry out an ICE assessment and document the result.",
                "Give patients and their families tailored information before discharge.",
            ],
            "prerequisites": "<p>Registered nurses who work, or will soon work, with patients receiving cell "
            "therapy.</p>",
        },
    },
    {
        "centres": ["stockholm", "uppsala"],
        "topics": ["cell-therapy", "nursing-care"],
        "audiences": ["physicians", "nurses"],
        "format": "hybrid",
        "language": "sv",
        "cpd_hours": "3.5",
        "lipus": "20250412",
        "schedule": (1, "13.00", "16.30"),
        "occasions": 4,
        "sv": {
            "title": "Cytokinfrisättningssyndrom och ICANS – bedömning och behandling",
            "slug": "crs-och-icans-bedomning-och-behandling",
            "summary": "Eftermiddagskurs om hur CRS och ICANS efter CAR-T-behandling graderas enligt ASTCT och "
            "behandlas med tocilizumab och kortikosteroider.",
            "body": [
                (
                    "paragraph",
                    "<p>Cytokinfrisättningssyndrom (CRS) och immuneffektorcellsassocierat neurotoxicitetssyndrom "
                    "(ICANS) är de vanligaste allvarliga biverkningarna efter CAR-T-behandling. Symtomen kan komma "
                    "snabbt, oftast inom de första två veckorna, och hela teamet – läkare, sjuksköterskor och "
                    "jourhavande – behöver bedöma och agera på samma sätt.</p>",
                ),
                ("heading", "Upplägg"),
                (
                    "paragraph",
                    "<p>Korta föreläsningar varvas med fallbaserade diskussioner. Deltagare på distans följer "
                    "föreläsningarna och är med i diskussionerna via länk.</p>",
                ),
                (
                    "faq",
                    [
                        (
                            "Passar kursen för jourhavande läkare utan hematologisk specialisering?",
                            "<p>Ja. Kursen är upplagd så att du ska kunna göra en första bedömning och veta när "
                            "du ska kontakta bakjour eller intensivvården.</p>",
                        ),
                    ],
                ),
            ],
            "objectives": [
                "Gradera CRS och ICANS enligt ASTCT:s konsensuskriterier.",
                "Välja behandling med tocilizumab och kortikosteroider utifrån grad och förlopp.",
                "Avgöra när patienten behöver intensivvård.",
                "Skilja CRS från sepsis och andra differentialdiagnoser.",
            ],
            "prerequisites": "<p>Läkare eller sjuksköterska som vårdar patienter efter CAR-T-behandling, eller "
            "ska göra det inom kort.</p>",
        },
        "en": {
            "title": "Cytokine release syndrome and ICANS: assessment and management",
            "slug": "crs-and-icans-assessment-and-management",
            "summary": "An afternoon course on grading CRS and ICANS after CAR-T therapy with the ASTCT criteria "
            "and treating them with tocilizumab and corticosteroids.",
            "body": [
                (
                    "paragraph",
                    "<p>Cytokine release syndrome (CRS) and immune effector cell-associated neurotoxicity "
                    "syndrome (ICANS) are the most common serious side effects of CAR-T therapy. Symptoms can "
                    "develop quickly, usually within the first two weeks, and the whole team – physicians, "
                    "nurses and on-call staff – needs to assess and act in the same way.</p>",
                ),
                ("heading", "Format"),
                (
                    "paragraph",
                    "<p>Short lectures alternate with case-based discussions. Remote participants follow the "
                    "lectures and join the discussions online.</p>",
                ),
                (
                    "faq",
                    [
                        (
                            "Is the course suitable for on-call physicians who are not haematologists?",
                            "<p>Yes. It is designed so that you can make a first assessment and know when to "
                            "call the senior on call or intensive care.</p>",
                        ),
                    ],
                ),
            ],
            "objectives": [
                "Grade CRS and ICANS using the ASTCT consensus criteria.",
                "Choose treatment with tocilizumab and corticosteroids by grade and course.",
                "Decide when a patient needs intensive care.",
                "Distinguish CRS from sepsis and other differential diagnoses.",
            ],
            "prerequisites": "<p>Physicians or nurses caring for patients after CAR-T therapy, now or soon.</p>",
        },
    },
    {
        "centres": ["uppsala"],
        "topics": ["handling-and-administration", "gmp-and-manufacturing"],
        "audiences": ["pharmacists"],
        "format": "in_person",
        "language": "sv",
        "cpd_hours": "6.0",
        "lipus": "",
        "schedule": (1, "09.00", "16.00"),
        "occasions": 4,
        "sv": {
            "title": "Hantering av ATMP på sjukhusapoteket",
            "slug": "hantering-av-atmp-pa-sjukhusapoteket",
            "summary": "För farmaceuter som tar emot, förvarar och lämnar ut ATMP – från beställning och "
            "mottagningskontroll till spårbarhet och avvikelser.",
            "body": [
                (
                    "paragraph",
                    "<p>Sjukhusapoteket har en nyckelroll när en vårdenhet ska behandla med ATMP. Produkterna "
                    "skiljer sig från andra läkemedel: många är patientspecifika, förvaras i flytande kväve och "
                    "har kort hållbarhet efter upptining. Kursen utgår från verkliga flöden vid Akademiska "
                    "sjukhuset.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09.00–10.00", "Olika typer av ATMP och vad de kräver av apoteket"),
                            ("10.15–11.30", "Beställning, mottagning och mottagningskontroll"),
                            ("12.30–13.45", "Förvaring i kväve och temperaturövervakning"),
                            ("14.00–15.15", "Visning av lokaler och utrustning"),
                            ("15.15–16.00", "Spårbarhet, avvikelser och ansvarsfördelning"),
                        ]
                    },
                ),
                (
                    "callout",
                    {
                        "title": "Studiebesök",
                        "text": "<p>I kursen ingår ett studiebesök i sjukhusapotekets lokaler för ATMP. "
                        "Skyddsutrustning finns på plats.</p>",
                    },
                ),
            ],
            "objectives": [
                "Beskriva sjukhusapotekets ansvar vid hantering av ATMP.",
                "Genomföra mottagningskontroll av en kryokonserverad cellprodukt.",
                "Redogöra för kraven på förvaring, temperaturövervakning och spårbarhet.",
                "Hantera en avvikelse i leveranskedjan.",
            ],
            "prerequisites": "<p>Legitimerad apotekare eller receptarie, gärna med erfarenhet från sjukhusapotek.</p>",
        },
        "en": {
            "title": "Handling ATMPs in the hospital pharmacy",
            "slug": "handling-atmps-in-the-hospital-pharmacy",
            "summary": "For pharmacists who receive, store and dispense ATMPs: from ordering and receipt checks "
            "to traceability and deviations.",
            "body": [
                (
                    "paragraph",
                    "<p>The hospital pharmacy plays a key part when a ward is to treat patients with ATMPs. These "
                    "products differ from other medicines: many are made for one patient, are stored in liquid "
                    "nitrogen and have a short shelf life once thawed. The course is based on real workflows at "
                    "Uppsala University Hospital.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09:00–10:00", "Types of ATMP and what they demand of the pharmacy"),
                            ("10:15–11:30", "Ordering, receipt and receipt checks"),
                            ("12:30–13:45", "Storage in nitrogen and temperature monitoring"),
                            ("14:00–15:15", "Tour of the facilities and equipment"),
                            ("15:15–16:00", "Traceability, deviations and responsibilities"),
                        ]
                    },
                ),
                (
                    "callout",
                    {
                        "title": "Site visit",
                        "text": "<p>The course includes a visit to the hospital pharmacy's ATMP facilities. "
                        "Protective equipment is provided.</p>",
                    },
                ),
            ],
            "objectives": [
                "Describe the hospital pharmacy's responsibilities for ATMPs.",
                "Carry out a receipt check of a cryopreserved cell product.",
                "Explain the requirements for storage, temperature monitoring and traceability.",
                "Handle a deviation in the supply chain.",
            ],
            "prerequisites": "<p>Licensed pharmacists, preferably with hospital pharmacy experience.</p>",
        },
    },
    {
        "centres": ["vastra-gotaland"],
        "topics": ["gmp-and-manufacturing", "regulatory-and-hospital-exemption"],
        "audiences": ["gmp-and-laboratory-staff", "quality-assurance"],
        "format": "in_person",
        "language": "sv",
        "cpd_hours": "13.0",
        "lipus": "",
        "schedule": (2, "09.00", "16.30"),
        "occasions": 3,
        "sv": {
            "title": "GMP vid tillverkning under sjukhusundantaget",
            "slug": "gmp-vid-tillverkning-under-sjukhusundantaget",
            "summary": "Tvådagarskurs om hur EU:s GMP-riktlinjer för ATMP tillämpas när en produkt tillverkas på "
            "sjukhus med stöd av sjukhusundantaget.",
            "body": [
                (
                    "paragraph",
                    "<p>Sjukhusundantaget gör det möjligt att tillverka ATMP för enskilda patienter utan "
                    "godkännande för försäljning, men kraven på kvalitet är desamma som vid industriell "
                    "tillverkning. Kursen går igenom del IV av EU:s GMP-riktlinjer (EudraLex volym 4) och hur "
                    "kraven omsätts i ett sjukhuslaboratorium: lokaler, personal, dokumentation, validering och "
                    "frisläppning.</p>",
                ),
                (
                    "programme",
                    {
                        "title": "Dag 1",
                        "items": [
                            ("09.00–10.30", "Regelverket: ATMP-förordningen, sjukhusundantaget och GMP del IV"),
                            ("10.45–12.00", "Riskbaserat förhållningssätt och kvalitetssystem"),
                            ("13.00–14.30", "Lokaler, renrumsklassning och miljöövervakning"),
                            ("14.45–16.30", "Gruppövning: riskanalys av ett tillverkningsflöde"),
                        ],
                    },
                ),
                (
                    "programme",
                    {
                        "title": "Dag 2",
                        "items": [
                            ("09.00–10.30", "Processvalidering och aseptisk simulering"),
                            ("10.45–12.00", "Utgångsmaterial, donatortestning och spårbarhet"),
                            ("13.00–14.30", "Frisläppning och den sakkunniga personens roll"),
                            ("14.45–16.30", "Inspektion från Läkemedelsverket – förberedelser och erfarenheter"),
                        ],
                    },
                ),
                (
                    "callout",
                    {
                        "title": "Inför kursen",
                        "text": "<p>Du får en kort fallbeskrivning två veckor före kursen. Läs den inför "
                        "gruppövningen dag 1.</p>",
                    },
                ),
            ],
            "objectives": [
                "Redogöra för de GMP-krav som gäller vid tillverkning under sjukhusundantaget.",
                "Tillämpa ett riskbaserat förhållningssätt på lokaler, utrustning och processer.",
                "Planera processvalidering och aseptisk simulering.",
                "Beskriva vad som krävs för att frisläppa en tillverkningssats.",
            ],
            "prerequisites": "<p>Du arbetar med tillverkning, kvalitetskontroll eller kvalitetssäkring av cell- "
            "eller vävnadsprodukter. Grundläggande GMP-kunskaper rekommenderas.</p>",
        },
        "en": {
            "title": "GMP for manufacturing under the hospital exemption",
            "slug": "gmp-for-manufacturing-under-the-hospital-exemption",
            "summary": "A two-day course on applying the EU GMP guidelines for ATMPs when a product is made in "
            "a hospital under the hospital exemption.",
            "body": [
                (
                    "paragraph",
                    "<p>The hospital exemption allows ATMPs to be made for individual patients without a "
                    "marketing authorisation, but the quality requirements are the same as for industrial "
                    "manufacture. The course works through Part IV of the EU GMP guidelines (EudraLex "
                    "Volume 4) and how its requirements translate to a hospital laboratory: premises, staff, "
                    "documentation, validation and release.</p>",
                ),
                (
                    "programme",
                    {
                        "title": "Day 1",
                        "items": [
                            ("09:00–10:30", "The rules: the ATMP Regulation, hospital exemption and GMP Part IV"),
                            ("10:45–12:00", "A risk-based approach and the quality system"),
                            ("13:00–14:30", "Premises, cleanroom classification and environmental monitoring"),
                            ("14:45–16:30", "Group exercise: risk analysis of a manufacturing process"),
                        ],
                    },
                ),
                (
                    "programme",
                    {
                        "title": "Day 2",
                        "items": [
                            ("09:00–10:30", "Process validation and aseptic process simulation"),
                            ("10:45–12:00", "Starting materials, donor testing and traceability"),
                            ("13:00–14:30", "Batch release and the Qualified Person"),
                            ("14:45–16:30", "Inspections by the Swedish Medical Products Agency"),
                        ],
                    },
                ),
                (
                    "callout",
                    {
                        "title": "Before the course",
                        "text": "<p>You will receive a short case description two weeks before the course. "
                        "Please read it before the group exercise on day 1.</p>",
                    },
                ),
            ],
            "objectives": [
                "Explain the GMP requirements for manufacturing under the hospital exemption.",
                "Apply a risk-based approach to premises, equipment and processes.",
                "Plan process validation and aseptic process simulation.",
                "Describe what is needed to release a batch.",
            ],
            "prerequisites": "<p>You work in manufacturing, quality control or quality assurance of cell or tissue "
            "products. Basic knowledge of GMP is recommended.</p>",
        },
    },
    {
        "centres": ["skane"],
        "topics": ["gene-therapy"],
        "audiences": ["physicians", "nurses", "pharmacists"],
        "format": "online",
        "language": "sv",
        "cpd_hours": "3.0",
        "lipus": "20250587",
        "schedule": (1, "13.00", "16.00"),
        "occasions": 4,
        "sv": {
            "title": "Genterapi vid hemofili",
            "slug": "genterapi-vid-hemofili",
            "summary": "Om AAV-baserad genterapi vid svår hemofili A och B: vilka patienter som kan vara "
            "aktuella, hur behandlingen ges och vad uppföljningen kräver.",
            "body": [
                (
                    "paragraph",
                    "<p>Genterapi kan ge personer med svår hemofili en långvarig egen produktion av faktor VIII "
                    "eller IX. Behandlingen ges som en enda infusion men kräver noggrann utredning före och tät "
                    "uppföljning efter, bland annat av leverprover och faktornivåer. Kursen ges av "
                    "koagulationscentrum i samarbete med ATMP-centrum.</p>",
                ),
                ("heading", "Innehåll"),
                (
                    "paragraph",
                    "<ul><li>AAV-vektorer och vad neutraliserande antikroppar betyder för urvalet</li>"
                    "<li>Infusion, biosäkerhet och avfallshantering</li><li>Leverpåverkan, immunsuppression och "
                    "uppföljning under flera år</li><li>Samtalet med patienten om förväntningar och "
                    "osäkerheter</li></ul>",
                ),
                (
                    "faq",
                    [
                        (
                            "Hur deltar jag?",
                            "<p>Kursen ges via länk. Länken finns i bekräftelsen du får när din anmälan är klar.</p>",
                        ),
                    ],
                ),
            ],
            "objectives": [
                "Beskriva hur AAV-baserad genterapi vid hemofili fungerar.",
                "Redogöra för urvalskriterier och utredning före behandling.",
                "Planera uppföljning av leverpåverkan och faktornivåer.",
                "Samtala med patienten om nytta, risker och osäkerheter.",
            ],
            "prerequisites": "<p>Läkare, sjuksköterskor och farmaceuter som möter personer med blödarsjuka.</p>",
        },
        "en": {
            "title": "Gene therapy for haemophilia",
            "slug": "gene-therapy-for-haemophilia",
            "summary": "AAV-based gene therapy for severe haemophilia A and B: which patients may benefit, how the "
            "treatment is given and what follow-up it requires.",
            "body": [
                (
                    "paragraph",
                    "<p>Gene therapy can give people with severe haemophilia lasting production of their own "
                    "factor VIII or IX. It is given as a single infusion but needs careful assessment beforehand "
                    "and close follow-up afterwards, including liver tests and factor levels. The course is "
                    "given by the coagulation centre together with the ATMP-centre.</p>",
                ),
                ("heading", "Contents"),
                (
                    "paragraph",
                    "<ul><li>AAV vectors and what neutralising antibodies mean for patient selection</li>"
                    "<li>Infusion, biosafety and waste handling</li><li>Liver effects, immunosuppression and "
                    "follow-up over several years</li><li>Talking with patients about expectations and "
                    "uncertainty</li></ul>",
                ),
                (
                    "faq",
                    [
                        (
                            "How do I take part?",
                            "<p>The course is held online. The link is in the confirmation you receive when your "
                            "enrolment is complete.</p>",
                        ),
                    ],
                ),
            ],
            "objectives": [
                "Describe how AAV-based gene therapy for haemophilia works.",
                "Explain the selection criteria and assessment before treatment.",
                "Plan follow-up of liver effects and factor levels.",
                "Discuss benefits, risks and uncertainty with patients.",
            ],
            "prerequisites": "<p>Physicians, nurses and pharmacists who care for people with bleeding disorders.</p>",
        },
    },
    {
        "centres": ["vastra-gotaland"],
        "topics": ["gene-therapy", "handling-and-administration"],
        "audiences": ["physicians", "nurses", "pharmacists"],
        "format": "hybrid",
        "language": "sv",
        "cpd_hours": "3.0",
        "lipus": "",
        "schedule": (1, "09.00", "12.00"),
        "occasions": 3,
        "sv": {
            "title": "Genterapi vid spinal muskelatrofi (SMA)",
            "slug": "genterapi-vid-spinal-muskelatrofi",
            "summary": "Förmiddagskurs om genterapi till små barn med SMA: förberedelser, infusion, biosäkerhet "
            "och uppföljning.",
            "body": [
                (
                    "paragraph",
                    "<p>Ju tidigare ett barn med SMA behandlas, desto bättre är förutsättningarna. Genterapi med "
                    "onasemnogen abeparvovek ges som en engångsinfusion och kräver samordning mellan "
                    "barnneurologi, barnsjukvård och sjukhusapotek. Kursen bygger på erfarenheter från "
                    "behandlingar i Västra Götalandsregionen.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09.00–09.45", "SMA och behandlingsalternativen"),
                            ("09.45–10.30", "Inför infusionen: provtagning, kortison och logistik"),
                            ("10.45–11.30", "Infusion och biosäkerhet på vårdenheten"),
                            ("11.30–12.00", "Uppföljning och samarbete med hemsjukhuset"),
                        ]
                    },
                ),
                (
                    "callout",
                    {
                        "title": "Delta på plats eller via länk",
                        "text": "<p>Du kan delta på plats i Göteborg eller via länk. Länken skickas till alla "
                        "som har fått plats.</p>",
                    },
                ),
            ],
            "objectives": [
                "Beskriva behandlingsalternativen vid SMA och var genterapi passar in.",
                "Förbereda barnet och familjen inför infusionen.",
                "Följa rutinerna för biosäkerhet vid hantering av AAV-vektorer.",
                "Planera uppföljningen av leverfunktion och trombocyter.",
            ],
            "prerequisites": "<p>Läkare, sjuksköterskor och farmaceuter inom barnsjukvård eller barnneurologi.</p>",
        },
        "en": {
            "title": "Gene therapy for spinal muscular atrophy (SMA)",
            "slug": "gene-therapy-for-spinal-muscular-atrophy",
            "summary": "A morning course on gene therapy for young children with SMA: preparation, infusion, "
            "biosafety and follow-up.",
            "body": [
                (
                    "paragraph",
                    "<p>The earlier a child with SMA is treated, the better the outlook. Gene therapy with "
                    "onasemnogene abeparvovec is given as a single infusion and needs coordination between "
                    "paediatric neurology, paediatric care and the hospital pharmacy. The course draws on "
                    "treatments given in Region Västra Götaland.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09:00–09:45", "SMA and the treatment options"),
                            ("09:45–10:30", "Before the infusion: tests, steroids and logistics"),
                            ("10:45–11:30", "Infusion and biosafety on the ward"),
                            ("11:30–12:00", "Follow-up and working with the local hospital"),
                        ]
                    },
                ),
                (
                    "callout",
                    {
                        "title": "Join in person or online",
                        "text": "<p>You can take part in Gothenburg or online. Everyone with a place receives "
                        "the link.</p>",
                    },
                ),
            ],
            "objectives": [
                "Describe the treatment options for SMA and where gene therapy fits.",
                "Prepare the child and family for the infusion.",
                "Follow biosafety routines when handling AAV vectors.",
                "Plan follow-up of liver function and platelets.",
            ],
            "prerequisites": "<p>Physicians, nurses and pharmacists in paediatrics or paediatric neurology.</p>",
        },
    },
    {
        "centres": ["stockholm"],
        "topics": ["cell-therapy", "handling-and-administration"],
        "audiences": ["nurses", "pharmacists", "gmp-and-laboratory-staff"],
        "format": "in_person",
        "language": "sv",
        "cpd_hours": "5.0",
        "lipus": "",
        "schedule": (1, "09.00", "15.00"),
        "occasions": 4,
        "sv": {
            "title": "Kryokonservering och upptining av cellprodukter",
            "slug": "kryokonservering-och-upptining-av-cellprodukter",
            "summary": "Praktisk kurs om förvaring i flytande kväve, transport i torrfraktbehållare och säker "
            "upptining av cellprodukter vid patientens säng.",
            "body": [
                (
                    "paragraph",
                    "<p>De flesta CAR-T-produkter och många andra cellterapier levereras frysta och förvaras i "
                    "kvävets gasfas under −150 °C. Tiden från upptining till infusion är kort och anges för varje "
                    "produkt. Under kursen övar du momenten med övningspåsar och riktig utrustning och går igenom "
                    "vad som gör en upptining säker.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09.00–10.00", "Varför fryser vi celler? DMSO, frysprotokoll och hållbarhet"),
                            ("10.15–11.15", "Kvävefrysar, torrfraktbehållare och temperaturloggar"),
                            ("11.15–12.00", "Personsäkerhet vid arbete med flytande kväve"),
                            ("13.00–14.30", "Praktisk övning: upptining i vattenbad och i torr upptiningsutrustning"),
                            ("14.30–15.00", "Vanliga avvikelser och hur de hanteras"),
                        ]
                    },
                ),
                (
                    "callout",
                    {
                        "title": "Skyddsutrustning",
                        "text": "<p>Visir, kryohandskar och förkläde finns på plats. Bär stängda skor under den "
                        "praktiska övningen.</p>",
                    },
                ),
            ],
            "objectives": [
                "Redogöra för principerna för kryokonservering av celler.",
                "Hantera en torrfraktbehållare och kontrollera temperaturloggen vid mottagning.",
                "Tina en cellprodukt enligt tillverkarens instruktion och inom angiven tid.",
                "Arbeta säkert med flytande kväve.",
            ],
            "prerequisites": "<p>Du arbetar med mottagning, förvaring eller administrering av cellprodukter.</p>",
        },
        "en": {
            "title": "Cryopreservation and thawing of cell products",
            "slug": "cryopreservation-and-thawing-of-cell-products",
            "summary": "A practical course on storage in liquid nitrogen, transport in dry shippers and safe "
            "thawing of cell products at the bedside.",
            "body": [
                (
                    "paragraph",
                    "<p>Most CAR-T products and many other cell therapies are delivered frozen and stored in the "
                    "vapour phase of liquid nitrogen below −150 °C. The time from thawing to infusion is short "
                    "and set for each product. You practise each step with training bags and real equipment, "
                    "and learn what makes thawing safe.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09:00–10:00", "Why freeze cells? DMSO, freezing protocols and stability"),
                            ("10:15–11:15", "Nitrogen freezers, dry shippers and temperature logs"),
                            ("11:15–12:00", "Personal safety when working with liquid nitrogen"),
                            ("13:00–14:30", "Hands-on: thawing in a water bath and in a dry thawing device"),
                            ("14:30–15:00", "Common deviations and how to handle them"),
                        ]
                    },
                ),
                (
                    "callout",
                    {
                        "title": "Protective equipment",
                        "text": "<p>Face shields, cryogenic gloves and aprons are provided. Wear closed shoes for "
                        "the practical session.</p>",
                    },
                ),
            ],
            "objectives": [
                "Explain the principles of cryopreserving cells.",
                "Handle a dry shipper and check the temperature log on receipt.",
                "Thaw a cell product according to the manufacturer's instructions and within the time allowed.",
                "Work safely with liquid nitrogen.",
            ],
            "prerequisites": "<p>You receive, store or administer cell products.</p>",
        },
    },
    {
        "centres": ["uppsala"],
        "topics": ["handling-and-administration", "gmp-and-manufacturing"],
        "audiences": ["nurses", "pharmacists", "quality-assurance"],
        "format": "online",
        "language": "sv",
        "cpd_hours": "2.5",
        "lipus": "",
        "schedule": (1, "09.00", "11.30"),
        "occasions": 4,
        "sv": {
            "title": "Chain of identity och chain of custody – säker identitet i hela kedjan",
            "slug": "chain-of-identity-och-chain-of-custody",
            "summary": "Hur patientens identitet och produktens hanteringskedja säkras från aferes till infusion, "
            "och vad som händer när något inte stämmer.",
            "body": [
                (
                    "paragraph",
                    "<p>En autolog cellprodukt är tillverkad för en enda patient. En förväxling kan få allvarliga "
                    "följder, och varje överlämning – från aferesenheten till tillverkaren och tillbaka till "
                    "vårdenheten – ska dokumenteras. Kursen går igenom begreppen <i>chain of identity</i> och "
                    "<i>chain of custody</i>, tillverkarnas beställningsportaler och sjukhusets egna "
                    "kontrollpunkter.</p>",
                ),
                ("heading", "Kontrollpunkter i kedjan"),
                (
                    "paragraph",
                    "<p>Vi följer en produkt genom sju kontrollpunkter och diskuterar vem som ansvarar för vad, "
                    "vilka uppgifter som ska stämma och hur dubbelkontrollen vid patientens säng går till.</p>",
                ),
                (
                    "faq",
                    [
                        (
                            "Behöver jag ha tillgång till tillverkarnas portaler?",
                            "<p>Nej. Vi visar portalerna med demokonton under kursen.</p>",
                        ),
                    ],
                ),
            ],
            "objectives": [
                "Förklara skillnaden mellan chain of identity och chain of custody.",
                "Identifiera kontrollpunkterna från aferes till infusion.",
                "Genomföra dubbelkontroll av identitet före infusion.",
                "Rapportera och hantera en identitetsavvikelse.",
            ],
            "prerequisites": "<p>Inga särskilda förkunskaper.</p>",
        },
        "en": {
            "title": "Chain of identity and chain of custody",
            "slug": "chain-of-identity-and-chain-of-custody",
            "summary": "How the patient's identity and the product's chain of custody are secured from apheresis "
            "to infusion, and what happens when something does not match.",
            "body": [
                (
                    "paragraph",
                    "<p>An autologous cell product is made for one patient only. A mix-up can have serious "
                    "consequences, and every handover – from the apheresis unit to the manufacturer and back to "
                    "the ward – must be documented. The course covers chain of identity and chain of custody, "
                    "the manufacturers' ordering portals and the hospital's own checkpoints.</p>",
                ),
                ("heading", "Checkpoints along the chain"),
                (
                    "paragraph",
                    "<p>We follow a product through seven checkpoints and discuss who is responsible for what, "
                    "which details must match and how the double check at the bedside is done.</p>",
                ),
                (
                    "faq",
                    [
                        (
                            "Do I need access to the manufacturers' portals?",
                            "<p>No. We demonstrate the portals with demo accounts during the course.</p>",
                        ),
                    ],
                ),
            ],
            "objectives": [
                "Explain the difference between chain of identity and chain of custody.",
                "Identify the checkpoints from apheresis to infusion.",
                "Carry out an identity double check before infusion.",
                "Report and handle an identity deviation.",
            ],
            "prerequisites": "<p>No particular prior knowledge.</p>",
        },
    },
    {
        "centres": ["skane"],
        "topics": ["cell-therapy", "handling-and-administration"],
        "audiences": ["nurses", "physicians", "gmp-and-laboratory-staff"],
        "format": "in_person",
        "language": "sv",
        "cpd_hours": "6.0",
        "lipus": "",
        "schedule": (1, "09.00", "16.00"),
        "occasions": 4,
        "sv": {
            "title": "Aferes inför CAR-T-tillverkning",
            "slug": "aferes-infor-car-t-tillverkning",
            "summary": "För personal vid aferesenheter och remitterande kliniker: planering, genomförande och "
            "överlämning av leukaferesprodukter för tillverkning av CAR-T-celler.",
            "body": [
                (
                    "paragraph",
                    "<p>Aferesproduktens kvalitet avgör i hög grad om tillverkningen av CAR-T-celler lyckas. "
                    "Kursen tar upp hur patienten förbereds – med uppehåll i behandlingar som påverkar "
                    "lymfocyterna, blodstatus och venös infart – hur leukaferesen genomförs och hur produkten "
                    "märks, packas och lämnas över enligt tillverkarens krav.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09.00–10.00", "Från beslut om CAR-T till aferesdatum"),
                            ("10.15–11.30", "Förberedelser: läkemedelsuppehåll, provtagning och venös infart"),
                            ("12.30–13.45", "Leukaferes i praktiken och produktens kvalitet"),
                            ("14.00–15.00", "Märkning, packning och överlämning till tillverkaren"),
                            ("15.15–16.00", "Fallgenomgångar och frågor"),
                        ]
                    },
                ),
                (
                    "callout",
                    {
                        "title": "Samordning",
                        "text": "<p>Aferesdatum bokas ofta mot en tillverkningsplats med begränsad kapacitet. Vi "
                        "diskuterar hur remitterande klinik, aferesenhet och ATMP-centrum kan samordna "
                        "planeringen.</p>",
                    },
                ),
            ],
            "objectives": [
                "Planera en leukaferes inför CAR-T-tillverkning tillsammans med remitterande klinik.",
                "Bedöma om patienten är redo för aferes.",
                "Märka, packa och lämna över aferesprodukten enligt tillverkarens instruktion.",
                "Dokumentera för spårbarhet och chain of identity.",
            ],
            "prerequisites": "<p>Sjuksköterska, biomedicinsk analytiker eller läkare vid en aferesenhet eller en "
            "klinik som remitterar patienter för CAR-T-behandling.</p>",
        },
        "en": {
            "title": "Apheresis for CAR-T manufacturing",
            "slug": "apheresis-for-car-t-manufacturing",
            "summary": "For staff at apheresis units and referring clinics: planning, performing and handing over "
            "leukapheresis products for CAR-T manufacturing.",
            "body": [
                (
                    "paragraph",
                    "<p>The quality of the apheresis product largely decides whether CAR-T manufacturing "
                    "succeeds. The course covers how the patient is prepared – pausing treatments that affect "
                    "lymphocytes, blood counts and venous access – how leukapheresis is performed and how the "
                    "product is labelled, packed and handed over to the manufacturer's requirements.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09:00–10:00", "From the decision to treat to the apheresis date"),
                            ("10:15–11:30", "Preparation: pausing medicines, blood tests and venous access"),
                            ("12:30–13:45", "Leukapheresis in practice and product quality"),
                            ("14:00–15:00", "Labelling, packing and handover to the manufacturer"),
                            ("15:15–16:00", "Case reviews and questions"),
                        ]
                    },
                ),
                (
                    "callout",
                    {
                        "title": "Coordination",
                        "text": "<p>Apheresis dates are often booked against a manufacturing slot with limited "
                        "capacity. We discuss how the referring clinic, the apheresis unit and the ATMP-centre "
                        "can plan together.</p>",
                    },
                ),
            ],
            "objectives": [
                "Plan leukapheresis for CAR-T manufacturing with the referring clinic.",
                "Assess whether a patient is ready for apheresis.",
                "Label, pack and hand over the apheresis product as the manufacturer instructs.",
                "Document for traceability and chain of identity.",
            ],
            "prerequisites": "<p>Nurses, biomedical scientists or physicians at an apheresis unit or a clinic that "
            "refers patients for CAR-T therapy.</p>",
        },
    },
    {
        "centres": ["stockholm", "vastra-gotaland"],
        "topics": ["regulatory-and-hospital-exemption"],
        "audiences": ["researchers", "quality-assurance", "physicians"],
        "format": "online",
        "language": "sv",
        "cpd_hours": "3.0",
        "lipus": "20250233",
        "schedule": (1, "09.00", "12.00"),
        "occasions": 4,
        "sv": {
            "title": "EU:s ATMP-förordning och sjukhusundantaget",
            "slug": "eus-atmp-forordning-och-sjukhusundantaget",
            "summary": "En genomgång av förordning (EG) nr 1394/2007, klassificeringen av ATMP och villkoren för "
            "sjukhusundantaget i Sverige.",
            "body": [
                (
                    "paragraph",
                    "<p>Vad är ett läkemedel för avancerad terapi, och när räknas en cell- eller "
                    "vävnadsbehandling som ATMP? Kursen förklarar klassificeringen, vägarna till marknaden och "
                    "hur sjukhusundantaget fungerar: tillstånd från Läkemedelsverket, krav på tillverkningen och "
                    "skyldigheten att följa upp och rapportera.</p>",
                ),
                (
                    "faq",
                    [
                        (
                            "Vad skiljer sjukhusundantaget från en klinisk prövning?",
                            "<p>Sjukhusundantaget gäller behandling av enskilda patienter på sjukhus i det land "
                            "där produkten tillverkas, inte forskning. En klinisk prövning har ett "
                            "forskningssyfte och regleras av EU:s förordning om kliniska prövningar.</p>",
                        ),
                        (
                            "Får jag kursintyg?",
                            "<p>Ja, du får ett kursintyg när du har deltagit hela förmiddagen.</p>",
                        ),
                    ],
                ),
            ],
            "objectives": [
                "Avgöra om en produkt är ett ATMP med hjälp av förordningens definitioner.",
                "Beskriva villkoren för sjukhusundantaget och Läkemedelsverkets tillståndsprocess.",
                "Redogöra för kraven på spårbarhet och uppföljning.",
                "Veta var du kan få regulatoriskt stöd i din region.",
            ],
            "prerequisites": "<p>Inga särskilda förkunskaper. Kursen passar forskare, kvalitetsansvariga och "
            "läkare som planerar eller deltar i ATMP-verksamhet.</p>",
        },
        "en": {
            "title": "The EU ATMP Regulation and the hospital exemption",
            "slug": "the-eu-atmp-regulation-and-the-hospital-exemption",
            "summary": "An overview of Regulation (EC) No 1394/2007, how ATMPs are classified and the conditions "
            "for the hospital exemption in Sweden.",
            "body": [
                (
                    "paragraph",
                    "<p>What is an advanced therapy medicinal product, and when does a cell or tissue treatment "
                    "count as an ATMP? The course explains classification, the routes to market and how the "
                    "hospital exemption works: authorisation from the Swedish Medical Products Agency, "
                    "manufacturing requirements and the duty to follow up and report.</p>",
                ),
                (
                    "faq",
                    [
                        (
                            "How does the hospital exemption differ from a clinical trial?",
                            "<p>The hospital exemption covers treating individual patients in a hospital in the "
                            "country where the product is made, not research. A clinical trial has a research "
                            "purpose and is governed by the EU Clinical Trials Regulation.</p>",
                        ),
                        (
                            "Will I get a certificate?",
                            "<p>Yes, you receive a certificate of attendance when you have attended the whole "
                            "morning.</p>",
                        ),
                    ],
                ),
            ],
            "objectives": [
                "Decide whether a product is an ATMP using the Regulation's definitions.",
                "Describe the conditions for the hospital exemption and the authorisation process.",
                "Explain the requirements for traceability and follow-up.",
                "Know where to find regulatory support in your region.",
            ],
            "prerequisites": "<p>No particular prior knowledge. Suitable for researchers, quality staff and "
            "physicians planning or taking part in ATMP work.</p>",
        },
    },
    {
        "centres": ["uppsala"],
        "topics": ["clinical-trials", "regulatory-and-hospital-exemption"],
        "audiences": ["researchers", "physicians", "nurses"],
        "format": "hybrid",
        "language": "sv",
        "cpd_hours": "6.0",
        "lipus": "20250318",
        "schedule": (1, "09.00", "16.00"),
        "occasions": 4,
        "sv": {
            "title": "Kliniska läkemedelsprövningar med ATMP – CTR och CTIS",
            "slug": "kliniska-lakemedelsprovningar-med-atmp",
            "summary": "Heldag om att planera och ansöka om en klinisk prövning med ATMP enligt EU:s "
            "prövningsförordning, med praktisk genomgång av CTIS.",
            "body": [
                (
                    "paragraph",
                    "<p>Sedan EU:s förordning om kliniska prövningar (nr 536/2014) började gälla görs alla nya "
                    "ansökningar i portalen CTIS. För prövningar med ATMP tillkommer frågor om GMO, tillverkning "
                    "och långtidsuppföljning. Kursen vänder sig till dig som ska vara prövare, sponsor eller "
                    "forskningssjuksköterska i en ATMP-prövning.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09.00–10.15", "Prövningsförordningen och rollerna i en prövning"),
                            ("10.30–12.00", "Ansökan i CTIS: del I och del II"),
                            ("13.00–14.00", "Särskilda krav för ATMP: kvalitetsdokumentation och GMO"),
                            ("14.15–15.15", "Säkerhetsrapportering och långtidsuppföljning"),
                            ("15.15–16.00", "Stöd från regionens forskningsenheter"),
                        ]
                    },
                ),
                (
                    "callout",
                    {
                        "title": "Har du en egen prövning på gång?",
                        "text": "<p>Beskriv den kort när du anmäler dig, så kan vi använda den som exempel "
                        "(efter överenskommelse med dig).</p>",
                    },
                ),
            ],
            "objectives": [
                "Beskriva ansökningsprocessen enligt förordning (EU) nr 536/2014.",
                "Navigera i CTIS och veta vad som ingår i del I och del II.",
                "Redogöra för de särskilda kraven vid prövningar med ATMP.",
                "Planera säkerhetsrapportering och långtidsuppföljning.",
            ],
            "prerequisites": "<p>Grundläggande kunskaper i god klinisk sed (GCP) rekommenderas.</p>",
        },
        "en": {
            "title": "Clinical trials with ATMPs: the CTR and CTIS",
            "slug": "clinical-trials-with-atmps-ctr-and-ctis",
            "summary": "A full day on planning and applying for a clinical trial with an ATMP under the EU "
            "Clinical Trials Regulation, with a hands-on walk-through of CTIS.",
            "body": [
                (
                    "paragraph",
                    "<p>Since the EU Clinical Trials Regulation (No 536/2014) took effect, every new application "
                    "goes through the CTIS portal. Trials with ATMPs raise further questions about GMOs, "
                    "manufacturing and long-term follow-up. The course is for future investigators, sponsors and "
                    "research nurses in ATMP trials.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09:00–10:15", "The Regulation and the roles in a trial"),
                            ("10:30–12:00", "Applying in CTIS: Part I and Part II"),
                            ("13:00–14:00", "Specific requirements for ATMPs: quality documentation and GMOs"),
                            ("14:15–15:15", "Safety reporting and long-term follow-up"),
                            ("15:15–16:00", "Support from the region's research units"),
                        ]
                    },
                ),
                (
                    "callout",
                    {
                        "title": "Planning a trial of your own?",
                        "text": "<p>Describe it briefly when you enrol and we may use it as an example (only if "
                        "you agree).</p>",
                    },
                ),
            ],
            "objectives": [
                "Describe the application process under Regulation (EU) No 536/2014.",
                "Navigate CTIS and know what Part I and Part II contain.",
                "Explain the specific requirements for trials with ATMPs.",
                "Plan safety reporting and long-term follow-up.",
            ],
            "prerequisites": "<p>Basic knowledge of Good Clinical Practice (GCP) is recommended.</p>",
        },
    },
    {
        "centres": ["vastra-gotaland"],
        "topics": ["gene-therapy", "handling-and-administration"],
        "audiences": ["nurses", "pharmacists", "gmp-and-laboratory-staff"],
        "format": "in_person",
        "language": "sv",
        "cpd_hours": "3.0",
        "lipus": "",
        "schedule": (1, "09.00", "12.00"),
        "occasions": 4,
        "sv": {
            "title": "Biosäkerhet vid hantering av genterapiläkemedel (GMO)",
            "slug": "biosakerhet-vid-hantering-av-genterapilakemedel",
            "summary": "Hur vårdenhet och sjukhusapotek hanterar läkemedel som innehåller genetiskt modifierade "
            "organismer: riskbedömning, skyddsutrustning, spill och avfall.",
            "body": [
                (
                    "paragraph",
                    "<p>Många genterapiläkemedel består av virala vektorer och räknas som genetiskt modifierade "
                    "organismer (GMO). Hanteringen kräver en riskbedömning och tydliga rutiner för beredning, "
                    "administrering, spill och avfall – men sällan så omfattande åtgärder som många tror. Kursen "
                    "ger dig grunden för att ta fram och följa lokala rutiner.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09.00–09.45", "Virala vektorer och vad som gör dem till GMO"),
                            ("09.45–10.30", "Regelverk och riskbedömning vid innesluten användning"),
                            ("10.45–11.30", "Beredning, administrering och skyddsutrustning"),
                            ("11.30–12.00", "Övning: spill på vårdenheten"),
                        ]
                    },
                ),
                (
                    "faq",
                    [
                        (
                            "Behöver vårdenheten särskilda lokaler?",
                            "<p>Det avgörs av riskbedömningen för varje produkt. Ofta räcker ett vanligt "
                            "vårdrum och basala hygienrutiner, kompletterat med rutiner för spill och avfall.</p>",
                        ),
                    ],
                ),
            ],
            "objectives": [
                "Förklara varför vissa genterapiläkemedel räknas som GMO.",
                "Delta i en riskbedömning inför hantering av en ny produkt.",
                "Välja skyddsutrustning och hantera spill och avfall.",
                "Informera patient och närstående om försiktighetsåtgärder efter behandlingen.",
            ],
            "prerequisites": "<p>Inga särskilda förkunskaper.</p>",
        },
        "en": {
            "title": "Biosafety when handling gene therapy products (GMOs)",
            "slug": "biosafety-when-handling-gene-therapy-products",
            "summary": "How wards and hospital pharmacies handle medicines that contain genetically modified "
            "organisms: risk assessment, protective equipment, spills and waste.",
            "body": [
                (
                    "paragraph",
                    "<p>Many gene therapy products consist of viral vectors and count as genetically modified "
                    "organisms (GMOs). Handling them requires a risk assessment and clear routines for "
                    "preparation, administration, spills and waste – though rarely as much as people expect. The "
                    "course gives you the basis for writing and following local routines.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09:00–09:45", "Viral vectors and what makes them GMOs"),
                            ("09:45–10:30", "Rules and risk assessment for contained use"),
                            ("10:45–11:30", "Preparation, administration and protective equipment"),
                            ("11:30–12:00", "Exercise: a spill on the ward"),
                        ]
                    },
                ),
                (
                    "faq",
                    [
                        (
                            "Does the ward need special facilities?",
                            "<p>That depends on the risk assessment for each product. An ordinary patient room "
                            "with standard hygiene precautions is often enough, together with routines for "
                            "spills and waste.</p>",
                        ),
                    ],
                ),
            ],
            "objectives": [
                "Explain why some gene therapy products count as GMOs.",
                "Take part in a risk assessment before handling a new product.",
                "Choose protective equipment and deal with spills and waste.",
                "Tell patients and families about any precautions after treatment.",
            ],
            "prerequisites": "<p>No particular prior knowledge.</p>",
        },
    },
    {
        "centres": ["uppsala"],
        "topics": ["tissue-engineering"],
        "audiences": ["physicians", "nurses", "researchers"],
        "format": "in_person",
        "language": "sv",
        "cpd_hours": "6.0",
        "lipus": "",
        "schedule": (1, "09.00", "16.00"),
        "occasions": 3,
        "sv": {
            "title": "Vävnadsteknik och hudersättning vid brännskador",
            "slug": "vavnadsteknik-och-hudersattning-vid-brannskador",
            "summary": "Om odlade hudceller, dermala ersättningar och vävnadstekniska produkter i brännskadevården "
            "– från laboratoriet till operationssalen.",
            "body": [
                (
                    "paragraph",
                    "<p>Vid omfattande brännskador räcker patientens egen hud inte alltid till transplantation. "
                    "Odlade keratinocyter, dermala matriser och nyare vävnadstekniska produkter kan bidra till "
                    "läkningen. Kursen beskriver hur produkterna tas fram, hur de regleras – som vävnad enligt "
                    "vävnadslagen eller som ATMP – och hur de används i vården.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09.00–10.00", "Huden som organ och behandlingen av brännskador"),
                            ("10.15–11.30", "Odlade hudceller: från biopsi till transplantat"),
                            ("12.30–13.30", "Vävnad eller ATMP? Regelverken i praktiken"),
                            ("13.45–15.00", "Omvårdnad och sårbehandling efter transplantation"),
                            ("15.15–16.00", "Forskningsfronten: bioprinting och hudmodeller"),
                        ]
                    },
                ),
                (
                    "callout",
                    {
                        "title": "Samarbete",
                        "text": "<p>Kursen ges tillsammans med Brännskadecentrum vid Akademiska sjukhuset.</p>",
                    },
                ),
            ],
            "objectives": [
                "Beskriva de vanligaste typerna av hudersättning och när de används.",
                "Förklara skillnaden mellan vävnadsprodukter och vävnadstekniska ATMP.",
                "Följa en odlad hudprodukt från biopsi till transplantation.",
                "Planera omvårdnaden efter transplantationen.",
            ],
            "prerequisites": "<p>Du arbetar inom brännskadevård, plastikkirurgi eller sårvård, eller forskar inom "
            "vävnadsteknik.</p>",
        },
        "en": {
            "title": "Tissue engineering and skin substitutes in burn care",
            "slug": "tissue-engineering-and-skin-substitutes-in-burn-care",
            "summary": "Cultured skin cells, dermal substitutes and tissue-engineered products in burn care, from "
            "the laboratory to the operating theatre.",
            "body": [
                (
                    "paragraph",
                    "<p>In extensive burns the patient's own skin is not always enough for grafting. Cultured "
                    "keratinocytes, dermal matrices and newer tissue-engineered products can help wounds heal. "
                    "The course describes how these products are made, how they are regulated – as tissues under "
                    "the Swedish tissue act or as ATMPs – and how they are used in the clinic.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09:00–10:00", "Skin as an organ and the treatment of burns"),
                            ("10:15–11:30", "Cultured skin cells: from biopsy to graft"),
                            ("12:30–13:30", "Tissue or ATMP? The rules in practice"),
                            ("13:45–15:00", "Nursing and wound care after grafting"),
                            ("15:15–16:00", "Research frontiers: bioprinting and skin models"),
                        ]
                    },
                ),
                (
                    "callout",
                    {
                        "title": "In partnership",
                        "text": "<p>The course is given together with the Burn Centre at Uppsala University "
                        "Hospital.</p>",
                    },
                ),
            ],
            "objectives": [
                "Describe the main types of skin substitute and when they are used.",
                "Explain the difference between tissue products and tissue-engineered ATMPs.",
                "Follow a cultured skin product from biopsy to grafting.",
                "Plan nursing care after grafting.",
            ],
            "prerequisites": "<p>You work in burn care, plastic surgery or wound care, or research tissue "
            "engineering.</p>",
        },
    },
    {
        "centres": ["stockholm"],
        "topics": ["tissue-engineering", "cell-therapy"],
        "audiences": ["physicians", "researchers", "gmp-and-laboratory-staff"],
        "format": "online",
        "language": "en",
        "cpd_hours": "3.0",
        "lipus": "",
        "schedule": (1, "13.00", "16.00"),
        "occasions": 3,
        "sv": {
            "title": "Limbala stamceller – behandling av limbal stamcellsbrist",
            "slug": "limbala-stamceller",
            "summary": "Webbinarium på engelska om odlade limbala stamceller för att återställa hornhinnans yta "
            "vid limbal stamcellsbrist.",
            "body": [
                (
                    "paragraph",
                    "<p>Limbal stamcellsbrist, till exempel efter kemiska brännskador, kan leda till smärta och "
                    "synförlust. Transplantation av odlade limbala stamceller är ett av de första exemplen på "
                    "vävnadsteknik i rutinsjukvården. Kursen tar upp diagnostik, tillverkning, kirurgi och "
                    "resultat.</p>",
                ),
                ("heading", "Kursspråk"),
                (
                    "paragraph",
                    "<p>Kursen ges på engelska tillsammans med internationella föreläsare. Du kan ställa frågor "
                    "på svenska i chatten.</p>",
                ),
            ],
            "objectives": [
                "Beskriva orsaker till och diagnostik av limbal stamcellsbrist.",
                "Redogöra för hur limbala stamceller odlas och kvalitetskontrolleras.",
                "Känna till kirurgiska metoder och förväntade resultat.",
            ],
            "prerequisites": "<p>Ögonläkare, forskare och laboratoriepersonal med intresse för regenerativ "
            "medicin. Du behöver kunna följa föreläsningar på engelska.</p>",
        },
        "en": {
            "title": "Limbal stem cells: treating limbal stem cell deficiency",
            "slug": "limbal-stem-cells",
            "summary": "A webinar on cultured limbal stem cells for restoring the corneal surface in limbal stem "
            "cell deficiency.",
            "body": [
                (
                    "paragraph",
                    "<p>Limbal stem cell deficiency, for example after chemical burns, can cause pain and loss "
                    "of vision. Grafting cultured limbal stem cells was one of the first tissue-engineering "
                    "treatments in routine care. The webinar covers diagnosis, manufacturing, surgery and "
                    "outcomes.</p>",
                ),
                ("heading", "Language"),
                (
                    "paragraph",
                    "<p>The webinar is given in English with international speakers. Questions in Swedish are "
                    "welcome in the chat.</p>",
                ),
            ],
            "objectives": [
                "Describe the causes and diagnosis of limbal stem cell deficiency.",
                "Explain how limbal stem cells are cultured and quality-controlled.",
                "Know the surgical techniques and expected outcomes.",
            ],
            "prerequisites": "<p>Ophthalmologists, researchers and laboratory staff interested in regenerative "
            "medicine.</p>",
        },
    },
    {
        "centres": ["skane"],
        "topics": ["regulatory-and-hospital-exemption", "handling-and-administration"],
        "audiences": ["quality-assurance", "pharmacists", "nurses"],
        "format": "online",
        "language": "sv",
        "cpd_hours": "2.0",
        "lipus": "",
        "schedule": (1, "09.00", "11.00"),
        "occasions": 4,
        "sv": {
            "title": "Spårbarhet och 30-årig arkivering för ATMP",
            "slug": "sparbarhet-och-30-arig-arkivering",
            "summary": "Vilka uppgifter som måste sparas om en ATMP-behandling, var de ska finnas och hur sjukhuset "
            "ser till att de går att ta fram i 30 år.",
            "body": [
                (
                    "paragraph",
                    "<p>EU:s ATMP-förordning kräver att varje produkt och dess utgångsmaterial ska kunna spåras "
                    "från donator till patient, och att uppgifterna sparas i minst 30 år efter produktens "
                    "utgångsdatum. För ett sjukhus ställer det krav på journalföring, läkemedelsmodul, apotekets "
                    "system och arkivering som sällan är samordnade från början.</p>",
                ),
                ("heading", "Exempel från Region Skåne"),
                (
                    "paragraph",
                    "<p>Vi visar hur spårbarheten för CAR-T-behandlingar har byggts upp i Region Skåne, med en "
                    "gemensam checklista för vårdenhet, sjukhusapotek och aferesenhet.</p>",
                ),
                (
                    "faq",
                    [
                        (
                            "Räcker det att uppgifterna finns i journalen?",
                            "<p>Inte alltid. Journalsystem byts ut och gallringsreglerna kan vara kortare än 30 "
                            "år. Vi går igenom hur spårbarhetsuppgifterna kan säkras oberoende av systembyten.</p>",
                        ),
                    ],
                ),
            ],
            "objectives": [
                "Redogöra för kraven på spårbarhet i ATMP-förordningen och vävnadslagstiftningen.",
                "Identifiera vilka uppgifter som ska sparas och i vilka system.",
                "Ta fram en lokal rutin för spårbarhet och arkivering.",
            ],
            "prerequisites": "<p>Inga särskilda förkunskaper.</p>",
        },
        "en": {
            "title": "Traceability and 30-year record keeping for ATMPs",
            "slug": "traceability-and-30-year-record-keeping",
            "summary": "Which records must be kept about an ATMP treatment, where they belong and how the hospital "
            "makes sure they can be retrieved for 30 years.",
            "body": [
                (
                    "paragraph",
                    "<p>The EU ATMP Regulation requires every product and its starting materials to be traceable "
                    "from donor to patient, with the records kept for at least 30 years after the product's "
                    "expiry date. For a hospital this places demands on medical records, the medication module, "
                    "pharmacy systems and archiving that are rarely coordinated from the start.</p>",
                ),
                ("heading", "An example from Region Skåne"),
                (
                    "paragraph",
                    "<p>We show how traceability for CAR-T treatments was set up in Region Skåne, with a shared "
                    "checklist for the ward, the hospital pharmacy and the apheresis unit.</p>",
                ),
                (
                    "faq",
                    [
                        (
                            "Is it enough to have the details in the medical record?",
                            "<p>Not always. Record systems are replaced and retention rules can be shorter than "
                            "30 years. We discuss how to keep traceability data safe across system changes.</p>",
                        ),
                    ],
                ),
            ],
            "objectives": [
                "Explain the traceability requirements in the ATMP Regulation and tissue legislation.",
                "Identify which data must be kept and in which systems.",
                "Draft a local routine for traceability and archiving.",
            ],
            "prerequisites": "<p>No particular prior knowledge.</p>",
        },
    },
    {
        "centres": ["vastra-gotaland"],
        "topics": ["gmp-and-manufacturing"],
        "audiences": ["quality-assurance", "gmp-and-laboratory-staff"],
        "format": "in_person",
        "language": "sv",
        "cpd_hours": "12.0",
        "lipus": "",
        "schedule": (2, "09.00", "16.00"),
        "occasions": 3,
        "sv": {
            "title": "Kvalitetssäkring och avvikelsehantering vid ATMP-tillverkning",
            "slug": "kvalitetssakring-och-avvikelsehantering",
            "summary": "Två dagar om avvikelser, grundorsaksanalys, CAPA och ändringshantering i en GMP-verksamhet "
            "för cell- och vävnadsprodukter.",
            "body": [
                (
                    "paragraph",
                    "<p>Avvikelser uppstår i all tillverkning. Det som skiljer en väl fungerande verksamhet är hur "
                    "de utreds och vad man lär sig av dem. Kursen ger verktyg för att klassificera avvikelser, "
                    "göra grundorsaksanalyser och följa upp korrigerande och förebyggande åtgärder (CAPA), med "
                    "exempel från tillverkning av cellprodukter.</p>",
                ),
                (
                    "programme",
                    {
                        "title": "Dag 1",
                        "items": [
                            ("09.00–10.30", "Kvalitetssystemet och avvikelsens plats i det"),
                            ("10.45–12.00", "Klassificering och riskbedömning av avvikelser"),
                            ("13.00–16.00", "Grundorsaksanalys: metoder och gruppövning"),
                        ],
                    },
                ),
                (
                    "programme",
                    {
                        "title": "Dag 2",
                        "items": [
                            ("09.00–10.30", "CAPA och uppföljning av effekten"),
                            ("10.45–12.00", "Ändringshantering och validering"),
                            ("13.00–14.30", "Egeninspektion och ledningens genomgång"),
                            ("14.45–16.00", "Erfarenheter från inspektioner"),
                        ],
                    },
                ),
            ],
            "objectives": [
                "Klassificera och riskbedöma avvikelser.",
                "Leda en grundorsaksanalys med strukturerade metoder.",
                "Formulera CAPA och följa upp deras effekt.",
                "Tillämpa ändringshantering i en GMP-miljö.",
            ],
            "prerequisites": "<p>Du arbetar i en GMP-verksamhet eller vävnadsinrättning. Kursen GMP vid "
            "tillverkning under sjukhusundantaget, eller motsvarande kunskaper, rekommenderas.</p>",
        },
        "en": {
            "title": "Quality assurance and deviation management in ATMP manufacturing",
            "slug": "quality-assurance-and-deviation-management",
            "summary": "Two days on deviations, root cause analysis, CAPA and change control in a GMP facility for "
            "cell and tissue products.",
            "body": [
                (
                    "paragraph",
                    "<p>Deviations happen in all manufacturing. What sets a well-run facility apart is how they "
                    "are investigated and what is learned from them. The course gives you tools to classify "
                    "deviations, carry out root cause analysis and follow up corrective and preventive actions "
                    "(CAPA), with examples from cell product manufacturing.</p>",
                ),
                (
                    "programme",
                    {
                        "title": "Day 1",
                        "items": [
                            ("09:00–10:30", "The quality system and where deviations fit in"),
                            ("10:45–12:00", "Classifying deviations and assessing their risk"),
                            ("13:00–16:00", "Root cause analysis: methods and group exercise"),
                        ],
                    },
                ),
                (
                    "programme",
                    {
                        "title": "Day 2",
                        "items": [
                            ("09:00–10:30", "CAPA and checking effectiveness"),
                            ("10:45–12:00", "Change control and validation"),
                            ("13:00–14:30", "Self-inspection and management review"),
                            ("14:45–16:00", "Lessons from inspections"),
                        ],
                    },
                ),
            ],
            "objectives": [
                "Classify deviations and assess their risk.",
                "Lead a root cause analysis with structured methods.",
                "Write CAPAs and follow up their effect.",
                "Apply change control in a GMP environment.",
            ],
            "prerequisites": "<p>You work in a GMP facility or tissue establishment. The course GMP for "
            "manufacturing under the hospital exemption, or equivalent knowledge, is recommended.</p>",
        },
    },
    {
        "centres": ["stockholm"],
        "topics": ["nursing-care", "clinical-trials"],
        "audiences": ["nurses", "physicians"],
        "format": "hybrid",
        "language": "sv",
        "cpd_hours": "3.0",
        "lipus": "",
        "schedule": (1, "13.00", "16.00"),
        "occasions": 4,
        "sv": {
            "title": "Patientinformation och långtidsuppföljning efter ATMP-behandling",
            "slug": "patientinformation-och-langtidsuppfoljning",
            "summary": "Hur vi informerar patienter och närstående inför en ATMP-behandling och organiserar "
            "uppföljningen under många år efteråt.",
            "body": [
                (
                    "paragraph",
                    "<p>ATMP är ofta engångsbehandlingar med långvarig effekt – och med risker som kan visa sig "
                    "först efter lång tid. Efter genterapi följs patienten därför ofta upp i 15 år, och patienten "
                    "behöver förstå varför. Kursen tar upp samtalet inför behandlingen, skriftlig information på "
                    "lättläst svenska och hur uppföljningen fördelas mellan universitetssjukhus och "
                    "hemregion.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("13.00–13.45", "Samtalet inför behandlingen: förväntningar, risker och samtycke"),
                            ("13.45–14.30", "Skriftlig information och tolk"),
                            ("14.45–15.30", "Långtidsuppföljning och kvalitetsregister"),
                            ("15.30–16.00", "En patientföreträdare berättar"),
                        ]
                    },
                ),
                (
                    "callout",
                    {
                        "title": "Patientens perspektiv",
                        "text": "<p>Kursen avslutas med att en patientföreträdare berättar om sin behandling och "
                        "om vad som gjorde skillnad.</p>",
                    },
                ),
            ],
            "objectives": [
                "Förbereda och genomföra ett informationssamtal inför ATMP-behandling.",
                "Anpassa skriftlig information efter patientens behov.",
                "Beskriva varför och hur långtidsuppföljning görs.",
                "Samordna uppföljningen med patientens hemregion.",
            ],
            "prerequisites": "<p>Inga särskilda förkunskaper.</p>",
        },
        "en": {
            "title": "Patient information and long-term follow-up after ATMP treatment",
            "slug": "patient-information-and-long-term-follow-up",
            "summary": "How we inform patients and their families before ATMP treatment and organise follow-up for "
            "many years afterwards.",
            "body": [
                (
                    "paragraph",
                    "<p>ATMPs are often one-off treatments with lasting effects – and with risks that may only "
                    "appear after a long time. After gene therapy, patients are therefore often followed for 15 "
                    "years, and they need to understand why. The course covers the conversation before "
                    "treatment, easy-to-read written information and how follow-up is shared between the "
                    "university hospital and the home region.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("13:00–13:45", "The conversation before treatment: expectations, risks and consent"),
                            ("13:45–14:30", "Written information and interpreters"),
                            ("14:45–15:30", "Long-term follow-up and quality registries"),
                            ("15:30–16:00", "A patient representative's story"),
                        ]
                    },
                ),
                (
                    "callout",
                    {
                        "title": "The patient's perspective",
                        "text": "<p>The course ends with a patient representative talking about their treatment "
                        "and what made a difference.</p>",
                    },
                ),
            ],
            "objectives": [
                "Prepare and hold an information conversation before ATMP treatment.",
                "Adapt written information to the patient's needs.",
                "Describe why and how long-term follow-up is done.",
                "Coordinate follow-up with the patient's home region.",
            ],
            "prerequisites": "<p>No particular prior knowledge.</p>",
        },
    },
    {
        "centres": ["skane", "vastra-gotaland"],
        "topics": ["cell-therapy", "gene-therapy", "tissue-engineering"],
        "audiences": ["physicians", "nurses", "pharmacists"],
        "format": "self_paced",
        "language": "sv",
        "cpd_hours": "4.0",
        "lipus": "",
        "schedule": (42, "08.00", "17.00"),
        "occasions": 2,
        "sv": {
            "title": "Introduktion till ATMP – webbkurs",
            "slug": "introduktion-till-atmp-webbkurs",
            "summary": "En webbkurs i egen takt om vad cell-, gen- och vävnadsterapier är, hur de regleras och hur "
            "de når patienten i svensk hälso- och sjukvård.",
            "body": [
                (
                    "paragraph",
                    "<p>Kursen består av sex moduler med korta filmer, texter och kunskapsfrågor. Den tar ungefär "
                    "fyra timmar och kan göras i flera omgångar. Den passar dig som är ny inom området eller vill "
                    "ha en överblick innan du går vidare till någon av nätverkets fördjupningskurser.</p>",
                ),
                ("heading", "Moduler"),
                (
                    "paragraph",
                    "<ol><li>Vad är ATMP?</li><li>Cellterapi och CAR-T</li><li>Genterapi</li>"
                    "<li>Vävnadsteknik</li><li>Regelverk och sjukhusundantag</li><li>ATMP på ditt sjukhus</li>"
                    "</ol>",
                ),
                (
                    "faq",
                    [
                        (
                            "Hur länge har jag tillgång till kursen?",
                            "<p>Under hela kursperioden. Kursintyget skapas när du har klarat kunskapsfrågorna i "
                            "alla moduler.</p>",
                        ),
                    ],
                ),
            ],
            "objectives": [
                "Förklara vad som skiljer ATMP från andra läkemedel.",
                "Ge exempel på godkända cell-, gen- och vävnadsterapier.",
                "Beskriva grunderna i regelverket och sjukhusundantaget.",
                "Veta vart du vänder dig med frågor i din region.",
            ],
            "prerequisites": "<p>Inga förkunskaper krävs.</p>",
        },
        "en": {
            "title": "Introduction to ATMPs: e-learning",
            "slug": "introduction-to-atmps-e-learning",
            "summary": "A self-paced online course on what cell, gene and tissue therapies are, how they are "
            "regulated and how they reach patients in Swedish healthcare.",
            "body": [
                (
                    "paragraph",
                    "<p>The course has six modules with short videos, texts and quiz questions. It takes about "
                    "four hours and can be done in several sittings. It suits you if you are new to the field or "
                    "want an overview before one of the network's in-depth courses.</p>",
                ),
                ("heading", "Modules"),
                (
                    "paragraph",
                    "<ol><li>What are ATMPs?</li><li>Cell therapy and CAR-T</li><li>Gene therapy</li>"
                    "<li>Tissue engineering</li><li>Regulation and the hospital exemption</li>"
                    "<li>ATMPs at your hospital</li></ol>",
                ),
                (
                    "faq",
                    [
                        (
                            "How long do I have access?",
                            "<p>For the whole course period. Your certificate is issued when you have passed the "
                            "quiz in every module.</p>",
                        ),
                    ],
                ),
            ],
            "objectives": [
                "Explain how ATMPs differ from other medicines.",
                "Give examples of approved cell, gene and tissue therapies.",
                "Describe the basics of regulation and the hospital exemption.",
                "Know whom to ask in your region.",
            ],
            "prerequisites": "<p>No prior knowledge required.</p>",
        },
    },
    {
        "centres": ["vastra-gotaland", "skane"],
        "topics": ["cell-therapy", "clinical-trials"],
        "audiences": ["physicians"],
        "format": "hybrid",
        "language": "sv",
        "cpd_hours": "6.0",
        "lipus": "20250694",
        "schedule": (1, "09.00", "16.00"),
        "occasions": 4,
        "sv": {
            "title": "CAR-T-cellsbehandling för läkare – indikationer, remiss och uppföljning",
            "slug": "car-t-cellsbehandling-for-lakare",
            "summary": "Heldag för läkare om aktuella indikationer för CAR-T, remissvägar till "
            "universitetssjukhusen och omhändertagande efter hemgång.",
            "body": [
                (
                    "paragraph",
                    "<p>CAR-T-behandling är godkänd vid flera typer av lymfom, akut lymfatisk leukemi och "
                    "multipelt myelom, och fler indikationer prövas i studier. Kursen ger en uppdaterad bild av "
                    "kunskapsläget och de nationella rekommendationerna och går igenom hur remiss, bryggande "
                    "behandling och uppföljning fungerar mellan regionerna.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09.00–10.00", "Indikationer och kunskapsläge"),
                            ("10.15–11.15", "Remiss, bedömning och bryggande behandling"),
                            ("11.15–12.00", "Lymfodepletion och infusion"),
                            ("13.00–14.15", "Tidiga och sena komplikationer: CRS, ICANS, cytopenier och infektioner"),
                            ("14.30–15.30", "Uppföljning efter hemgång – vad gör hemsjukhuset?"),
                            ("15.30–16.00", "Studier som rekryterar just nu"),
                        ]
                    },
                ),
            ],
            "objectives": [
                "Identifiera patienter som kan vara aktuella för CAR-T.",
                "Remittera för bedömning och planera bryggande behandling.",
                "Handlägga sena komplikationer som långvariga cytopenier, hypogammaglobulinemi och infektioner.",
                "Planera uppföljningen tillsammans med det behandlande universitetssjukhuset.",
            ],
            "prerequisites": "<p>Läkare inom hematologi, onkologi, internmedicin eller infektionssjukvård. "
            "ST-läkare är välkomna.</p>",
        },
        "en": {
            "title": "CAR-T cell therapy for physicians: indications, referral and follow-up",
            "slug": "car-t-cell-therapy-for-physicians",
            "summary": "A full day for physicians on current indications for CAR-T, referral routes to the "
            "university hospitals and care after discharge.",
            "body": [
                (
                    "paragraph",
                    "<p>CAR-T therapy is approved for several types of lymphoma, acute lymphoblastic leukaemia "
                    "and multiple myeloma, and more indications are being studied. The course gives an "
                    "up-to-date picture of the evidence and national recommendations, and explains how referral, "
                    "bridging therapy and follow-up work between regions.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09:00–10:00", "Indications and evidence"),
                            ("10:15–11:15", "Referral, assessment and bridging therapy"),
                            ("11:15–12:00", "Lymphodepletion and infusion"),
                            ("13:00–14:15", "Early and late complications: CRS, ICANS, cytopenias and infections"),
                            ("14:30–15:30", "Follow-up after discharge: what does the local hospital do?"),
                            ("15:30–16:00", "Trials recruiting now"),
                        ]
                    },
                ),
            ],
            "objectives": [
                "Identify patients who may be candidates for CAR-T.",
                "Refer for assessment and plan bridging therapy.",
                "Manage late complications such as prolonged cytopenias, hypogammaglobulinaemia and infections.",
                "Plan follow-up together with the treating university hospital.",
            ],
            "prerequisites": "<p>Physicians in haematology, oncology, internal medicine or infectious diseases. "
            "Specialty trainees are welcome.</p>",
        },
    },
    {
        "centres": ["uppsala"],
        "topics": ["gmp-and-manufacturing"],
        "audiences": ["gmp-and-laboratory-staff", "pharmacists"],
        "format": "in_person",
        "language": "sv",
        "cpd_hours": "14.0",
        "lipus": "",
        "schedule": (2, "08.30", "16.00"),
        "occasions": 3,
        "sv": {
            "title": "Aseptisk teknik och renrumsarbete",
            "slug": "aseptisk-teknik-och-renrumsarbete",
            "summary": "Praktisk tvådagarskurs i aseptiskt arbete i renrum av klass A och B, med omklädning, arbete "
            "i säkerhetsbänk och aseptisk simulering.",
            "body": [
                (
                    "paragraph",
                    "<p>Den som tillverkar cell- eller vävnadsprodukter i öppna processer arbetar i renrum med "
                    "högsta krav på aseptik. Kursen varvar teori om kontaminationsrisker och renrumsklassning med "
                    "praktiska övningar i sjukhusets utbildningsrenrum. Dag två avslutas med en aseptisk "
                    "simulering som du får återkoppling på.</p>",
                ),
                (
                    "programme",
                    {
                        "title": "Dag 1",
                        "items": [
                            ("08.30–10.00", "Mikrobiologi och kontaminationsrisker"),
                            ("10.15–12.00", "Renrumsklassning och beteende i renrum"),
                            ("13.00–16.00", "Omklädning och handskavtryck – praktisk övning"),
                        ],
                    },
                ),
                (
                    "programme",
                    {
                        "title": "Dag 2",
                        "items": [
                            ("08.30–12.00", "Aseptiskt arbete i säkerhetsbänk"),
                            ("13.00–15.00", "Aseptisk simulering"),
                            ("15.00–16.00", "Återkoppling och diskussion"),
                        ],
                    },
                ),
                (
                    "callout",
                    {
                        "title": "Få platser",
                        "text": "<p>Övningarna görs i små grupper. Lämna återbud så snart du vet att du inte kan "
                        "komma, så att någon på reservlistan får platsen.</p>",
                    },
                ),
            ],
            "objectives": [
                "Förklara hur kontamination uppstår och förebyggs i renrum.",
                "Klä om korrekt för arbete i renrum av klass B.",
                "Arbeta aseptiskt i säkerhetsbänk.",
                "Genomföra en aseptisk simulering.",
            ],
            "prerequisites": "<p>Du arbetar, eller ska börja arbeta, med tillverkning i renrum.</p>",
        },
        "en": {
            "title": "Aseptic technique and cleanroom work",
            "slug": "aseptic-technique-and-cleanroom-work",
            "summary": "A hands-on two-day course in aseptic work in grade A and B cleanrooms, with gowning, work in "
            "a safety cabinet and aseptic process simulation.",
            "body": [
                (
                    "paragraph",
                    "<p>Anyone making cell or tissue products in open processes works in cleanrooms with the "
                    "strictest aseptic requirements. The course combines theory on contamination risks and "
                    "cleanroom classification with practical exercises in the hospital's training cleanroom. "
                    "Day two ends with an aseptic process simulation with feedback.</p>",
                ),
                (
                    "programme",
                    {
                        "title": "Day 1",
                        "items": [
                            ("08:30–10:00", "Microbiology and contamination risks"),
                            ("10:15–12:00", "Cleanroom classification and behaviour"),
                            ("13:00–16:00", "Gowning and glove prints: hands-on"),
                        ],
                    },
                ),
                (
                    "programme",
                    {
                        "title": "Day 2",
                        "items": [
                            ("08:30–12:00", "Aseptic work in a safety cabinet"),
                            ("13:00–15:00", "Aseptic process simulation"),
                            ("15:00–16:00", "Feedback and discussion"),
                        ],
                    },
                ),
                (
                    "callout",
                    {
                        "title": "Few places",
                        "text": "<p>Exercises are done in small groups. Please cancel as soon as you know you "
                        "cannot come, so that someone on the waiting list gets your place.</p>",
                    },
                ),
            ],
            "objectives": [
                "Explain how contamination arises and is prevented in cleanrooms.",
                "Gown correctly for work in a grade B cleanroom.",
                "Work aseptically in a safety cabinet.",
                "Carry out an aseptic process simulation.",
            ],
            "prerequisites": "<p>You work, or are about to work, in cleanroom manufacturing.</p>",
        },
    },
    {
        "centres": ["stockholm"],
        "topics": ["gmp-and-manufacturing", "regulatory-and-hospital-exemption"],
        "audiences": ["gmp-and-laboratory-staff", "quality-assurance", "researchers"],
        "format": "self_paced",
        "language": "sv",
        "cpd_hours": "5.0",
        "lipus": "",
        "schedule": (56, "08.00", "17.00"),
        "occasions": 2,
        "sv": {
            "title": "GMP-grunder för ATMP – webbkurs",
            "slug": "gmp-grunder-for-atmp-webbkurs",
            "summary": "Webbkurs i egen takt om god tillverkningssed för läkemedel för avancerad terapi, för dig som "
            "är ny i en GMP-verksamhet.",
            "body": [
                (
                    "paragraph",
                    "<p>Kursen ger grunderna i god tillverkningssed (GMP) med utgångspunkt i EU:s riktlinjer för "
                    "ATMP. Du arbetar dig igenom fem moduler med exempel från tillverkning av cellprodukter och "
                    "avslutar med ett kunskapstest.</p>",
                ),
                ("heading", "Moduler"),
                (
                    "paragraph",
                    "<ol><li>Varför GMP? Patientsäkerhet och kvalitetssystem</li><li>Personal, hygien och "
                    "utbildning</li><li>Lokaler, utrustning och renrum</li><li>Dokumentation och "
                    "dataintegritet</li><li>Avvikelser, ändringar och frisläppning</li></ol>",
                ),
            ],
            "objectives": [
                "Förklara syftet med GMP och hur ett kvalitetssystem är uppbyggt.",
                "Dokumentera enligt principerna för god dokumentationssed (ALCOA+).",
                "Beskriva hur avvikelser och ändringar hanteras.",
            ],
            "prerequisites": "<p>Inga förkunskaper krävs.</p>",
        },
        "en": {
            "title": "GMP basics for ATMPs: e-learning",
            "slug": "gmp-basics-for-atmps-e-learning",
            "summary": "A self-paced online course on good manufacturing practice for advanced therapy medicinal "
            "products, for those new to a GMP facility.",
            "body": [
                (
                    "paragraph",
                    "<p>The course covers the basics of good manufacturing practice (GMP) based on the EU "
                    "guidelines for ATMPs. You work through five modules with examples from cell product "
                    "manufacturing and finish with a test.</p>",
                ),
                ("heading", "Modules"),
                (
                    "paragraph",
                    "<ol><li>Why GMP? Patient safety and the quality system</li><li>Staff, hygiene and "
                    "training</li><li>Premises, equipment and cleanrooms</li><li>Documentation and data "
                    "integrity</li><li>Deviations, changes and release</li></ol>",
                ),
            ],
            "objectives": [
                "Explain the purpose of GMP and how a quality system is built.",
                "Document according to good documentation practice (ALCOA+).",
                "Describe how deviations and changes are handled.",
            ],
            "prerequisites": "<p>No prior knowledge required.</p>",
        },
    },
    {
        "centres": ["uppsala"],
        "topics": ["handling-and-administration", "nursing-care"],
        "audiences": ["nurses"],
        "format": "in_person",
        "language": "sv",
        "cpd_hours": "5.0",
        "lipus": "",
        "schedule": (1, "09.00", "15.00"),
        "occasions": 4,
        "sv": {
            "title": "Administrering av ATMP på vårdenheten",
            "slug": "administrering-av-atmp-pa-vardenheten",
            "summary": "För sjuksköterskor som ska ge cell- och genterapier: förberedelser, identitetskontroll, "
            "infusion och övervakning.",
            "body": [
                (
                    "paragraph",
                    "<p>Att ge ett ATMP är ofta något som inte kan göras om: produkten är unik, dyr och har kort "
                    "hållbarhet. Kursen går igenom hur vårdenheten förbereder sig, vilka kontroller som görs vid "
                    "patientens säng och hur patienten övervakas under och efter infusionen. Vi övar i "
                    "simuleringsmiljö.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09.00–10.00", "Planering tillsammans med sjukhusapoteket"),
                            ("10.15–11.30", "Identitetskontroll och dokumentation"),
                            ("12.30–14.00", "Simulering: infusion av en cellprodukt"),
                            ("14.15–15.00", "Övervakning, biverkningar och larmvägar"),
                        ]
                    },
                ),
                (
                    "callout",
                    {
                        "title": "Simulering",
                        "text": "<p>Simuleringen sker i Akademiska sjukhusets kliniska träningscentrum. Ta med "
                        "arbetskläder.</p>",
                    },
                ),
            ],
            "objectives": [
                "Förbereda vårdenheten och patienten inför administrering av ett ATMP.",
                "Genomföra identitetskontroll och dubbelkontroll vid patientens säng.",
                "Administrera en cellprodukt enligt gällande instruktion.",
                "Övervaka patienten och agera vid tecken på allvarlig biverkning.",
            ],
            "prerequisites": "<p>Legitimerad sjuksköterska.</p>",
        },
        "en": {
            "title": "Administering ATMPs on the ward",
            "slug": "administering-atmps-on-the-ward",
            "summary": "For nurses who give cell and gene therapies: preparation, identity checks, infusion and "
            "monitoring.",
            "body": [
                (
                    "paragraph",
                    "<p>Giving an ATMP is often something that cannot be repeated: the product is unique, "
                    "expensive and has a short shelf life. The course covers how the ward prepares, which checks "
                    "are made at the bedside and how the patient is monitored during and after the infusion. We "
                    "practise in a simulation setting.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09:00–10:00", "Planning with the hospital pharmacy"),
                            ("10:15–11:30", "Identity checks and documentation"),
                            ("12:30–14:00", "Simulation: infusing a cell product"),
                            ("14:15–15:00", "Monitoring, side effects and escalation"),
                        ]
                    },
                ),
                (
                    "callout",
                    {
                        "title": "Simulation",
                        "text": "<p>The simulation takes place at Uppsala University Hospital's clinical training "
                        "centre. Please bring work clothes.</p>",
                    },
                ),
            ],
            "objectives": [
                "Prepare the ward and the patient for ATMP administration.",
                "Carry out identity checks and double checks at the bedside.",
                "Administer a cell product according to the current instructions.",
                "Monitor the patient and act on signs of a serious adverse reaction.",
            ],
            "prerequisites": "<p>Registered nurses.</p>",
        },
    },
    {
        "centres": ["stockholm"],
        "topics": ["gene-therapy"],
        "audiences": ["physicians", "nurses"],
        "format": "online",
        "language": "sv",
        "cpd_hours": "2.0",
        "lipus": "20250751",
        "schedule": (1, "14.00", "16.00"),
        "occasions": 3,
        "sv": {
            "title": "Genterapi vid ärftliga näthinnesjukdomar",
            "slug": "genterapi-vid-arftliga-nathinnesjukdomar",
            "summary": "Webbinarium om subretinal genterapi vid RPE65-relaterad näthinnedystrofi och om studier vid "
            "andra ärftliga näthinnesjukdomar.",
            "body": [
                (
                    "paragraph",
                    "<p>Voretigen neparvovek var en av de första genterapierna som godkändes i EU och ges som en "
                    "subretinal injektion. Webbinariet beskriver genetisk utredning och urval av patienter, "
                    "ingreppet, uppföljningen av synfunktionen och vad som är på väg inom området.</p>",
                ),
                (
                    "faq",
                    [
                        (
                            "Spelas webbinariet in?",
                            "<p>Nej, eftersom patientfall diskuteras. Bilderna finns som kursmaterial efteråt.</p>",
                        ),
                    ],
                ),
            ],
            "objectives": [
                "Beskriva hur genetisk diagnostik avgör vilka patienter som kan behandlas.",
                "Redogöra för hur behandlingen genomförs och följs upp.",
                "Känna till pågående studier vid ärftliga näthinnesjukdomar.",
            ],
            "prerequisites": "<p>Ögonläkare, ögonsjuksköterskor och andra som möter patienter med ärftliga "
            "ögonsjukdomar.</p>",
        },
        "en": {
            "title": "Gene therapy for inherited retinal disease",
            "slug": "gene-therapy-for-inherited-retinal-disease",
            "summary": "A webinar on subretinal gene therapy for RPE65-associated retinal dystrophy and on trials "
            "in other inherited retinal diseases.",
            "body": [
                (
                    "paragraph",
                    "<p>Voretigene neparvovec was one of the first gene therapies approved in the EU and is "
                    "given as a subretinal injection. The webinar covers genetic testing and patient selection, "
                    "the procedure, follow-up of visual function and what is coming next.</p>",
                ),
                (
                    "faq",
                    [
                        (
                            "Is the webinar recorded?",
                            "<p>No, because patient cases are discussed. The slides are available as course "
                            "materials afterwards.</p>",
                        ),
                    ],
                ),
            ],
            "objectives": [
                "Describe how genetic diagnosis determines which patients can be treated.",
                "Explain how the treatment is carried out and followed up.",
                "Know the ongoing trials in inherited retinal disease.",
            ],
            "prerequisites": "<p>Ophthalmologists, ophthalmic nurses and others who see patients with inherited "
            "eye disease.</p>",
        },
    },
    {
        "centres": ["vastra-gotaland"],
        "topics": ["regulatory-and-hospital-exemption"],
        "audiences": ["researchers", "quality-assurance", "physicians"],
        "format": "online",
        "language": "sv",
        "cpd_hours": "3.0",
        "lipus": "",
        "schedule": (1, "09.00", "12.00"),
        "occasions": 3,
        "sv": {
            "title": "Ansöka om tillstånd för sjukhusundantag",
            "slug": "ansoka-om-tillstand-for-sjukhusundantag",
            "summary": "Workshop för dig som planerar att tillverka ett ATMP under sjukhusundantaget och ska ansöka "
            "om tillstånd hos Läkemedelsverket.",
            "body": [
                (
                    "paragraph",
                    "<p>En ansökan om sjukhusundantag ska visa att produkten tillverkas under kontrollerade former, "
                    "att behandlingen är motiverad för patientgruppen och att spårbarhet och uppföljning är "
                    "säkrade. Vi går igenom ansökans delar och vanliga brister, och du får diskutera ditt eget "
                    "projekt med regulatoriskt erfarna kollegor i nätverket.</p>",
                ),
                ("heading", "Upplägg"),
                (
                    "paragraph",
                    "<p>Förmiddagen inleds med en genomgång av ansökans delar. Därefter arbetar vi i små grupper "
                    "med deltagarnas egna projekt.</p>",
                ),
                (
                    "callout",
                    {
                        "title": "Skicka in en projektbeskrivning",
                        "text": "<p>Skicka gärna en kort projektbeskrivning (högst en sida) till kontaktpersonen "
                        "senast en vecka före kurstillfället.</p>",
                    },
                ),
            ],
            "objectives": [
                "Beskriva vad en ansökan om sjukhusundantag ska innehålla.",
                "Känna igen vanliga brister i ansökningar.",
                "Göra en plan för ansökan i det egna projektet.",
            ],
            "prerequisites": "<p>Du planerar eller deltar i ett projekt där ett ATMP ska tillverkas på sjukhus. "
            "Kursen EU:s ATMP-förordning och sjukhusundantaget, eller motsvarande kunskaper, "
            "rekommenderas.</p>",
        },
        "en": {
            "title": "Applying for a hospital exemption authorisation",
            "slug": "applying-for-a-hospital-exemption-authorisation",
            "summary": "A workshop for those planning to make an ATMP under the hospital exemption and apply to the "
            "Swedish Medical Products Agency for authorisation.",
            "body": [
                (
                    "paragraph",
                    "<p>A hospital exemption application must show that the product is made under controlled "
                    "conditions, that treatment is justified for the patient group and that traceability and "
                    "follow-up are in place. We go through the parts of the application and common "
                    "shortcomings, and you can discuss your own project with colleagues experienced in "
                    "regulatory work.</p>",
                ),
                ("heading", "Format"),
                (
                    "paragraph",
                    "<p>The morning opens with a walk-through of the application. We then work in small groups "
                    "on participants' own projects.</p>",
                ),
                (
                    "callout",
                    {
                        "title": "Send a project description",
                        "text": "<p>Please send a short project description (one page at most) to the contact "
                        "person at least a week before the course.</p>",
                    },
                ),
            ],
            "objectives": [
                "Describe what a hospital exemption application must contain.",
                "Recognise common shortcomings in applications.",
                "Make a plan for your own project's application.",
            ],
            "prerequisites": "<p>You are planning or working on a project to make an ATMP in a hospital. The "
            "course on the EU ATMP Regulation and the hospital exemption, or equivalent knowledge, is "
            "recommended.</p>",
        },
    },
    {
        "centres": ["uppsala", "stockholm"],
        "topics": ["gmp-and-manufacturing", "cell-therapy"],
        "audiences": ["gmp-and-laboratory-staff", "researchers", "quality-assurance"],
        "format": "in_person",
        "language": "en",
        "cpd_hours": "6.0",
        "lipus": "",
        "schedule": (1, "09.00", "16.00"),
        "occasions": 3,
        "sv": {
            "title": "Kvalitetskontroll och potensanalyser för cellterapiprodukter",
            "slug": "kvalitetskontroll-och-potensanalyser",
            "summary": "Kurs på engelska om analysmetoder för identitet, renhet, viabilitet och potens – och hur de "
            "valideras för frisläppning.",
            "body": [
                (
                    "paragraph",
                    "<p>En cellterapiprodukt kan inte frisläppas utan analyser som visar att den är rätt produkt, "
                    "tillräckligt ren och verksam. Potensanalysen är ofta den svåraste: den ska spegla "
                    "verkningsmekanismen och samtidigt vara robust nog för rutinbruk. Kursen ges på engelska och "
                    "blandar föreläsningar med fallstudier från flödescytometri, cytotoxicitetsanalyser och "
                    "sterilitetstestning.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09.00–10.15", "Kvalitetsattribut och specifikationer"),
                            ("10.30–12.00", "Identitet och renhet med flödescytometri"),
                            ("13.00–14.15", "Potensanalyser: från forskningsmetod till frisläppningsmetod"),
                            ("14.30–15.30", "Validering av analysmetoder"),
                            ("15.30–16.00", "Snabba mikrobiologiska metoder"),
                        ]
                    },
                ),
            ],
            "objectives": [
                "Definiera kritiska kvalitetsattribut för en cellterapiprodukt.",
                "Välja och motivera analysmetoder för identitet, renhet och potens.",
                "Planera valideringen av en analysmetod.",
            ],
            "prerequisites": "<p>Erfarenhet av laboratoriearbete. Undervisningen sker på engelska.</p>",
        },
        "en": {
            "title": "Quality control and potency assays for cell therapy products",
            "slug": "quality-control-and-potency-assays",
            "summary": "Analytical methods for identity, purity, viability and potency, and how to validate them "
            "for batch release.",
            "body": [
                (
                    "paragraph",
                    "<p>A cell therapy product cannot be released without tests showing that it is the right "
                    "product, pure enough and active. The potency assay is often the hardest: it must reflect the "
                    "mechanism of action and still be robust enough for routine use. The course mixes lectures "
                    "with case studies from flow cytometry, cytotoxicity assays and sterility testing.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09:00–10:15", "Quality attributes and specifications"),
                            ("10:30–12:00", "Identity and purity by flow cytometry"),
                            ("13:00–14:15", "Potency assays: from research method to release test"),
                            ("14:30–15:30", "Validating analytical methods"),
                            ("15:30–16:00", "Rapid microbiological methods"),
                        ]
                    },
                ),
            ],
            "objectives": [
                "Define critical quality attributes for a cell therapy product.",
                "Choose and justify methods for identity, purity and potency.",
                "Plan the validation of an analytical method.",
            ],
            "prerequisites": "<p>Laboratory experience.</p>",
        },
    },
    {
        "centres": ["vastra-gotaland"],
        "topics": ["nursing-care", "gene-therapy"],
        "audiences": ["nurses"],
        "format": "hybrid",
        "language": "sv",
        "cpd_hours": "5.5",
        "lipus": "",
        "schedule": (1, "09.00", "15.30"),
        "occasions": 3,
        "sv": {
            "title": "Omvårdnad av barn som behandlas med ATMP",
            "slug": "omvardnad-av-barn-som-behandlas-med-atmp",
            "summary": "Om omvårdnad, smärtlindring, information och familjens delaktighet när barn behandlas med "
            "cell- eller genterapi.",
            "body": [
                (
                    "paragraph",
                    "<p>Barn som behandlas med ATMP har ofta en sällsynt sjukdom och en lång vårdhistoria. Kursen "
                    "tar upp de särskilda behov som barn och familjer har: åldersanpassad information, trygghet "
                    "vid provtagning och infusion, skolgång och syskon under behandlingstiden och en uppföljning "
                    "som sträcker sig in i vuxenlivet.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09.00–10.15", "ATMP inom barnsjukvården – en översikt"),
                            ("10.30–12.00", "Barnets och familjens perspektiv"),
                            ("13.00–14.15", "Omvårdnad vid genterapi och CAR-T-behandling av barn"),
                            ("14.30–15.30", "Övergången till vuxenvården"),
                        ]
                    },
                ),
                (
                    "callout",
                    {
                        "title": "Delta på distans",
                        "text": "<p>Hela dagen sänds via länk, och grupparbetet efter lunch görs även digitalt.</p>",
                    },
                ),
            ],
            "objectives": [
                "Ge barn och föräldrar åldersanpassad information inför behandlingen.",
                "Planera omvårdnaden före, under och efter infusionen.",
                "Beskriva hur långtidsuppföljningen organiseras när barnet blir vuxet.",
            ],
            "prerequisites": "<p>Sjuksköterska eller barnsjuksköterska inom barnsjukvården.</p>",
        },
        "en": {
            "title": "Nursing care of children treated with ATMPs",
            "slug": "nursing-care-of-children-treated-with-atmps",
            "summary": "Nursing care, pain relief, information and family involvement when children are treated "
            "with cell or gene therapy.",
            "body": [
                (
                    "paragraph",
                    "<p>Children treated with ATMPs often have a rare disease and a long history of care. The "
                    "course covers the particular needs of children and families: age-appropriate information, "
                    "feeling safe during tests and infusion, school and siblings during treatment, and follow-up "
                    "that continues into adult life.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09:00–10:15", "ATMPs in paediatric care: an overview"),
                            ("10:30–12:00", "The child's and the family's perspective"),
                            ("13:00–14:15", "Nursing care in paediatric gene therapy and CAR-T"),
                            ("14:30–15:30", "The transition to adult care"),
                        ]
                    },
                ),
                (
                    "callout",
                    {
                        "title": "Taking part remotely",
                        "text": "<p>The whole day is streamed, and the afternoon group work can also be done "
                        "online.</p>",
                    },
                ),
            ],
            "objectives": [
                "Give children and parents age-appropriate information before treatment.",
                "Plan nursing care before, during and after the infusion.",
                "Describe how long-term follow-up is organised as the child grows up.",
            ],
            "prerequisites": "<p>Nurses or paediatric nurses working in paediatric care.</p>",
        },
    },
    {
        "centres": ["skane"],
        "topics": ["clinical-trials"],
        "audiences": ["physicians", "nurses", "researchers"],
        "format": "online",
        "language": "sv",
        "cpd_hours": "6.0",
        "lipus": "20250845",
        "schedule": (1, "09.00", "16.00"),
        "occasions": 4,
        "sv": {
            "title": "GCP för prövare och forskningssjuksköterskor i ATMP-studier",
            "slug": "gcp-for-provare-i-atmp-studier",
            "summary": "Utbildning i god klinisk sed (ICH GCP E6) med fördjupning i det som är särskilt för "
            "prövningar med cell- och genterapi.",
            "body": [
                (
                    "paragraph",
                    "<p>Kursen täcker grunderna i GCP för prövare och forskningspersonal och kompletteras med "
                    "ATMP-specifika fall: samtycke när behandlingen inte kan avbrytas, prövningsläkemedel som "
                    "kräver kvävefrys och rapportering av säkerhetshändelser under lång uppföljning. Den avslutas "
                    "med ett kunskapstest.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09.00–10.30", "ICH GCP E6(R3): principer och ansvar"),
                            ("10.45–12.00", "Informerat samtycke i ATMP-studier"),
                            ("13.00–14.15", "Prövningsläkemedel: mottagning, förvaring och redovisning"),
                            ("14.30–15.30", "Säkerhetsrapportering och långtidsuppföljning"),
                            ("15.30–16.00", "Kunskapstest"),
                        ]
                    },
                ),
                (
                    "faq",
                    [
                        (
                            "Godtas kursen som GCP-utbildning av sponsorer?",
                            "<p>Kursintyget beskriver kursens innehåll och omfattning. Fråga sponsorn om den "
                            "kräver en viss GCP-utbildning.</p>",
                        ),
                    ],
                ),
            ],
            "objectives": [
                "Redogöra för prövarens och sponsorns ansvar enligt ICH GCP.",
                "Inhämta informerat samtycke i en ATMP-studie.",
                "Hantera prövningsläkemedel som är ATMP.",
                "Rapportera säkerhetshändelser korrekt.",
            ],
            "prerequisites": "<p>Inga särskilda förkunskaper.</p>",
        },
        "en": {
            "title": "GCP for investigators and research nurses in ATMP trials",
            "slug": "gcp-for-investigators-in-atmp-trials",
            "summary": "Good Clinical Practice (ICH GCP E6) training with a closer look at what is particular to "
            "trials of cell and gene therapies.",
            "body": [
                (
                    "paragraph",
                    "<p>The course covers the GCP basics for investigators and research staff, with ATMP-specific "
                    "cases: consent when treatment cannot be stopped, investigational products that need "
                    "nitrogen storage and safety reporting during long follow-up. It ends with a test.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09:00–10:30", "ICH GCP E6(R3): principles and responsibilities"),
                            ("10:45–12:00", "Informed consent in ATMP trials"),
                            ("13:00–14:15", "Investigational products: receipt, storage and accountability"),
                            ("14:30–15:30", "Safety reporting and long-term follow-up"),
                            ("15:30–16:00", "Test"),
                        ]
                    },
                ),
                (
                    "faq",
                    [
                        (
                            "Do sponsors accept the course as GCP training?",
                            "<p>The certificate describes the course's content and length. Ask the sponsor "
                            "whether it requires a particular GCP course.</p>",
                        ),
                    ],
                ),
            ],
            "objectives": [
                "Explain the investigator's and sponsor's responsibilities under ICH GCP.",
                "Obtain informed consent in an ATMP trial.",
                "Handle investigational products that are ATMPs.",
                "Report safety events correctly.",
            ],
            "prerequisites": "<p>No particular prior knowledge.</p>",
        },
    },
    {
        "centres": ["skane"],
        "topics": ["handling-and-administration", "gmp-and-manufacturing"],
        "audiences": ["pharmacists", "nurses", "gmp-and-laboratory-staff"],
        "format": "in_person",
        "language": "sv",
        "cpd_hours": "3.0",
        "lipus": "",
        "schedule": (1, "09.00", "12.00"),
        "occasions": 3,
        "sv": {
            "title": "Mottagning, förvaring och transport av ATMP",
            "slug": "mottagning-forvaring-och-transport-av-atmp",
            "summary": "Förmiddagskurs om hur ATMP tas emot, förvaras och transporteras inom sjukhuset utan att "
            "kvalitet eller spårbarhet äventyras.",
            "body": [
                (
                    "paragraph",
                    "<p>Mellan tillverkarens leverans och infusionen passerar en produkt ofta flera händer: "
                    "godsmottagning, sjukhusapotek, cellterapilaboratorium och vårdenhet. Kursen går igenom varje "
                    "överlämning, vilka temperaturkrav som gäller och hur transporter inom sjukhuset planeras och "
                    "dokumenteras.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09.00–09.45", "Leveransen: följesedel, temperaturlogg och mottagningskontroll"),
                            ("09.45–10.30", "Förvaring: kvävefrys, kylskåp och larm"),
                            ("10.45–11.30", "Intern transport och överlämning till vårdenheten"),
                            ("11.30–12.00", "Vad gör vi när något går fel?"),
                        ]
                    },
                ),
            ],
            "objectives": [
                "Genomföra mottagningskontroll av en leverans.",
                "Välja rätt förvaring utifrån produktens krav.",
                "Planera och dokumentera en intern transport.",
            ],
            "prerequisites": "<p>Inga särskilda förkunskaper.</p>",
        },
        "en": {
            "title": "Receipt, storage and transport of ATMPs",
            "slug": "receipt-storage-and-transport-of-atmps",
            "summary": "A morning course on receiving, storing and moving ATMPs within the hospital without putting "
            "quality or traceability at risk.",
            "body": [
                (
                    "paragraph",
                    "<p>Between the manufacturer's delivery and the infusion, a product often passes through "
                    "several hands: goods reception, the hospital pharmacy, the cell therapy laboratory and the "
                    "ward. The course covers each handover, the temperature requirements and how transport "
                    "within the hospital is planned and documented.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09:00–09:45", "The delivery: shipping documents, temperature log and receipt check"),
                            ("09:45–10:30", "Storage: nitrogen freezers, refrigerators and alarms"),
                            ("10:45–11:30", "Internal transport and handover to the ward"),
                            ("11:30–12:00", "What do we do when something goes wrong?"),
                        ]
                    },
                ),
            ],
            "objectives": [
                "Carry out a receipt check of a delivery.",
                "Choose the right storage for the product's requirements.",
                "Plan and document internal transport.",
            ],
            "prerequisites": "<p>No particular prior knowledge.</p>",
        },
    },
    {
        "centres": ["stockholm"],
        "topics": ["cell-therapy", "clinical-trials"],
        "audiences": ["physicians", "nurses"],
        "format": "hybrid",
        "language": "en",
        "cpd_hours": "3.0",
        "lipus": "",
        "schedule": (1, "13.00", "16.00"),
        "occasions": 3,
        "sv": {
            "title": "TIL-behandling vid malignt melanom",
            "slug": "til-behandling-vid-malignt-melanom",
            "summary": "Kurs på engelska om behandling med tumörinfiltrerande lymfocyter (TIL) vid avancerat "
            "melanom: urval, tillverkning, behandling och biverkningar.",
            "body": [
                (
                    "paragraph",
                    "<p>Behandling med tumörinfiltrerande lymfocyter har visat effekt vid avancerat melanom som "
                    "inte svarat på immunterapi. Patientens egna T-celler odlas fram ur en bit av tumören och ges "
                    "tillbaka efter lymfodepleterande cytostatika, följt av interleukin-2. Kursen ges på engelska "
                    "med föreläsare från Sverige och övriga Europa.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("13.00–13.45", "TIL-behandlingens bakgrund och evidens"),
                            ("13.45–14.30", "Från tumörbit till infusionspåse"),
                            ("14.45–15.30", "Behandlingen på vårdenheten: lymfodepletion, infusion och IL-2"),
                            ("15.30–16.00", "Frågor och diskussion"),
                        ]
                    },
                ),
            ],
            "objectives": [
                "Beskriva principen för TIL-behandling och dess evidensläge.",
                "Redogöra för tillverkningsprocessen och dess tidsramar.",
                "Känna igen och hantera biverkningar av lymfodepletion och interleukin-2.",
            ],
            "prerequisites": "<p>Läkare och sjuksköterskor inom onkologi. Undervisningen sker på engelska.</p>",
        },
        "en": {
            "title": "TIL therapy for malignant melanoma",
            "slug": "til-therapy-for-malignant-melanoma",
            "summary": "Treatment with tumour-infiltrating lymphocytes (TIL) in advanced melanoma: selection, "
            "manufacturing, treatment and side effects.",
            "body": [
                (
                    "paragraph",
                    "<p>Treatment with tumour-infiltrating lymphocytes has shown effect in advanced melanoma that "
                    "has not responded to immunotherapy. The patient's own T cells are grown from a piece of the "
                    "tumour and given back after lymphodepleting chemotherapy, followed by interleukin-2. "
                    "Speakers come from Sweden and the rest of Europe.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("13:00–13:45", "Background and evidence for TIL therapy"),
                            ("13:45–14:30", "From tumour sample to infusion bag"),
                            ("14:45–15:30", "Treatment on the ward: lymphodepletion, infusion and IL-2"),
                            ("15:30–16:00", "Questions and discussion"),
                        ]
                    },
                ),
            ],
            "objectives": [
                "Describe the principle of TIL therapy and the evidence for it.",
                "Explain the manufacturing process and its timelines.",
                "Recognise and manage side effects of lymphodepletion and interleukin-2.",
            ],
            "prerequisites": "<p>Physicians and nurses in oncology.</p>",
        },
    },
    {
        "centres": ["uppsala"],
        "topics": ["cell-therapy", "tissue-engineering"],
        "audiences": ["researchers", "physicians"],
        "format": "online",
        "language": "sv",
        "cpd_hours": "3.0",
        "lipus": "",
        "schedule": (1, "13.00", "16.00"),
        "occasions": 3,
        "sv": {
            "title": "Mesenkymala stromaceller – från forskning till klinik",
            "slug": "mesenkymala-stromaceller",
            "summary": "Om vad mesenkymala stromaceller är, vilka kliniska användningsområden som har studerats och "
            "vad som krävs för att ta en cellbehandling till klinisk prövning.",
            "body": [
                (
                    "paragraph",
                    "<p>Mesenkymala stromaceller (MSC) har studerats vid bland annat transplantat-mot-värd-sjukdom, "
                    "inflammatoriska sjukdomar och vävnadsreparation. Resultaten är blandade, och mycket av den "
                    "behandling som erbjuds utanför studier saknar vetenskapligt stöd. Kursen ger en kritisk "
                    "genomgång av evidensen och av stegen från laboratorium till klinisk prövning.</p>",
                ),
                (
                    "faq",
                    [
                        (
                            "Hur ska jag svara patienter som frågar om stamcellsbehandling utomlands?",
                            "<p>Vi diskuterar hur du kan bemöta sådana frågor och var det finns oberoende "
                            "information om obeprövade stamcellsbehandlingar.</p>",
                        ),
                    ],
                ),
            ],
            "objectives": [
                "Beskriva biologin bakom mesenkymala stromaceller.",
                "Värdera evidensen för kliniska användningsområden.",
                "Redogöra för stegen från preklinisk forskning till klinisk prövning.",
                "Bemöta frågor om obeprövade stamcellsbehandlingar.",
            ],
            "prerequisites": "<p>Forskare, doktorander och läkare med intresse för cellterapi.</p>",
        },
        "en": {
            "title": "Mesenchymal stromal cells: from research to the clinic",
            "slug": "mesenchymal-stromal-cells",
            "summary": "What mesenchymal stromal cells are, which clinical uses have been studied and what it takes "
            "to bring a cell therapy to a clinical trial.",
            "body": [
                (
                    "paragraph",
                    "<p>Mesenchymal stromal cells (MSCs) have been studied in graft-versus-host disease, "
                    "inflammatory diseases and tissue repair, among others. Results are mixed, and much of the "
                    "treatment offered outside trials lacks scientific support. The course takes a critical look "
                    "at the evidence and at the steps from laboratory to clinical trial.</p>",
                ),
                (
                    "faq",
                    [
                        (
                            "How should I answer patients who ask about stem cell treatment abroad?",
                            "<p>We discuss how to respond and where to find independent information about "
                            "unproven stem cell treatments.</p>",
                        ),
                    ],
                ),
            ],
            "objectives": [
                "Describe the biology of mesenchymal stromal cells.",
                "Weigh the evidence for clinical uses.",
                "Explain the steps from preclinical research to clinical trial.",
                "Respond to questions about unproven stem cell treatments.",
            ],
            "prerequisites": "<p>Researchers, PhD students and physicians with an interest in cell therapy.</p>",
        },
    },
    {
        "centres": ["vastra-gotaland", "stockholm"],
        "topics": ["regulatory-and-hospital-exemption", "handling-and-administration"],
        "audiences": ["physicians", "pharmacists", "quality-assurance"],
        "format": "hybrid",
        "language": "sv",
        "cpd_hours": "4.0",
        "lipus": "",
        "schedule": (1, "10.00", "15.00"),
        "occasions": 3,
        "sv": {
            "title": "Införande av ATMP i regionen – ledning och planering",
            "slug": "inforande-av-atmp-i-regionen",
            "summary": "För verksamhetschefer, läkemedelsansvariga och kvalitetsansvariga som planerar för att ta "
            "emot patienter för ATMP-behandling.",
            "body": [
                (
                    "paragraph",
                    "<p>Att införa en ny ATMP-behandling kräver mer än ett beslut om finansiering. Sjukhuset "
                    "behöver kvalificeras av tillverkaren, personalen utbildas, rutiner tas fram och kapacitet "
                    "säkras på vårdavdelning, intensivvård, aferesenhet och apotek. Kursen går igenom stegen med "
                    "exempel från nätverkets universitetssjukhus och den nationella processen för ordnat "
                    "införande.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("10.00–11.00", "Nationellt ordnat införande och NT-rådets rekommendationer"),
                            ("11.00–12.00", "Kvalificering av behandlande sjukhus"),
                            ("13.00–14.00", "Resurser och kompetens: vad behövs?"),
                            ("14.00–15.00", "Samverkan mellan regioner och med ATMP-centrum"),
                        ]
                    },
                ),
            ],
            "objectives": [
                "Beskriva processen för nationellt ordnat införande av nya läkemedel.",
                "Planera kvalificeringen av en behandlande enhet.",
                "Identifiera resursbehoven i den egna verksamheten.",
            ],
            "prerequisites": "<p>Du har ett lednings- eller samordningsansvar i en verksamhet som planerar för "
            "ATMP.</p>",
        },
        "en": {
            "title": "Introducing ATMPs in your region: leadership and planning",
            "slug": "introducing-atmps-in-your-region",
            "summary": "For heads of department, medicines leads and quality managers planning to receive patients "
            "for ATMP treatment.",
            "body": [
                (
                    "paragraph",
                    "<p>Introducing a new ATMP takes more than a funding decision. The hospital must be qualified "
                    "by the manufacturer, staff trained, routines written and capacity secured on the ward, in "
                    "intensive care, at the apheresis unit and in the pharmacy. The course goes through the "
                    "steps with examples from the network's university hospitals and Sweden's national process "
                    "for the managed introduction of new medicines.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("10:00–11:00", "Managed introduction and the NT Council's recommendations"),
                            ("11:00–12:00", "Qualification of treatment centres"),
                            ("13:00–14:00", "Resources and skills: what is needed?"),
                            ("14:00–15:00", "Working across regions and with the ATMP-centres"),
                        ]
                    },
                ),
            ],
            "objectives": [
                "Describe the national process for the managed introduction of new medicines.",
                "Plan the qualification of a treatment centre.",
                "Identify the resources your own service needs.",
            ],
            "prerequisites": "<p>You have a leadership or coordinating role in a service preparing for ATMPs.</p>",
        },
    },
    {
        "centres": ["vastra-gotaland"],
        "topics": ["gmp-and-manufacturing"],
        "audiences": ["gmp-and-laboratory-staff", "quality-assurance"],
        "format": "in_person",
        "language": "sv",
        "cpd_hours": "6.0",
        "lipus": "",
        "schedule": (1, "09.00", "16.00"),
        "occasions": 3,
        "sv": {
            "title": "Miljöövervakning och kvalificering av renrum",
            "slug": "miljoovervakning-och-kvalificering-av-renrum",
            "summary": "Om partikelövervakning och mikrobiologisk övervakning, larmgränser och trendanalys i renrum "
            "för tillverkning av cell- och vävnadsprodukter.",
            "body": [
                (
                    "paragraph",
                    "<p>Ett övervakningsprogram ska visa att renrummet fungerar som avsett och upptäcka "
                    "förändringar innan de påverkar produkten. Kursen går igenom hur programmet byggs upp utifrån "
                    "en riskanalys och kraven i EU:s GMP-riktlinjer för ATMP, hur provpunkter och frekvenser "
                    "väljs och hur resultat och trender följs upp.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09.00–10.15", "Renrumsklassning och kvalificering"),
                            ("10.30–12.00", "Att bygga ett övervakningsprogram"),
                            ("13.00–14.30", "Praktiskt: partikelräkning, sedimentationsplattor och kontaktplattor"),
                            ("14.45–16.00", "Larm- och aktionsgränser, trender och utredningar"),
                        ]
                    },
                ),
            ],
            "objectives": [
                "Beskriva hur renrum klassificeras och kvalificeras.",
                "Ta fram ett riskbaserat program för miljöövervakning.",
                "Tolka resultat och trender och vidta rätt åtgärder.",
            ],
            "prerequisites": "<p>Du arbetar i eller med renrum. Kursen Aseptisk teknik och renrumsarbete, eller "
            "motsvarande kunskaper, rekommenderas.</p>",
        },
        "en": {
            "title": "Environmental monitoring and cleanroom qualification",
            "slug": "environmental-monitoring-and-cleanroom-qualification",
            "summary": "Particle and microbiological monitoring, alert limits and trend analysis in cleanrooms for "
            "cell and tissue product manufacturing.",
            "body": [
                (
                    "paragraph",
                    "<p>A monitoring programme should show that the cleanroom performs as intended and catch "
                    "changes before they affect the product. The course covers how to build the programme from a "
                    "risk analysis and the EU GMP guidelines for ATMPs, how to choose sampling points and "
                    "frequencies, and how to follow up results and trends.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("09:00–10:15", "Cleanroom classification and qualification"),
                            ("10:30–12:00", "Building a monitoring programme"),
                            ("13:00–14:30", "Hands-on: particle counting, settle plates and contact plates"),
                            ("14:45–16:00", "Alert and action limits, trends and investigations"),
                        ]
                    },
                ),
            ],
            "objectives": [
                "Describe how cleanrooms are classified and qualified.",
                "Draw up a risk-based environmental monitoring programme.",
                "Interpret results and trends and take the right action.",
            ],
            "prerequisites": "<p>You work in or with cleanrooms. The course Aseptic technique and cleanroom work, "
            "or equivalent knowledge, is recommended.</p>",
        },
    },
    {
        "centres": ["uppsala", "skane"],
        "topics": ["cell-therapy", "nursing-care"],
        "audiences": ["nurses", "physicians", "pharmacists"],
        "format": "online",
        "language": "sv",
        "cpd_hours": "2.5",
        "lipus": "20251027",
        "schedule": (1, "13.00", "15.30"),
        "occasions": 4,
        "sv": {
            "title": "Poliklinisk CAR-T-behandling – organisation och patientsäkerhet",
            "slug": "poliklinisk-car-t-behandling",
            "summary": "Om förutsättningarna för att ge och följa upp CAR-T-behandling polikliniskt, med patienten "
            "boende nära sjukhuset under de första veckorna.",
            "body": [
                (
                    "paragraph",
                    "<p>Allt fler CAR-T-behandlingar kan ges utan att patienten är inlagd hela tiden. Det kräver "
                    "tydliga kriterier för vilka patienter som kan behandlas polikliniskt, boende nära sjukhuset, "
                    "en närstående som finns med dygnet runt och larmvägar som fungerar även nattetid. Kursen "
                    "bygger på erfarenheter från universitetssjukhus i Sverige och övriga Norden.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("13.00–13.45", "Vilka patienter kan behandlas polikliniskt?"),
                            ("13.45–14.30", "Boende, närstående och daglig kontroll"),
                            ("14.45–15.30", "Larmvägar, inläggning och erfarenheter hittills"),
                        ]
                    },
                ),
            ],
            "objectives": [
                "Bedöma om en patient kan få CAR-T-behandling polikliniskt.",
                "Beskriva hur daglig kontroll och larmvägar organiseras.",
                "Informera patient och närstående om när de ska höra av sig.",
            ],
            "prerequisites": "<p>Du arbetar med CAR-T-behandling eller planerar att införa poliklinisk behandling.</p>",
        },
        "en": {
            "title": "Outpatient CAR-T therapy: organisation and patient safety",
            "slug": "outpatient-car-t-therapy",
            "summary": "What it takes to give and follow up CAR-T therapy on an outpatient basis, with the patient "
            "staying near the hospital for the first weeks.",
            "body": [
                (
                    "paragraph",
                    "<p>More CAR-T treatments can now be given without the patient staying in hospital "
                    "throughout. This needs clear criteria for which patients can be treated as outpatients, "
                    "accommodation near the hospital, a relative present around the clock and escalation routes "
                    "that work at night too. The course draws on experience from university hospitals in Sweden "
                    "and the other Nordic countries.</p>",
                ),
                (
                    "programme",
                    {
                        "items": [
                            ("13:00–13:45", "Which patients can be treated as outpatients?"),
                            ("13:45–14:30", "Accommodation, relatives and daily checks"),
                            ("14:45–15:30", "Escalation, admission and experience so far"),
                        ]
                    },
                ),
            ],
            "objectives": [
                "Assess whether a patient can receive CAR-T therapy as an outpatient.",
                "Describe how daily checks and escalation routes are organised.",
                "Tell patients and relatives when to get in touch.",
            ],
            "prerequisites": "<p>You work with CAR-T therapy or plan to introduce outpatient treatment.</p>",
        },
    },
]

PRIVACY_NOTICE = {
    "sv": {
        "title": "Behandling av personuppgifter",
        "slug": "personuppgifter",
        "intro": "Så behandlar ATMP-centrumens nätverk dina personuppgifter när du anmäler dig till en kurs.",
        "body": [
            ("heading", "Vilka uppgifter vi sparar"),
            (
                "paragraph",
                "<p>Namn, e-postadress, yrkesroll, arbetsplats och region, dina anmälningar och svaren på "
                "kursens frågor, samt din närvaro. Uppgifterna behövs för att genomföra kursen, hålla "
                "reservlistan och utfärda kursintyg.</p>",
            ),
            ("heading", "Vem ser uppgifterna"),
            (
                "paragraph",
                "<p>Du själv, kursansvariga vid det ATMP-centrum som ger kursen och nätverkets "
                "administratörer. Ingen annan.</p>",
            ),
            ("heading", "Hur länge"),
            (
                "paragraph",
                "<p>Uppgifter om deltagare avidentifieras 24 månader efter kurstillfället. Utfärdade intyg går "
                "fortfarande att verifiera. Du kan när som helst radera ditt konto.</p>",
            ),
            ("heading", "Kontakt"),
            (
                "paragraph",
                "<p>Frågor om personuppgifter besvaras av det ATMP-centrum som ger kursen. Du har rätt att "
                "klaga hos Integritetsskyddsmyndigheten (IMY).</p>",
            ),
        ],
    },
    "en": {
        "title": "Privacy notice",
        "slug": "privacy",
        "intro": "How the network of ATMP-centres handles your personal data when you enrol in a course.",
        "body": [
            ("heading", "What we keep"),
            (
                "paragraph",
                "<p>Your name, e-mail address, profession, workplace and region, your enrolments and answers to "
                "the course's questions, and your attendance. We need them to run the course, keep the waiting "
                "list and issue certificates of attendance.</p>",
            ),
            ("heading", "Who sees them"),
            (
                "paragraph",
                "<p>You, the course owners at the ATMP-centre that gives the course, and the network's "
                "administrators. Nobody else.</p>",
            ),
            ("heading", "For how long"),
            (
                "paragraph",
                "<p>Participants' data is anonymised 24 months after the occasion. Certificates already issued "
                "can still be verified. You can delete your account at any time.</p>",
            ),
            ("heading", "Contact"),
            (
                "paragraph",
                "<p>The ATMP-centre that gives the course answers questions about personal data. You may "
                "complain to the Swedish Authority for Privacy Protection (IMY).</p>",
            ),
        ],
    },
}
STANDARD_PAGES.append(PRIVACY_NOTICE)


# --- Enrolment rules -------------------------------------------------------------------------------
# Courses that show what the course editor's Enrolment tab can do, by Swedish slug. Questions are
# (kind, required, Swedish (label, help text, choices), English (label, help text, choices)); the command
# keeps each question's block id the same in both languages, as wagtail-localize does.

EVALUATION_URL = "https://forms.example.se/atmp-utvardering/{slug}"

COURSE_RULES = {
    # Skåne: approval, professions, questions, offered seats, a daily summary and an evaluation.
    "aferes-infor-car-t-tillverkning": {
        "requires_approval": True,
        "eligible_professions": ["nurses", "physicians", "gmp-and-laboratory-staff"],
        "waiting_list_mode": "offer",
        "offer_hours": 48,
        "organiser_notices": "daily",
        "evaluation": True,
        "questions": [
            (
                "choice",
                True,
                ("Vilken roll har du vid aferes?", "", ["Utför aferes", "Ordinerar", "Tar emot produkten", "Annan"]),
                (
                    "What is your role in apheresis?",
                    "",
                    ["Perform apheresis", "Prescribe", "Receive the product", "Other"],
                ),
            ),
            (
                "multiple_choice",
                False,
                (
                    "Vilka moment vill du helst öva?",
                    "Kryssa i så många du vill.",
                    ["Kärlaccess", "Cellräkning", "Märkning och dokumentation", "Transport till tillverkaren"],
                ),
                (
                    "Which steps would you most like to practise?",
                    "Tick as many as you like.",
                    ["Vascular access", "Cell counts", "Labelling and records", "Transport to the manufacturer"],
                ),
            ),
        ],
    },
    "car-t-cellsbehandling-for-sjukskoterskor": {
        "eligible_professions": ["nurses"],
        "organiser_notices": "each",
        "evaluation": True,
        "questions": [
            (
                "yes_no",
                True,
                ("Vårdar du patienter som behandlas med CAR-T i dag?", "", []),
                ("Do you care for patients treated with CAR-T today?", "", []),
            ),
            (
                "choice",
                False,
                ("Specialkost till lunchen", "", ["Ingen", "Vegetarisk", "Vegansk", "Glutenfri"]),
                ("Special diet for lunch", "", ["None", "Vegetarian", "Vegan", "Gluten-free"]),
            ),
        ],
    },
    "hantering-av-atmp-pa-sjukhusapoteket": {
        "requires_approval": True,
        "eligible_professions": ["pharmacists"],
        "evaluation": True,
        "questions": [
            (
                "text",
                True,
                ("Vilket sjukhusapotek arbetar du på?", "", []),
                ("Which hospital pharmacy do you work at?", "", []),
            ),
        ],
    },
    "gmp-vid-tillverkning-under-sjukhusundantaget": {
        "requires_approval": True,
        "waiting_list_mode": "offer",
        "offer_hours": 72,
        "organiser_notices": "each",
        "questions": [
            (
                "long_text",
                True,
                (
                    "Beskriv kort din roll i tillverkningen",
                    "Det hjälper oss att sätta ihop grupperna för övningarna.",
                    [],
                ),
                ("Describe your role in manufacturing briefly", "It helps us put the exercise groups together.", []),
            ),
        ],
    },
    "crs-och-icans-bedomning-och-behandling": {
        "eligible_professions": ["physicians", "nurses"],
        "evaluation": True,
    },
}

# Free-text answers of the demo's clinicians.
DEMO_LONG_ANSWERS = [
    "Jag arbetar i renrummet med beredning och kvalitetskontroll.",
    "Jag är kvalificerad person (QP) och ansvarar för frisläppning.",
    "Jag arbetar med dokumentation och avvikelser i tillverkningen.",
    "Jag är ny på enheten och ska börja arbeta med tillverkning i höst.",
]
