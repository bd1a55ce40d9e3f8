"""The word lists of the English → Indonesian question translator (:mod:`qa.translate`).

Hand-written rules, not learned: question words and phrases, function words, auxiliaries,
irregular English forms, nationalities, weekdays and months, and news vocabulary where the shipped
table's first choice is a poor reading of the usual sense.
"""
from __future__ import annotations

# Multi-word question phrases first (matched case-insensitively at any position), longest first.
QUESTION_PHRASES: dict[tuple[str, ...], str] = {
    ("in", "what", "year"): "tahun berapa", ("in", "which", "year"): "tahun berapa",
    ("what", "year"): "tahun berapa", ("which", "year"): "tahun berapa",
    ("on", "what", "date"): "tanggal berapa", ("what", "date"): "tanggal berapa",
    ("on", "which", "day"): "hari apa", ("what", "day"): "hari apa", ("which", "day"): "hari apa",
    ("what", "time"): "jam berapa", ("at", "what", "time"): "jam berapa",
    ("what", "month"): "bulan apa", ("which", "month"): "bulan apa",
    ("how", "many"): "berapa jumlah", ("how", "much"): "berapa", ("how", "long"): "berapa lama",
    ("how", "old"): "berapa usia", ("how", "far"): "berapa jauh", ("how", "big"): "seberapa besar",
    ("how", "large"): "seberapa besar", ("what", "percentage"): "berapa persen",
    ("what", "is", "the", "name", "of"): "siapa nama", ("what", "was", "the", "name", "of"): "siapa nama",
    ("from", "where"): "dari mana", ("where", "from"): "dari mana", ("to", "where"): "ke mana",
    ("in", "which"): "di mana", ("at", "which"): "di mana", ("on", "behalf", "of"): "atas nama",
    ("according", "to"): "menurut", ("as", "well", "as"): "serta", ("such", "as"): "seperti",
    ("in", "order", "to"): "untuk", ("what", "causes"): "apa penyebab", ("what", "caused"): "apa penyebab",
    ("where", "is"): "di mana letak", ("where", "are"): "di mana letak", ("where", "was"): "di mana letak", ("what", "is", "meant", "by"): "apa yang dimaksud dengan",
    ("what", "is", "the", "meaning", "of"): "apa pengertian", ("what", "is", "the", "area", "of"): "berapa luas",
    ("what", "was", "the", "area", "of"): "berapa luas", ("what", "is", "the", "population", "of"): "berapa jumlah penduduk",
    ("what", "is", "the", "definition", "of"): "apa pengertian", ("what", "is", "a"): "apa itu",
    ("what", "is", "an"): "apa itu", ("what", "are"): "apa", ("come", "from"): "berasal dari",
    ("comes", "from"): "berasal dari", ("came", "from"): "berasal dari",
    ("are", "there"): "", ("is", "there"): "", ("were", "there"): "",
    ("was", "there"): "", ("as", "a", "result", "of"): "akibat", ("because", "of"): "karena", ("more", "than"): "lebih dari",
    ("less", "than"): "kurang dari", ("what", "kind", "of"): "jenis apa", ("what", "type", "of"): "jenis apa",
    ("which", "kind", "of"): "jenis apa", ("what", "sort", "of"): "jenis apa",
    ("have", "to"): "harus", ("has", "to"): "harus", ("had", "to"): "harus", ("most", "of"): "sebagian besar",
    ("most", "people"): "kebanyakan orang", ("so", "far"): "sejauh ini",
    ("last", "year"): "tahun lalu", ("last", "month"): "bulan lalu", ("last", "week"): "minggu lalu",
    ("next", "year"): "tahun depan", ("next", "month"): "bulan depan", ("next", "week"): "minggu depan",
    ("this", "year"): "tahun ini", ("this", "month"): "bulan ini", ("this", "week"): "minggu ini",
}
QUESTION_WORDS = {
    "who": "siapa", "whom": "siapa", "whose": "siapa", "when": "kapan", "where": "di mana",
    "why": "mengapa", "how": "bagaimana", "what": "apa", "which": "apa",
}
FUNCTION_WORDS = {
    "in": "di", "at": "di", "on": "pada", "from": "dari", "to": "ke", "into": "ke", "with": "dengan",
    "for": "untuk", "by": "oleh", "and": "dan", "or": "atau", "but": "tetapi", "about": "tentang",
    "between": "antara", "among": "antara", "during": "selama", "after": "setelah", "before": "sebelum",
    "since": "sejak", "until": "hingga", "as": "sebagai", "than": "daripada", "not": "tidak", "no": "tidak",
    "never": "tidak pernah", "this": "ini", "these": "ini", "that": "yang", "those": "itu", "who's": "siapa",
    "he": "dia", "she": "dia", "they": "mereka", "we": "kami", "i": "saya", "you": "anda", "also": "juga",
    "still": "masih", "already": "sudah", "again": "lagi", "only": "hanya", "all": "semua", "each": "setiap",
    "every": "setiap", "both": "kedua", "other": "lain", "another": "lain", "first": "pertama",
    "second": "kedua", "third": "ketiga", "new": "baru", "most": "paling", "more": "lebih", "many": "banyak",
    "much": "banyak", "very": "sangat", "against": "melawan", "through": "melalui", "without": "tanpa",
    "within": "dalam", "under": "di bawah", "over": "atas", "after all": "setelah", "there": "di sana",
    "if": "jika", "because": "karena", "while": "sementara", "via": "melalui", "per": "per", "then": "lalu",
    "so": "jadi", "like": "seperti", "will": "akan", "would": "akan", "can": "bisa", "could": "bisa",
    "should": "harus", "must": "harus", "may": "boleh", "might": "mungkin",
}
DROPPED = frozenset("""
the a an did does do done is are was were be been being am has have had its their his her our my your
it them him us me of 's ’s ' " “ ” ‘ ’ there's
""".split())
# Words after which a noun follows: a word there takes a noun reading ("the show" → "pertunjukan",
# not "menunjukkan").
NOUN_MARKERS = frozenset("the a an his her its their our my your this these those".split())
# Relative pronouns: after a noun, "who"/"which"/"that" is "yang" ("the controller who refused").
RELATIVES = frozenset("who which that".split())
BE_FORMS = frozenset("is are was were be been being".split())  # a participle after one is passive
STRANDED = frozenset("for with to on about in at by of from into".split())  # prepositions that may end a question
HAPPEN = frozenset({"happen", "happens", "happened"})  # "What happened …" asks what, not which happening
AUXILIARIES = frozenset("did does do is are was were has have had will would can could should must may".split())
# Irregular English forms → the form the lexicon lists.
IRREGULAR = {
    "met": "meet", "signed": "sign", "held": "hold", "went": "go", "gone": "go", "said": "say",
    "made": "make", "took": "take", "taken": "take", "gave": "give", "given": "give", "became": "become",
    "began": "begin", "begun": "begin", "built": "build", "found": "find", "led": "lead", "won": "win",
    "got": "get", "saw": "see", "seen": "see", "came": "come", "told": "tell", "thought": "think",
    "brought": "bring", "bought": "buy", "sold": "sell", "paid": "pay", "sent": "send", "spent": "spend",
    "left": "leave", "kept": "keep", "felt": "feel", "lost": "lose", "heard": "hear", "meant": "mean",
    "ran": "run", "wrote": "write", "written": "write", "spoke": "speak", "spoken": "speak", "chose": "choose",
    "chosen": "choose", "fell": "fall", "fallen": "fall", "grew": "grow", "grown": "grow", "knew": "know",
    "known": "know", "drew": "draw", "drawn": "draw", "rose": "rise", "risen": "rise", "struck": "strike",
    "stood": "stand", "understood": "understand", "set": "set", "put": "put", "cut": "cut", "hit": "hit",
    "children": "child", "people": "people", "men": "man", "women": "woman", "countries": "country",
    "cities": "city", "born": "born", "died": "die", "headed": "head", "heads": "head",
}
NATIONALITIES = {
    "korean": "korea", "chinese": "china", "japanese": "jepang", "indonesian": "indonesia",
    "kazakh": "kazakhstan", "american": "amerika", "british": "inggris", "english": "inggris",
    "dutch": "belanda", "german": "jerman", "french": "prancis", "indian": "india", "malaysian": "malaysia",
    "singaporean": "singapura", "thai": "thailand", "vietnamese": "vietnam", "philippine": "filipina",
    "filipino": "filipina", "australian": "australia", "russian": "rusia", "arab": "arab", "saudi": "saudi",
    "european": "eropa", "asian": "asia", "african": "afrika", "javanese": "jawa", "balinese": "bali",
    "syrian": "suriah", "mexican": "meksiko", "chilean": "chili", "bolivian": "bolivia", "turkish": "turki",
    "spanish": "spanyol", "italian": "italia", "egyptian": "mesir", "iranian": "iran", "iraqi": "irak",
    "israeli": "israel", "palestinian": "palestina", "pakistani": "pakistan", "afghan": "afghanistan",
    "ukrainian": "ukraina", "polish": "polandia", "swedish": "swedia", "norwegian": "norwegia",
    "danish": "denmark", "finnish": "finlandia", "greek": "yunani", "brazilian": "brasil",
    "argentine": "argentina", "argentinian": "argentina", "canadian": "kanada", "nigerian": "nigeria",
    "scottish": "skotlandia", "welsh": "wales", "irish": "irlandia", "swiss": "swiss", "austrian": "austria",
    "belgian": "belgia", "portuguese": "portugal", "cuban": "kuba", "venezuelan": "venezuela",
    "colombian": "kolombia", "cambodian": "kamboja", "burmese": "myanmar", "taiwanese": "taiwan",
    "mongolian": "mongolia", "macedonian": "makedonia", "kurdish": "kurdi", "catalan": "katalonia",
    "lebanese": "lebanon", "jordanian": "yordania", "qatari": "qatar", "emirati": "uni emirat arab",
}
# Two-word nationalities (in PLACES too), which follow their noun like the one-word ones.
NATIONALITY_PHRASES = frozenset({"north korean", "south korean"})
# Names of countries, places and bodies that Indonesian news writes in Indonesian (lower-case keys
# of one to three words, matched before the table; the capitalised English is not kept).
PLACES = {
    "syria": "suriah", "germany": "jerman", "mexico": "meksiko", "france": "prancis", "chile": "chili",
    "japan": "jepang", "south korea": "korea selatan", "north korea": "korea utara",
    "south korean": "korea selatan", "north korean": "korea utara", "netherlands": "belanda",
    "the netherlands": "belanda", "the hague": "den haag", "hague": "den haag", "egypt": "mesir",
    "spain": "spanyol", "italy": "italia", "greece": "yunani", "turkey": "turki", "russia": "rusia",
    "britain": "inggris", "great britain": "inggris", "united kingdom": "inggris", "england": "inggris",
    "united states": "amerika serikat", "america": "amerika", "saudi arabia": "arab saudi",
    "philippines": "filipina", "the philippines": "filipina", "new zealand": "selandia baru",
    "sweden": "swedia", "norway": "norwegia", "finland": "finlandia", "belgium": "belgia",
    "poland": "polandia", "ukraine": "ukraina", "iraq": "irak", "palestine": "palestina",
    "jordan": "yordania", "cambodia": "kamboja", "singapore": "singapura", "canada": "kanada",
    "brazil": "brasil", "colombia": "kolombia", "cuba": "kuba", "morocco": "maroko", "algeria": "aljazair",
    "ethiopia": "etiopia", "south africa": "afrika selatan", "ireland": "irlandia", "scotland": "skotlandia",
    "hungary": "hongaria", "czech republic": "republik ceko", "romania": "rumania", "denmark": "denmark",
    "switzerland": "swiss", "europe": "eropa", "africa": "afrika", "middle east": "timur tengah",
    "southeast asia": "asia tenggara", "east java": "jawa timur", "west java": "jawa barat",
    "central java": "jawa tengah", "central sulawesi": "sulawesi tengah", "south sulawesi": "sulawesi selatan",
    "north sumatra": "sumatera utara", "west sumatra": "sumatera barat", "sumatra": "sumatera",
    "papua new guinea": "papua nugini", "pacific": "pasifik", "atlantic": "atlantik", "macedonia": "makedonia",
    "united nations": "PBB", "european union": "uni eropa", "white house": "gedung putih",
    "supreme court": "mahkamah agung", "world bank": "bank dunia",
}
# Upper-case abbreviations that Indonesian news writes in its own way.
ABBREVIATIONS = {"UN": "PBB", "US": "AS", "EU": "Uni Eropa", "UK": "Inggris", "USA": "AS"}
# Titles before a name: dropped, and the capitalised word after them is a name ("Mr Park" → "Park").
TITLES = frozenset("mr mrs ms miss dr sir rev st prof gen sen rep gov".split())
# Multi-word news phrases (lower-case keys of two or three words), matched before the table.
NEWS_PHRASES = {
    "foreign minister": "menteri luar negeri", "foreign ministry": "kementerian luar negeri",
    "foreign affairs": "luar negeri", "prime minister": "perdana menteri", "interior minister": "menteri dalam negeri",
    "finance minister": "menteri keuangan", "defence minister": "menteri pertahanan",
    "defense minister": "menteri pertahanan", "health minister": "menteri kesehatan",
    "death toll": "jumlah korban tewas", "aid workers": "pekerja bantuan", "human rights": "hak asasi manusia",
    "warning sirens": "sirene peringatan",
    "state of emergency": "keadaan darurat", "police officer": "polisi", "police officers": "polisi",
    "press conference": "konferensi pers", "general election": "pemilihan umum", "head of state": "kepala negara",
    "new cases": "kasus baru", "heavy rain": "hujan lebat", "free ticket": "tiket gratis",
    "home affairs": "dalam negeri", "ministry of home affairs": "kementerian dalam negeri",
    "minister of home affairs": "menteri dalam negeri", "ministry of foreign affairs": "kementerian luar negeri",
    "minister of foreign affairs": "menteri luar negeri", "sister city": "sister city", "sister cities": "sister city",
    "high-level meeting": "pertemuan tingkat tinggi",
}
# Phrasal verbs: the particle changes the verb's sense ("shut down" is not "menutup bawah"). Matched
# with NEWS_PHRASES; a noun run stops where one starts ("the Battle of Jericho take place").
PHRASAL_VERBS = {
    "came up with": "menemukan", "come up with": "menemukan", "comes up with": "menemukan",
    "carried out": "dilakukan", "carry out": "melakukan", "sent back": "dikembalikan", "send back": "mengembalikan",
    "hand over": "menyerahkan", "handed over": "menyerahkan", "set up": "mendirikan", "took over": "mengambil alih",
    "take over": "mengambil alih", "pulled out": "mundur", "pull out": "mundur", "called for": "menyerukan",
    "call for": "menyerukan", "stepped down": "mundur", "step down": "mundur",
    "shut down": "menutup", "shuts down": "menutup", "shutting down": "menutup", "closed down": "menutup",
    "locked away": "dikurung", "locked up": "dikurung", "lock up": "mengurung", "come forward": "maju",
    "came forward": "maju", "look after": "merawat", "looks after": "merawat", "looked after": "merawat",
    "take off": "lepas landas", "took off": "lepas landas", "turn into": "menjadi", "turned into": "menjadi",
    "gave up": "menyerah", "give up": "menyerah", "broke out": "pecah", "break out": "pecah",
    "found out": "mengetahui", "find out": "mengetahui", "pointed out": "menunjukkan", "point out": "menunjukkan",
    "cut off": "memutus", "wiped out": "memusnahkan", "wipe out": "memusnahkan", "ruled out": "menepis",
    "rule out": "menepis", "blew up": "meledakkan", "blow up": "meledakkan", "shot down": "ditembak jatuh",
    "backed down": "mundur", "back down": "mundur", "went ahead": "dilanjutkan", "go ahead": "dilanjutkan",
    "set off": "memicu", "sparked off": "memicu", "put out": "memadamkan", "carried on": "melanjutkan",
    "carry on": "melanjutkan", "brought in": "didatangkan", "bring in": "mendatangkan", "taken over": "diambil alih",
    "take place": "berlangsung", "takes place": "berlangsung", "took place": "berlangsung",
    "taking place": "berlangsung", "take part": "ikut serta", "takes part": "ikut serta", "took part": "ikut serta",
}
WEEKDAYS_MONTHS = {
    "monday": "senin", "tuesday": "selasa", "wednesday": "rabu", "thursday": "kamis", "friday": "jumat",
    "saturday": "sabtu", "sunday": "minggu", "january": "januari", "february": "februari", "march": "maret",
    "april": "april", "may": "mei", "june": "juni", "july": "juli", "august": "agustus",
    "september": "september", "october": "oktober", "november": "november", "december": "desember",
}
# News vocabulary where the table's first choice is a poor reading of the usual sense.
PREFERRED = {
    "get": "mendapatkan", "go": "pergi", "parts": "bagian", "figures": "angka", "quarter": "kuartal",
    "found": "mendirikan", "founded": "didirikan", "learning": "belajar", "learn": "belajar",
    "describe": "menggambarkan", "described": "disebut", "authority": "otorita", "sign": "menandatangani",
    "partner": "mitra", "partnered": "bermitra", "hold": "menggelar", "held": "digelar", "keep": "terus",
    "agree": "sepakat", "agreed": "menyepakati", "visit": "kunjungan", "visited": "mengunjungi",
    "meet": "bertemu", "met": "bertemu", "attend": "menghadiri", "attended": "menghadiri",
    "announce": "mengumumkan", "announced": "mengumumkan", "plan": "rencana", "planned": "direncanakan",
    "aim": "tujuan", "aims": "bertujuan", "aimed": "bertujuan", "purpose": "tujuan", "goal": "tujuan",
    "expect": "diharapkan", "expected": "diharapkan", "hope": "harapan", "hoped": "diharapkan",
    "build": "membangun", "built": "dibangun", "develop": "mengembangkan", "developed": "maju",
    "development": "pengembangan", "construction": "pembangunan", "cooperation": "kerja sama",
    "collaboration": "kolaborasi", "government": "pemerintah", "ministry": "kementerian",
    "minister": "menteri", "head": "kepala", "heads": "kepala", "headed": "dipimpin", "lead": "memimpin",
    "led": "dipimpin", "leader": "pemimpin", "signing": "penandatanganan", "signed": "menandatangani",
    "event": "acara", "meeting": "pertemuan", "say": "mengatakan", "said": "mengatakan",
    "state": "negara", "states": "negara", "country": "negara", "countries": "negara", "region": "daerah",
    "regions": "daerah", "become": "menjadi", "became": "menjadi", "call": "menyebut", "called": "disebut",
    "named": "bernama", "name": "nama", "take": "berlangsung", "place": "tempat", "participants": "peserta",
    "participant": "peserta", "number": "jumlah", "total": "total", "population": "penduduk",
    "smart": "cerdas", "city": "kota", "cities": "kota", "capital": "ibu kota", "world": "dunia",
    "worldwide": "dunia", "first": "pertama", "agreement": "kesepakatan", "memorandum": "nota",
    "released": "dirilis", "release": "rilis", "location": "letak", "born": "lahir",
    "elected": "terpilih", "appointed": "diangkat", "established": "didirikan", "establish": "mendirikan",
    "known": "dikenal", "used": "digunakan", "use": "menggunakan", "made": "dibuat", "written": "ditulis",
    "wrote": "menulis", "directed": "disutradarai", "director": "sutradara", "published": "diterbitkan",
    "produced": "diproduksi", "launched": "diluncurkan", "launch": "peluncuran", "opened": "dibuka",
    "discovered": "ditemukan", "invented": "ditemukan", "created": "diciptakan", "formed": "dibentuk",
    "inaugurated": "diresmikan", "replaced": "digantikan", "succeeded": "menggantikan", "killed": "dibunuh",
    "area": "luas", "meaning": "arti", "mean": "arti", "means": "arti", "meant": "dimaksud",
    "competitor": "kompetitor", "competitors": "kompetitor", "people": "orang", "member": "anggota",
    "members": "anggota", "speak": "berbicara", "spoken": "digunakan", "currency": "mata uang",
    "president": "presiden", "village": "desa", "district": "kabupaten", "regency": "kabupaten",
    "province": "provinsi", "island": "pulau", "islands": "kepulauan", "river": "sungai", "mountain": "gunung",
    "king": "raja", "queen": "ratu", "kingdom": "kerajaan", "emperor": "kaisar", "prince": "pangeran",
    "university": "universitas", "national": "nasional", "park": "taman", "hospital": "rumah sakit",
    "mosque": "masjid", "church": "gereja", "temple": "candi", "museum": "museum", "airport": "bandara",
    "bridge": "jembatan", "lake": "danau", "sea": "laut", "bay": "teluk", "strait": "selat", "palace": "istana",
    "republic": "republik", "empire": "kekaisaran", "sultanate": "kesultanan", "dynasty": "dinasti",
    "army": "tentara", "council": "dewan", "agency": "badan", "office": "kantor", "school": "sekolah",
    "located": "", "situated": "", "celebrated": "dirayakan", "cause": "penyebab",
    "war": "perang", "party": "partai", "company": "perusahaan", "reason": "alasan", "role": "peran",
    "spokesman": "juru bicara", "spokeswoman": "juru bicara", "spokesperson": "juru bicara",
    "president-elect": "presiden terpilih", "lawmaker": "anggota parlemen", "lawmakers": "anggota parlemen",
    "governor": "gubernur", "mayor": "walikota", "envoy": "utusan", "troops": "tentara", "soldiers": "tentara",
    "shipyard": "galangan kapal", "appearance": "penampilan", "mining": "penambangan", "delay": "penundaan",
    "coastline": "garis pantai", "lawyer": "pengacara", "lawyers": "pengacara", "police": "polisi",
    "suspect": "tersangka", "victims": "korban", "victim": "korban", "earthquake": "gempa", "quake": "gempa",
    "refugees": "pengungsi", "refugee": "pengungsi", "ocean": "samudra", "weapons": "senjata",
    "fought": "bertarung", "concentrated": "terpusat", "treat": "memperlakukan", "chairman": "ketua",
    "official": "pejabat", "officials": "pejabat", "delegation": "delegasi", "opposition": "oposisi",
    "election": "pemilihan", "court": "pengadilan", "judge": "hakim", "parliament": "parlemen",
    "committee": "komite", "defence": "pertahanan", "defense": "pertahanan", "navy": "angkatan laut",
    "military": "militer", "injured": "terluka", "passengers": "penumpang", "passenger": "penumpang",
    "plane": "pesawat", "flight": "penerbangan", "crash": "kecelakaan", "airline": "maskapai",
    "rescue": "penyelamatan", "survivors": "korban selamat", "hurricane": "badai", "flood": "banjir",
    "budget": "anggaran", "sanctions": "sanksi", "talks": "pembicaraan", "treaty": "perjanjian",
    "statement": "pernyataan", "newspaper": "surat kabar", "singer": "penyanyi", "rapper": "rapper",
    "cost": "biaya", "costs": "biaya", "tax": "pajak", "vote": "pemungutan suara", "referendum": "referendum",
    "protest": "protes", "protesters": "pengunjuk rasa", "students": "mahasiswa", "student": "mahasiswa",
    "spokesmen": "juru bicara", "ambassador": "duta besar", "embassy": "kedutaan", "deputy": "wakil",
    "fired": "dipecat", "identified": "diidentifikasi", "evacuated": "dievakuasi", "transmitted": "ditularkan",
    "infected": "terinfeksi", "dissolved": "dibubarkan", "removed": "dicopot", "damaged": "rusak",
}
# After "who" a past form is the active verb ("Who built …" → "siapa membangun …"), not the passive.
ACTIVE = {
    "formed": "membentuk", "built": "membangun", "produced": "memproduksi", "founded": "mendirikan",
    "created": "menciptakan", "discovered": "menemukan", "invented": "menemukan", "wrote": "menulis",
    "directed": "menyutradarai", "established": "mendirikan", "killed": "membunuh", "signed": "menandatangani",
    "led": "memimpin", "headed": "memimpin", "replaced": "menggantikan", "opened": "membuka",
    "launched": "meluncurkan", "published": "menerbitkan", "made": "membuat", "won": "memenangkan",
    "appointed": "mengangkat", "elected": "memilih", "named": "menamai", "held": "menggelar",
    "developed": "mengembangkan", "designed": "merancang", "ruled": "memerintah", "owned": "memiliki",
    "sang": "menyanyikan", "painted": "melukis", "composed": "menciptakan", "attended": "menghadiri",
    "heads": "memimpin", "leads": "memimpin", "represents": "mewakili", "represented": "mewakili",
}
# Name particles kept between names ("Faisal bin Musaid", "Vincent van Gogh").
NAME_PARTICLES = frozenset("bin binti van von de da del der den du al el la le ibn".split())
POSTPOSED = frozenset("new other another first second third".split())
"""Adjectives among the function words that follow their noun in Indonesian ("the new company" →
"perusahaan baru", "the first president" → "presiden pertama"): they stay inside a noun run."""
NP_OPENERS = frozenset("the a an its their his her our of to with on at for from by about in into through between "
                        "among during after before than many much have has had".split())
