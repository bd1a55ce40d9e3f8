"""Indonesian and English stopwords for lexical analysis (see qa/lexical.py)."""
from __future__ import annotations

INDONESIAN_STOPWORDS: frozenset[str] = frozenset(
    """
    ada adalah adanya adapun agak agar akan akankah akhirnya aku akulah amat anda andalah
    antar antara apa apaan apabila apakah apalagi apatah atau ataukah ataupun bagai bagaimana
    bagaimanakah bagaimanapun bagi bahkan bahwa bahwasanya banyak beberapa begini begitu
    beliau belum berapa berapakah berapapun bila bilamana bisa boleh bukan bukankah bukanlah
    dalam dan dapat dari daripada demi demikian dengan di dia dialah diri dirinya dimana
    dimanakah ialah ia ini inilah itu itulah jadi jika jikalau juga justru kah kalau kalian
    kami kamilah kamu kamulah kan kapan kapankah karena karenanya ke kemana kemanakah
    kemudian kenapa kepada kepadanya ketika kita kitalah ku lagi lah lain lainnya lalu
    maka manakah masih melainkan mengapa mengapakah mereka merekalah meski meskipun mu
    namun nya oleh pada padahal para pula pun saja sajalah sambil sang sangat sebab
    sebagai sebelum sebelumnya sebuah sedang sedangkan sehingga sejak selagi selain selama
    semua semuanya sementara seorang seperti sepertinya serta sesuatu setelah setiap siapa
    siapakah siapapun si sini situ suatu sudah sudahkah supaya tak tanpa tapi telah tentang
    tentu tersebut tersebutlah tertentu tetapi tiap tidak tidakkah toh untuk walau walaupun
    yaitu yakni yang mana lebih
    yg dgn dg tsb dll dlm utk tdk sdh blm krn jg pd kpd spt brp gmn knp
    """.split()
)
"""Indonesian function words, question words (also with ``-kah``), chat abbreviations ("yg")."""

ENGLISH_STOPWORDS: frozenset[str] = frozenset(
    """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing done down during
    each either else ever every few for from further had has have having he her here hers
    herself him himself his how however i if in into is it its itself just least less let
    like many may me might more most much must my myself neither no nor not of off often
    on once only or other others ought our ours ourselves out over own per rather same
    shall she should since so some such than that the their theirs them themselves then
    there therefore these they this those though through thus to too under until upon very
    was we were what whatever when whenever where whereas wherever whether which while who
    whoever whom whose why will with within without would yet you your yours yourself
    yourselves st nd rd th
    """.split()
)
"""English function words, question words and ordinal suffixes ("7th" -> "7", "th").

"us" is kept out on purpose: lowercased "US" is a name in news."""

STOPWORDS: frozenset[str] = INDONESIAN_STOPWORDS | ENGLISH_STOPWORDS
